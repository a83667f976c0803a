"""Job rules (BW1xx): the job JSON against the schema, the module metadata and the CSV.

Each predicts a rejection of Create Bulk Write Job, before any credit is spent.
"""

from __future__ import annotations

import codecs
import difflib
import json
from collections.abc import Iterator
from functools import cache

from bwlint.binding import Binding, nested_resources
from bwlint.dates import pattern_problem
from bwlint.engine import Context, check
from bwlint.findings import Finding
from bwlint.load.jsonpos import escape
from bwlint.load.metadata import UNSUPPORTED_MODULES
from bwlint.model import UNSUPPORTED_TYPES, Field, FieldMapping, Module
from bwlint.paths import JOB_SCHEMA

HEADER_LIMIT = 200
HOW_TO_GET_METADATA = (
    "if it is a custom field, check against your org's metadata: save "
    "GET /crm/v8/settings/fields?module={module} as {module}.json and pass --schema-dir"
)


@cache
def _job_validator():
    # Imported here: jsonschema takes ~60 ms to import, and --module runs need none.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(JOB_SCHEMA.read_text(encoding="utf-8")))


def _pointer(path) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def _suggest(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.75)
    if not close:
        lowered = {o.lower(): o for o in options}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f"; did you mean '{close[0]}'?" if close else ""


def _where(binding: Binding, mapping: FieldMapping) -> dict:
    """Location of a mapping: its JSON pointer, or the CSV header when auto-mapped."""
    if mapping.auto:
        return {"data": binding.data, "column_index": mapping.index, "field": mapping.api_name}
    return {"pointer": mapping.pointer, "field": mapping.api_name}


@check("BW101", "BW102", "BW103")
def job_structure(ctx: Context) -> Iterator[Finding]:
    if ctx.job.path is None:  # built from --module: nothing the user wrote
        return
    # A resource nested in field_mappings is BW614's, in one finding: not a pile of
    # "api_name missing" and "unknown key" about the keys of a resource.
    nested = [n.pointer for n in nested_resources(ctx.job)]
    for error in _job_validator().iter_errors(ctx.job.raw):
        pointer = _pointer(error.absolute_path)
        if any(pointer == p or pointer.startswith(p + "/") for p in nested):
            continue
        if error.validator == "required":
            key = error.message.split("'")[1]
            yield ctx.finding(
                "BW101",
                f"required key '{key}' is missing (Zoho: \"Required key {key} is not available\")",
                pointer=pointer,
            )
        elif error.validator == "additionalProperties":
            for key in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
                hint = _suggest(key, error.schema.get("properties", {}))
                yield ctx.finding(
                    "BW103",
                    f"unknown key '{key}': Zoho ignores it{hint}",
                    pointer=f"{pointer}/{escape(key)}",
                )
        else:
            where = pointer or "the job"
            custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
            text = f"{json.dumps(error.instance)} {custom}" if custom else error.message
            yield ctx.finding("BW102", f"{where}: {text}", pointer=pointer)


@check("BW104")
def character_encoding(ctx: Context) -> Iterator[Finding]:
    name = ctx.job.character_encoding
    if name is None:
        return
    try:
        codecs.lookup(name)
    except LookupError:
        yield ctx.finding(
            "BW104",
            f"character_encoding '{name}' is not a known charset (e.g. UTF-8, ISO-8859-1, "
            "windows-1252)",
            pointer="/character_encoding",
        )


@check("BW110", "BW111")
def module_known(ctx: Context) -> Iterator[Finding]:
    known = ctx.modules.known_names()
    for binding in ctx.bindings:
        name = binding.resource.module
        pointer = f"{binding.resource.pointer}/module"
        if not name or binding.module is not None:
            continue
        if name in UNSUPPORTED_MODULES:
            yield ctx.finding(
                "BW110", f"module '{name}' is not available to bulk write", pointer=pointer
            )
        elif name.lower() in {k.lower() for k in known}:
            yield ctx.finding(
                "BW110",
                f"module '{name}' is not a module API name{_suggest(name, known)}",
                pointer=pointer,
            )
        else:
            yield ctx.finding(
                "BW111",
                f"no metadata for module '{name}': its fields cannot be checked; save "
                f"GET /crm/v8/settings/fields?module={name} as {name}.json in the "
                "--schema-dir folder",
                pointer=pointer,
            )


def _mapped(ctx: Context) -> Iterator[tuple[Binding, Module, FieldMapping, Field | None, dict]]:
    """Every mapping of every resource whose module bwlint knows, with its field
    (None if the module has no such field) and where to report it."""
    for binding in ctx.bindings:
        if binding.module is None:
            continue
        for mapping in binding.mappings:
            field = binding.module.get(mapping.api_name)
            yield binding, binding.module, mapping, field, _where(binding, mapping)


