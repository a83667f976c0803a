"""`--format github`: GitHub Actions workflow commands, `::error file=…,line=…::…`.

GitHub shows only 10 error and 10 warning annotations per step and silently drops the
rest, so findings are grouped (one rule in one column of one file is one annotation,
with its count), the groups are ordered so that what matters most comes first (errors,
then job- and file-level problems, then the largest groups), and the groups beyond the
tenth of a level are written as plain log lines rather than lost.
"""

from __future__ import annotations

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.results import RunResult
from bwlint.report.escape import visible
from bwlint.report.groups import grouped, plural
from bwlint.report.text import location

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SHOWN_PER_LEVEL = 10  # GitHub's limit per step, for errors and for warnings
LINES_LISTED = 5


def escape_data(text: str) -> str:
    """A workflow command's data: line breaks as GitHub decodes them, and every other
    control character (ESC, bidirectional overrides) as a visible escape."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _place(finding: Finding) -> dict[str, str]:
    path, line, column = finding.location.artifact
    if path is None:
        return {}
    place = {"file": path}
    if line is not None:
        place["line"] = str(line)
        if column is not None:
            place["col"] = str(column)
    return place


def _message(members: list[Finding]) -> str:
    first = members[0]
    text = first.message
    if len(members) > 1:
        lines = [str(f.line) for f in members[:LINES_LISTED] if f.line is not None]
        more = ", …" if len(members) > LINES_LISTED else ""
        where = f" in {first.file}, lines {', '.join(lines)}{more}" if lines else ""
        text += (
            f" ({plural(len(members), first.code + ' finding')} in column "
            f"'{first.column}'{where}; all of them are in --format json or sarif)"
        )
    return text


def _rank(members: list[Finding]) -> tuple:
    first = members[0]
    return (first.severity.rank, first.record is not None, -len(members))


def annotation(members: list[Finding]) -> str:
    first = members[0]
    title = first.code + (f" [{first.zoho_code}]" if first.zoho_code else "")
    props = {**_place(first), "title": title}
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{COMMANDS[first.severity]} {rendered}::{escape_data(_message(members))}"


def plain(members: list[Finding]) -> str:
    """A log line, never a workflow command: control characters escaped, and a path
    that begins with `::` written as `./::…`."""
    first = members[0]
    place = location(first)
    if place.startswith(":"):
        place = "./" + place
    return f"{place}: {first.code} {first.severity}: {visible(_message(members))}"


def render(report: RunResult, _colour: bool = False) -> str:
    groups = sorted(grouped(report.findings), key=_rank)
    lines, overflow = [], []
    shown = dict.fromkeys(Severity, 0)
    for members in groups:
        level = members[0].severity
        if shown[level] < SHOWN_PER_LEVEL:
            shown[level] += 1
            lines.append(annotation(members))
        else:
            overflow.append(plain(members))
    if overflow:
        lines.append(
            f"bwlint: {plural(len(overflow), 'more group')} of findings not annotated "
            f"(GitHub shows {SHOWN_PER_LEVEL} annotations of each level per step):"
        )
        lines.extend(overflow)
    summary = report.summary
    lines.append(
        f"bwlint: {plural(summary['errors'], 'error')}, {plural(summary['warnings'], 'warning')}"
        f" ({plural(summary['files'], 'file')}, {plural(summary['records'], 'record')})."
    )
    return "\n".join(lines) + "\n"
