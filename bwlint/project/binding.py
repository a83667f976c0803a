"""Pair each job resource with its data file and its effective field mappings.

In a parent-child job (more than one resource) one resource is the parent — the first
that links to no other, which Zoho wants first in `resource` — and every other resource
is its child: a subform, a line-item module or a linking module (multi-select or
multi-user lookup), whose rows name their parent row through the mapping that carries
`parent_column_index`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bwlint.domain.model import FieldMapping, Job, Layout, Module, Resource
from bwlint.load.data import DataFile
from bwlint.load.job import module_name
from bwlint.load.metadata import ModuleCatalog

SUBFORM = "subform"  # subforms and line items: the parent key is Parent_Id
LINKING = "linking"  # linking module of a multi-select / multi-user lookup
LINE_ITEM_PARENTS = {
    "Quoted_Items": "Quotes",
    "Ordered_Items": "Sales_Orders",
    "Invoiced_Items": "Invoices",
    "Purchased_Items": "Purchase_Orders",
}
PARENT_ID = "Parent_Id"
LAYOUT = "Layout"  # the mapping that names the layout (default_value: its id)
# Keys only a resource object has: one of them inside `field_mappings` is a resource
# nested where a field mapping belongs (the mistake of Zoho's own parent-child sample).
RESOURCE_ONLY_KEYS = ("type", "file_id", "file_names", "field_mappings")


@dataclass(frozen=True)
class Binding:
    """A resource, its module's metadata, its CSV and the mappings Zoho will apply."""

    resource: Resource
    module: Module | None
    data: DataFile | None
    mappings: tuple[FieldMapping, ...]
    parent: Binding | None = None  # a child resource's parent
    kind: str | None = None  # a child's kind: SUBFORM or LINKING (None: unknown)
    parent_field: str | None = None  # the child's field that must carry parent_column_index
    declared: bool = False  # the parent's metadata names this child module

    @property
    def auto_mapped(self) -> bool:
        return self.resource.field_mappings is None

    @property
    def is_child(self) -> bool:
        return self.parent is not None

    @property
    def parent_key(self) -> FieldMapping | None:
        """The mapping that links a row to its parent row (it has parent_column_index)."""
        for mapping in self.mappings:
            if mapping.parent_column_index is not None:
                return mapping
        return None

    @property
    def kind_label(self) -> str:
        if self.kind == SUBFORM:
            return "line-item module" if self.resource.module in LINE_ITEM_PARENTS else "subform"
        if self.kind == LINKING:
            return "linking module"
        return "child module"

    def mapped_fields(self) -> set[str]:
        return {m.api_name for m in self.mappings}

    @property
    def layout_id(self) -> str | None:
        """The layout id the job gives (the `Layout` mapping's default_value), if any."""
        for mapping in self.mappings:
            if mapping.api_name == LAYOUT and mapping.has_default:
                return str(mapping.default_value["value"])
        return None

    @property
    def layout(self) -> Layout | None:
        """The layout the records are written with (None: its layouts are not known)."""
        return self.module.layout(self.layout_id) if self.module is not None else None

    def layout_required(self) -> frozenset[str]:
        """Fields the layout requires beyond the module's system-mandatory ones."""
        layout = self.layout
        if layout is None or self.module is None:
            return frozenset()
        mandatory = {f.api_name for f in self.module.mandatory()}
        return frozenset(layout.required - mandatory - {LAYOUT})


@dataclass(frozen=True)
class NestedResource:
    """A resource object written inside another resource's `field_mappings`."""

    pointer: str
    owner: Resource
    raw: dict[str, Any]

    @property
    def module(self) -> str | None:
        return module_name(self.raw.get("module"))

    @property
    def file_names(self) -> tuple[str, ...]:
        names = self.raw.get("file_names")
        return tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()


def nested_resources(job: Job) -> list[NestedResource]:
    found = []
    for resource in job.resources:
        entries = resource.raw.get("field_mappings")
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries):
            if isinstance(entry, dict) and any(key in entry for key in RESOURCE_ONLY_KEYS):
                pointer = f"{resource.pointer}/field_mappings/{number}"
                found.append(NestedResource(pointer, resource, entry))
    return found


