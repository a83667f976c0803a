"""`bwlint split` and `bwlint fix` against their baselines: wall time, peak memory, ratios.

    python bench/fixsplit.py [--runs 3] [--split 1000000x24] [--fix 25000x200]

- split: `bwlint split --module Leads … --out DIR` of a seeded 1,000,000 × 24 CSV
  (bench/generate.py; a bad value in 1 % of the records) against a bare
  `polars.read_csv(path, infer_schema=False)` of the same file, with the default
  deflate level 1 and with `--zip-level 0` (parts stored). Targets: ≤ 3× in time,
  ≤ 1.5× in peak memory.
- fix: `bwlint fix --module Leads … --out DIR` of a 25,000 × 200 CSV with a bad value
  in 1 % of every column's cells (some fixable, most not) against `bwlint check` of the
  same file. Target: ≤ 2× in time.

Each run is a fresh process (as bench/run.py measures: wall time around the process,
peak RSS from os.wait4); the two sides alternate; the ratios are medians of the
run-by-run ratios, with their range. Reports go to /dev/null as JSON.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import BARE, compile_bwlint, measure  # noqa: E402


def generate(rows: int, cols: int, bad: float, seed: int, out: Path) -> Path:
    """bench/generate.py in a child process: on Linux a child's peak RSS starts at its
    parent's at fork, so the frames generated here would inflate every measurement."""
    import subprocess

    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--rows", str(rows), "--cols", str(cols),
         "--bad", str(bad), "--seed", str(seed), "--out", str(out)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out / f"{rows}x{cols}"


def _bwlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "bwlint", *args, "--format", "json", "--output", os.devnull]


def _pair(base: list[str], tool: list[str], runs: int, scratch: Path) -> dict:
    measure(base)  # warm the page cache and the imports
    bases, tools = [], []
    for _ in range(runs):
        bases.append(measure(base))
        shutil.rmtree(scratch, ignore_errors=True)
        tools.append(measure(tool))
        shutil.rmtree(scratch, ignore_errors=True)
    pairs = list(zip(bases, tools, strict=True))
    return {
        "base_s": statistics.median(b[0] for b in bases),
        "base_mib": statistics.median(b[1] for b in bases),
        "tool_s": statistics.median(t[0] for t in tools),
        "tool_mib": statistics.median(t[1] for t in tools),
        "time": statistics.median(t[0] / b[0] for b, t in pairs),
        "times": sorted(t[0] / b[0] for b, t in pairs),
        "memory": statistics.median(t[1] / b[1] for b, t in pairs),
    }


def _size(text: str) -> tuple[int, int]:
    rows, cols = text.split("x")
    return int(rows), int(cols)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--split", default="1000000x24", help="RECORDSxCOLUMNS for split")
    parser.add_argument("--fix", default="25000x200", help="RECORDSxCOLUMNS for fix")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    compile_bwlint()
    out = HERE / "out"
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, median of {args.runs} runs")
    print("| command | data | baseline | baseline time | bwlint | time ratio | "
          "baseline peak | bwlint peak | memory ratio |")  # fmt: skip
    print("|" + " --- |" * 9)
    with tempfile.TemporaryDirectory(prefix="bwlint-bench-") as scratch:
        parts = Path(scratch) / "parts"
        rows, cols = _size(args.split)
        folder = generate(rows, cols, 0.01 / cols, args.seed, out)
        csv = str(folder / "leads.csv")
        split = _bwlint("split", "--module", "Leads", "--schema-dir", str(folder), csv,
                        "--out", str(parts))  # fmt: skip
        r = _pair([sys.executable, "-c", BARE, csv], split, args.runs, parts)
        _row("split", rows, cols, "bare polars read", r, "3×", "1.5×")
        r = _pair([sys.executable, "-c", BARE, csv], [*split, "--zip-level", "0"], args.runs, parts)
        _row("split --zip-level 0", rows, cols, "bare polars read", r, "3×", "1.5×")
        rows, cols = _size(args.fix)
        folder = generate(rows, cols, 0.01, args.seed, out)
        csv = str(folder / "leads.csv")
        base = ["--module", "Leads", "--schema-dir", str(folder), csv]
        fixed = Path(scratch) / "fixed"
        r = _pair(_bwlint("check", *base), _bwlint("fix", *base, "--out", str(fixed)),
                  args.runs, fixed)  # fmt: skip
        _row("fix", rows, cols, "bwlint check", r, "2×", None)


def _row(name: str, rows: int, cols: int, base: str, r: dict, time: str, mem: str | None) -> None:
    memory = f"{r['memory']:.2f}×" + (f" (target {mem})" if mem else "")
    print(
        f"| {name} | {rows:,} × {cols} | {base} | {r['base_s']:.2f} s | {r['tool_s']:.2f} s | "
        f"{r['time']:.2f}× (target {time}) [{r['times'][0]:.2f}–{r['times'][-1]:.2f}] | "
        f"{r['base_mib']:.0f} MiB | {r['tool_mib']:.0f} MiB | {memory} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
