"""`--format text`: ruff-like lines, `path:line:col: CODE [ZOHO_CODE] message`.

Findings of one rule in one column of one file are grouped: the first few are shown,
then one line says how many more there are, so a million bad cells stay readable.
"""

from __future__ import annotations

from collections import defaultdict

import click

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.results import RunResult
from bwlint.project.relations import ChildCounts
from bwlint.report.escape import visible

SHOWN_PER_GROUP = 5
COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def location(finding: Finding) -> str:
    """`path:line:col` of the finding's anchor (`<job>` when it has no path)."""
    path, line, col = finding.location.anchor
    parts = [path or "<job>"]
    if line is not None:
        parts.append(str(line))
        if col is not None:
            parts.append(str(col))
    return visible(":".join(parts))


def line_for(finding: Finding, colour: bool) -> str:
    code = finding.code
    if colour:
        code = click.style(code, fg=COLOURS[finding.severity], bold=True)
    zoho = f" [{finding.zoho_code}]" if finding.zoho_code else ""
    prefix = "" if finding.severity == "error" else f"{finding.severity}: "
    where = click.style(location(finding), bold=True) if colour else location(finding)
    return f"{where}: {code}{zoho} {prefix}{visible(finding.message)}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def children_line(counts: ChildCounts) -> str:
    """Parent-child jobs: one line per child module, e.g. `Secondary: 212 rows under …`."""
    line = (
        f"{visible(counts.module)}: {_plural(counts.children, 'row')} under "
        f"{counts.parents_with_children:,} of "
        f"{_plural(counts.parents, visible(counts.parent) + ' row')}"
        f" (at most {counts.max_per_parent:,} per parent)"
    )
    if counts.orphans:
        line += f", {counts.orphans:,} with no parent"
    return line + "."


def render(report: RunResult, colour: bool = False) -> str:
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    order: list[tuple] = []
    for finding in report.findings:
        key = (finding.file, finding.code, finding.column) if finding.record else (id(finding),)
        if key not in groups:
            order.append(key)
        groups[key].append(finding)
    lines: list[str] = []
    for key in order:
        members = groups[key]
        lines.extend(line_for(f, colour) for f in members[:SHOWN_PER_GROUP])
        hidden = len(members) - SHOWN_PER_GROUP
        if hidden > 0:
            first = members[SHOWN_PER_GROUP]
            rest = [str(f.record) for f in members[SHOWN_PER_GROUP : SHOWN_PER_GROUP * 2]]
            more = ", …" if hidden > len(rest) else ""
            lines.append(
                f"{visible(first.file or '')}: … and {_plural(hidden, 'more ' + first.code)} "
                f"in column '{visible(first.column or '')}' (records {', '.join(rest)}{more}; "
                "all are in --format json)"
            )
    summary = report.summary
    if report.findings:
        counts = [
            _plural(summary[key], word)
            for key, word in (("errors", "error"), ("warnings", "warning"))
            if summary[key]
        ]
        infos = len(report.findings) - summary["errors"] - summary["warnings"]
        if infos:
            counts.append(_plural(infos, "note"))
        tail = f"Found {' and '.join(counts)}"
    else:
        tail = "All checks passed"
    lines.extend(children_line(counts) for counts in report.children)
    scope = f"{_plural(summary['files'], 'file')}, {_plural(summary['records'], 'record')}"
    lines.append(f"{tail} ({scope}).")
    return "\n".join(lines) + "\n"
