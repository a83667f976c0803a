"""Job rules about mandatory fields (BW170–BW172): the fields a module and the job's
layout require on insert, and the layout the job names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bwlint.domain.enums import Operation, Severity
from bwlint.domain.finding import Finding
from bwlint.engine import Context, check
from bwlint.project.binding import LAYOUT, Binding


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
        if binding.auto_mapped:
            message = message.replace(
                "map them, or give them a default_value",
                "add their columns, or write a job JSON that gives them a default_value",
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


CHECKS = (mandatory_not_mapped, layout_mandatory_not_mapped, layout_unknown)
