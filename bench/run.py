"""bwlint and its peers against a bare polars read of the same file: time, memory, ratios.

    python bench/run.py [--runs 3] [--files typed:25000x24,wide-text:25000x200,…]
                        [--peers polars,polars-text,pandera] [--bad-rows 0.01 | --bad 0.01]

For each file, bench/generate.py writes (once, seeded) a Zoho-like CSV and its module
metadata under bench/out/: the "typed" shape at 25,000 × 24, 25,000 × 200 and
1,000,000 × 24 (every data type), "wide-text" (25,000 × 200: 24 typed and 176 free-text
columns, ~99 MB, zipping to ~25 MB) and "unique-keys" (1,000,000 × 24, unique Email
and External_Id, ten kinds of bad record). Then, N times and alternately so all see
the same machine load, fresh processes run:

- bare:    `polars.read_csv(path, infer_schema=False)`, the physical floor;
- bwlint:  `bwlint check --module Leads --schema-dir … --format json --output /dev/null`,
           every rule present, the report built and written;
- polars:  bench/peers.py's hand-written polars checks of the same field rules;
- polars-text: the same checks and, on text cells, bwlint's control-character and
           formula-sign tests (BW414, BW416): the least polars work bwlint's text
           rules need, a yardstick for the wide files;
- pandera: bench/peers.py's pandera (polars backend) schema of the same rules, where
           pandera is installed (`pip install -e '.[bench]'`).

Wall time is measured around the whole process (interpreter start and imports
included) and peak memory is the child's ru_maxrss (os.wait4). The table shows the
bare read's medians and, for each tool, the median of its run-by-run time ratios to
the bare read with their range, and the median of its memory ratios.

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
from shapes import generate_shape  # noqa: E402

SHAPES = {"typed": "typed", "wide-text": "wide text", "unique-keys": "unique keys"}
FILES = (
    "typed:25000x24",
    "typed:25000x200",
    "typed:1000000x24",
    "wide-text:25000x200",
    "unique-keys:1000000x24",
)
TARGETS = {"25000x200": 1.3, "1000000x24": 2.0}  # issue 12's time targets, every shape
MEMORY_TARGET = 1.2
PEERS = ("polars", "polars-text", "pandera")
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


def prepare(shape: str, size: str, bad_records: float, seed: int, bad: float | None = None) -> Path:
    """The folder of one bench file (generated once): `bad_records` is a share of records,
    `bad` (typed shape only) a share of every column's cells instead."""
    rows, cols = (int(n) for n in size.split("x"))
    if shape == "typed":
        share = bad if bad is not None else bad_records / cols
        return generate(rows, cols, share, seed, HERE / "out")
    return generate_shape(shape, rows, cols, bad_records, seed, HERE / "out")


def commands(folder: Path, peers: list[str]) -> dict[str, list[str]]:
    """The command line of each tool on the file in `folder`."""
    csv, metadata = str(folder / "leads.csv"), str(folder / "Leads.json")
    tools = {
        "bare": [sys.executable, "-c", BARE, csv],
        "bwlint": [
            sys.executable, "-m", "bwlint", "check", "--module", "Leads",
            "--schema-dir", str(folder), "--format", "json", "--output", os.devnull, csv,
        ],
    }  # fmt: skip
    for peer in peers:
        tools[peer] = [sys.executable, str(HERE / "peers.py"), peer, csv, metadata]
    return tools


def bench(folder: Path, runs: int, peers: list[str]) -> dict:
    """Medians and run-by-run ratios to the bare read of every tool on one file."""
    tools = commands(folder, peers)
    measure(tools["bare"])  # warm the page cache and the imports
    times: dict[str, list[tuple[float, float, int]]] = {name: [] for name in tools}
    for _ in range(runs):
        for name, command in tools.items():
            times[name].append(measure(command))
    bare = times["bare"]
    result = {
        "mb": (folder / "leads.csv").stat().st_size / 1_000_000,
        "bare_s": statistics.median(b[0] for b in bare),
        "bare_mib": statistics.median(b[1] for b in bare),
    }
    for name in list(tools)[1:]:
        pairs = list(zip(bare, times[name], strict=True))
        result[name] = {
            "s": statistics.median(t[0] for t in times[name]),
            "mib": statistics.median(t[1] for t in times[name]),
            "ratios": sorted(t[0] / b[0] for b, t in pairs),
            "mem_ratio": statistics.median(t[1] / b[1] for b, t in pairs),
        }
    return result


def cell(tool: dict, target: float | None) -> str:
    """One tool's table cell: time ratio [range] (target), seconds, memory ratio."""
    ratios = tool["ratios"]
    goal = f" (target {target}×)" if target else ""
    return (
        f"{statistics.median(ratios):.2f}×{goal} [{ratios[0]:.2f}–{ratios[-1]:.2f}], "
        f"{tool['s']:.2f} s, mem {tool['mem_ratio']:.2f}×"
    )


def available(peers: list[str]) -> list[str]:
    """The peers that can run here (pandera is an optional bench dependency)."""
    try:
        import pandera.polars  # noqa: F401
    except ImportError:
        if "pandera" in peers:
            print("pandera is not installed (pip install -e '.[bench]'): left out")
        return [peer for peer in peers if peer != "pandera"]
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (median)")
    parser.add_argument(
        "--files", "--sizes", default=",".join(FILES), help="[SHAPE:]RECORDSxCOLUMNS,…"
    )
    parser.add_argument(
        "--peers", default=",".join(PEERS), help="polars,polars-text,pandera or none"
    )
    parser.add_argument(
        "--bad-rows",
        type=float,
        default=0.01,
        help="share of records holding a bad cell (default 0.01, as the peers were measured)",
    )
    parser.add_argument(
        "--bad", type=float, help="typed shape: share of bad cells instead (1 %% of every column)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    compile_bwlint()
    peers = available([p for p in args.peers.split(",") if p in PEERS])
    share = (
        f"{args.bad:.2%} of cells" if args.bad is not None else f"{args.bad_rows:.0%} of records"
    )
    print(
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, median of {args.runs} runs, "
        f"bad values in {share}; bwlint byte-compiled first, as an install is. Each tool: "
        "median time ratio to the bare read [range], median seconds, median memory ratio"
    )
    names = {"polars": "polars (hand-written)", "polars-text": "polars + text tests"}
    tools = ["bwlint", *(names.get(p, p) for p in peers)]
    print(f"| file | CSV | bare read | {' | '.join(tools)} |")
    print("|" + " --- |" * (3 + len(tools)))
    for spec in args.files.split(","):
        shape, _, size = spec.strip().rpartition(":")
        shape = shape or "typed"
        folder = prepare(shape, size, args.bad_rows, args.seed, args.bad)
        r = bench(folder, args.runs, peers)
        rows, cols = size.split("x")
        target = TARGETS.get(size)
        cells = [cell(r["bwlint"], target)] + [cell(r[p], None) for p in peers]
        print(
            f"| {int(rows):,} × {cols} {SHAPES[shape]} | {r['mb']:.0f} MB | {r['bare_s']:.2f} s, "
            f"{r['bare_mib']:.0f} MiB | {' | '.join(cells)} |",
            flush=True,
        )
    print(f"(memory target for bwlint: {MEMORY_TARGET}× the bare read's peak)")


if __name__ == "__main__":
    main()
