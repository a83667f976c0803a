"""Record rules (BW5xx): what a record needs as a whole, and values repeated across
records — mandatory values, the find_by key, unique values, cells that erase data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import polars as pl

from bwlint.checks.columns import Column, bad_rows, columns, findings_at, lines_of, record_list
from bwlint.checks.wording import set_to
from bwlint.domain.enums import Operation, Severity
from bwlint.domain.finding import shorten
from bwlint.engine import Check, Context, Found, check
from bwlint.project.binding import Binding


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


def _is_find_by(column: Column, operation: Operation | None) -> bool:
    return column.field.api_name == column.binding.resource.find_by and (
        operation is not Operation.INSERT
    )


def _empty_cells_checked(binding: Binding, operation: Operation | None) -> Iterator[Column]:
    """Columns whose empty cells matter: no default_value fills them, and they are not
    a child's parent link (an empty link is an orphan: BW620 names it)."""
    for column in columns(binding, operation):
        if not column.mapping.has_default and column.mapping.parent_column_index is None:
            yield column


def _mandatory_text(ctx: Context, column: Column, ignore_empty: bool) -> str:
    module = column.binding.module.api_name if column.binding.module else "the module"
    operation = ctx.job.operation
    unset = "without --ignore-empty" if ctx.job.path is None else "with ignore_empty false"
    if operation is Operation.INSERT:
        return f"{column.label} is empty; {module} needs it on every record"
    if operation is Operation.UPSERT and ignore_empty:
        return (
            f"{column.label} is empty; a record the upsert creates needs it (mandatory in {module})"
        )
    if operation is Operation.UPSERT:
        return (
            f"{column.label} is empty; {module} needs it in a record the upsert "
            f"adds, and {unset} it would erase it in one it updates"
        )
    return f"{column.label} is empty: {unset} it would erase a mandatory value of {module}"


def _find_by_text(ctx: Context, column: Column) -> tuple[str, Severity | None]:
    if ctx.job.operation is Operation.UPDATE:
        return (
            f"{column.label} is the find_by key and is empty: Zoho cannot find the record to update"
        ), None
    return (
        f"{column.label} is the find_by key and is empty: the upsert will add this record "
        "as a new one"
    ), Severity.WARNING


def _empty_values(ctx: Context, checks: Sequence[Check]) -> Iterator[Found]:
    """BW501, BW502 and BW505 together: one select per file of the empty-cell masks."""
    codes = {unit.code for unit in checks}
    operation = ctx.job.operation
    for binding in ctx.bindings:
        ignore_empty = ctx.job.ignore_empty_for(binding.resource)
        # update + ignore_empty: an empty cell leaves the CRM value; upsert: only the
        # records the upsert creates need it
        mandatory_matters = not (operation is Operation.UPDATE and ignore_empty)
        mandatory_severity = (
            Severity.WARNING if operation is Operation.UPSERT and ignore_empty else None
        )
        wanted: dict[str, tuple[str, Column]] = {}
        layout_required = binding.layout_required()
        for column in _empty_cells_checked(binding, operation):
            if _is_find_by(column, operation):
                code = "BW502"
            elif column.field.system_mandatory and mandatory_matters:
                code = "BW501"
            elif column.field.api_name in layout_required and mandatory_matters:
                code = "BW505"
            else:
                continue
            if code in codes:
                wanted[f"{code}:{column.index}"] = (code, column)
        if not wanted:
            continue
        assert binding.data is not None
        masks = {key: _empty(column) for key, (_, column) in wanted.items()}
        for key, rows in bad_rows(binding.data.frame, masks).items():
            code, column = wanted[key]
            if code == "BW501":
                text, severity = _mandatory_text(ctx, column, ignore_empty), mandatory_severity
            elif code == "BW505":
                text = _mandatory_text(ctx, column, ignore_empty)
                text += f" (required by the layout '{getattr(binding.layout, 'name', '')}')"
                severity = mandatory_severity
            else:
                text, severity = _find_by_text(ctx, column)
            yield from findings_at(
                ctx, code, column, rows.to_list(), [text] * rows.len(), severity=severity
            )


mandatory_value_empty = Check("BW501", batch=_empty_values)
find_by_value_empty = Check("BW502", batch=_empty_values)
layout_mandatory_value_empty = Check("BW505", batch=_empty_values)


