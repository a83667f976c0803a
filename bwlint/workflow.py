"""`bwlint check` as the command line runs it: configuration + options → runs → report.

Precedence: an option on the command line beats the configuration file, which beats
the defaults. As in ruff, `--select` starts a new selection (the file's `select`,
`ignore` and `extend-select` no longer apply); without it, `--ignore` and
`--extend-select` add to the file's lists.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from bwlint.config import load_config
from bwlint.inputs import JobRun, RunReport, check_runs, exit_status, resolve

# A progress bar appears on standard error (a terminal only) above this much data.
PROGRESS_MIN_BYTES = 50 * 1024 * 1024


def run_check_command(
    paths: list[str],
    *,
    job: str | None = None,
    module: str | None = None,
    operation: str | None = None,
    find_by: str | None = None,
    schema_dir: str | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    extend_select: tuple[str, ...] = (),
    config_path: str | None = None,
    isolated: bool = False,
    exit_zero: bool = False,
    fail_on: str | None = None,
) -> tuple[RunReport, int]:
    """The report and the exit status (0 or 1) of one `bwlint check`."""
    config = load_config(config_path, isolated=isolated)
    base = config.settings
    if select:  # a new selection: the file's select, ignore and extend-select are dropped
        settings = replace(base, select=select, ignore=ignore, extend_select=extend_select)
    else:
        settings = replace(
            base, ignore=base.ignore + ignore, extend_select=base.extend_select + extend_select
        )
    runs = resolve(paths, config, job=job, module=module, operation=operation, find_by=find_by)
    chosen_schema = schema_dir if schema_dir is not None else config.schema_dir
    report = _with_progress(runs, settings, chosen_schema)
    return report, exit_status(report, fail_on or config.fail_on, exit_zero)


def wants_progress(total_bytes: int, stream=None) -> bool:
    """Only for large inputs, and only when standard error is a terminal."""
    stream = stream if stream is not None else sys.stderr
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return is_tty and total_bytes >= PROGRESS_MIN_BYTES


def _with_progress(runs: list[JobRun], settings, schema_dir: str | Path | None) -> RunReport:
    sizes = {run.key: run.size() for run in runs}
    total = sum(sizes.values())
    if not wants_progress(total):
        return check_runs(runs, settings=settings, schema_dir=schema_dir)
    with click.progressbar(
        length=total,
        label="bwlint: checking",
        file=sys.stderr,
        show_eta=True,
        item_show_func=lambda run: (run.job or run.module) if run else None,
    ) as bar:
        return check_runs(
            runs,
            settings=settings,
            schema_dir=schema_dir,
            on_run=lambda run: bar.update(sizes[run.key], run),
        )
