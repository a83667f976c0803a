"""The reports of every bench file, example and rule case, saved and compared byte for byte:
an optimisation must leave every report as it was.

    python bench/snapshot.py save  [--dir /tmp/bwlint-snapshots] [--quick]
    python bench/snapshot.py check [--dir /tmp/bwlint-snapshots] [--quick]

`save` writes the reports (JSON and SARIF of each bench file; every format of the
examples and the mixed fixture; JSON and SARIF of each case of tests/cases) under DIR;
`check` makes them again and names every report that differs. The bench files are the
five shapes of bench/run.py, the typed shapes with a bad value in 1 % of every column's
cells (`--bad 0.01`) and 25,000 × 200 with 5.4 % (the many-findings file: 254,700
findings); `--quick` leaves out the million-record files.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

from generate import generate  # noqa: E402
from run import FILES, prepare  # noqa: E402

FORMATS = ("json", "sarif")
EVERY_FORMAT = ("text", "json", "sarif", "github", "junit")
EXAMPLES = {
    "leads": ["--job", "examples/leads/job.json", "examples/leads/leads.csv"],
    "parent-child-zip": [
        "--job", "examples/parent-child/job.json", "examples/parent-child/upload.zip",
    ],
    "parent-child-csvs": [
        "--job", "examples/parent-child/job.json",
        "examples/parent-child/quotes.csv", "examples/parent-child/quoted_items.csv",
    ],
    "examples-directories": ["examples/leads", "examples/parent-child"],
    "mixed": ["--job", "tests/fixtures/mixed/job.json", "tests/fixtures/mixed/leads.csv"],
}  # fmt: skip
CELLS_BAD = {"0.01": ("25000x24", "25000x200", "1000000x24"), "0.054": ("25000x200",)}


def bench_files(quick: bool) -> Iterator[tuple[str, Path]]:
    for spec in FILES:
        shape, _, size = spec.rpartition(":")
        if not (quick and size.startswith("1000000")):
            yield f"{shape}-{size}", prepare(shape, size, 0.01, 7)
    for share, sizes in CELLS_BAD.items():
        for size in sizes:
            if quick and size.startswith("1000000"):
                continue
            rows, cols = (int(n) for n in size.split("x"))
            folder = generate(rows, cols, float(share), 7, HERE / "out" / f"cells-{share}")
            yield f"typed-{size}-cells-{share}", folder


def bwlint(*args: str) -> str:
    command = [sys.executable, "-m", "bwlint", "check", "--isolated", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    return f"exit {done.returncode}\n{done.stdout}"


def reports(quick: bool) -> Iterator[tuple[str, str]]:
    """(name, report text) of everything snapshotted."""
    for name, folder in bench_files(quick):
        for fmt in FORMATS:
            csv = str(folder / "leads.csv")
            args = ["--module", "Leads", "--schema-dir", str(folder), "--format", fmt, csv]
            yield f"bench/{name}.{fmt}", bwlint(*args)
    for name, args in EXAMPLES.items():
        for fmt in EVERY_FORMAT:
            yield f"examples/{name}.{fmt}", bwlint(*args, "--format", fmt)
    yield from case_reports()


def case_reports() -> Iterator[tuple[str, str]]:
    """The JSON and SARIF reports of every rule case, its files in a fixed folder."""
    from casefile import load_cases, materialise

    from bwlint.report import json_report, sarif
    from bwlint.services.check import check

    base = Path("/tmp/bwlint-snapshot-cases")
    for number, case in enumerate(load_cases()):
        folder = base / f"{case.source}-{number}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        result = check(**materialise(case, folder))
        name = f"cases/{case.source}-{number}"
        yield f"{name}.json", json_report.render(result)
        yield f"{name}.sarif", sarif.render(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bwlint-snapshots"))
    parser.add_argument("--quick", action="store_true", help="no million-record files")
    args = parser.parse_args()
    different = compared = 0
    for name, text in reports(args.quick):
        path = args.dir / name
        if args.action == "save":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        compared += 1
        before = path.read_text(encoding="utf-8") if path.exists() else None
        if before != text:
            different += 1
            print(f"DIFFERS: {name}")
            old = (before or "").splitlines()[:200_000]
            for line in list(difflib.unified_diff(old, text.splitlines(), lineterm=""))[:12]:
                print(f"    {line[:200]}")
    if args.action == "check":
        print(f"{compared} reports compared, {different} differ")
        sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
