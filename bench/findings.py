"""Many findings: `bwlint check --format json` of a file with a bad value in 5.4 % of its
cells (25,000 × 200, 254,700 findings, a 90 MB report), against the bare polars read.

    python bench/findings.py [--runs 5] [--bad 0.054] [--size 25000x200]

Fresh processes, alternately; the report is written to a file (as a CI job keeps it),
not /dev/null. Prints the medians of time and peak memory, each tool's range, and
issue 12's target: 250,000 findings in under 1.5 s and 300 MiB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from generate import generate  # noqa: E402
from run import BARE, compile_bwlint, measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bad", type=float, default=0.054, help="share of bad cells")
    parser.add_argument("--size", default="25000x200", help="RECORDSxCOLUMNS")
    args = parser.parse_args()
    rows, cols = (int(n) for n in args.size.split("x"))
    folder = generate(rows, cols, args.bad, 7, HERE / "out" / f"cells-{args.bad}")
    csv = str(folder / "leads.csv")
    compile_bwlint()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        tools = {
            "bare read": [sys.executable, "-c", BARE, csv],
            "bwlint": [
                sys.executable, "-m", "bwlint", "check", "--isolated", "--module", "Leads",
                "--schema-dir", str(folder), "--format", "json", "--output", str(report), csv,
            ],
        }  # fmt: skip
        measure(tools["bare read"])  # warm the page cache
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in tools}
        for _ in range(args.runs):
            for name, command in tools.items():
                runs[name].append(measure(command))
        findings = len(json.loads(report.read_text(encoding="utf-8"))["findings"])
        size = report.stat().st_size / 1_000_000
    print(
        f"{rows:,} × {cols}, bad values in {args.bad:.1%} of cells: {findings:,} findings, "
        f"a {size:.0f} MB JSON report; medians of {args.runs} runs [range]"
    )
    for name, results in runs.items():
        seconds = [r[0] for r in results]
        mib = [r[1] for r in results]
        print(
            f"  {name:9} {statistics.median(seconds):.2f} s [{min(seconds):.2f}–{max(seconds):.2f}]"
            f", {statistics.median(mib):.0f} MiB [{min(mib):.0f}–{max(mib):.0f}]"
        )
    print("  target    1.50 s, 300 MiB (issue 12)")


if __name__ == "__main__":
    main()
