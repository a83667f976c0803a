"""Several jobs checked at once, one process per CPU (`bwlint check --jobs N`).

Each worker is a fresh interpreter (spawned: a forked copy of a process whose polars
thread pool is running can deadlock), told to use its share of the CPUs for polars
before it imports it, and checks whole jobs; the results come back in the order the
jobs were given, without their cells (`check.without_cells`): the reports need the
findings and the record counts, and shipping every cell between processes would cost
more than checking them.

This module imports neither polars nor the checks itself, so a worker can set
POLARS_MAX_THREADS before either is loaded (nor multiprocessing, until processes run).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bwlint.domain.results import JobResult
    from bwlint.load.metadata import ModuleCatalog
    from bwlint.project.discovery import JobSpec
    from bwlint.settings import Settings

# Processes pay off only for much data: starting one (an interpreter, polars and
# bwlint imported) costs ~0.5 s of CPU, and a job checked alone already keeps the
# CPUs busy in polars' parse and selects (a 7 MB job: ~0.13 s of CPU, about half of
# it in parallel). Measured on 2 CPUs (bench/jobs.py, 100 jobs of 7 MB): 0.87x the
# time of one process on a quiet machine, 1.2x on one shared with other work.
WORTH_BYTES = 256 * 1024 * 1024
MIN_CPUS = 2


def worth_it(specs: Sequence[JobSpec], workers: int, cpus: int | None = None) -> bool:
    """Whether checking `specs` in `workers` processes beats checking them in turn:
    several jobs per worker, enough data, and CPUs to spare beyond polars' own."""
    cpus = cpus if cpus is not None else os.cpu_count() or 1
    if workers < 2 or len(specs) < 2 * workers or cpus < MIN_CPUS:
        return False
    try:
        return sum(spec.size() for spec in specs) >= WORTH_BYTES
    except OSError:  # a file that cannot be read: the job's check says so, in turn
        return False


def check_in_parallel(
    specs: Sequence[JobSpec],
    settings: Settings,
    schema_dir: str | Path | None,
    workers: int,
    on_job: Callable[[JobSpec], None] | None = None,
) -> list[JobResult]:
    """Every job's result, in the order of `specs`; an error of a job (a UsageError)
    is raised as the job checked alone would raise it."""
    import multiprocessing  # ~20 ms with concurrent.futures: only when processes run
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = min(workers, len(specs))
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(threads,)
    ) as pool:
        futures = {pool.submit(_check, spec, settings, schema_dir): spec for spec in specs}
        if on_job is not None:
            for future in as_completed(futures):
                on_job(futures[future])
        return [future.result() for future in futures]


def _start(threads: int) -> None:
    """In a worker, before polars is imported: its share of the CPUs."""
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))


@cache
def _catalog(schema_dir: str | Path | None) -> ModuleCatalog:
    from bwlint.load.metadata import ModuleCatalog

    return ModuleCatalog(Path(schema_dir) if schema_dir is not None else None)


def _check(spec: JobSpec, settings: Settings, schema_dir: str | Path | None) -> JobResult:
    """One job, in a worker, as the report needs it (no cells to send back)."""
    from bwlint.services.check import check_job, without_cells

    return without_cells(check_job(spec, settings=settings, catalog=_catalog(schema_dir)))
