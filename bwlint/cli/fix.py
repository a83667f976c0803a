"""`bwlint fix`: the repairs with one right answer, applied to copies of the data files
(`--out DIR`) or to the files themselves (`--in-place`), then the result checked."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from bwlint.cli import options
from bwlint.cli.output import emit, wants_colour
from bwlint.errors import UsageError
from bwlint.services.inputs import ConfigChoice, Inputs, Selection


@click.command()
@options.inputs
@options.report
@options.selection
@options.configuration
@options.exit_policy
@click.option("--out", "out", metavar="DIR", help="Write the repaired files under DIR.")
@click.option("--in-place", is_flag=True, help="Repair the files themselves (atomically).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too.")
@click.option(
    "--day-first/--month-first",
    "day_first",
    default=None,
    help="How to read a date like 03/04/2024 (without it: never guessed).",
)
@click.option("--decimal-comma", is_flag=True, help="Numbers use ',' as the decimal mark.")
def fix(
    inputs: Inputs,
    selection: Selection,
    config_choice: ConfigChoice,
    fmt: str,
    output: str | None,
    exit_zero: bool,
    fail_on: str | None,
    out: str | None,
    in_place: bool,
    dry_run: bool,
    unsafe_fixes: bool,
    day_first: bool | None,
    decimal_comma: bool,
) -> None:
    """Repair what has one right repair in PATH... (the inputs of `check`), then check
    the result. Unsafe fixes only with --unsafe-fixes."""
    from bwlint.report.fixes import render
    from bwlint.services.fix import Target, fix_jobs
    from bwlint.services.plan import make_plan

    if out is not None and in_place:
        raise UsageError("give --out DIR or --in-place, not both")
    if out is None and not in_place and not dry_run:
        raise UsageError("say where the repaired files go: --out DIR, or --in-place")
    plan = make_plan(inputs, selection, config_choice)
    settings = replace(plan.settings, day_first=day_first, decimal_comma=decimal_comma)
    target = Target(Path(out) if out else None, in_place, dry_run, unsafe_fixes)
    outcome = fix_jobs(plan.specs, settings=settings, target=target, schema_dir=plan.schema_dir)
    colour = output is None and wants_colour(sys.stdout)
    report, note = render(outcome, fmt, colour)
    if note:
        click.echo(note, err=True, nl=False)
    emit(report, output)
    sys.exit(outcome.result.exit_status(plan.exit_policy(fail_on, exit_zero)))
