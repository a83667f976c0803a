"""Module metadata from the org's API bodies, else bwlint's bundled defaults.

`<Module>.json` is a Fields Metadata body (`{"fields": [...]}`), `<Module>.layouts.json`
a Layouts body (`{"layouts": [...]}`) and `modules.json` a Modules body
(`{"modules": [...]}`): what `bwlint schema pull` writes. File names are matched without
regard to case (`leads.json` is Leads'). A module name is an API name, never a path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

from bwlint.domain.finding import shorten
from bwlint.domain.limits import INPUT
from bwlint.domain.model import Field, Layout, Module
from bwlint.errors import UsageError
from bwlint.load.files import read_regular
from bwlint.load.jsontext import parse_json
from bwlint.load.schema_fast import conforms
from bwlint.paths import FIELDS_SCHEMA, MODULES_DIR

# Modules Zoho documents as not available to bulk write (limitations page).
UNSUPPORTED_MODULES = frozenset(
    {"Users", "Notes", "Attachments", "Events", "Calls", "Activities", "Emails", "Visits"}
)
# What an API name looks like (standard, custom, subform and linking modules alike).
API_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


def _as_bool(value: Any) -> bool:
    return bool(value) if value is not None else False


def _integer(value: Any) -> int | None:
    """An integer of the metadata; `true` is no length of 1."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
        length=_integer(raw.get("length")),
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
        decimal_place=_integer(raw.get("decimal_place")),
        textarea_type=textarea.get("type") if isinstance(textarea, dict) else None,
        label=raw.get("display_label") or raw.get("field_label"),
        raw=raw,
    )


def _read_json(path: Path, what: str) -> Any:
    data = read_regular(path, what, INPUT.json_bytes)
    return parse_json(data, str(path), what).value


@cache
def _fields_schema() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(FIELDS_SCHEMA.read_text(encoding="utf-8")))


@cache
def _fields_validator() -> Any:
    from jsonschema import Draft202012Validator  # ~60 ms: only for a file it must word

    return Draft202012Validator(_fields_schema())


def _validate_fields(path: Path, data: Any) -> None:
    """An org's metadata file against the Fields Metadata schema (derived from Zoho's
    OpenAPI description): the first problem, naming the field and the key, is one line.
    A valid file is told apart quickly (schema_fast.py); jsonschema finds the problem."""
    if conforms(data, _fields_schema()) is True:
        return
    error = next(iter(sorted(_fields_validator().iter_errors(data), key=_where)), None)
    if error is None:
        return
    place = list(error.absolute_path)
    where = "the top level"
    if len(place) >= 2 and place[0] == "fields" and isinstance(place[1], int):
        fields = data["fields"]
        name = fields[place[1]].get("api_name") if isinstance(fields[place[1]], dict) else None
        named = f" ({shorten(name, 40)})" if isinstance(name, str) else ""
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in place[2:])
        where = f"fields[{place[1]}]{named}{key}"
    elif place:
        where = ".".join(str(p) for p in place)
    raise UsageError(f"{path}: not a Fields Metadata API response: {where}: {_said(error)}")


def _where(error: Any) -> list[str]:
    return [str(p) for p in error.absolute_path]


def _said(error: Any) -> str:
    """A jsonschema error in JSON's terms (true, null, "text"), the value shortened."""
    value = shorten(json.dumps(error.instance, ensure_ascii=False), 40)
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"{value} is not {'an' if str(wanted)[0] in 'aeiou' else 'a'} {wanted}"
    if error.validator in ("minimum", "maximum"):
        return f"{value} is out of range ({error.validator} {error.validator_value})"
    if error.validator == "required":
        return f"{shorten(error.message, 80)}"
    if error.validator == "enum":
        return f"{value} is not one of {json.dumps(error.validator_value)}"
    return f"{value}: {error.validator} {json.dumps(error.validator_value)[:60]}"


def read_layouts(path: Path) -> tuple[Layout, ...]:
    """Read a `<Module>.layouts.json` file (the Layouts API body)."""
    data = _read_json(path, "layouts metadata")
    layouts = data.get("layouts") if isinstance(data, dict) else None
    if not isinstance(layouts, list):
        raise UsageError(f'{path}: not a Layouts API response: expected {{"layouts": [...]}}')
    found = []
    for raw in layouts:
        if not isinstance(raw, dict):
            continue
        required = {
            str(item["api_name"])
            for section in raw.get("sections") or []
            if isinstance(section, dict)
            for item in section.get("fields") or []
            if isinstance(item, dict) and item.get("required") is True and item.get("api_name")
        }
        name = raw.get("name") or raw.get("display_label") or raw.get("api_name")
        layout_id = raw.get("id")
        found.append(
            Layout(
                str(layout_id) if layout_id is not None else None,
                str(name) if name is not None else None,
                frozenset(required),
            )
        )
    return tuple(found)


