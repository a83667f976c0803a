"""Job rules about modules and fields (BW110–BW170): the job's resources and mappings
against the module metadata and the CSV. Each predicts a rejection of Create Bulk Write
Job, before any credit is spent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bwlint.domain.enums import Operation, Severity
from bwlint.domain.finding import Finding
from bwlint.domain.model import UNSUPPORTED_TYPES, Field, FieldMapping, Module
from bwlint.engine import Context, check
from bwlint.load.metadata import UNSUPPORTED_MODULES
from bwlint.project.binding import LAYOUT, Binding
from bwlint.suggest import did_you_mean

HOW_TO_GET_METADATA = (
    "if it is a custom field, check against your org's metadata: save "
    "GET /crm/v8/settings/fields?module={module} as {module}.json and pass --schema-dir"
)


def where(binding: Binding, mapping: FieldMapping) -> dict[str, Any]:
    """Location of a mapping: its JSON pointer, or the CSV header when auto-mapped."""
    if mapping.auto:
        return {"data": binding.data, "column_index": mapping.index, "field": mapping.api_name}
    return {"pointer": mapping.pointer, "field": mapping.api_name}


def mapped(ctx: Context) -> Iterator[tuple[Binding, Module, FieldMapping, Field | None]]:
    """Every mapping of every resource whose module bwlint knows, with its field (None
    if the module has no such field)."""
    for binding in ctx.bindings:
        if binding.module is None:
            continue
        for mapping in binding.mappings:
            yield binding, binding.module, mapping, binding.module.get(mapping.api_name)


def is_key(binding: Binding, api_name: str) -> bool:
    """`id` and the find_by field are keys to find records, not values to write."""
    return api_name == "id" or api_name == binding.resource.find_by


def _unknown_modules(ctx: Context) -> Iterator[tuple[Binding, str, str]]:
    """(binding, module name, pointer) of each resource whose module has no metadata."""
    for binding in ctx.bindings:
        name = binding.resource.module
        if name and binding.module is None:
            yield binding, name, f"{binding.resource.pointer}/module"


def _not_available(ctx: Context, binding: Binding, name: str) -> str | None:
    """Why bulk write cannot take module `name`, if it cannot."""
    if name in UNSUPPORTED_MODULES:
        return f"module '{name}' is not available to bulk write"
    listed = ctx.modules.modules
    if listed is not None:  # the org's modules list decides
        entry = listed.get(name)
        if entry is None:
            return (
                f"module '{name}' is not in your org's modules list (modules.json)"
                f"{did_you_mean(name, listed)}"
            )
        if entry.get("api_supported") is False:
            return (
                f"module '{name}' is not available to the API in your org (api_supported is false)"
            )
        return None
    if binding.module is None:
        known = ctx.modules.known_names()
        if name.lower() in {k.lower() for k in known}:
            return f"module '{name}' is not a module API name{did_you_mean(name, known)}"
    return None


@check("BW110")
def module_not_available(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        name = binding.resource.module
        why = _not_available(ctx, binding, name) if name else None
        if why is not None:
            yield ctx.finding("BW110", why, pointer=f"{binding.resource.pointer}/module")


@check("BW111")
def module_metadata_missing(ctx: Context) -> Iterator[Finding]:
    for binding, name, pointer in _unknown_modules(ctx):
        if _not_available(ctx, binding, name) is not None:
            continue  # BW110 says it
        yield ctx.finding(
            "BW111",
            f"no metadata for module '{name}': its fields cannot be checked; save "
            f"GET /crm/v8/settings/fields?module={name} as {name}.json in the "
            "--schema-dir folder",
            pointer=pointer,
        )


@check("BW120")
def field_unknown(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is not None:
            continue
        if mapping.auto:
            what = f"column '{mapping.header}' names no field of {module.api_name}"
        else:
            what = f"'{mapping.api_name}' is not a field of {module.api_name}"
        hint = did_you_mean(mapping.api_name, module.fields)
        if module.bundled:
            what = what.replace("field of", "standard field of")
            hint += "; " + HOW_TO_GET_METADATA.format(module=module.api_name)
        yield ctx.finding("BW120", what + hint, module=module, **where(binding, mapping))


@check("BW121")
def field_not_writable(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    for binding, module, mapping, field in mapped(ctx):
        if field is None or field.data_type in UNSUPPORTED_TYPES:
            continue
        if field.writable_by(operation) or is_key(binding, field.api_name):
            continue
        yield ctx.finding(
            "BW121",
            f"'{field.api_name}' is read-only for the API on {operation or 'this job'}"
            " (operation_type): Zoho will not write this column",
            module=module,
            **where(binding, mapping),
        )


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
            how = "--find-by" if ctx.job.path is None else "find_by"
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
                f"find_by '{key}' is not a field of {module.api_name}"
                f"{did_you_mean(key, module.fields)}"
            )
        elif not field.unique:
            note = (
                " (bundled metadata: if your org made it unique, pass --schema-dir)"
                if module.bundled
                else ""
            )
            message = (
                f"find_by '{key}' is not a unique field of {module.api_name}: use 'id' or "
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
                f"find_by '{key}' is not mapped to any column, so no record can be found",
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
        if mapping.index is None and not mapping.has_default:
            yield ctx.finding(
                "BW142",
                f"'{mapping.api_name}' has neither an index nor a default_value",
                field=mapping.api_name,
                pointer=mapping.pointer,
            )


@check("BW150")
def field_mapped_twice(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        fields: dict[str, FieldMapping] = {}
        for mapping in binding.mappings:
            first = fields.setdefault(mapping.api_name, mapping)
            if first is not mapping:
                place = f"column {first.index}" if first.auto else first.pointer
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
                    **where(binding, mapping),
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


def _missing_mandatory(binding: Binding) -> list[str]:
    """Mandatory fields of the binding's module that it neither maps nor links."""
    module = binding.module
    assert module is not None
    mapped_names = binding.mapped_fields()
    if binding.is_child and binding.parent_field:
        mapped_names.add(binding.parent_field)  # the parent link: BW610 when missing
    return [
        f.api_name
        for f in module.mandatory()
        if f.api_name not in mapped_names and f.writable_by(Operation.INSERT)
    ]


