"""`init`: a job JSON for a raw export — its headers matched to the module's fields
(matching.py), lookups given a `find_by` chosen from their values, date columns the
`format` every value follows (checks/date_columns.py; an ambiguous day/month is asked or
told, never guessed), and what the file lacks named: mandatory fields, the layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from bwlint.checks.date_columns import fitting_patterns
from bwlint.domain.enums import Operation
from bwlint.domain.model import Field, Module
from bwlint.errors import UsageError
from bwlint.load.data import DataFile, read_data
from bwlint.load.metadata import ModuleCatalog
from bwlint.services.matching import Match, match_headers
from bwlint.settings import Settings

# Asked when a date column fits several patterns: (header, the patterns) → the choice.
Ask = Callable[[str, tuple[str, ...]], str | None]
_ID = re.compile(r"^\s*\d{5,19}\s*$")


@dataclass
class Mapped:
    match: Match
    mapping: dict[str, Any]
    note: str = ""


@dataclass
class InitOutcome:
    body: dict[str, Any]
    mapped: list[Mapped] = field(default_factory=list)
    unmatched: list[Match] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read(path: str) -> DataFile:
    files = [d for d in read_data(path) if d.readable]
    if not files:
        raise UsageError(f"{path}: no readable CSV in it (bwlint check says why)")
    if len(files) > 1:
        raise UsageError(f"{path}: holds {len(files)} CSV files; give init one")
    return files[0]


def name_field(target: Module) -> Field | None:
    """The field a lookup may find its target by name: the display field, else the
    target's first mandatory text field (Account_Name, Deal_Name, …)."""
    for candidate in target.fields.values():
        if candidate.raw.get("display_field"):
            return candidate
    for candidate in target.fields.values():
        if candidate.system_mandatory and candidate.data_type == "text":
            return candidate
    return None


def lookup_find_by(
    lookup: Field, values: pl.Series, catalog: ModuleCatalog
) -> tuple[str | None, str]:
    """(find_by, why) for a lookup column, chosen from its values."""
    filled = values.drop_nulls().str.strip_chars()
    filled = filled.filter(filled != "")
    if filled.len() == 0:
        return "id", "no values: find_by id"
    if bool(filled.str.contains(_ID.pattern).all()):
        return "id", "every value is a record id"
    emails = bool(filled.str.contains("@").all())
    if lookup.data_type in ("ownerlookup", "userlookup"):
        return ("email", "every value is an email") if emails else (None, "users by id or email")
    target = catalog.get(lookup.lookup_module) if lookup.lookup_module else None
    if target is None:
        return None, f"no metadata for {lookup.lookup_module}"
    if emails:
        for candidate in target.fields.values():
            if candidate.data_type == "email" and candidate.unique:
                return candidate.api_name, "every value is an email (a unique field)"
    named = name_field(target)
    if named is None:
        return None, f"no name field known in {target.api_name}"
    return named.api_name, f"values are names: the {named.api_name} of {target.api_name}"


def _date_mapping(
    match: Match, values: pl.Series, settings: Settings, ask: Ask | None
) -> tuple[str | None, str]:
    assert match.field is not None
    kind = "datetime" if match.field.data_type == "datetime" else "date"
    verdict = fitting_patterns(values, kind, settings)
    if verdict.pattern is not None:
        return verdict.pattern, f"every value is {verdict.pattern}"
    if verdict.ambiguous:
        chosen = ask(match.header, verdict.fitting) if ask is not None else None
        if chosen is not None:
            return chosen, f"{chosen}, as you said"
        choices = " or ".join(verdict.fitting)
        return None, f"day/month ambiguous ({choices}): pass --day-first or --month-first"
    if verdict.values == 0:
        return None, "no values"
    return None, "its values follow no one known pattern (bwlint check shows them)"


