"""bwlint against a bare polars read of the same file: wall time, peak memory, ratios.

    python bench/run.py [--runs 3] [--sizes 25000x24,25000x200,1000000x24]
                        [--bad-rows 0.01 | --bad 0.01]

For each size, bench/generate.py writes (once, seeded) a Zoho-like CSV and its module
metadata under bench/out/. Then, N times and alternately so both see the same machine
load, two fresh processes run:

- bare:   `polars.read_csv(path, infer_schema=False)`, the physical floor;
- bwlint: `bwlint check --module Leads --schema-dir … --format json --output /dev/null`,
          every rule present, the report built and written.

Wall time is measured around the whole process (interpreter start and imports
included) and peak memory is the child's ru_maxrss (os.wait4). The table shows
medians; the ratios are the medians of the run-by-run ratios, with their range.

Before timing, bwlint's modules are byte-compiled once (`python -m compileall -q bwlint`;
the `__pycache__` folders are git-ignored). An installed bwlint runs from bytecode, as
pip compiles at install, and so does polars in the bare read; without this step a machine
with PYTHONDONTWRITEBYTECODE set would compile bwlint from source on every timed run
(~0.04 s), a cost no installed copy pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SIZES = ("25000x24", "25000x200", "1000000x24")
TARGETS = {"25000x200": 1.5, "1000000x24": 2.2}  # the time targets
MEMORY_TARGET = 1.5
BARE = "import sys, polars as pl; pl.read_csv(sys.argv[1], infer_schema=False)"


def measure(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit status) of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        error = child.stderr.read().decode() if child.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {error}")
    return wall, usage.ru_maxrss / 1024, child.returncode


def compile_bwlint() -> None:
    """Byte-compile bwlint as `pip install` does (see the module docstring)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "bwlint")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def bench(size: str, runs: int, bad: float, seed: int) -> dict:
    rows, cols = (int(n) for n in size.split("x"))
    folder = generate(rows, cols, bad, seed, HERE / "out")
    csv = folder / "leads.csv"
    bare_cmd = [sys.executable, "-c", BARE, str(csv)]
    bwlint_cmd = [
        sys.executable, "-m", "bwlint", "check", "--module", "Leads",
        "--schema-dir", str(folder), "--format", "json", "--output", os.devnull, str(csv),
    ]  # fmt: skip
    measure(bare_cmd)  # warm the page cache and the imports
    bare, tool = [], []
    for _ in range(runs):
        bare.append(measure(bare_cmd))
        tool.append(measure(bwlint_cmd))
    return {
        "size": size,
        "mb": csv.stat().st_size / 1_000_000,
        "bare_s": statistics.median(b[0] for b in bare),
        "bare_mib": statistics.median(b[1] for b in bare),
        "tool_s": statistics.median(t[0] for t in tool),
        "tool_mib": statistics.median(t[1] for t in tool),
        "time_ratio": statistics.median(t[0] / b[0] for b, t in zip(bare, tool, strict=True)),
        "time_ratios": sorted(t[0] / b[0] for b, t in zip(bare, tool, strict=True)),
        "mem_ratio": statistics.median(t[1] / b[1] for b, t in zip(bare, tool, strict=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (median)")
    parser.add_argument("--sizes", default=",".join(SIZES), help="RECORDSxCOLUMNS,…")
    parser.add_argument(
        "--bad-rows",
        type=float,
        default=0.01,
        help="share of records holding a bad cell (default 0.01, as the peers were measured)",
    )
    parser.add_argument(
        "--bad", type=float, help="share of bad cells instead (e.g. 0.01: 1 %% of every column)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    compile_bwlint()
    share = (
        f"{args.bad:.2%} of cells" if args.bad is not None else f"{args.bad_rows:.0%} of records"
    )
    print(
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, median of {args.runs} runs, "
        f"bad values in {share}; bwlint byte-compiled first, as an install is"
    )
    header = (
        "| records × columns | CSV | bare read | bwlint | time ratio | bare peak | "
        "bwlint peak | memory ratio |"
    )
    print(header)
    print("|" + " --- |" * 8)
    for size in args.sizes.split(","):
        cols = int(size.strip().split("x")[1])
        bad = args.bad if args.bad is not None else args.bad_rows / cols
        r = bench(size.strip(), args.runs, bad, args.seed)
        target = TARGETS.get(r["size"])
        goal = f" (target {target}×)" if target else ""
        rows, cols = r["size"].split("x")
        print(
            f"| {int(rows):,} × {cols} | {r['mb']:.0f} MB | {r['bare_s']:.2f} s | "
            f"{r['tool_s']:.2f} s | {r['time_ratio']:.2f}×{goal} "
            f"[{r['time_ratios'][0]:.2f}–{r['time_ratios'][-1]:.2f}] | {r['bare_mib']:.0f} MiB | "
            f"{r['tool_mib']:.0f} MiB | {r['mem_ratio']:.2f}× (target {MEMORY_TARGET}×) |",
            flush=True,
        )


if __name__ == "__main__":
    main()