@check("BW120", "BW121", "BW122")
def mapped_fields(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    for binding, module, mapping, field, where in _mapped(ctx):
        if field is None:
            if mapping.auto:
                what = f"column '{mapping.header}' names no field of {module.api_name}"
            else:
                what = f"'{mapping.api_name}' is not a field of {module.api_name}"
            if module.bundled:
                what = what.replace("field of", "standard field of")
            hint = _suggest(mapping.api_name, module.fields)
            if module.bundled:
                hint += "; " + HOW_TO_GET_METADATA.format(module=module.api_name)
            yield ctx.finding("BW120", what + hint, module=module, **where)
        elif field.data_type in UNSUPPORTED_TYPES:
            yield ctx.finding(
                "BW122",
                f"'{field.api_name}' is a {field.data_type} field, which bulk write "
                "cannot set from a CSV column",
                module=module,
                **where,
            )
        elif not field.writable_by(operation) and not _is_key(binding, field.api_name):
            yield ctx.finding(
                "BW121",
                f"'{field.api_name}' is read-only for the API on {operation or 'this job'}"
                " (operation_type): Zoho will not write this column",
                module=module,
                **where,
            )


def _is_key(binding: Binding, api_name: str) -> bool:
    """`id` and the find_by field are keys to find records, not values to write."""
    return api_name == "id" or api_name == binding.resource.find_by


@check("BW130", "BW131", "BW132")
def find_by(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    for binding in ctx.bindings:
        resource = binding.resource
        key = resource.find_by
        if key is None:
            if operation in ("update", "upsert") and not binding.is_child:
                how = "--find-by" if ctx.job.path is None else "find_by"
                yield ctx.finding(
                    "BW130",
                    f"{operation} needs {how}: 'id' or a unique field to find the records",
                    pointer=resource.pointer,
                )
            continue
        pointer = f"{resource.pointer}/find_by"
        module = binding.module
        if module is not None and key != "id":
            field = module.get(key)
            if field is None:
                yield ctx.finding(
                    "BW131",
                    f"find_by '{key}' is not a field of {module.api_name}"
                    + _suggest(key, module.fields),
                    module=module,
                    pointer=pointer,
                )
            elif not field.unique:
                note = (
                    " (bundled metadata: if your org made it unique, pass --schema-dir)"
                    if module.bundled
                    else ""
                )
                yield ctx.finding(
                    "BW131",
                    f"find_by '{key}' is not a unique field of {module.api_name}: use 'id' or "
                    f"a field marked unique{note}",
                    module=module,
                    pointer=pointer,
                )
        has_columns = binding.data is not None or not binding.auto_mapped
        if has_columns and key not in binding.mapped_fields():
            yield ctx.finding(
                "BW132",
                f"find_by '{key}' is not mapped to any column, so no record can be found",
                pointer=pointer,
            )


@check("BW140", "BW141", "BW142")
def indexes(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        if binding.auto_mapped:
            continue
        width = len(binding.data.header) if binding.data is not None else None
        for mapping in binding.mappings:
            pointer = f"{mapping.pointer}/index"
            if mapping.index is None:
                if not mapping.has_default:
                    yield ctx.finding(
                        "BW142",
                        f"'{mapping.api_name}' has neither an index nor a default_value",
                        field=mapping.api_name,
                        pointer=mapping.pointer,
                    )
            elif mapping.index < 0:
                yield ctx.finding(
                    "BW140",
                    f"'{mapping.api_name}' has a negative index ({mapping.index}); indexes "
                    "count CSV columns from 0",
                    field=mapping.api_name,
                    pointer=pointer,
                )
            elif width is not None and mapping.index >= width:
                yield ctx.finding(
                    "BW141",
                    f"'{mapping.api_name}' maps index {mapping.index} but "
                    f"{binding.data.display} has {width} columns (indexes 0–{width - 1})",
                    field=mapping.api_name,
                    pointer=pointer,
                )


@check("BW150", "BW151")
def duplicate_mappings(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        fields: dict[str, FieldMapping] = {}
        columns: dict[int, FieldMapping] = {}
        for mapping in binding.mappings:
            where = _where(binding, mapping)
            first = fields.setdefault(mapping.api_name, mapping)
            if first is not mapping:
                place = f"column {first.index}" if first.auto else first.pointer
                yield ctx.finding(
                    "BW150",
                    f"'{mapping.api_name}' is mapped twice (first at {place})",
                    **where,
                )
            if mapping.index is None or mapping.auto:
                continue
            first = columns.setdefault(mapping.index, mapping)
            if first is not mapping:
                yield ctx.finding(
                    "BW151",
                    f"index {mapping.index} is mapped to both '{first.api_name}' and "
                    f"'{mapping.api_name}'",
                    **where,
                )


@check("BW160", "BW161")
def header_limit(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        if not binding.auto_mapped and len(binding.mappings) > HEADER_LIMIT:
            yield ctx.finding(
                "BW160",
                f"{len(binding.mappings)} fields are mapped; Zoho maps at most {HEADER_LIMIT}",
                pointer=f"{binding.resource.pointer}/field_mappings",
            )
    for data in ctx.files:
        if len(data.header) > HEADER_LIMIT:
            yield ctx.finding(
                "BW161",
                f"the CSV has {len(data.header)} columns; Zoho accepts at most {HEADER_LIMIT}",
                data=data,
            )


@check("BW170")
def mandatory_mapped(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation not in ("insert", "upsert"):
        return
    for binding in ctx.bindings:
        module = binding.module
        if module is None or (binding.resource.position > 0 and binding.data is None):
            continue
        if binding.auto_mapped and binding.data is None:
            continue
        mapped = binding.mapped_fields()
        if binding.is_child and binding.parent_field:
            mapped.add(binding.parent_field)  # the parent link: BW610 when missing
        missing = [f.api_name for f in module.mandatory() if f.api_name not in mapped]
        missing = [name for name in missing if module.get(name).writable_by("insert")]
        if not missing:
            continue
        names = ", ".join(missing)
        if operation == "insert":
            message = f"mandatory field(s) of {module.api_name} not mapped: {names}"
            severity = None
        else:
            message = (
                f"mandatory field(s) of {module.api_name} not mapped: {names}; upsert creates "
                "the records it does not find, and those need them"
            )
            severity = "warning"
        where = (
            {"data": binding.data}
            if binding.auto_mapped
            else {"pointer": f"{binding.resource.pointer}/field_mappings"}
        )
        if binding.auto_mapped and binding.data is None:
            where = {"pointer": binding.resource.pointer}
        yield ctx.finding("BW170", message, module=module, severity=severity, **where)


def _target_module(ctx: Context, module: Module, field_name: str) -> Module | None:
    field = module.get(field_name)
    if field is None or not field.lookup_module:
        return None
    return ctx.modules.get(field.lookup_module)


@check("BW180", "BW181", "BW182")
def lookups(ctx: Context) -> Iterator[Finding]:
    for _binding, module, mapping, field, where in _mapped(ctx):
        if field is None:
            continue
        if not field.is_lookup:
            if mapping.auto and mapping.find_by is not None:
                yield ctx.finding(
                    "BW182",
                    f"column '{mapping.header}': '{field.api_name}' is a {field.data_type} "
                    f"field, not a lookup; head the column '{field.api_name}'",
                    module=module,
                    **where,
                )
            continue
        if mapping.find_by is None and mapping.parent_column_index is None:
            how = (
                f"head the column '{field.api_name}.id' (or '{field.api_name}.<unique field>')"
                if mapping.auto
                else 'add "find_by": "id" (or a unique field of the target module)'
            )
            yield ctx.finding(
                "BW180",
                f"lookup '{field.api_name}' has no find_by, so Zoho cannot find the "
                f"record it points to: {how}",
                module=module,
                **where,
            )
            continue
        target = _target_module(ctx, module, field.api_name)
        key = mapping.find_by
        if target is None or key is None or key == "id" or target.get(key) is not None:
            continue
        pointer_where = dict(where)
        if not mapping.auto:
            pointer_where["pointer"] = f"{mapping.pointer}/find_by"
        yield ctx.finding(
            "BW181",
            f"lookup '{field.api_name}' finds {target.api_name} by '{key}', which is not a "
            f"field of {target.api_name}" + _suggest(key, target.fields),
            module=target,
            **pointer_where,
        )


@check("BW190", "BW191")
def formats(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        module = binding.module
        for mapping in binding.mappings:
            if mapping.format is None:
                continue
            field = module.get(mapping.api_name) if module else None
            kind = field.data_type if field else None
            if kind not in ("date", "datetime"):
                kind = "datetime" if any(c in mapping.format for c in "Hhk") else "date"
            pointer = f"{mapping.pointer}/format"
            problem = pattern_problem(mapping.format, kind)
            if problem:
                hint = " (mm is minutes; months are MM)" if "mm" in mapping.format else ""
                yield ctx.finding(
                    "BW190",
                    f"format '{mapping.format}' of '{mapping.api_name}' is not a valid {kind} "
                    f"pattern: {problem}{hint}",
                    field=mapping.api_name,
                    pointer=pointer,
                )
            elif mapping.format not in ctx.settings.allowed_formats(kind):
                yield ctx.finding(
                    "BW191",
                    f"format '{mapping.format}' of '{mapping.api_name}' is not in bwlint's list "
                    f"of {kind} formats (unverified: Zoho's own list is not published as "
                    "text); add it to the configuration's formats if Zoho accepts it",
                    field=mapping.api_name,
                    pointer=pointer,
                )
