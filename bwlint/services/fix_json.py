"""The job JSON's repairs (`JsonEdit`s: a mapping's missing `format`, a mapping-level
`ignore_empty` moved to its resource), chosen and written: a fix's edits are applied
all together or not at all; the same edit asked by several findings is made once;
two fixes that set one place differently leave it alone."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwlint.domain.finding import Finding
from bwlint.domain.fix import REMOVE, JsonEdit
from bwlint.services.atomic import write_bytes

if TYPE_CHECKING:
    from bwlint.services.fix import Change, NotApplied

CONFLICT = "another fix sets the same place of the job JSON differently"


def choose_json(
    findings: Sequence[Finding], unsafe: bool
) -> tuple[dict[str, Change], list[NotApplied]]:
    """The job JSON edits to make, by pointer (findings of one job)."""
    from bwlint.services.fix import Change, NotApplied

    chosen: dict[str, Change] = {}
    left: list[NotApplied] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or (not fix.safe and not unsafe):
            continue  # an unsafe fix is listed once, by the cell edits' choice
        edits = [e for e in fix.edits if isinstance(e, JsonEdit)]
        if not edits:
            continue
        clash = [e for e in edits if e.pointer in chosen and chosen[e.pointer].edit.new != e.new]
        if clash:
            left.append(NotApplied(finding, CONFLICT))
            continue
        for edit in edits:
            chosen.setdefault(edit.pointer, Change(finding, edit, None))
    return chosen, left


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def apply(body: Any, edits: Sequence[JsonEdit]) -> Any:
    """A copy of the job body with the edits made (keys set or removed)."""
    body = copy.deepcopy(body)
    for edit in edits:
        parts = [_unescape(p) for p in edit.pointer.split("/")[1:]]
        target = body
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last: Any = int(parts[-1]) if isinstance(target, list) else parts[-1]
        if edit.new is REMOVE:
            del target[last]
        else:
            target[last] = edit.new
    return body


def write_job(raw: Any, changes: Sequence[Change], output: Path) -> None:
    edits = [c.edit for c in changes if isinstance(c.edit, JsonEdit)]
    text = json.dumps(apply(raw, edits), indent=2, ensure_ascii=False) + "\n"
    write_bytes(output, text.encode("utf-8"))
