"""Parent-child rules about rows (BW620–BW623): how the rows of each child CSV link
to the rows of the parent CSV (bwlint/project/relations.py), as polars joins."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from bwlint.checks.parentchild_structure import children, header_of, name_of
from bwlint.domain.enums import Operation, Phase, Severity
from bwlint.domain.finding import Finding, shorten
from bwlint.engine import Context, check
from bwlint.project.binding import LINE_ITEM_PARENTS, PARENT_ID
from bwlint.project.relations import Link, link_of

KEY_CODES_NOT_SKIPPING = ("BW621",)  # record errors that do not mean "parent skipped"


def _parent_where(link: Link) -> str:
    assert link.parent.data is not None
    return f"{header_of(link.parent.data, link.parent_column)} of {link.parent.data.name}"


@check("BW620")
def child_orphan(ctx: Context) -> Iterator[Finding]:
    for child in children(ctx):
        link = link_of(child)
        if link is None:
            continue
        key = child.parent_key
        assert key is not None and child.parent is not None
        parent = name_of(child.parent)
        for row in link.orphans().iter_rows(named=True):
            value = row["key"]
            if value is None:
                what = f"has no parent key ({header_of(child.data, link.child_column)} is empty)"
            else:
                hint = f"; did you mean '{row['near']}'?" if row["near"] is not None else ""
                what = (
                    f"names parent '{shorten(value)}', which no {parent} record has in "
                    f"{_parent_where(link)}{hint}"
                )
            yield ctx.finding(
                "BW620",
                f"{name_of(child)} record {row['record']} {what}: Zoho cannot attach it",
                data=child.data,
                record=row["record"],
                column_index=link.child_column,
                field=key.api_name,
                value=value,
            )


@check("BW621")
def parent_key_duplicate(ctx: Context) -> Iterator[Finding]:
    by_column: dict[tuple[int, int], list[Link]] = {}
    for child in children(ctx):
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
        modules = " and ".join(name_of(link.child) for link in links)
        for row in repeated.iter_rows(named=True):
            yield ctx.finding(
                "BW621",
                f"{name_of(first.parent)} record {row['record']} repeats parent key "
                f"'{shorten(row['key'])}' of record {row['first']} in {_parent_where(first)}; "
                f"the {row['children']} {modules} row(s) with this key cannot be placed: "
                "make the key unique",
                data=first.parent.data,
                record=row["record"],
                column_index=first.parent_column,
                value=row["key"],
            )


@check("BW622", phase=Phase.RELATIONS)
def child_of_skipped_parent(ctx: Context) -> Iterator[Finding]:
    for child in children(ctx):
        link = link_of(child)
        if link is None:
            continue
        assert link.parent.data is not None
        display = link.parent.data.display
        causes: dict[int, set[str]] = {}
        for finding in ctx.findings:
            if (
                finding.severity == Severity.ERROR
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
        parent = name_of(link.parent)
        for row in rows.iter_rows(named=True):
            yield ctx.finding(
                "BW622",
                f"{name_of(child)} record {row['record']} belongs to {parent} record "
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
def line_items_missing(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation is None or not operation.creates:
        return
    insert = operation is Operation.INSERT
    severity = None if insert else Severity.WARNING
    also = "" if insert else " (upsert creates the records it does not find)"
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
                f"{name_of(parent)} record {row['record']} ({key} in "
                f"{header_of(parent.data, link.parent_column)}) has no {items} row{also}: "
                "line items are mandatory",
                severity=severity,
                data=parent.data,
                record=row["record"],
                column_index=link.parent_column,
                field=items,
                value=row["key"],
            )


CHECKS = (child_orphan, parent_key_duplicate, child_of_skipped_parent, line_items_missing)