def auto_mappings(resource: Resource, data: DataFile) -> tuple[FieldMapping, ...]:
    """Zoho's auto-mapping: each header names a field; `Lookup.field` names a lookup.
    A header cell with no name (Excel's empty trailing cells) maps nothing: BW206."""
    mappings = []
    for index, header in enumerate(data.header):
        name = header.strip()
        if not name:
            continue
        base, dot, target = name.partition(".")
        mappings.append(
            FieldMapping(
                api_name=base if dot else name,
                pointer=resource.pointer,
                index=index,
                find_by=target if dot else None,
                auto=True,
                header=header,
            )
        )
    return tuple(mappings)


def named(data: DataFile, name: str) -> bool:
    """Whether a `file_names` entry names this CSV (its name, or its path in the zip)."""
    return data.name == name or data.display.endswith("/" + name)


def find_data(resource: Resource, job: Job, files: list[DataFile]) -> DataFile | None:
    """The CSV of a resource: named by `file_names`, else the only data file there is."""
    if resource.file_names:
        for name in resource.file_names:
            for data in files:
                if named(data, name):
                    return data
        return None
    if len(job.resources) == 1 and files:
        # one upload of a single-module job: its CSV (a zip with several is BW212's;
        # the first is checked)
        return files[0]
    return None


def parent_position(job: Job) -> int | None:
    """The parent resource of a parent-child job: the first that links to no parent."""
    if len(job.resources) < 2:
        return None
    for resource in job.resources:
        mappings = resource.field_mappings or ()
        if all(m.parent_column_index is None for m in mappings):
            return resource.position
    return 0


def _linking_field(child: Module | None, parent_module: str | None) -> str | None:
    """The lookup of a linking module that points at the parent module."""
    if child is None or parent_module is None:
        return None
    for field in child.fields.values():
        if field.is_lookup and field.lookup_module == parent_module:
            return field.api_name
    return None


def child_kind(parent: Binding, child: Binding) -> tuple[str | None, str | None, bool]:
    """(kind, parent-key field, declared by the parent's metadata) of a child resource."""
    name = child.resource.module
    if parent.module is not None and name:
        for field in parent.module.fields.values():
            associated = field.raw.get("associated_module")
            if field.data_type == "subform" and (
                isinstance(associated, dict) and associated.get("module") == name
            ):
                return SUBFORM, PARENT_ID, True
            for key in ("multiselectlookup", "multiuserlookup"):
                info = field.raw.get(key)
                if not isinstance(info, dict):
                    continue
                linking = info.get("linking_module")
                if isinstance(linking, dict) and linking.get("api_name") == name:
                    named_lookup = info.get("lookup_apiname")
                    if isinstance(named_lookup, str) and named_lookup:
                        return LINKING, named_lookup, True
                    return LINKING, _linking_field(child.module, parent.resource.module), True
    if name in LINE_ITEM_PARENTS or (child.module is not None and child.module.get(PARENT_ID)):
        return SUBFORM, PARENT_ID, False
    lookup = _linking_field(child.module, parent.resource.module)
    if lookup is not None:
        return LINKING, lookup, False
    link = child.parent_key
    if link is not None and link.api_name == PARENT_ID:
        return SUBFORM, PARENT_ID, False
    return None, None, False  # not a child module as far as bwlint knows: BW616


def bind(job: Job, catalog: ModuleCatalog, files: list[DataFile]) -> list[Binding]:
    bindings = []
    for resource in job.resources:
        module = catalog.get(resource.module) if resource.module else None
        data = find_data(resource, job, files)
        if resource.field_mappings is not None:
            mappings = resource.field_mappings
        elif data is not None:
            mappings = auto_mappings(resource, data)
        else:
            mappings = ()
        bindings.append(Binding(resource, module, data, mappings))
    position = parent_position(job)
    if position is None:
        return bindings
    parent = bindings[position]
    for number, child in enumerate(bindings):
        if number != position:
            kind, field, declared = child_kind(parent, child)
            bindings[number] = replace(
                child, parent=parent, kind=kind, parent_field=field, declared=declared
            )
    return bindings
