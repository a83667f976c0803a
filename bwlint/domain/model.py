"""What bwlint reasons about: a job, its resources and mappings, and module metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bwlint.domain.enums import Operation

# Field types bulk write cannot set from a CSV column (Zoho's limitations page and
# the Kaizen type table): they are read-only by nature or go through child resources.
UNSUPPORTED_TYPES = frozenset(
    {
        "fileupload",
        "imageupload",
        "profileimage",
        "formula",
        "autonumber",
        "rollup_summary",
        "subform",
        "multiselectlookup",
        "multiuserlookup",
        "territories",
    }
)
LOOKUP_TYPES = frozenset({"lookup", "ownerlookup", "userlookup"})


@dataclass(frozen=True)
class Field:
    """One field of a module, as the Fields Metadata API describes it."""

    api_name: str
    data_type: str
    length: int | None = None
    system_mandatory: bool = False
    unique: bool = False
    read_only: bool = False
    api_create: bool = True
    api_update: bool = True
    picklist: tuple[str, ...] = ()  # actual values
    picklist_display: tuple[str, ...] = ()
    lookup_module: str | None = None
    decimal_place: int | None = None
    textarea_type: str | None = None
    label: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_lookup(self) -> bool:
        return self.data_type in LOOKUP_TYPES

    def writable_by(self, operation: Operation | None) -> bool:
        if operation is Operation.INSERT:
            return self.api_create
        if operation is Operation.UPDATE:
            return self.api_update
        return self.api_create and self.api_update


@dataclass(frozen=True)
class Layout:
    """One layout of a module, as the Layouts API describes it: the fields it requires."""

    id: str | None
    name: str | None
    required: frozenset[str]  # API names of the fields marked `required`


@dataclass(frozen=True)
class Module:
    """A module's fields (and layouts, from the org's metadata) and where bwlint learnt
    them."""

    api_name: str
    fields: dict[str, Field]
    source: str  # the metadata file's path
    bundled: bool  # True: bwlint's defaults, which cannot know an org's custom fields
    layouts: tuple[Layout, ...] = ()  # empty: no Layouts API body was given
    layouts_source: str | None = None

    def get(self, api_name: str) -> Field | None:
        return self.fields.get(api_name)

    def mandatory(self) -> list[Field]:
        return [f for f in self.fields.values() if f.system_mandatory]

    def layout(self, layout_id: str | None) -> Layout | None:
        """The layout a job writes with: the one of `layout_id` (a `Layout` mapping's
        default_value), else the module's default — the layout named Standard, else the
        first. None when the layouts are not known, or no layout has that id."""
        if not self.layouts:
            return None
        if layout_id is not None:
            return next((lay for lay in self.layouts if lay.id == layout_id), None)
        standard = [lay for lay in self.layouts if (lay.name or "").lower() == "standard"]
        return (standard or list(self.layouts))[0]


@dataclass(frozen=True)
class FieldMapping:
    """One entry of a resource's `field_mappings` (or one auto-mapped header)."""

    api_name: str
    pointer: str
    index: int | None = None
    find_by: str | None = None
    default_value: Any = None
    format: str | None = None
    parent_column_index: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    auto: bool = False  # built from a CSV header (Zoho's auto-mapping)
    header: str | None = None  # the CSV header for auto-mapped columns

    @property
    def has_default(self) -> bool:
        return isinstance(self.default_value, dict) and self.default_value.get("value") not in (
            None,
            "",
        )


@dataclass(frozen=True)
class Resource:
    """One object of the job's `resource` array."""

    position: int
    pointer: str
    module: str | None
    type: str | None = None
    file_id: str | None = None
    file_names: tuple[str, ...] = ()
    find_by: str | None = None
    field_mappings: tuple[FieldMapping, ...] | None = None  # None: auto-mapping
    ignore_empty: bool | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Job:
    """The Create Bulk Write Job request body."""

    operation: Operation | None  # None: missing or not one of Zoho's (BW101, BW102)
    resources: tuple[Resource, ...]
    raw: dict[str, Any]
    path: str | None = None  # None when built from --module
    character_encoding: str | None = None
    ignore_empty: bool = False
    text: str | None = None  # the JSON source, to locate pointers on lines
    duplicate_keys: tuple[str, ...] = ()  # keys given twice in one object (the last won)

    def ignore_empty_for(self, resource: Resource) -> bool:
        return resource.ignore_empty if resource.ignore_empty is not None else self.ignore_empty