def mapping_for(
    match: Match,
    data: DataFile,
    settings: Settings,
    catalog: ModuleCatalog,
    ask: Ask | None,
) -> Mapped:
    assert match.field is not None
    mapping: dict[str, Any] = {"api_name": match.field.api_name, "index": match.index}
    note = ""
    values = data.column(match.index)
    if match.field.is_lookup:
        find_by, note = (match.target, "from the header") if match.target else (None, "")
        if find_by is None:
            find_by, note = lookup_find_by(match.field, values, catalog)
        if find_by is not None:
            mapping["find_by"] = find_by
    elif match.field.data_type in ("date", "datetime"):
        pattern, note = _date_mapping(match, values, settings, ask)
        if pattern is not None:
            mapping["format"] = pattern
    return Mapped(match, mapping, note)


def _find_by(operation: Operation, given: str | None, mapped: list[Mapped]) -> str | None:
    if given is not None:
        return given
    names = [m.mapping["api_name"] for m in mapped]
    if operation.updates and "id" in names:
        return "id"
    return None


def layout_notes(module: Module, schema_dir: Path | None, fields: set[str]) -> list[str]:
    notes = []
    if module.get("Layout") is not None:
        notes.append(
            "Layout: not mapped, so Zoho uses the module's default layout; to choose one, "
            'add {"api_name": "Layout", "default_value": {"value": "<layout id>"}}'
        )
    path = schema_dir / f"{module.api_name}.layouts.json" if schema_dir else None
    if path is None or not path.is_file():
        return notes
    try:
        layouts = json.loads(path.read_text(encoding="utf-8")).get("layouts") or []
    except (OSError, ValueError, AttributeError):
        return [*notes, f"{path}: not a Layouts API body; its required fields are not known"]
    for layout in layouts[:1]:  # the default layout comes first
        required = [
            f.get("api_name")
            for section in layout.get("sections") or []
            for f in section.get("fields") or []
            if f.get("required") and f.get("api_name") not in fields
        ]
        if required:
            notes.append(
                f"layout '{layout.get('name')}' requires fields the file lacks: "
                + ", ".join(str(r) for r in required)
            )
    return notes


def init_job(
    path: str,
    module_name: str,
    *,
    operation: str | None,
    find_by: str | None,
    settings: Settings,
    schema_dir: str | Path | None,
    ask: Ask | None = None,
) -> InitOutcome:
    op = Operation.parse(operation or "insert")
    if op is None:
        raise UsageError(f"--operation must be one of {', '.join(Operation)}, not '{operation}'")
    folder = Path(schema_dir) if schema_dir is not None else None
    catalog = ModuleCatalog(folder)
    module = catalog.get(module_name)
    if module is None:
        raise UsageError(
            f"no metadata for module '{module_name}': give --schema-dir with {module_name}.json"
        )
    data = _read(path)
    matches = match_headers(data.header, module, op)
    mapped = [mapping_for(m, data, settings, catalog, ask) for m in matches if m.confident]
    resource: dict[str, Any] = {
        "type": "data",
        "module": {"api_name": module.api_name},
        "file_id": "to be replaced by the upload's file_id",
    }
    chosen = _find_by(op, find_by, mapped)
    if chosen is not None:
        resource["find_by"] = chosen
    resource["field_mappings"] = [m.mapping for m in mapped]
    body = {"operation": str(op), "ignore_empty": True, "resource": [resource]}
    outcome = InitOutcome(body, mapped, [m for m in matches if not m.confident])
    names = {m.mapping["api_name"] for m in mapped}
    lacking = [f.api_name for f in module.mandatory() if f.api_name not in names]
    if lacking and op.creates:
        outcome.notes.append("mandatory fields the file lacks: " + ", ".join(lacking))
    if op.updates and chosen is None:
        outcome.notes.append(f"{op} needs find_by: pass --find-by FIELD (id or a unique field)")
    outcome.notes.extend(layout_notes(module, folder, names))
    return outcome
