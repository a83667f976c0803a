"""Parent-child rules about the job's structure (BW601–BW616): one job, a parent module
and its children in one zip — which resource is the parent, its children's
`parent_column_index`, `file_id` and `file_names`. Which resource is the parent and
what kind each child is comes from bwlint/project/binding.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from bwlint.domain.finding import Finding
from bwlint.domain.model import FieldMapping
from bwlint.engine import Context, check
from bwlint.load.data import DataFile
from bwlint.project.binding import (
    LINKING,
    PARENT_ID,
    SUBFORM,
    Binding,
    named,
    nested_resources,
)
from bwlint.suggest import did_you_mean


def is_parent_child(ctx: Context) -> bool:
    return len(ctx.job.resources) > 1


def name_of(binding: Binding) -> str:
    return binding.resource.module or f"resource {binding.resource.position + 1}"


def children(ctx: Context) -> Iterator[Binding]:
    return (b for b in ctx.bindings if b.is_child)


def header_of(data: DataFile | None, index: int | None) -> str:
    """A column as messages name it: 1-based, with its header (an index past the last
    column is named as the index the job gives)."""
    if data is None or index is None or not 0 <= index < len(data.header):
        return f"index {index}"
    return f"column {index + 1} ('{data.header[index]}')"


@check("BW601")
def parent_not_first(ctx: Context) -> Iterator[Finding]:
    parent = next((b.parent for b in children(ctx)), None)
    if parent is None or parent.resource.position == 0:
        return
    first = ctx.bindings[0]
    yield ctx.finding(
        "BW601",
        f"the first resource is '{name_of(first)}', a child (it maps parent_column_index); "
        f"the parent '{name_of(parent)}' (resource {parent.resource.position + 1}) must come "
        "first in resource",
        pointer=first.resource.pointer,
    )


@check("BW602")
def file_id_differs(ctx: Context) -> Iterator[Finding]:
    for child in children(ctx):
        assert child.parent is not None
        ours, theirs = child.resource.file_id, child.parent.resource.file_id
        if ours is None or theirs is None or ours == theirs:
            continue
        yield ctx.finding(
            "BW602",
            f"file_id '{ours}' of '{name_of(child)}' differs from the parent's ('{theirs}'): a "
            "parent-child job uploads one zip, and every resource uses its file_id",
            pointer=f"{child.resource.pointer}/file_id",
        )


@check("BW603")
def file_names_missing(ctx: Context) -> Iterator[Finding]:
    if not is_parent_child(ctx):
        return
    for binding in ctx.bindings:
        resource = binding.resource
        if not resource.file_names and "file_names" not in resource.raw:
            yield ctx.finding(
                "BW603",
                f"'{name_of(binding)}' has no file_names: in a parent-child job each resource "
                "names its CSV in the zip",
                pointer=resource.pointer,
            )


@check("BW608")
def parent_child_mappings_missing(ctx: Context) -> Iterator[Finding]:
    if not is_parent_child(ctx):
        return
    for binding in ctx.bindings:
        resource = binding.resource
        if resource.field_mappings is None and "field_mappings" not in resource.raw:
            link = " (with the parent link, parent_column_index)" if binding.is_child else ""
            yield ctx.finding(
                "BW608",
                f"'{name_of(binding)}' has no field_mappings: a parent-child job maps every "
                f"column explicitly{link}",
                pointer=resource.pointer,
            )


def _file_names(ctx: Context) -> Iterator[tuple[Binding, int, str, str]]:
    """(binding, position in file_names, name, pointer) of every file_names entry of a
    job JSON (with --module there are none)."""
    if ctx.job.path is None:
        return
    for binding in ctx.bindings:
        for number, name in enumerate(binding.resource.file_names):
            yield binding, number, name, f"{binding.resource.pointer}/file_names/{number}"


@check("BW604")
def file_name_not_found(ctx: Context) -> Iterator[Finding]:
    if not ctx.files:
        return
    available = [data.name for data in ctx.files]
    for _binding, _number, name, pointer in _file_names(ctx):
        if not any(named(data, name) for data in ctx.files):
            yield ctx.finding(
                "BW604",
                f"file_names names '{name}', which is not among the data files "
                f"({', '.join(available)}){did_you_mean(name, available, cutoff=0.6)}",
                pointer=pointer,
            )


@check("BW605")
def file_not_mapped(ctx: Context) -> Iterator[Finding]:
    if ctx.job.path is None:  # --module: no file_names to check
        return
    read = {id(b.data) for b in ctx.bindings if b.data is not None}
    nested = {name for n in nested_resources(ctx.job) for name in n.file_names}
    single = len(ctx.job.resources) == 1
    for data in ctx.files:
        if id(data) in read or data.name in nested:
            continue
        if single and data.zip_path is not None:
            continue  # a single-module job's zip holds one CSV: BW212 names the others
        if not data.readable:
            continue  # BW201/BW202 already say why it is not read
        yield ctx.finding(
            "BW605",
            f"no resource of the job reads '{data.name}', so Zoho does not import it: add it "
            "to the file_names of the resource it belongs to, or leave it out",
            data=data,
        )


@check("BW606")
def module_several_files(ctx: Context) -> Iterator[Finding]:
    if ctx.job.path is None:
        return
    module_at: dict[str, int] = {}
    for binding in ctx.bindings:
        resource = binding.resource
        if not resource.module:
            continue
        first = module_at.setdefault(resource.module, resource.position)
        if first != resource.position:
            yield ctx.finding(
                "BW606",
                f"module '{resource.module}' is already resource {first + 1}: each module "
                "maps to exactly one CSV, so put all its rows in one",
                pointer=f"{resource.pointer}/module",
            )
    for binding, number, _name, pointer in _file_names(ctx):
        if number == 1:
            yield ctx.finding(
                "BW606",
                f"'{name_of(binding)}' lists {len(binding.resource.file_names)} CSVs: each "
                "module maps to exactly one CSV",
                pointer=pointer,
            )


@check("BW607")
def file_several_modules(ctx: Context) -> Iterator[Finding]:
    named_by: dict[str, int] = {}
    for binding, _number, name, pointer in _file_names(ctx):
        first = named_by.setdefault(name, binding.resource.position)
        if first != binding.resource.position:
            yield ctx.finding(
                "BW607",
                f"'{name}' is already the CSV of resource {first + 1} "
                f"('{name_of(ctx.bindings[first])}'): each CSV holds one module's rows",
                pointer=pointer,
            )


def _links(child: Binding) -> list[FieldMapping]:
    """A child's mappings that carry parent_column_index (one is right)."""
    return [m for m in child.mappings if m.parent_column_index is not None]


