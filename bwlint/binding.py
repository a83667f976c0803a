"""Pair each job resource with its data file and its effective field mappings."""

from __future__ import annotations

from dataclasses import dataclass

from bwlint.load.data import DataFile
from bwlint.load.metadata import ModuleCatalog
from bwlint.model import FieldMapping, Job, Module, Resource


@dataclass(frozen=True)
class Binding:
    """A resource, its module's metadata, its CSV and the mappings Zoho will apply."""

    resource: Resource
    module: Module | None
    data: DataFile | None
    mappings: tuple[FieldMapping, ...]

    @property
    def auto_mapped(self) -> bool:
        return self.resource.field_mappings is None

    def mapped_fields(self) -> set[str]:
        return {m.api_name for m in self.mappings}


def auto_mappings(resource: Resource, data: DataFile) -> tuple[FieldMapping, ...]:
    """Zoho's auto-mapping: each header names a field; `Lookup.field` names a lookup."""
    mappings = []
    for index, header in enumerate(data.header):
        name = header.strip()
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


def find_data(resource: Resource, job: Job, files: list[DataFile]) -> DataFile | None:
    """The CSV of a resource: named by `file_names`, else the only data file there is."""
    if resource.file_names:
        for name in resource.file_names:
            for data in files:
                if data.name == name or data.display.endswith("/" + name):
                    return data
        return None
    if len(job.resources) == 1 and len(files) == 1:
        return files[0]
    if len(job.resources) == 1 and files:
        return files[0]
    return None


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
    return bindings
