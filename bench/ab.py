"""Two copies of bwlint on the same command, alternately: is a change faster?

    git archive HEAD~1 | tar -x -C /tmp/bwlint-before     # the copy to compare with
    python bench/ab.py --before /tmp/bwlint-before --runs 9 [--file SHAPE:ROWSxCOLS]
                       [--bad 0.01] [-- ARGS...]

Runs `python -m bwlint check ARGS` (default: bench/run.py's bwlint command on the
file) with PYTHONPATH set to each copy in turn — before, after, before, after … —
so both see the same machine load, and prints the median time and peak memory of
each (and its CPU time, steadier under load) and the median of the run-by-run
ratios after/before with their range. On a
shared machine only the paired ratio means much.
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
from run import prepare  # noqa: E402


def measure(command: list[str], path: Path) -> tuple[float, float, float]:
    """(wall seconds, peak MiB, CPU seconds) of one run under the copy at `path`."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    start = time.perf_counter()
    # cwd too: `python -m` puts the working directory before PYTHONPATH
    child = subprocess.Popen(
        command, cwd=path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        error = child.stderr.read().decode() if child.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed under {path}: {error}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other copy's root")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--file", default="wide-text:25000x200", help="SHAPE:ROWSxCOLS")
    parser.add_argument("--bad", type=float, help="typed: a share of every column's cells")
    parser.add_argument("args", nargs="*", help="bwlint check's arguments instead")
    args = parser.parse_args()
    if args.args:
        check = args.args
    else:
        shape, _, size = args.file.rpartition(":")
        if args.bad is not None:
            rows, cols = (int(n) for n in size.split("x"))
            folder = generate(rows, cols, args.bad, 7, HERE / "out" / f"cells-{args.bad}")
        else:
            folder = prepare(shape or "typed", size, 0.01, 7)
        check = [
            "--isolated", "--module", "Leads", "--schema-dir", str(folder),
            "--format", "json", "--output", os.devnull, str(folder / "leads.csv"),
        ]  # fmt: skip
    command = [sys.executable, "-m", "bwlint", "check", *check]
    for path in (args.before, ROOT):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(path / "bwlint")], check=True)
        measure(command, path)  # warm the page cache
    before, after = [], []
    for _ in range(args.runs):
        before.append(measure(command, args.before))
        after.append(measure(command, ROOT))
    for name, runs in (("before", before), ("after", after)):
        seconds = statistics.median(r[0] for r in runs)
        mib = statistics.median(r[1] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        fastest = min(r[0] for r in runs)
        print(f"{name:6s} {seconds:.3f} s (min {fastest:.3f}), CPU {cpu:.3f} s, {mib:.0f} MiB")
    for what, index in (("time", 0), ("CPU", 2), ("memory", 1)):
        ratios = sorted(a[index] / b[index] for a, b in zip(after, before, strict=True))
        print(
            f"after/before {what}: {statistics.median(ratios):.3f} "
            f"[{ratios[0]:.3f}–{ratios[-1]:.3f}] over {args.runs} pairs"
        )


if __name__ == "__main__":
    main()
