"""Record rules (BW5xx): what a record needs as a whole, and values repeated across
records — mandatory values, the find_by key, unique values, cells that erase data.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from bwlint.checks.columns import Column, bad_rows, columns, findings_at, lines_of, record_list
from bwlint.engine import Context, check
from bwlint.findings import Finding, shorten


def _empty(column: Column) -> pl.Expr:
    return column.value().is_null()


def _case_sensitive(column: Column) -> bool:
    """Whether a unique field tells 'A1' from 'a1' (keys that are not unique fields do)."""
    if column.field.api_name == "id" or not column.field.unique:
        return True
    unique = column.field.raw.get("unique")
    if not isinstance(unique, dict):
        return False
    # The metadata sample spells it case_sensitive, the OAS casesensitive; Zoho's
    # unique fields are case-insensitive unless they say otherwise.
    return bool(unique.get("case_sensitive", unique.get("casesensitive", False)))


@check("BW501", "BW502")
def mandatory_values(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    for binding in ctx.bindings:
        ignore_empty = ctx.job.ignore_empty_for(binding.resource)
        if operation == "update" and ignore_empty:
            mandatory_severity: str | None = "skip"  # empty cells leave the CRM value
        elif operation == "upsert" and ignore_empty:
            mandatory_severity = "warning"  # only records the upsert creates need it
        else:
            mandatory_severity = None
        checks: dict[str, tuple[str, Column]] = {}
        masks: dict[str, pl.Expr] = {}
        for column in columns(binding, operation):
            if column.mapping.has_default:
                continue  # the default_value fills empty cells
            if column.mapping.parent_column_index is not None:
                continue  # an empty parent link is an orphan: BW620 names it
            if column.field.api_name == binding.resource.find_by and operation != "insert":
                if ctx.settings.is_selected("BW502"):
                    checks[f"BW502:{column.index}"] = ("BW502", column)
                    masks[f"BW502:{column.index}"] = _empty(column)
            elif (
                column.field.system_mandatory
                and mandatory_severity != "skip"
                and ctx.settings.is_selected("BW501")
            ):
                checks[f"BW501:{column.index}"] = ("BW501", column)
                masks[f"BW501:{column.index}"] = _empty(column)
        if not masks:
            continue
        assert binding.data is not None
        module = binding.module.api_name if binding.module else "the module"
        for key, rows in bad_rows(binding.data.frame, masks).items():
            code, column = checks[key]
            if code == "BW501":
                if operation == "insert":
                    text = f"{column.label} is empty; {module} needs it on every record"
                elif operation == "upsert" and ignore_empty:
                    text = (
                        f"{column.label} is empty; a record the upsert creates needs it "
                        f"(mandatory in {module})"
                    )
                elif operation == "upsert":
                    text = (
                        f"{column.label} is empty; {module} needs it in a record the upsert "
                        "adds, and with ignore_empty false it would erase it in one it updates"
                    )
                else:
                    text = (
                        f"{column.label} is empty: with ignore_empty false it would erase a "
                        f"mandatory value of {module}"
                    )
                severity = None if mandatory_severity == "skip" else mandatory_severity
            elif operation == "update":
                text = (
                    f"{column.label} is the find_by key and is empty: Zoho cannot find the "
                    "record to update"
                )
                severity = None
            else:
                text = (
                    f"{column.label} is the find_by key and is empty: the upsert will add "
                    "this record as a new one"
                )
                severity = "warning"
            yield from findings_at(ctx, code, column, rows, [text] * rows.len(), severity=severity)


@check("BW503")
def duplicates(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        data = binding.data
        for column in columns(binding, ctx.job.operation):
            is_find_by = column.field.api_name == binding.resource.find_by
            if not (column.field.unique or is_find_by):
                continue
            if column.field.is_lookup:
                continue
            key = column.value()
            if not _case_sensitive(column):
                key = key.str.to_lowercase()
            assert data is not None
            repeats = (
                data.frame.lazy()
                .select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), key.alias("key"))
                .filter(pl.col("key").is_not_null())
                .with_columns(pl.col("row").first().over("key").alias("first"))
                .filter(pl.col("row") != pl.col("first"))
                .collect()
            )
            if repeats.height == 0:
                continue
            rows = repeats.get_column("row").to_list()
            firsts = repeats.get_column("first").to_list()
            first_lines = lines_of(data, firsts)
            why = "unique" if column.field.unique else "the find_by key"
            messages = [
                f"{column.label}: '{shorten(str(value))}' repeats record {first + 1} "
                f"(line {line}); {column.field.api_name} is {why}"
                for value, first, line in zip(
                    data.frame.get_column(column.name).gather(rows).to_list(),
                    firsts,
                    first_lines,
                    strict=True,
                )
            ]
            yield from findings_at(ctx, "BW503", column, rows, messages)


@check("BW504")
def erasing_empties(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    if operation not in ("update", "upsert"):
        return
    for binding in ctx.bindings:
        if ctx.job.ignore_empty_for(binding.resource) or binding.data is None:
            continue
        targets = [
            column
            for column in columns(binding, operation)
            if not (column.is_key or column.mapping.has_default or column.field.system_mandatory)
        ]
        if not targets:
            continue
        masks = {column.name: _empty(column) for column in targets}
        counts = binding.data.frame.lazy().select(
            mask.sum().alias(name) for name, mask in masks.items()
        )
        totals = counts.collect().row(0, named=True)
        empty = {c.name: c for c in targets if totals[c.name]}
        if not empty:
            continue
        found = bad_rows(binding.data.frame, {name: masks[name] for name in empty})
        for name, column in empty.items():
            rows = found[name].head(5)
            total = totals[name]
            records = [r + 1 for r in rows.to_list()]
            message = (
                f"{column.label}: {total:,} empty cell{'s' if total != 1 else ''} will erase "
                f"the CRM value on {operation} ({record_list(records, total)}); set "
                '"ignore_empty": true to leave them unchanged, or drop the column'
            )
            yield from findings_at(
                ctx, "BW504", column, records[:1] and [records[0] - 1], [message]
            )
