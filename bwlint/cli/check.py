"""`bwlint check`: configuration + options → the jobs → their results → a report, and
the exit status (0 no error finding, 1 at least one)."""

from __future__ import annotations

import os
import sys

import click

from bwlint.cli import options
from bwlint.cli.output import check_targets, emit, plan_inputs, wants_colour, with_progress
from bwlint.services.inputs import ConfigChoice, Inputs, Selection


@click.command()
@options.inputs
@options.report
@options.selection
@options.configuration
@options.exit_policy
@click.option(
    "--jobs",
    "jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Check up to N jobs at once, in as many processes (default: the number of CPUs).",
)
@click.option(
    "--result-preview",
    "result_preview",
    metavar="FILE",
    help="Also write the result CSV Zoho would return (a directory for several files).",
)
def check(
    inputs: Inputs,
    selection: Selection,
    config_choice: ConfigChoice,
    fmt: str,
    output: str | None,
    exit_zero: bool,
    fail_on: str | None,
    result_preview: str | None,
    jobs: int | None,
) -> None:
    """Check PATH... (CSV, ZIP of CSVs, job JSON, directory) against Zoho's bulk write
    rules. With no PATH, every job declared in the configuration."""
    from bwlint.report import pieces
    from bwlint.services.plan import make_plan

    plan = make_plan(inputs, selection, config_choice)
    read = plan_inputs(plan)
    check_targets(output, result_preview, read)
    # the checks and polars (~0.3 s to import) only once the command line, the
    # configuration and the paths are known good: a usage error is told at once
    from bwlint.services.check import check_jobs

    result = with_progress(
        plan.specs,
        size=lambda spec: spec.size(),
        label=lambda spec: spec.name,
        work=lambda on_job: check_jobs(
            plan.specs,
            settings=plan.settings,
            schema_dir=plan.schema_dir,
            on_job=on_job,
            jobs=jobs or os.cpu_count() or 1,
            keep_cells=result_preview is not None,  # the preview reads them; the reports do not
            unclaimed=plan.unclaimed,
        ),
    )
    if result_preview is not None:
        from bwlint.report.preview import write_previews

        write_previews(result, result_preview, read)
    colour = output is None and wants_colour(sys.stdout)
    emit(pieces(fmt)(result, colour), output)
    sys.exit(result.exit_status(plan.exit_policy(fail_on, exit_zero)))