def _keyed_children(ctx: Context) -> Iterator[tuple[Binding, list[FieldMapping]]]:
    """Children with field_mappings (BW608 names those without), and their links."""
    for child in children(ctx):
        if child.resource.field_mappings is not None:
            yield child, _links(child)


@check("BW610")
def parent_column_index_missing(ctx: Context) -> Iterator[Finding]:
    for child, links in _keyed_children(ctx):
        if links:
            continue
        assert child.parent is not None
        parent = name_of(child.parent)
        field = child.parent_field or (PARENT_ID if child.kind == SUBFORM else "<parent lookup>")
        yield ctx.finding(
            "BW610",
            f"'{name_of(child)}' ({child.kind_label} of {parent}) has no mapping with "
            f"parent_column_index, so its rows cannot be linked to their {parent} rows: add "
            f'it to the {field} mapping, e.g. {{"api_name": "{field}", "parent_column_index": '
            f'<{parent} CSV column of the key>, "index": <this CSV\'s column of the key>}}',
            pointer=f"{child.resource.pointer}/field_mappings",
        )


def _wrong_key(
    child: Binding, links: list[FieldMapping]
) -> Iterator[tuple[str, FieldMapping, str]]:
    """(message, mapping, pointer) of each way the child's parent link is wrong."""
    key = links[0]
    for extra in links[1:]:
        yield (
            f"'{extra.api_name}' also has parent_column_index; only one mapping links a row "
            f"to its parent (already '{key.api_name}')",
            extra,
            f"{extra.pointer}/parent_column_index",
        )
    expected = child.parent_field
    if expected is not None and key.api_name != expected:
        assert child.parent is not None
        what = (
            f"for a {child.kind_label} it belongs on the {PARENT_ID} mapping"
            if child.kind == SUBFORM
            else f"in a linking module it belongs on the lookup to {name_of(child.parent)}, "
            f"'{expected}'"
        )
        yield (
            f"parent_column_index is on '{key.api_name}'; {what}",
            key,
            f"{key.pointer}/parent_column_index",
        )
    parent_id = next((m for m in child.mappings if m.api_name == PARENT_ID), None)
    if child.kind == SUBFORM and parent_id is not None and parent_id.find_by not in (None, "id"):
        yield (
            f"{PARENT_ID} finds its parent by '{parent_id.find_by}'; it takes find_by 'id' "
            "(or none, with parent_column_index)",
            parent_id,
            f"{parent_id.pointer}/find_by",
        )


