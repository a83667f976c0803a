"""`bwlint split`: a job whose data passes a Zoho limit, cut into parts Zoho takes."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from bwlint.cli import options
from bwlint.cli.output import emit, wants_colour
from bwlint.domain.limits import ZOHO
from bwlint.errors import UsageError
from bwlint.services.inputs import ConfigChoice, Inputs, Selection


@click.command()
@options.inputs
@options.report
@options.selection
@options.configuration
@options.exit_policy
@click.option("--out", "out", metavar="DIR", required=True, help="A new folder for the parts.")
@click.option(
    "--max-records",
    type=click.IntRange(min=1),
    default=ZOHO.records,
    show_default=True,
    help="Records per part (per CSV).",
)
@click.option(
    "--max-zip-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=ZOHO.zip_bytes / 1_000_000,
    show_default=True,
    help="Zipped size of a part, in MB (1 MB = 1,000,000 bytes).",
)
@click.option(
    "--zip-level",
    type=click.IntRange(0, 9),
    default=1,
    show_default=True,
    help="Deflate level of the parts (1 fastest, 9 smallest); 0 stores a part's CSVs "
    "when they fit --max-zip-mb as they are (fastest, larger uploads).",
)
def split(
    inputs: Inputs,
    selection: Selection,
    config_choice: ConfigChoice,
    fmt: str,
    output: str | None,
    exit_zero: bool,
    fail_on: str | None,
    out: str,
    max_records: int,
    max_zip_mb: float,
    zip_level: int,
) -> None:
    """Cut the job in PATH... (the inputs of `check`) into DIR/part-001.zip +
    part-001.job.json, … and DIR/manifest.json; report the input's other findings."""
    from bwlint.load.metadata import ModuleCatalog
    from bwlint.report.splits import render
    from bwlint.services.plan import make_plan
    from bwlint.services.split import split_job

    plan = make_plan(inputs, selection, config_choice)
    if len(plan.specs) != 1:
        raise UsageError(f"split cuts one job at a time; these inputs name {len(plan.specs)}")
    limits = replace(
        plan.settings.limits,
        records=max_records,
        zip_bytes=int(max_zip_mb * 1_000_000),
        zip_level=zip_level,
    )
    settings = replace(plan.settings, limits=limits)
    catalog = ModuleCatalog(Path(plan.schema_dir) if plan.schema_dir is not None else None)
    outcome = split_job(plan.specs[0], settings=settings, catalog=catalog, folder=Path(out))
    colour = output is None and wants_colour(sys.stdout)
    report, note = render(outcome, fmt, colour)
    if note:
        click.echo(note, err=True, nl=False)
    emit(report, output)
    sys.exit(outcome.result.exit_status(plan.exit_policy(fail_on, exit_zero)))