def read_module(path: Path, *, bundled: bool, layouts: Path | None = None) -> Module:
    """Read one `<Module>.json` file (and its layouts); a bad file is a usage error
    naming it."""
    data = _read_json(path, "module metadata")
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, list):
        raise UsageError(
            f'{path}: not a Fields Metadata API response: expected {{"fields": [...]}}'
        )
    if not bundled:
        _validate_fields(path, data)
    parsed: dict[str, Field] = {}
    for number, raw in enumerate(fields):
        if not isinstance(raw, dict) or not isinstance(raw.get("api_name"), str):
            raise UsageError(f"{path}: fields[{number}] has no api_name")
        parsed[raw["api_name"]] = _field_from_json(raw)
    return Module(
        api_name=path.name[: -len(".json")],
        fields=parsed,
        source=str(path),
        bundled=bundled,
        layouts=read_layouts(layouts) if layouts is not None else (),
        layouts_source=str(layouts) if layouts is not None else None,
    )


@dataclass
class ModuleCatalog:
    """Looks modules up: the org's files first (`--schema-dir`), then the bundled ones."""

    schema_dir: Path | None = None
    bundled_dir: Path = MODULES_DIR
    _cache: dict[str, Module | None] = field(default_factory=dict)
    _files: dict[Path, dict[str, Path]] = field(default_factory=dict)
    _modules: dict[str, dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if self.schema_dir is not None and not self.schema_dir.is_dir():
            raise UsageError(f"{self.schema_dir}: --schema-dir is not a directory")

    @property
    def has_org_metadata(self) -> bool:
        return self.schema_dir is not None

    def _listing(self, directory: Path) -> dict[str, Path]:
        """The JSON files of a folder by lower-cased name (`leads.json` is Leads')."""
        if directory not in self._files:
            files = sorted(p for p in directory.glob("*.json") if p.is_file())
            listing: dict[str, Path] = {}
            for path in files:  # an exact-case name wins over another spelling
                listing.setdefault(path.name.lower(), path)
            self._files[directory] = listing
        return self._files[directory]

    def _path(self, directory: Path | None, name: str) -> Path | None:
        """The file of that name in `directory`, in any case."""
        if directory is None:
            return None
        exact = directory / name
        return exact if exact.is_file() else self._listing(directory).get(name.lower())

    def _spelled_elsewhere(self, name: str) -> bool:
        """Whether a module bwlint knows by name (bundled, or in the modules list) has
        this name in another case: then `name` is a misspelt API name (BW110)."""
        known = {p.name[: -len(".json")] for p in self._listing(self.bundled_dir).values()}
        known |= set(self.modules or ())
        return name not in known and name.lower() in {k.lower() for k in known}

    def get(self, name: str) -> Module | None:
        if not API_NAME.fullmatch(name):
            return None  # an API name, never a path
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> Module | None:
        if self._spelled_elsewhere(name):
            return None
        org = self._path(self.schema_dir, f"{name}.json")
        layouts = self._path(self.schema_dir, f"{name}.layouts.json")
        if org is not None:
            module = read_module(org, bundled=False, layouts=layouts)
            return module if module.api_name == name else _renamed(module, name)
        bundled = self.bundled_dir / f"{name}.json"
        if not bundled.is_file():
            return None
        return read_module(bundled, bundled=True, layouts=layouts)

    def known_names(self) -> list[str]:
        names = {p.stem for p in self.bundled_dir.glob("*.json")}
        if self.schema_dir is not None:
            names |= {
                p.name[: -len(".json")]
                for p in self.schema_dir.glob("*.json")
                if not p.name.lower().endswith(".layouts.json") and p.name.lower() != "modules.json"
            }
        if self.modules is not None:
            names |= set(self.modules)
        return sorted(names)

    @property
    def modules(self) -> dict[str, dict[str, Any]] | None:
        """The org's modules list (`modules.json`, the Modules API body) by API name;
        None when there is none."""
        if self._modules is None and self.schema_dir is not None:
            path = self._path(self.schema_dir, "modules.json")
            if path is not None:
                self._modules = read_modules(path)
        return self._modules


def _renamed(module: Module, name: str) -> Module:
    """A module read from a file whose name differs in case: named by its API name."""
    from dataclasses import replace

    return replace(module, api_name=name)


def read_modules(path: Path) -> dict[str, dict[str, Any]]:
    """Read `modules.json` (the Modules API body): each module's entry by API name."""
    data = _read_json(path, "the modules list")
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        raise UsageError(f'{path}: not a Modules API response: expected {{"modules": [...]}}')
    return {
        str(entry["api_name"]): entry
        for entry in modules
        if isinstance(entry, dict) and isinstance(entry.get("api_name"), str)
    }
