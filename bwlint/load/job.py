"""The job JSON: read it (exit 2 if it is not JSON), then build the model leniently.

Structure problems are findings of the job rules (the JSON Schema), so the model is
built from whatever is there: a wrong type becomes None rather than an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bwlint.domain.enums import Operation
from bwlint.domain.limits import INPUT
from bwlint.domain.model import FieldMapping, Job, Resource
from bwlint.load.files import read_regular
from bwlint.load.jsontext import parse_json


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def module_name(value: Any) -> str | None:
    """The module API name from the v8 object form or the Kaizen v2 string form."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        return _str(value.get("api_name")) or None
    return None


def _mapping(raw: Any, pointer: str) -> FieldMapping | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("api_name"), str):
        return None
    return FieldMapping(
        api_name=raw["api_name"],
        pointer=pointer,
        index=_int(raw.get("index")),
        find_by=_str(raw.get("find_by")),
        default_value=raw.get("default_value"),
        format=_str(raw.get("format")),
        parent_column_index=_int(raw.get("parent_column_index")),
        raw=raw,
    )


def _resource(raw: Any, position: int) -> Resource:
    pointer = f"/resource/{position}"
    raw = raw if isinstance(raw, dict) else {}
    mappings_raw = raw.get("field_mappings")
    mappings: tuple[FieldMapping, ...] | None = None
    if isinstance(mappings_raw, list):
        built = (
            _mapping(item, f"{pointer}/field_mappings/{number}")
            for number, item in enumerate(mappings_raw)
        )
        mappings = tuple(m for m in built if m is not None)
    names = raw.get("file_names")
    ignore = raw.get("ignore_empty")
    return Resource(
        position=position,
        pointer=pointer,
        module=module_name(raw.get("module")),
        type=_str(raw.get("type")),
        file_id=_str(raw.get("file_id")),
        file_names=tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else (),
        find_by=_str(raw.get("find_by")),
        field_mappings=mappings,
        ignore_empty=ignore if isinstance(ignore, bool) else None,
        raw=raw,
    )


def build_job(
    raw: Any,
    *,
    path: str | None = None,
    text: str | None = None,
    duplicate_keys: tuple[str, ...] = (),
) -> Job:
    data = raw if isinstance(raw, dict) else {}
    resources = data.get("resource")
    resources = resources if isinstance(resources, list) else []
    ignore = data.get("ignore_empty")
    encoding = data.get("character_encoding")
    return Job(
        operation=Operation.parse(data.get("operation")),
        resources=tuple(_resource(item, n) for n, item in enumerate(resources)),
        raw=raw,
        path=path,
        character_encoding=encoding if isinstance(encoding, str) else None,
        ignore_empty=ignore if isinstance(ignore, bool) else False,
        text=text,
        duplicate_keys=duplicate_keys,
    )


def read_job(path: Path) -> Job:
    """Read and parse a job file; anything unreadable is a UsageError naming the place."""
    data = read_regular(path, "job file", INPUT.json_bytes)
    parsed = parse_json(data, str(path), "job file")
    return build_job(
        parsed.value, path=str(path), text=parsed.text, duplicate_keys=tuple(parsed.duplicates)
    )
