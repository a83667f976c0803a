"""The command line: parse options, call the pipeline, print, exit 0/1/2.

Exit status (the contract): 0 no error finding, 1 at least one, 2 bwlint could not do
its job — one line on standard error, never a traceback.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import click

from bwlint import __version__
from bwlint.catalogue import load_catalogue
from bwlint.errors import UsageError
from bwlint.report import REPORTERS


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def wants_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False, color=wants_colour(sys.stdout))
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bwlint")
def cli() -> None:
    """Check Zoho CRM Bulk Write jobs (job JSON + CSV/ZIP) before you upload them."""


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--job", "job", metavar="FILE", help="The Create Bulk Write Job request body.")
@click.option("--module", metavar="NAME", help="No job JSON: the module's API name.")
@click.option(
    "--operation",
    type=click.Choice(["insert", "update", "upsert"]),
    help="No job JSON: the operation (default insert).",
)
@click.option("--find-by", metavar="FIELD", help="No job JSON: the find_by field.")
@click.option(
    "--schema-dir",
    metavar="DIR",
    help="Your org's Fields Metadata API responses, one <Module>.json per module.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="The report's form.",
)
@click.option("--output", metavar="FILE", help="Write the report to FILE.")
@click.option("--select", metavar="CODES", help="Only these rule codes or prefixes.")
@click.option("--ignore", metavar="CODES", help="Not these rule codes or prefixes.")
# --- workflow (issue 5): configuration, exit policy, progress -------------------------
@click.option("--extend-select", metavar="CODES", help="Add these codes to the selection.")
@click.option("--config", "config_path", metavar="FILE", help="Use this configuration file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Exit 1 on errors only (default) or on warnings too.",
)
@click.option(
    "--result-preview",
    "result_preview",
    metavar="FILE",
    help="Also write the result CSV Zoho would return (a directory for several files).",
)
def check(
    paths,
    job,
    module,
    operation,
    find_by,
    schema_dir,
    fmt,
    output,
    select,
    ignore,
    extend_select,
    config_path,
    isolated,
    exit_zero,
    fail_on,
    result_preview,
):
    """Check PATH... (CSV, ZIP of CSVs, job JSON, directory) against Zoho's bulk write
    rules. With no PATH, every job declared in the configuration."""
    from bwlint.workflow import run_check_command

    report, status = run_check_command(
        list(paths),
        job=job,
        module=module,
        operation=operation,
        find_by=find_by,
        schema_dir=schema_dir,
        select=_codes(select),
        ignore=_codes(ignore),
        extend_select=_codes(extend_select),
        config_path=config_path,
        isolated=isolated,
        exit_zero=exit_zero,
        fail_on=fail_on,
    )
    if result_preview:
        from bwlint.report.preview import write_previews

        write_previews(report, result_preview)
    colour = output is None and wants_colour(sys.stdout)
    emit(REPORTERS[fmt](report, colour), output)
    sys.exit(status)


# --- end workflow ----------------------------------------------------------------------


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules(fmt: str) -> None:
    """List every rule: code, Zoho code, severity, summary."""
    catalogue = load_catalogue()
    if fmt == "markdown":
        click.echo(markdown_table(catalogue), nl=False)
        return
    if fmt == "json":
        import json

        rows = [rule.as_row() for rule in catalogue.values()]
        click.echo(json.dumps(rows, indent=2))
        return
    rows = [(r.code, r.zoho_code or "-", r.severity, r.summary) for r in catalogue.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    header = ("CODE", "ZOHO CODE", "SEVERITY", "SUMMARY")
    widths = [max(w, len(h)) for w, h in zip(widths, header[:3], strict=True)]
    for row in [header, *rows]:
        click.echo(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        )


def markdown_table(catalogue) -> str:
    """The README's rule table (a test keeps the README equal to this)."""
    lines = ["| code | name | zoho code | severity | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in catalogue.values():
        severity = rule.severity
        if rule.bundled_severity:
            severity += f" ({rule.bundled_severity} on bundled metadata)"
        zoho = f"`{rule.zoho_code}`" if rule.zoho_code else "–"
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| {rule.code} | {rule.name} | {zoho} | {severity} | {summary} |")
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print a rule's full entry: what it checks, why, its source, examples."""
    catalogue = load_catalogue()
    rule = catalogue.get(code.upper())
    if rule is None:
        by_name = {r.name: r for r in catalogue.values()}
        rule = by_name.get(code.lower())
    if rule is None:
        raise UsageError(f"unknown rule code '{code}' (see 'bwlint rules')")
    severity = rule.severity
    if rule.bundled_severity:
        severity += f" ({rule.bundled_severity} against bwlint's bundled metadata)"
    parts = [
        f"{rule.code} {rule.name}",
        "",
        rule.summary + ".",
        "",
        f"Severity:   {severity}",
        f"Zoho code:  {rule.zoho_code or '-'}",
        f"Scope:      {rule.scope}",
        f"Source:     {rule.source}",
        "",
        "Why",
        textwrap.indent(textwrap.fill(" ".join(rule.why.split()), 80), "  "),
    ]
    if rule.fix:
        parts += ["", "Fix", textwrap.indent(textwrap.fill(" ".join(rule.fix.split()), 80), "  ")]
    parts += [
        "",
        "Fails",
        textwrap.indent(rule.bad, "  "),
        "",
        "Passes",
        textwrap.indent(rule.good, "  "),
    ]
    click.echo("\n".join(parts))


# --- the network half (issue 9): submit, status, result, schema, emulate -------------
from bwlint.commands.emulate import emulate  # noqa: E402
from bwlint.commands.schema import schema  # noqa: E402
from bwlint.commands.submit import result, status, submit  # noqa: E402

cli.add_command(submit)
cli.add_command(status)
cli.add_command(result)
cli.add_command(schema)
cli.add_command(emulate)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure to do the job is one line and exit status 2."""
    try:
        cli.main(args=argv, prog_name="bwlint", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # pragma: no cover - click < 8.2
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "bwlint"
        click.echo(f"bwlint: error: {exc.format_message()} (see '{command} --help')", err=True)
        sys.exit(2)
    except UsageError as exc:
        click.echo(f"bwlint: error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("bwlint: interrupted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"bwlint: error: {exc.format_message()}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("bwlint: interrupted", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug in bwlint: still one line, unless debugging
        if os.environ.get("BWLINT_DEBUG"):
            raise
        click.echo(
            f"bwlint: internal error: {type(exc).__name__}: {exc} "
            "(set BWLINT_DEBUG=1 for the traceback, and please report it)",
            err=True,
        )
        sys.exit(2)
    sys.exit(0)


def run() -> None:
    """The process entry (`bwlint`, `python -m bwlint`): `main`, then a quick exit.

    Once the report is written, tearing the interpreter down (freeing the frames cell
    by cell, unloading modules) takes ~0.06 s and changes nothing: leave at once, with
    the same exit status, after flushing the standard streams.
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: the interpreter's own way
        status = exc.code or 0
    else:
        status = 0
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage writes its data at exit
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let the interpreter report it
        sys.exit(status)
    os._exit(status)