@check("BW170")
def mandatory_not_mapped(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation is None or not operation.creates:
        return
    for binding in ctx.bindings:
        module = binding.module
        if module is None or (binding.resource.position > 0 and binding.data is None):
            continue
        if binding.auto_mapped and binding.data is None:
            continue
        missing = _missing_mandatory(binding)
        if not missing:
            continue
        names = ", ".join(missing)
        message = f"mandatory field(s) of {module.api_name} not mapped: {names}"
        severity = None
        if operation is Operation.UPSERT:
            message += "; upsert creates the records it does not find, and those need them"
            severity = Severity.WARNING
        place: dict[str, Any] = (
            {"data": binding.data}
            if binding.auto_mapped
            else {"pointer": f"{binding.resource.pointer}/field_mappings"}
        )
        yield ctx.finding("BW170", message, module=module, severity=severity, **place)


def _layout_place(binding: Binding) -> dict[str, Any]:
    if binding.auto_mapped:
        return {"data": binding.data}
    layout = next((m for m in binding.mappings if m.api_name == LAYOUT), None)
    if layout is not None:
        return {"pointer": f"{layout.pointer}/default_value"}
    return {"pointer": f"{binding.resource.pointer}/field_mappings"}


@check("BW171")
def layout_mandatory_not_mapped(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation is None or not operation.creates:
        return
    for binding in ctx.bindings:
        layout, module = binding.layout, binding.module
        if layout is None or module is None or (binding.auto_mapped and binding.data is None):
            continue
        missing = sorted(binding.layout_required() - binding.mapped_fields())
        if not missing:
            continue
        message = (
            f"field(s) required by the layout '{layout.name}' of {module.api_name} not "
            f'mapped: {", ".join(missing)} (Zoho: "All mandatory fields are not mapped for '
            'the layout"); map them, or give them a default_value'
        )
        severity = None
        if operation is Operation.UPSERT:
            message += "; upsert creates the records it does not find, and those need them"
            severity = Severity.WARNING
        yield ctx.finding(
            "BW171", message, module=module, severity=severity, **_layout_place(binding)
        )


@check("BW172")
def layout_unknown(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        module, chosen = binding.module, binding.layout_id
        if module is None or not module.layouts or chosen is None or binding.layout:
            continue
        names = ", ".join(f"{lay.name} ({lay.id})" for lay in module.layouts)
        yield ctx.finding(
            "BW172",
            f"the Layout mapping names layout id '{chosen}', which is no layout of "
            f"{module.api_name} in {module.layouts_source} ({names})",
            module=module,
            **_layout_place(binding),
        )


CHECKS = (
    module_not_available,
    module_metadata_missing,
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
    mandatory_not_mapped,
    layout_mandatory_not_mapped,
    layout_unknown,
)