@check("BW611")
def parent_key_field_wrong(ctx: Context) -> Iterator[Finding]:
    for child, links in _keyed_children(ctx):
        if not links:
            continue
        for message, mapping, pointer in _wrong_key(child, links):
            yield ctx.finding("BW611", message, field=mapping.api_name, pointer=pointer)


@check("BW612")
def parent_column_index_out_of_range(ctx: Context) -> Iterator[Finding]:
    for child, links in _keyed_children(ctx):
        assert child.parent is not None
        data = child.parent.data
        if not links or data is None:
            continue
        key, width = links[0], len(data.header)
        index = key.parent_column_index
        if index is not None and index >= width:
            yield ctx.finding(
                "BW612",
                f"parent_column_index {index} of '{key.api_name}' points beyond the parent "
                f"CSV: {data.display} has {width} columns (0–{width - 1}); "
                "parent_column_index counts the parent CSV's columns, index the child's",
                field=key.api_name,
                pointer=f"{key.pointer}/parent_column_index",
            )


@check("BW613")
def linking_field_not_lookup(ctx: Context) -> Iterator[Finding]:
    for child in children(ctx):
        if child.kind != LINKING or child.module is None:
            continue
        for mapping in child.mappings:
            field = child.module.get(mapping.api_name)
            if field is None or field.is_lookup:
                continue  # an unknown field is BW120's
            yield ctx.finding(
                "BW613",
                f"'{field.api_name}' is a {field.data_type} field; a linking module "
                f"('{name_of(child)}') takes only its lookup fields",
                module=child.module,
                field=field.api_name,
                pointer=f"{mapping.pointer}/api_name",
            )


@check("BW614")
def resource_nested_in_mappings(ctx: Context) -> Iterator[Finding]:
    for nested in nested_resources(ctx.job):
        owner = nested.owner
        module = f"module '{nested.module}'" if nested.module else "no module"
        files = f", file {', '.join(nested.file_names)}" if nested.file_names else ""
        file_id = nested.raw.get("file_id")
        same = (
            f"; give it the job's file_id '{owner.file_id}' too"
            if isinstance(file_id, (str, int)) and owner.file_id and str(file_id) != owner.file_id
            else ""
        )
        yield ctx.finding(
            "BW614",
            f"a resource object ({module}{files}) is nested inside the field_mappings of "
            f"'{owner.module or owner.position + 1}', as in Zoho's own parent-child sample: "
            "Zoho reads it as a field mapping and does not import that child; move it to the "
            f"top-level resource array, after the parent{same}",
            pointer=nested.pointer,
        )


@check("BW615")
def parent_missing(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        if binding.is_child:
            continue
        for mapping in binding.mappings:
            if mapping.parent_column_index is None:
                continue
            if is_parent_child(ctx):
                why = "it is the parent of this job, and a parent links to no row"
            else:
                why = (
                    "the job has no parent resource: add the parent first, or, to add rows "
                    f"to records already in the CRM, map {PARENT_ID} with find_by 'id' to "
                    "their record ids"
                )
            yield ctx.finding(
                "BW615",
                f"'{mapping.api_name}' of '{name_of(binding)}' has parent_column_index, but {why}",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/parent_column_index",
            )


@check("BW616")
def child_not_of_parent(ctx: Context) -> Iterator[Finding]:
    for child in children(ctx):
        assert child.parent is not None
        parent = child.parent
        if child.declared or parent.module is None or not child.resource.module:
            continue
        yield ctx.finding(
            "BW616",
            f"'{child.resource.module}' is not a subform, line item or linking module of "
            f"{parent.module.api_name} in its metadata ({parent.module.source})",
            module=parent.module,
            pointer=f"{child.resource.pointer}/module",
        )


CHECKS = (
    parent_not_first,
    file_id_differs,
    file_names_missing,
    file_name_not_found,
    file_not_mapped,
    module_several_files,
    file_several_modules,
    parent_child_mappings_missing,
    parent_column_index_missing,
    parent_key_field_wrong,
    parent_column_index_out_of_range,
    linking_field_not_lookup,
    resource_nested_in_mappings,
    parent_missing,
    child_not_of_parent,
)
