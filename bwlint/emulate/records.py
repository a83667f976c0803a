"""Running a job against the records the emulator keeps, and its result zip.

bwlint's prediction decides which records are skipped for their own data; the record
store then decides the rest as Zoho would: an insert of a unique value the org already
holds is skipped with `DUPLICATE_DATA`, an insert whose `find_by` finds a record is
skipped, an update whose `find_by` finds nothing is skipped with `RESOURCE_NOT_FOUND`,
an upsert updates what it finds and adds the rest. Added records get new ids. Child
rows (subforms, line items, linking modules) are added without these checks, and
lookups are not resolved.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwlint.emulate.processing import FileOutcome

Store = dict[str, dict[str, dict[str, str]]]  # module -> record id -> field -> value


def _find(rows: dict[str, dict[str, str]], field: str, value: str) -> str | None:
    if not value.strip():
        return None
    if field == "id":
        return value if value in rows else None
    wanted = value.strip().casefold()
    for record_id, record in rows.items():
        if record.get(field, "").strip().casefold() == wanted:
            return record_id
    return None


def _duplicate(rows: dict[str, dict[str, str]], unique: list[str], values: dict[str, str]):
    for field in unique:
        value = values.get(field, "")
        if value.strip() and _find(rows, field, value) is not None:
            return field
    return None


def _one(
    outcome: FileOutcome,
    number: int,
    operation: str,
    rows: dict[str, dict[str, str]],
    ignore_empty: bool,
    new_id: Callable[[], str],
) -> tuple[str, str, str]:
    """(STATUS, RECORD_ID, ERRORS) of one record that bwlint does not skip."""
    values = outcome.values[number]
    header = outcome.headers
    find_by = outcome.find_by
    found = _find(rows, find_by, values.get(find_by, "")) if find_by and not outcome.child else None
    if operation == "update" or (operation == "upsert" and found):
        if found is None:
            return "skipped", "", f"RESOURCE_NOT_FOUND-{header.get(find_by or 'id', find_by)}"
        changes = {k: v for k, v in values.items() if k != "id" and (v or not ignore_empty)}
        rows[found].update(changes)
        return "updated", found, ""
    if found is not None:  # insert with find_by: existing records are skipped
        return "skipped", "", f"DUPLICATE_DATA-{header.get(find_by or '', find_by)}"
    if not outcome.child:
        clash = _duplicate(rows, outcome.unique, values)
        if clash is not None:
            return "skipped", "", f"DUPLICATE_DATA-{header.get(clash, clash)}"
    record_id = new_id()
    rows[record_id] = {k: v for k, v in values.items() if k != "id"}
    return "added", record_id, ""


def run_file(
    outcome: FileOutcome,
    operation: str,
    store: Store,
    *,
    ignore_empty: bool,
    new_id: Callable[[], str],
) -> tuple[list[list[str]], dict[str, int]]:
    """The result rows of one file (header first) and its counts; the store changes."""
    rows = store.setdefault(outcome.module, {})
    table = [[*outcome.echo_header, "STATUS", "RECORD_ID", "ERRORS"]]
    counts = {"added": 0, "updated": 0, "skipped": 0}
    for number, echoed in enumerate(outcome.echoed):
        if outcome.status[number] == "skipped":
            status, record_id, errors = "skipped", "", outcome.errors[number]
        else:
            status, record_id, errors = _one(outcome, number, operation, rows, ignore_empty, new_id)
        counts[status] += 1
        table.append([*echoed, status, record_id, errors])
    return table, counts


def write_result_zip(path: Path, tables: dict[str, list[list[str]]]) -> None:
    """The result zip: one `<Module>-<file name>` CSV per data file."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(table)
            archive.writestr(name, text.getvalue())


def resource_summary(outcome: FileOutcome, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "module": outcome.module,
        "name": outcome.result_name,
        "added": counts["added"],
        "updated": counts["updated"],
        "skipped": counts["skipped"],
        "total": sum(counts.values()),
    }
