"""Job rules about fields (BW120–BW161): the job's mappings against the module
metadata and the CSV. Each predicts a rejection of Create Bulk Write
Job, before any credit is spent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bwlint.checks.field_names import guess_field
from bwlint.checks.wording import setting
from bwlint.domain.enums import Operation
from bwlint.domain.finding import Finding
from bwlint.domain.model import UNSUPPORTED_TYPES, Field, FieldMapping, Module
from bwlint.engine import Context, check
from bwlint.project.binding import Binding
from bwlint.suggest import did_you_mean

HOW_TO_GET_METADATA = (
    "if it is a custom field, check against your org's metadata: save "
    "GET /crm/v8/settings/fields?module={module} as {module}.json and pass --schema-dir"
)


def where(binding: Binding, mapping: FieldMapping, key: str = "api_name") -> dict[str, Any]:
    """Location of a mapping: the value of its `key` in the job JSON (the field's name,
    by default), or the CSV header when auto-mapped."""
    if mapping.auto:
        return {"data": binding.data, "column_index": mapping.index, "field": mapping.api_name}
    return {"pointer": f"{mapping.pointer}/{key}", "field": mapping.api_name}


def mapped(ctx: Context) -> Iterator[tuple[Binding, Module, FieldMapping, Field | None]]:
    """Every mapping of every resource whose module bwlint knows, with its field (None
    if the module has no such field)."""
    for binding in ctx.bindings:
        if binding.module is None:
            continue
        for mapping in binding.mappings:
            yield binding, binding.module, mapping, binding.module.get(mapping.api_name)


def is_key(binding: Binding, api_name: str, operation: Operation | None = None) -> bool:
    """`id` and the find_by field are keys to find records, not values to write; on
    insert `id` is a key only as the find_by (insert then skips the records it finds)."""
    if api_name == "id" and operation is Operation.INSERT:
        return binding.resource.find_by == "id"
    return api_name == "id" or api_name == binding.resource.find_by


def _unknown_hint(module: Module, several: bool = False) -> str:
    if not module.bundled:
        return ""
    hint = HOW_TO_GET_METADATA.format(module=module.api_name)
    return "; " + (
        hint.replace("if it is a custom field", "if some are custom fields") if several else hint
    )


def _what_field(module: Module) -> str:
    return f"{'standard ' if module.bundled else ''}field of {module.api_name}"


@check("BW120")
def field_unknown(ctx: Context) -> Iterator[Finding]:
    unknown: dict[int, list[FieldMapping]] = {}  # auto-mapped headers, by binding
    for binding, module, mapping, field in mapped(ctx):
        if field is not None:
            continue
        if mapping.auto:
            unknown.setdefault(id(binding), []).append(mapping)
            continue
        guess = guess_field(mapping.api_name, module)
        hint = guess.question(mapping.api_name) if guess else ""
        yield ctx.finding(
            "BW120",
            f"'{mapping.api_name}' is not a {_what_field(module)}{hint}{_unknown_hint(module)}",
            module=module,
            **where(binding, mapping),
        )
    for binding in ctx.bindings:
        if id(binding) in unknown and binding.module is not None:
            yield _unknown_headers(ctx, binding, binding.module, unknown[id(binding)])


def _unknown_headers(
    ctx: Context, binding: Binding, module: Module, mappings: list[FieldMapping]
) -> Finding:
    """One finding for every header of a file that names no field (auto-mapping)."""
    names = []
    for mapping in mappings:
        header = (mapping.header or mapping.api_name).strip()
        guess = guess_field(header, module)
        names.append(guess.describe(header) if guess else f"'{header}'")
    if len(names) == 1:
        what = f"column {names[0]} names no {_what_field(module)}; rename the header to the "
        what += "field's API name"
    else:
        what = f"{len(names)} columns name no {_what_field(module)}: {', '.join(names)}; "
        what += "rename the headers to the fields' API names"
    first = mappings[0]
    return ctx.finding(
        "BW120",
        f"{what}, or write field_mappings (bwlint init writes them)"
        f"{_unknown_hint(module, len(names) > 1)}",
        module=module,
        data=binding.data,
        column_index=first.index,
        field=first.api_name if len(mappings) == 1 else None,
        value=", ".join((m.header or m.api_name).strip() for m in mappings),
    )


@check("BW121")
def field_not_writable(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    for binding, module, mapping, field in mapped(ctx):
        if field is None or field.data_type in UNSUPPORTED_TYPES:
            continue
        # a child's id is left to the parent-child rules (BW613)
        as_key = None if binding.is_child else operation
        if field.writable_by(operation) or is_key(binding, field.api_name, as_key):
            continue
        if field.api_name == "id":
            how = (
                '"operation": "update" with "find_by": "id"'
                if ctx.job.path is not None
                else "--operation update --find-by id"
            )
            message = (
                "an insert cannot set 'id' (api_create is false: the CRM gives each new "
                "record its id), so every record would be added anew; an export re-imported "
                f"to change its records is an update: {how}"
            )
        else:
            message = (
                f"'{field.api_name}' is read-only for the API on {operation or 'this job'}"
                " (operation_type): Zoho will not write this column"
            )
        yield ctx.finding("BW121", message, module=module, **where(binding, mapping))


@check("BW122")
def field_type_unsupported(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is not None and field.data_type in UNSUPPORTED_TYPES:
            yield ctx.finding(
                "BW122",
                f"'{field.api_name}' is a {field.data_type} field, which bulk write "
                "cannot set from a CSV column",
                module=module,
                **where(binding, mapping),
            )


@check("BW130")
def find_by_missing(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation is None or not operation.updates:
        return
    for binding in ctx.bindings:
        if binding.resource.find_by is None and not binding.is_child:
            how = setting(ctx, "find_by")
            yield ctx.finding(
                "BW130",
                f"{operation} needs {how}: 'id' or a unique field to find the records",
                pointer=binding.resource.pointer,
            )


@check("BW131")
def find_by_not_unique(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        key, module = binding.resource.find_by, binding.module
        if key is None or key == "id" or module is None:
            continue
        pointer = f"{binding.resource.pointer}/find_by"
        field = module.get(key)
        if field is None:
            message = (
                f"{setting(ctx, 'find_by')} '{key}' is not a field of {module.api_name}"
                f"{did_you_mean(key, module.fields)}"
            )
        elif not field.unique:
            note = (
                " (bundled metadata: if your org made it unique, pass --schema-dir)"
                if module.bundled
                else ""
            )
            message = (
                f"{setting(ctx, 'find_by')} '{key}' is not a unique field of "
                f"{module.api_name}: use 'id' or "
                f"a field marked unique{note}"
            )
        else:
            continue
        yield ctx.finding("BW131", message, module=module, pointer=pointer)


@check("BW132")
def find_by_not_mapped(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        key = binding.resource.find_by
        if key is None:
            continue
        has_columns = binding.data is not None or not binding.auto_mapped
        if has_columns and key not in binding.mapped_fields():
            yield ctx.finding(
                "BW132",
                f"{setting(ctx, 'find_by')} '{key}' is not mapped to any column, so no record "
                "can be found",
                pointer=f"{binding.resource.pointer}/find_by",
            )


def _explicit_mappings(ctx: Context) -> Iterator[tuple[Binding, FieldMapping]]:
    for binding in ctx.bindings:
        if not binding.auto_mapped:
            for mapping in binding.mappings:
                yield binding, mapping


@check("BW140")
def index_negative(ctx: Context) -> Iterator[Finding]:
    for _binding, mapping in _explicit_mappings(ctx):
        if mapping.index is not None and mapping.index < 0:
            yield ctx.finding(
                "BW140",
                f"'{mapping.api_name}' has a negative index ({mapping.index}); indexes "
                "count CSV columns from 0",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/index",
            )


@check("BW141")
def index_out_of_range(ctx: Context) -> Iterator[Finding]:
    for binding, mapping in _explicit_mappings(ctx):
        data = binding.data
        if data is None or mapping.index is None or mapping.index < len(data.header):
            continue
        width = len(data.header)
        yield ctx.finding(
            "BW141",
            f"'{mapping.api_name}' maps index {mapping.index} but "
            f"{data.display} has {width} columns (indexes 0–{width - 1})",
            field=mapping.api_name,
            pointer=f"{mapping.pointer}/index",
        )


@check("BW142")
def index_missing(ctx: Context) -> Iterator[Finding]:
    for _binding, mapping in _explicit_mappings(ctx):
        if mapping.raw.get("index") is not None:
            continue  # an index that is no whole number: BW102 says so
        if mapping.index is None and not mapping.has_default:
            yield ctx.finding(
                "BW142",
                f"'{mapping.api_name}' has neither an index nor a default_value",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/api_name",
            )


@check("BW150")
def field_mapped_twice(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        fields: dict[str, FieldMapping] = {}
        for mapping in binding.mappings:
            first = fields.setdefault(mapping.api_name, mapping)
            if first is not mapping:
                place = f"column {(first.index or 0) + 1}" if first.auto else first.pointer
                yield ctx.finding(
                    "BW150",
                    f"'{mapping.api_name}' is mapped twice (first at {place})",
                    **where(binding, mapping),
                )


@check("BW151")
def column_mapped_twice(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        columns: dict[int, FieldMapping] = {}
        for mapping in binding.mappings:
            if mapping.index is None or mapping.auto:
                continue
            first = columns.setdefault(mapping.index, mapping)
            if first is not mapping:
                yield ctx.finding(
                    "BW151",
                    f"index {mapping.index} is mapped to both '{first.api_name}' and "
                    f"'{mapping.api_name}'",
                    **where(binding, mapping, "index"),
                )


@check("BW160")
def mapping_limit(ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.limits.mappings
    for binding in ctx.bindings:
        if not binding.auto_mapped and len(binding.mappings) > limit:
            yield ctx.finding(
                "BW160",
                f"{len(binding.mappings)} fields are mapped; Zoho maps at most {limit}",
                pointer=f"{binding.resource.pointer}/field_mappings",
            )


@check("BW161")
def header_limit(ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.limits.headers
    for data in ctx.files:
        width = data.facts.too_wide or len(data.header)  # too wide: records not read
        if width > limit:
            unread = "; its records were not read" if data.facts.too_wide else ""
            yield ctx.finding(
                "BW161",
                f"the CSV has {width:,} columns; Zoho accepts at most {limit}{unread}",
                data=data,
            )


CHECKS = (
    field_unknown,
    field_not_writable,
    field_type_unsupported,
    find_by_missing,
    find_by_not_unique,
    find_by_not_mapped,
    index_negative,
    index_out_of_range,
    index_missing,
    field_mapped_twice,
    column_mapped_twice,
    mapping_limit,
    header_limit,
)
