"""`bwlint rules` and `bwlint explain`: the catalogue, as a table or one rule's entry."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

import click

from bwlint.errors import UsageError

if TYPE_CHECKING:
    from bwlint.catalogue import Rule


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules(fmt: str) -> None:
    """List every rule: code, Zoho code, severity, whether it can be fixed, summary."""
    from bwlint.catalogue import load_catalogue

    catalogue = load_catalogue()
    if fmt == "markdown":
        click.echo(markdown_table(catalogue), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([rule.as_row() for rule in catalogue.values()], indent=2))
        return
    rows = [
        (r.code, r.zoho_code or "-", r.severity, r.fixable or "-", r.summary)
        for r in catalogue.values()
    ]
    header = ("CODE", "ZOHO CODE", "SEVERITY", "FIX", "SUMMARY")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        click.echo(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4]
        )


def markdown_table(catalogue: dict[str, Rule]) -> str:
    """The README's rule table (a test keeps the README equal to this)."""
    lines = [
        "| code | name | zoho code | severity | fix | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in catalogue.values():
        severity = str(rule.severity)
        if rule.bundled_severity:
            severity += f" ({rule.bundled_severity} on bundled metadata)"
        zoho = f"`{rule.zoho_code}`" if rule.zoho_code else "–"
        fix = rule.fixable or "–"
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| {rule.code} | {rule.name} | {zoho} | {severity} | {fix} | {summary} |")
    return "\n".join(lines) + "\n"


def _paragraph(text: str) -> str:
    return textwrap.indent(textwrap.fill(" ".join(text.split()), 80), "  ")


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print a rule's full entry: what it checks, why, its source, examples."""
    from bwlint.catalogue import load_catalogue

    catalogue = load_catalogue()
    rule = catalogue.get(code.upper()) or {r.name: r for r in catalogue.values()}.get(code.lower())
    if rule is None:
        raise UsageError(f"unknown rule code '{code}' (see 'bwlint rules')")
    severity = str(rule.severity)
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
        f"Fixable:    {rule.fixable or 'no'}",
        f"Source:     {rule.source}",
        "",
        "Why",
        _paragraph(rule.why),
    ]
    if rule.fix:
        parts += ["", "Fix", _paragraph(rule.fix)]
    parts += ["", "Fails", textwrap.indent(rule.bad, "  "), "", "Passes"]
    parts.append(textwrap.indent(rule.good, "  "))
    click.echo("\n".join(parts))
