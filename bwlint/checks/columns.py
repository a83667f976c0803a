"""What the cell and record rules share: the mapped columns of a binding, and a fast
way to turn the bad rows of a column into findings.

A rule family evaluates its polars expressions for all columns in one `select`; only
the indices of the bad rows come back to Python, and this module makes their findings
as columns (`FindingRows`), records and lines computed as vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import polars as pl

from bwlint.domain.enums import Operation, Severity
from bwlint.domain.findings import FindingRows
from bwlint.domain.fix import Fix
from bwlint.domain.model import UNSUPPORTED_TYPES, Field, FieldMapping
from bwlint.domain.redact import redacted
from bwlint.engine import Context
from bwlint.load.data import DataFile
from bwlint.project.binding import Binding


@dataclass(frozen=True)
class Column:
    """A CSV column that Zoho will write to a field: what cell and record rules check."""

    binding: Binding
    mapping: FieldMapping
    field: Field
    index: int  # 0-based CSV column

    @property
    def data(self) -> DataFile:
        assert self.binding.data is not None
        return self.binding.data

    @property
    def name(self) -> str:
        """The column's name in `DataFile.frame`."""
        return str(self.index)

    @property
    def header(self) -> str:
        return self.data.header[self.index]

    @property
    def label(self) -> str:
        """How messages name the column: the field, and the header when it differs."""
        if self.header.strip() in (self.field.api_name, ""):
            return self.field.api_name
        return f"{self.field.api_name} (column '{self.header}')"

    @property
    def is_key(self) -> bool:
        """The record id or the find_by column: keys to find records, not values."""
        return self.field.api_name == "id" or (self.field.api_name == self.binding.resource.find_by)

    def value(self) -> pl.Expr:
        """The cell as Zoho reads it: trimmed, with empty cells as null."""
        cell = pl.col(self.name).str.strip_chars()
        return pl.when(cell != "").then(cell)


def columns(binding: Binding, operation: Operation | None) -> list[Column]:
    """The mapped columns of a binding whose field Zoho will write (or match on)."""
    data, module = binding.data, binding.module
    if data is None or module is None:
        return []
    found = []
    seen: set[str] = set()
    for mapping in binding.mappings:
        index = mapping.index
        if index is None or not 0 <= index < data.frame.width:
            continue
        field = module.get(mapping.api_name)
        if field is None or field.data_type in UNSUPPORTED_TYPES or field.api_name in seen:
            continue  # unknown, unsupported or mapped twice: the job rules say so
        column = Column(binding, mapping, field, index)
        if not (field.writable_by(operation) or column.is_key):
            continue  # read-only: Zoho ignores the column (BW121)
        seen.add(field.api_name)
        found.append(column)
    return found


def bad_rows(frame: pl.DataFrame, masks: dict[str, pl.Expr]) -> dict[str, pl.Series]:
    """For each named boolean expression (True = bad), the 0-based rows where it holds.

    One lazy `select` evaluates them all (polars runs them in parallel and shares
    common subexpressions); only the row numbers come back.
    """
    if not masks or frame.height == 0:
        return {key: pl.Series(key, [], dtype=pl.UInt32) for key in masks}
    # A lazy select of the masks runs them in parallel and computes a shared
    # subexpression once; the row numbers are taken from the boolean frame after
    # (arg_where inside the lazy query would make polars run it on one thread).
    bools = frame.lazy().select(mask.fill_null(False).alias(key) for key, mask in masks.items())
    rows = bools.collect().select(pl.all().arg_true().implode())
    return {key: rows.get_column(key)[0] for key in masks}


def lines_of(data: DataFile, rows: Sequence[int]) -> list[int]:
    """Physical start lines of 0-based rows."""
    if data.record_lines is None:
        offset = 1 + data.header_lines
        return [row + offset for row in rows]
    return data.record_lines.gather(list(rows)).to_list()


def lines_by_key(data: DataFile, rows: dict[str, pl.Series]) -> dict[str, pl.Series]:
    """The physical start lines of several series of 0-based rows: one gather, not one
    per series."""
    if data.record_lines is None or not rows:
        offset = 1 + data.header_lines
        return {key: found.cast(pl.Int64) + offset for key, found in rows.items()}
    every = data.record_lines.gather(pl.concat(list(rows.values())))
    result, start = {}, 0
    for key, found in rows.items():
        result[key] = every.slice(start, found.len())
        start += found.len()
    return result


def cells_at(frame: pl.DataFrame, wanted: dict[str, tuple[str, pl.Series]]) -> dict[str, pl.Series]:
    """The cells of several (column, rows) pairs, fetched in one select."""
    if not wanted:
        return {}
    picked = frame.select(
        pl.col(name).gather(rows).implode().alias(key) for key, (name, rows) in wanted.items()
    )
    return {key: picked.get_column(key)[0] for key in wanted}


def findings_at(
    ctx: Context,
    code: str,
    column: Column,
    rows: Sequence[int] | pl.Series,
    messages: Iterable[str],
    *,
    values: Sequence[str | None] | pl.Series | None = None,
    severity: Severity | None = None,
    lines: Sequence[int] | pl.Series | None = None,
    fixes: Sequence[Fix | None] | None = None,
    masked: bool = False,
) -> Iterator[FindingRows]:
    """The findings of `code` at bad rows (0-based) of `column`, one per row, as columns
    (`FindingRows`: objects only for whoever reads one); `values` default to the cells,
    `lines` (the rows' start lines) to `lines_of`, `fixes` to none; `masked`: values
    and messages are `redacted` already. Given lists of different lengths, the shortest
    counts."""
    if not len(rows):
        return
    data = column.data
    if values is None or lines is None:
        listed = rows.to_list() if isinstance(rows, pl.Series) else list(rows)
        if values is None:
            values = data.frame.get_column(column.name).gather(listed)
        if lines is None:
            lines = lines_of(data, listed)
    texts = messages if isinstance(messages, Sequence | pl.Series) else list(messages)
    count = min(len(rows), len(lines), len(values), len(texts))
    if fixes is not None:
        count = min(count, len(fixes))
        if count < len(fixes):
            fixes = fixes[:count]
    if count < len(rows):
        rows = rows[:count]
    template = ctx.finding(
        code,
        "",
        module=column.binding.module,
        severity=severity,
        location=ctx.at_data(data, 1, column.index)._replace(record=None, line=None),
        field=column.field.api_name,
    )
    values, texts = values[:count], texts[:count]
    yield FindingRows(
        template,
        rows,
        lines[:count],
        values if masked else redacted(values),
        texts if masked else redacted(texts),
        fixes,
    )


def record_list(records: list[int], total: int, shown: int = 5) -> str:
    """'records 2, 5 and 9' / 'records 2, 5, 9, 11, 14, … (12 in all)'."""
    head = [str(r) for r in records[:shown]]  # no thousands commas inside a list
    if total == 1:
        return f"record {head[0]}"
    if total <= shown:
        return f"records {', '.join(head[:-1])} and {head[-1]}"
    return f"records {', '.join(head)}, … ({total:,} in all)"
