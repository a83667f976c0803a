"""Parent-child rules (BW6xx): one job, a parent module and its children in one zip.

The job's structure (which resource is the parent, its children's `parent_column_index`,
`file_id` and `file_names`) and the links between the rows of the parent CSV and each
child CSV. Which resource is the parent and what kind each child is comes from
bwlint/binding.py; the row links from bwlint/relations.py.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import polars as pl

from bwlint.binding import (
    LINE_ITEM_PARENTS,
    LINKING,
    PARENT_ID,
    SUBFORM,
    Binding,
    named,
    nested_resources,
)
from bwlint.engine import Context, check
from bwlint.findings import Finding, shorten
from bwlint.load.data import DataFile
from bwlint.relations import Link, link_of

KEY_CODES_NOT_SKIPPING = ("BW621",)  # record errors that do not mean "parent skipped"


def _parent_child(ctx: Context) -> bool:
    return len(ctx.job.resources) > 1


def _name(binding: Binding) -> str:
    return binding.resource.module or f"resource {binding.resource.position + 1}"


def _children(ctx: Context) -> Iterator[Binding]:
    return (b for b in ctx.bindings if b.is_child)


def _header(data: DataFile | None, index: int | None) -> str:
    if data is None or index is None or not 0 <= index < len(data.header):
        return f"column {index}"
    return f"column {index} ('{data.header[index]}')"


@check("BW601")
def parent_first(ctx: Context) -> Iterator[Finding]:
    parent = next((b.parent for b in _children(ctx)), None)
    if parent is None or parent.resource.position == 0:
        return
    first = ctx.bindings[0]
    yield ctx.finding(
        "BW601",
        f"the first resource is '{_name(first)}', a child (it maps parent_column_index); "
        f"the parent '{_name(parent)}' (resource {parent.resource.position + 1}) must come "
        "first in resource",
        pointer=first.resource.pointer,
    )


@check("BW602")
def same_file_id(ctx: Context) -> Iterator[Finding]:
    for child in _children(ctx):
        assert child.parent is not None
        ours, theirs = child.resource.file_id, child.parent.resource.file_id
        if ours is None or theirs is None or ours == theirs:
            continue
        yield ctx.finding(
            "BW602",
            f"file_id '{ours}' of '{_name(child)}' differs from the parent's ('{theirs}'): a "
            "parent-child job uploads one zip, and every resource uses its file_id",
            pointer=f"{child.resource.pointer}/file_id",
        )


@check("BW603", "BW608")
def names_and_mappings(ctx: Context) -> Iterator[Finding]:
    if not _parent_child(ctx):
        return
    for binding in ctx.bindings:
        resource = binding.resource
        if not resource.file_names and "file_names" not in resource.raw:
            yield ctx.finding(
                "BW603",
                f"'{_name(binding)}' has no file_names: in a parent-child job each resource "
                "names its CSV in the zip",
                pointer=resource.pointer,
            )
        if resource.field_mappings is None and "field_mappings" not in resource.raw:
            link = " (with the parent link, parent_column_index)" if binding.is_child else ""
            yield ctx.finding(
                "BW608",
                f"'{_name(binding)}' has no field_mappings: a parent-child job maps every "
                f"column explicitly{link}",
                pointer=resource.pointer,
            )


def _nested_file_names(ctx: Context) -> set[str]:
    return {name for nested in nested_resources(ctx.job) for name in nested.file_names}


@check("BW604", "BW605", "BW606", "BW607")
def file_names(ctx: Context) -> Iterator[Finding]:
    if ctx.job.path is None:  # --module: no file_names to check
        return
    available = [data.name for data in ctx.files]
    named_by: dict[str, int] = {}
    module_at: dict[str, int] = {}
    for binding in ctx.bindings:
        resource = binding.resource
        if resource.module:
            first = module_at.setdefault(resource.module, resource.position)
            if first != resource.position:
                yield ctx.finding(
                    "BW606",
                    f"module '{resource.module}' is already resource {first + 1}: each module "
                    "maps to exactly one CSV, so put all its rows in one",
                    pointer=f"{resource.pointer}/module",
                )
        for number, name in enumerate(resource.file_names):
            pointer = f"{resource.pointer}/file_names/{number}"
            if number == 1:
                yield ctx.finding(
                    "BW606",
                    f"'{_name(binding)}' lists {len(resource.file_names)} CSVs: each module maps "
                    "to exactly one CSV",
                    pointer=pointer,
                )
            first = named_by.setdefault(name, resource.position)
            if first != resource.position:
                yield ctx.finding(
                    "BW607",
                    f"'{name}' is already the CSV of resource {first + 1} "
                    f"('{_name(ctx.bindings[first])}'): each CSV holds one module's rows",
                    pointer=pointer,
                )
            if ctx.files and not any(named(data, name) for data in ctx.files):
                close = difflib.get_close_matches(name, available, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                yield ctx.finding(
                    "BW604",
                    f"file_names names '{name}', which is not among the data files "
                    f"({', '.join(available)}){hint}",
                    pointer=pointer,
                )
    read = {id(b.data) for b in ctx.bindings if b.data is not None}
    nested = _nested_file_names(ctx)
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


@check("BW610", "BW611", "BW612", "BW615")
def parent_key(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        if binding.is_child:
            yield from _child_key(ctx, binding)
            continue
        for mapping in binding.mappings:
            if mapping.parent_column_index is None:
                continue
            if _parent_child(ctx):
                why = "it is the parent of this job, and a parent links to no row"
            else:
                why = (
                    "the job has no parent resource: add the parent first, or, to add rows "
                    f"to records already in the CRM, map {PARENT_ID} with find_by 'id' to "
                    "their record ids"
                )
            yield ctx.finding(
                "BW615",
                f"'{mapping.api_name}' of '{_name(binding)}' has parent_column_index, but {why}",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/parent_column_index",
            )


def _child_key(ctx: Context, child: Binding) -> Iterator[Finding]:
    assert child.parent is not None
    parent = child.parent
    if child.resource.field_mappings is None:
        return  # BW608 says it: no field_mappings at all
    links = [m for m in child.mappings if m.parent_column_index is not None]
    expected = child.parent_field
    of = f"'{_name(child)}' ({child.kind_label} of {_name(parent)})"
    if not links:
        field = expected or (PARENT_ID if child.kind == SUBFORM else "<parent lookup>")
        yield ctx.finding(
            "BW610",
            f"{of} has no mapping with parent_column_index, so its rows cannot be linked to "
            f"their {_name(parent)} rows: add it to the {field} mapping, e.g. "
            f'{{"api_name": "{field}", "parent_column_index": <{_name(parent)} CSV column of '
            'the key>, "index": <this CSV\'s column of the key>}',
            pointer=f"{child.resource.pointer}/field_mappings",
        )
        return
    key = links[0]
    for extra in links[1:]:
        yield ctx.finding(
            "BW611",
            f"'{extra.api_name}' also has parent_column_index; only one mapping links a row to "
            f"its parent (already '{key.api_name}')",
            field=extra.api_name,
            pointer=f"{extra.pointer}/parent_column_index",
        )
    if expected is not None and key.api_name != expected:
        what = (
            f"for a {child.kind_label} it belongs on the {PARENT_ID} mapping"
            if child.kind == SUBFORM
            else f"in a linking module it belongs on the lookup to {_name(parent)}, '{expected}'"
        )
        yield ctx.finding(
            "BW611",
            f"parent_column_index is on '{key.api_name}'; {what}",
            field=key.api_name,
            pointer=f"{key.pointer}/parent_column_index",
        )
    parent_id = next((m for m in child.mappings if m.api_name == PARENT_ID), None)
    if child.kind == SUBFORM and parent_id is not None and parent_id.find_by not in (None, "id"):
        yield ctx.finding(
            "BW611",
            f"{PARENT_ID} finds its parent by '{parent_id.find_by}'; it takes find_by 'id' (or "
            "none, with parent_column_index)",
            field=PARENT_ID,
            pointer=f"{parent_id.pointer}/find_by",
        )
    width = len(parent.data.header) if parent.data is not None else None
    index = key.parent_column_index
    if width is not None and index is not None and index >= width:
        assert parent.data is not None
        yield ctx.finding(
            "BW612",
            f"parent_column_index {index} of '{key.api_name}' points beyond the parent CSV: "
            f"{parent.data.display} has {width} columns (0–{width - 1}); parent_column_index "
            "counts the parent CSV's columns, index the child's",
            field=key.api_name,
            pointer=f"{key.pointer}/parent_column_index",
        )


@check("BW613")
def linking_lookups_only(ctx: Context) -> Iterator[Finding]:
    for child in _children(ctx):
        if child.kind != LINKING or child.module is None:
            continue
        for mapping in child.mappings:
            field = child.module.get(mapping.api_name)
            if field is None or field.is_lookup:
                continue  # an unknown field is BW120's
            yield ctx.finding(
                "BW613",
                f"'{field.api_name}' is a {field.data_type} field; a linking module "
                f"('{_name(child)}') takes only its lookup fields",
                module=child.module,
                field=field.api_name,
                pointer=mapping.pointer,
            )


@check("BW614")
def nested_resource(ctx: Context) -> Iterator[Finding]:
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


@check("BW616")
def child_of_parent(ctx: Context) -> Iterator[Finding]:
    for child in _children(ctx):
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


def _parent_where(link: Link) -> str:
    assert link.parent.data is not None
    return f"{_header(link.parent.data, link.parent_column)} of {link.parent.data.name}"


@check("BW620")
def orphans(ctx: Context) -> Iterator[Finding]:
    for child in _children(ctx):
        link = link_of(child)
        if link is None:
            continue
        key = child.parent_key
        assert key is not None and child.parent is not None
        parent = _name(child.parent)
        for row in link.orphans().iter_rows(named=True):
            value = row["key"]
            if value is None:
                what = f"has no parent key ({_header(child.data, link.child_column)} is empty)"
            else:
                hint = f"; did you mean '{row['near']}'?" if row["near"] is not None else ""
                what = (
                    f"names parent '{shorten(value)}', which no {parent} record has in "
                    f"{_parent_where(link)}{hint}"
                )
            yield ctx.finding(
                "BW620",
                f"{_name(child)} record {row['record']} {what}: Zoho cannot attach it",
                data=child.data,
                record=row["record"],
                column_index=link.child_column,
                field=key.api_name,
                value=value,
            )


@check("BW621")
def duplicate_parent_keys(ctx: Context) -> Iterator[Finding]:
    by_column: dict[tuple[int, int], list[Link]] = {}
    for child in _children(ctx):
        link = link_of(child)
        if link is not None:
            by_column.setdefault((id(link.parent), link.parent_column), []).append(link)
    for links in by_column.values():
        first = links[0]
        keys = first.parent_keys().filter(pl.col("key").is_not_null())
        repeated = keys.filter(pl.col("key").is_duplicated())
        if repeated.is_empty():
            continue
        used = (
            pl.concat([link.child_keys() for link in links])
            .join(repeated.select("key").unique(), on="key", how="semi")
            .group_by("key")
            .len("children")
        )
        repeated = (
            repeated.with_columns(pl.col("record").min().over("key").alias("first"))
            .filter(pl.col("record") != pl.col("first"))
            .join(used, on="key", how="inner")
            .sort("record")
        )
        children = " and ".join(_name(link.child) for link in links)
        for row in repeated.iter_rows(named=True):
            yield ctx.finding(
                "BW621",
                f"{_name(first.parent)} record {row['record']} repeats parent key "
                f"'{shorten(row['key'])}' of record {row['first']} in {_parent_where(first)}; "
                f"the {row['children']} {children} row(s) with this key cannot be placed: "
                "make the key unique",
                data=first.parent.data,
                record=row["record"],
                column_index=first.parent_column,
                value=row["key"],
            )


@check("BW622", phase="relations")
def children_of_skipped_parents(ctx: Context) -> Iterator[Finding]:
    for child in _children(ctx):
        link = link_of(child)
        if link is None:
            continue
        assert link.parent.data is not None
        display = link.parent.data.display
        causes: dict[int, set[str]] = {}
        for finding in ctx.findings:
            if (
                finding.severity == "error"
                and finding.file == display
                and finding.record is not None
                and finding.code not in KEY_CODES_NOT_SKIPPING
            ):
                causes.setdefault(finding.record, set()).add(finding.code)
        if not causes:
            continue
        bad = pl.DataFrame(
            {"record": list(causes), "codes": [", ".join(sorted(c)) for c in causes.values()]},
            schema={"record": pl.UInt32, "codes": pl.String},
        )
        skipped = link.parent_keys().join(bad, on="record").rename({"record": "parent"})
        rows = link.child_keys().join(skipped, on="key", how="inner").sort("record", "parent")
        rows = rows.unique("record", keep="first", maintain_order=True)
        parent = _name(link.parent)
        for row in rows.iter_rows(named=True):
            yield ctx.finding(
                "BW622",
                f"{_name(child)} record {row['record']} belongs to {parent} record "
                f"{row['parent']}, which has errors ({row['codes']}): Zoho skips that record "
                "and its children with it",
                data=child.data,
                record=row["record"],
                column_index=link.child_column,
                field=child.parent_key.api_name if child.parent_key else None,
                value=row["key"],
            )


LINE_ITEMS = {parent: items for items, parent in LINE_ITEM_PARENTS.items()}


@check("BW623")
def line_items(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation not in ("insert", "upsert"):
        return
    severity = None if operation == "insert" else "warning"
    also = "" if operation == "insert" else " (upsert creates the records it does not find)"
    for parent in ctx.bindings:
        items = LINE_ITEMS.get(parent.resource.module or "")
        if parent.is_child or items is None:
            continue
        child = next(
            (b for b in ctx.bindings if b.parent is parent and b.resource.module == items), None
        )
        if child is None:
            how = "add" if ctx.job.path is not None else "write a job JSON with"
            yield ctx.finding(
                "BW623",
                f"{parent.resource.module} need their line items{also}: {how} a child "
                f"resource of module {items} whose rows name their parent ({PARENT_ID} with "
                "parent_column_index)",
                severity=severity,
                pointer=parent.resource.pointer,
            )
            continue
        link = link_of(child)
        if link is None:
            continue
        keys = link.child_keys().select("key")
        bare = link.parent_keys().join(keys, on="key", how="anti").sort("record")
        for row in bare.iter_rows(named=True):
            key = "an empty key" if row["key"] is None else f"key '{shorten(row['key'])}'"
            yield ctx.finding(
                "BW623",
                f"{_name(parent)} record {row['record']} ({key} in "
                f"{_header(parent.data, link.parent_column)}) has no {items} row{also}: "
                "line items are mandatory",
                severity=severity,
                data=parent.data,
                record=row["record"],
                column_index=link.parent_column,
                value=row["key"],
            )
