"""Many declared jobs: `bwlint check --jobs 1` against `--jobs N`, alternately.

    python bench/jobs.py [--jobs 100] [--size 25000x24] [--runs 3] [--workers 2]

Writes (once) a repository under bench/out/jobs-<jobs>x<size>/: a bwlint.toml that
declares `--jobs` module jobs (Leads, insert), each with its own CSV — a hard link to
the typed bench file of that size (bench/generate.py, 1 % of records bad), so the
repository costs one file's disk space — and the metadata beside them. Then times, in
fresh processes and alternately, `bwlint check --format json --output /dev/null` run
in that directory (every declared job) with `--jobs 1`, with `--jobs N` (processes
when services.parallel.worth_it says they pay) and with `--jobs N` forced to use
processes: wall time, CPU time (bwlint and its workers) and peak memory (the largest
of them), and checks that the reports are the same.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import compile_bwlint, prepare  # noqa: E402


def repository(jobs: int, size: str) -> Path:
    """The folder of `jobs` declared jobs on copies (hard links) of one bench file."""
    source = prepare("typed", size, 0.01, 7)
    target = HERE / "out" / f"jobs-{jobs}x{size}"
    config = target / "bwlint.toml"
    if config.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    (target / "Leads.json").write_bytes((source / "Leads.json").read_bytes())
    lines = ['schema-dir = "."', ""]
    for number in range(1, jobs + 1):
        folder = target / f"job-{number:03d}"
        folder.mkdir(exist_ok=True)
        csv = folder / "leads.csv"
        if not csv.exists():
            os.link(source / "leads.csv", csv)
        lines += ["[[jobs]]", 'module = "Leads"', f'data = ["job-{number:03d}/leads.csv"]', ""]
    config.write_text("\n".join(lines))
    return target


# Runs a command and prints its CPU seconds and the peak RSS (MiB) of the largest of
# it and its descendants (they are waited for: getrusage counts them in).
WRAPPER = """import resource, subprocess, sys
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
sys.exit(status)"""


# `bwlint check` with processes whatever services.parallel.worth_it would decide.
FORCED = (
    "import sys; from bwlint.services import parallel; "
    "parallel.worth_it = lambda *_args: True; from bwlint.cli import run; "
    "sys.argv[0] = 'bwlint'; run()"
)
MODES = {
    "--jobs 1": ["-m", "bwlint", "check", "--jobs", "1"],
    "--jobs N": ["-m", "bwlint", "check", "--jobs", "{workers}"],
    "--jobs N, processes forced": ["-c", FORCED, "check", "--jobs", "{workers}"],
}


def measure(folder: Path, mode: list[str], output: Path) -> tuple[float, float, float]:
    """(wall s, CPU s of bwlint and its workers, peak MiB of the largest of them)."""
    command = [
        sys.executable, "-c", WRAPPER, sys.executable, *mode,
        "--format", "json", "--output", str(output),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    cpu, mib = (float(n) for n in done.stdout.split())
    return wall, cpu, mib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100, help="declared jobs")
    parser.add_argument("--size", default="25000x24", help="ROWSxCOLS of each job's CSV")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    compile_bwlint()
    folder = repository(args.jobs, args.size)
    modes = {
        name.replace("N", str(args.workers)): [a.format(workers=args.workers) for a in mode]
        for name, mode in MODES.items()
    }
    # beside the repository, not in it: its metadata folder is an input of the run
    reports = folder.parent / f"{folder.name}-reports"
    reports.mkdir(exist_ok=True)
    outputs = {name: reports / f"report-{number}.json" for number, name in enumerate(modes)}
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in modes}
    for _ in range(args.runs):
        for name, mode in modes.items():
            times[name].append(measure(folder, mode, outputs[name]))
    first = next(iter(outputs.values()))
    same = all(filecmp.cmp(first, other, shallow=False) for other in outputs.values())
    print(f"{args.jobs} jobs of {args.size}, {os.cpu_count()} CPUs, median of {args.runs} runs")
    base = times["--jobs 1"]
    for name, runs in times.items():
        wall, cpu, mib = (statistics.median(r[i] for r in runs) for i in range(3))
        span = f"[{min(r[0] for r in runs):.2f}–{max(r[0] for r in runs):.2f}]"
        ratios = sorted(r[0] / b[0] for b, r in zip(base, runs, strict=True))
        print(
            f"{name}: {wall:.2f} s {span}, CPU {cpu:.2f} s, peak {mib:.0f} MiB; "
            f"x{statistics.median(ratios):.2f} [{ratios[0]:.2f}–{ratios[-1]:.2f}] of --jobs 1"
        )
    print(f"reports identical: {same}")


if __name__ == "__main__":
    main()
