"""The report of `bwlint fix`: the change log, then the check of the result.

- text: one line per repaired cell, `path:line:col: CODE fixed 'old' → 'new'` (five
  per rule and column, then a count, as `check` groups findings), the fixes not
  applied, a summary line, then `check`'s text report of the repaired files;
- json: `check`'s JSON report of the repaired files with a `fix` object added after
  `bwlint_version` (README, "The JSON of fix and split");
- sarif, github, junit: `check`'s report of the repaired files; the change log's
  summary goes to standard error.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from bwlint import __version__
from bwlint.report import REPORTERS

if TYPE_CHECKING:
    from bwlint.services.fix import Change, FixOutcome, NotApplied

SHOWN = 5


def _place(file: str | None, line: int | None, column: int | None) -> str:
    return ":".join(str(p) for p in (file or "<job>", line, column) if p is not None)


def change_line(change: Change) -> str:
    from bwlint.domain.fix import REMOVE, FileEdit, JsonEdit

    edit = change.edit
    if isinstance(edit, FileEdit):
        path, line, column = change.finding.location.anchor
        head = f"{_place(path, line, column)}: {change.finding.code}"
        if edit.kind == "line-ends":
            return f"{head} ended every row with {edit.new} (were {edit.old})"
        if edit.kind == "encoding":
            from bwlint.checks.file_encoding import NO_OPTION

            why = change.finding.fix.why if change.finding.fix else ""
            more = f"; {NO_OPTION}" if NO_OPTION in why else ""
            to = f"to {edit.new} (no byte-order mark){more}"
            return f"{head} re-encoded the file from {edit.old} {to}"
        what = f"the line '{edit.old}'" if edit.kind == "line" else f"the empty {edit.old}"
        return f"{head} removed {what}"
    if isinstance(edit, JsonEdit):
        at = change.finding.location.job or "<job>"
        if edit.new is REMOVE:
            return f"{at}: {change.finding.code} removed {edit.pointer}"
        return f"{at}: {change.finding.code} set {edit.pointer} to {json.dumps(edit.new)}"
    path, line, column = change.finding.location.anchor
    return (
        f"{_place(path, line, column)}: {change.finding.code} fixed "
        f"'{change.edit.old}' → '{change.edit.new}'"
    )


def _grouped(changes: list[Change]) -> list[str]:
    groups: dict[tuple, list[Change]] = defaultdict(list)
    for change in changes:
        at = change.finding.location
        groups[(at.file, change.finding.code, at.column, type(change.edit))].append(change)
    lines: list[str] = []
    for (file, code, column, _), members in groups.items():
        lines.extend(change_line(c) for c in members[:SHOWN])
        if len(members) > SHOWN:
            lines.append(
                f"{file}: … and {len(members) - SHOWN:,} more {code} fixes in column "
                f"'{column}' (all are in --format json)"
            )
    return lines


def _left_lines(left: list[NotApplied]) -> list[str]:
    unsafe = [n for n in left if n.reason.startswith("an unsafe fix")]
    lines = []
    for item in left:
        if item in unsafe:
            continue
        path, line, column = item.finding.location.anchor
        lines.append(f"{_place(path, line, column)}: {item.finding.code} not fixed: {item.reason}")
    if unsafe:
        lines.append(
            f"{len(unsafe):,} unsafe fix{'es' if len(unsafe) != 1 else ''} not applied "
            "(--unsafe-fixes applies them)."
        )
    return lines


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def summary_line(outcome: FixOutcome) -> str:
    from bwlint.domain.fix import CellEdit, FileEdit

    cells = sum(1 for c in outcome.changes if isinstance(c.edit, CellEdit))
    whole = [c.edit for c in outcome.changes if isinstance(c.edit, FileEdit)]
    values = len(outcome.changes) - cells - len(whole)
    parts = [_count(cells, "cell")] if cells or not (whole or values) else []
    for kind, word in (("line", "line"), ("column", "column")):
        count = sum(1 for e in whole if e.kind == kind)
        if count:
            parts.append(_count(count, word))
    for kind, what in (("line-ends", "the row ends"), ("encoding", "the encoding")):
        count = sum(1 for e in whole if e.kind == kind)
        if count:
            parts.append(f"{what} of {_count(count, 'file')}")
    if values:
        parts.append(_count(values, "job JSON value"))
    made = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if outcome.dry_run:
        return f"Would fix {made} (dry run: nothing written)."
    files = len({c.output for c in outcome.changes})
    written = ", ".join(sorted({out for _, out in outcome.files}))
    if not outcome.changes:
        return f"Nothing to fix; wrote {written or 'nothing'}."
    return f"Fixed {made} in {_count(files, 'file')}; wrote {written or 'nothing'}."


def log_text(outcome: FixOutcome) -> str:
    lines = _grouped(outcome.changes) + _left_lines(outcome.not_applied)
    lines.append(summary_line(outcome))
    return "\n".join(lines) + "\n"


def fix_json(outcome: FixOutcome) -> dict:
    return {
        "dry_run": outcome.dry_run,
        "files": [{"input": source, "output": output} for source, output in outcome.files],
        "changes": [change.to_json() for change in outcome.changes],
        "not_applied": [item.to_json() for item in outcome.not_applied],
    }


def render(outcome: FixOutcome, fmt: str, colour: bool) -> tuple[str, str]:
    """(the report for standard output or --output, a note for standard error)."""
    check_report = REPORTERS[fmt](outcome.result, colour)
    if fmt == "text":
        return log_text(outcome) + "\n" + check_report, ""
    if fmt == "json":
        return with_section(check_report, "fix", fix_json(outcome)), ""
    return check_report, summary_line(outcome) + "\n"


def indented(value: Any, level: int = 0) -> str:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, nested
    `level` deep, with each scalar written by json's C string encoder (json's
    indenting encoder is pure Python: ~1 s for the change log of 9,000 repaired cells)."""
    pad = "  " * (level + 1)
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        items = (
            f"{pad}{_string(k)}: "
            + (indented(v, level + 1) if isinstance(v, (dict, list)) else _scalar(v))
            for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and value:
        items = (pad + indented(v, level + 1) for v in value)
        return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
    if isinstance(value, dict | list):  # empty, or keys json would convert
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)
    return _scalar(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_string = _ENCODER.encode  # a str goes straight to json's C string encoder


def _scalar(value: Any) -> str:
    """A scalar as json.dumps writes it, without making an encoder per call."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    return _ENCODER.encode(value)


def with_section(check_json: str, key: str, section: dict) -> str:
    """`check`'s JSON report with `key: section` after `bwlint_version` (the findings
    are kept as `check` wrote them, one per line)."""
    head = f'{{\n  "bwlint_version": {json.dumps(__version__)},\n'
    assert check_json.startswith(head)
    body = indented(section, 1)
    return head + f'  "{key}": {body},\n' + check_json[len(head) :]
