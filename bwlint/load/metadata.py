"""Module metadata from Fields Metadata API responses (`{"fields": [...]}`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint.domain.model import Field, Module
from bwlint.errors import UsageError
from bwlint.paths import MODULES_DIR

# Modules Zoho documents as not available to bulk write (limitations page).
UNSUPPORTED_MODULES = frozenset(
    {"Users", "Notes", "Attachments", "Events", "Calls", "Activities", "Emails", "Visits"}
)


def _as_bool(value: Any) -> bool:
    return bool(value) if value is not None else False


def _field_from_json(raw: dict[str, Any]) -> Field:
    ops = raw.get("operation_type") or {}
    read_only = _as_bool(raw.get("read_only"))
    if ops:
        # operation_type is the machine-readable answer to "can the API set this?";
        # `field_read_only` is true on fields the API may write (Owner, for one).
        api_create = _as_bool(ops.get("api_create", True))
        api_update = _as_bool(ops.get("api_update", True))
    else:
        writable = not (read_only or _as_bool(raw.get("field_read_only")))
        api_create = api_update = writable
    picks = raw.get("pick_list_values") or []
    lookup = raw.get("lookup") or {}
    lookup_module = (lookup.get("module") or {}).get("api_name") if lookup else None
    textarea = raw.get("textarea") or {}
    return Field(
        api_name=raw["api_name"],
        data_type=str(raw.get("data_type") or "text"),
        length=raw.get("length") if isinstance(raw.get("length"), int) else None,
        system_mandatory=_as_bool(raw.get("system_mandatory")),
        unique=bool(raw.get("unique")),
        read_only=read_only,
        api_create=api_create,
        api_update=api_update,
        picklist=tuple(str(p.get("actual_value", "")) for p in picks if isinstance(p, dict)),
        picklist_display=tuple(
            str(p.get("display_value", "")) for p in picks if isinstance(p, dict)
        ),
        lookup_module=lookup_module,
        decimal_place=raw.get("decimal_place")
        if isinstance(raw.get("decimal_place"), int)
        else None,
        textarea_type=textarea.get("type") if isinstance(textarea, dict) else None,
        label=raw.get("display_label") or raw.get("field_label"),
        raw=raw,
    )


def read_module(path: Path, *, bundled: bool) -> Module:
    """Read one `<Module>.json` file; a bad file is a usage error naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read module metadata: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}:{exc.colno}: module metadata is not valid JSON: {exc.msg}"
        ) from None
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, list):
        raise UsageError(
            f'{path}: not a Fields Metadata API response: expected {{"fields": [...]}}'
        )
    parsed: dict[str, Field] = {}
    for number, raw in enumerate(fields):
        if not isinstance(raw, dict) or not isinstance(raw.get("api_name"), str):
            raise UsageError(f"{path}: fields[{number}] has no api_name")
        parsed[raw["api_name"]] = _field_from_json(raw)
    return Module(api_name=path.stem, fields=parsed, source=str(path), bundled=bundled)


@dataclass
class ModuleCatalog:
    """Looks modules up: the org's files first (`--schema-dir`), then the bundled ones."""

    schema_dir: Path | None = None
    bundled_dir: Path = MODULES_DIR
    _cache: dict[str, Module | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.schema_dir is not None and not self.schema_dir.is_dir():
            raise UsageError(f"{self.schema_dir}: --schema-dir is not a directory")

    @property
    def has_org_metadata(self) -> bool:
        return self.schema_dir is not None

    def _path(self, directory: Path | None, name: str) -> Path | None:
        if directory is None:
            return None
        path = directory / f"{name}.json"
        return path if path.is_file() else None

    def get(self, name: str) -> Module | None:
        if name not in self._cache:
            org = self._path(self.schema_dir, name)
            if org is not None:
                self._cache[name] = read_module(org, bundled=False)
            else:
                bundled = self._path(self.bundled_dir, name)
                self._cache[name] = read_module(bundled, bundled=True) if bundled else None
        return self._cache[name]

    def known_names(self) -> list[str]:
        names = {p.stem for p in self.bundled_dir.glob("*.json")}
        if self.schema_dir is not None:
            names |= {p.stem for p in self.schema_dir.glob("*.json")}
        return sorted(names)