def _key(column: Column, cell: pl.Expr) -> pl.Expr:
    """The value two cells of a unique column must not share: trimmed, lower-cased
    unless the field is case-sensitive (empty: null)."""
    key = cell.str.strip_chars()
    key = pl.when(key != "").then(key)
    return key if _case_sensitive(column) else key.str.to_lowercase()


def _hashed(column: Column) -> pl.Expr:
    """The hash of each cell's key as `_key` makes it (an empty cell's too)."""
    key = pl.col(column.name).str.strip_chars()
    if not _case_sensitive(column):
        key = key.str.to_lowercase()
    return key.hash().alias(column.name)


def _candidates(frame: pl.DataFrame, unique: list[Column]) -> dict[str, pl.Series]:
    """For each unique column, the rows (ascending) whose key's hash repeats another's:
    every row of a repeated value, and a few whose hashes merely collide (`_repeats`
    drops them). A hash is a number, far cheaper to sort than a million strings, and
    sorting the hashes costs less than counting them in a hash table."""
    hashes = frame.lazy().select(_hashed(column) for column in unique).collect()
    found = {}
    for column in unique:
        hashed = hashes.get_column(column.name)
        ordered = hashed.sort()
        repeated = ordered.filter(ordered == ordered.shift(1)).unique()
        cell = frame.get_column(column.name)
        # an empty cell is never a repeat (a blank one, the exact test says)
        mask = hashed.is_in(repeated.implode()) & (cell != "").fill_null(False)
        found[column.name] = mask.arg_true()
    return found


def _repeats(column: Column, rows: pl.Series) -> pl.DataFrame:
    """`row` and `first` (0-based) of every non-empty value among `rows` (ascending,
    every row of a repeated value among them) that repeats an earlier one."""
    cells = column.data.frame.get_column(column.name).gather(rows)
    return (
        pl.DataFrame({"row": rows, "cell": cells})
        .lazy()
        .select("row", _key(column, pl.col("cell")).alias("key"))
        .filter(pl.col("key").is_not_null())
        .with_columns(pl.col("row").first().over("key").alias("first"))
        .filter(pl.col("row") != pl.col("first"))
        .collect()
    )


def _unique_columns(ctx: Context, binding: Binding) -> list[Column]:
    """The columns whose values must not repeat: unique fields and the find_by key."""
    found = []
    for column in columns(binding, ctx.job.operation):
        is_find_by = column.field.api_name == binding.resource.find_by
        if (column.field.unique or is_find_by) and not column.field.is_lookup:
            found.append(column)
    return found


@check("BW503")
def duplicate_value(ctx: Context) -> Iterator[Found]:
    for binding in ctx.bindings:
        unique = _unique_columns(ctx, binding)
        if not unique or binding.data is None:
            continue
        # Every unique column's keys hashed, then the few candidate rows of each
        # compared exactly.
        screened = _candidates(binding.data.frame, unique)
        for column in unique:
            repeats = _repeats(column, screened[column.name])
            if repeats.height == 0:
                continue
            rows = repeats.get_column("row").to_list()
            firsts = repeats.get_column("first").to_list()
            first_lines = lines_of(column.data, firsts)
            why = "unique" if column.field.unique else "the find_by key"
            values = column.data.frame.get_column(column.name).gather(rows).to_list()
            messages = [
                f"{column.label}: '{shorten(str(value))}' repeats record {first + 1} "
                f"(line {line}); {column.field.api_name} is {why}"
                for value, first, line in zip(values, firsts, first_lines, strict=True)
            ]
            yield from findings_at(ctx, "BW503", column, rows, messages)


@check("BW504")
def empty_cells_erase(ctx: Context) -> Iterator[Found]:
    operation = ctx.job.operation
    if operation is None or not operation.updates:
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
            records = [r + 1 for r in found[name].head(5).to_list()]
            total = totals[name]
            message = (
                f"{column.label}: {total:,} empty cell{'s' if total != 1 else ''} will erase "
                f"the CRM value on {operation} ({record_list(records, total)}); set "
                f"{set_to(ctx, 'ignore_empty', 'true')} to leave them unchanged, or drop "
                "the column"
            )
            yield from findings_at(
                ctx, "BW504", column, records[:1] and [records[0] - 1], [message]
            )


CHECKS = (
    mandatory_value_empty,
    find_by_value_empty,
    duplicate_value,
    empty_cells_erase,
    layout_mandatory_value_empty,
)
