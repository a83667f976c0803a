"""`bwlint init`: a job JSON for a raw export (standard output, or --out FILE), the
matching table on standard error, then the check of the job it wrote."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from bwlint.cli.output import wants_colour
from bwlint.report import REPORTERS
from bwlint.services.inputs import Inputs


def _ask(header: str, fitting: tuple[str, ...]) -> str | None:
    """On a terminal, ask which pattern a day/month-ambiguous column is in."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    choices = " or ".join(fitting)
    return str(
        click.prompt(
            f"{header}: its values fit {choices}; which is it",
            type=click.Choice(list(fitting)),
            err=True,
        )
    )


@click.command()
@click.argument("data", metavar="DATA")
@click.option("--module", required=True, metavar="NAME", help="The module's API name.")
@click.option("--operation", type=click.Choice(["insert", "update", "upsert"]), default="insert")
@click.option("--find-by", metavar="FIELD", help="The find_by field (update, upsert).")
@click.option("--schema-dir", metavar="DIR", help="Your org's metadata (as for check).")
@click.option("--out", metavar="FILE", help="Write the job JSON there (default: standard output).")
@click.option(
    "--day-first/--month-first",
    "day_first",
    default=None,
    help="How to read dates like 03/04/2024 (else asked on a terminal, never guessed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="The form of the check's report.",
)
def init(
    data: str,
    module: str,
    operation: str,
    find_by: str | None,
    schema_dir: str | None,
    out: str | None,
    day_first: bool | None,
    fmt: str,
) -> None:
    """Write a job JSON for DATA (a CSV export): headers matched to MODULE's fields."""
    from dataclasses import replace

    from bwlint.report.init_table import table
    from bwlint.services.atomic import write_bytes
    from bwlint.services.check import check_jobs
    from bwlint.services.fix_files import shown_as_inputs
    from bwlint.services.init import init_job
    from bwlint.services.plan import make_plan

    plan = make_plan(Inputs(paths=(data,), module=module))  # the configuration's settings
    settings = replace(plan.settings, day_first=day_first)
    outcome = init_job(
        data, module, operation=operation, find_by=find_by, settings=settings,
        schema_dir=schema_dir or plan.schema_dir, ask=_ask,
    )  # fmt: skip
    click.echo(table(outcome), err=True, nl=False)
    text = json.dumps(outcome.body, indent=2, ensure_ascii=False) + "\n"
    with tempfile.TemporaryDirectory(prefix="bwlint-init-") as scratch:
        job_path = Path(out) if out else Path(scratch) / "job.json"
        write_bytes(job_path, text.encode("utf-8"))
        from bwlint.project.discovery import JobSpec

        spec = JobSpec(job=str(job_path), data=(data,))
        result = check_jobs([spec], settings=settings, schema_dir=schema_dir or plan.schema_dir)
        if out is None:
            click.echo(text, nl=False)
            result = shown_as_inputs(result, [("<standard output>", str(job_path))])
    stream = sys.stdout if out else sys.stderr
    report = REPORTERS[fmt](result, wants_colour(stream))
    click.echo(report, nl=False, err=out is None)
    sys.exit(result.exit_status(plan.exit_policy()))
