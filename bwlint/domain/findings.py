"""Many findings, kept as columns: what a file with 100,000s of bad cells needs.

A cell or record rule finds bad values in many rows of one column. `FindingRows` holds
those findings as columns (record, line, value, message, and a fix each) beside what
they share (code, severity, file, column, field: one `Finding` without a record, the
template). `Findings` is a job's or a run's findings in report order: a sequence of
`Finding` as every reporter and command reads them, made into objects only when one
is read, while the JSON report and SARIF's cap read the columns (a `Finding` object
and its JSON record cost ~10 µs; a row of a column, well under 1).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, repeat
from typing import Any, overload

import polars as pl

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.fix import Fix
from bwlint.domain.location import Location

KEYS = {
    "path": pl.String,
    "line": pl.Int64,
    "column": pl.Int64,
    "pointer": pl.String,
    "code": pl.String,
}
# Fewer findings than this are sorted and written as objects: polars' fixed costs
# (~0.2 ms a frame) pay only for many.
AS_COLUMNS_FROM = 2_000
Cells = Sequence[Any] | pl.Series


def repeated(numbers: Sequence[int], sizes: Sequence[int]) -> pl.Series:
    """Each number repeated its size's times, in turn (UInt32): which part, or which
    rule and column, each row of columns laid one after the other comes from."""
    return (
        pl.DataFrame({"number": numbers, "size": sizes}, schema=_REPEATED)
        .select(pl.col("number").repeat_by("size").explode())
        .to_series()
    )


_REPEATED = {"number": pl.UInt32, "size": pl.UInt32}


class Deferred(Sequence[Any]):
    """A sequence of known length whose items are made the first time one is read: the
    fixes of 100,000s of bad cells cost nothing to a `check`, which never reads them."""

    __slots__ = ("_items", "_length", "_make")

    def __init__(self, length: int, make: Callable[[], Sequence[Any]]) -> None:
        self._length, self._make = length, make
        self._items: Sequence[Any] | None = None

    def _made(self) -> Sequence[Any]:
        if self._items is None:
            self._items = self._make()
            assert len(self._items) == self._length
        return self._items

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._made()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._made())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (a job checked in another process) as the list it stands for: what
        makes the items holds the rule's functions and the column's whole binding."""
        return (list, (list(self._made()),))


class FindingRows:
    """Findings of one rule at cells of one column: `template` is what they share (its
    location has no record or line); per finding, the 0-based row, its start line, the
    cell (None: empty, written ""), the message and a fix (or `fixes` is None): lists
    or polars Series of one length."""

    __slots__ = ("fixes", "lines", "messages", "rows", "template", "values")

    def __init__(
        self,
        template: Finding,
        rows: Cells,
        lines: Cells,
        values: Cells,
        messages: Cells,
        fixes: Sequence[Fix | None] | None = None,
    ) -> None:
        assert template.location.file is not None  # cells are in a data file
        self.template, self.rows, self.lines = template, rows, lines
        self.values, self.messages, self.fixes = values, messages, fixes

    @property
    def code(self) -> str:
        return self.template.code

    def __len__(self) -> int:
        return len(self.rows)

    def findings(self) -> list[Finding]:
        """The rows as `Finding`s, in row order."""
        t, at = self.template, self.template.location
        code, zoho, severity, field = t.code, t.zoho_code, t.severity, t.field
        file, zip_path, column, number = at.file, at.zip, at.column, at.column_number
        pointer, job, job_line, job_column, origin = (
            at.pointer,
            at.job,
            at.job_line,
            at.job_column,
            at.origin,
        )
        make, place = Finding, Location  # positional: this loop can run 100,000s of times
        columns = (_listed(c) for c in (self.rows, self.lines, self.values, self.messages))
        return [
            make(
                code,
                zoho,
                severity,
                message,
                place(
                    file,
                    zip_path,
                    row + 1,
                    line,
                    column,
                    number,
                    pointer,
                    job,
                    job_line,
                    job_column,
                    origin,
                ),
                field,
                "" if value is None else value,  # an empty cell reads as null
                fix,
            )
            for row, line, value, message, fix in zip(
                *columns, repeat(None) if self.fixes is None else self.fixes, strict=False
            )
        ]

    def frame(self) -> pl.DataFrame:
        """The rows as ROWS columns: record (1-based), line, value, message."""
        return pl.DataFrame(
            {
                "record": pl.Series(self.rows, dtype=pl.Int64) + 1,
                "line": pl.Series(self.lines, dtype=pl.Int64),
                "value": pl.Series(self.values, dtype=pl.String).fill_null(""),
                "message": pl.Series(self.messages, dtype=pl.String),
            }
        )

    def subset(self, indices: list[int]) -> FindingRows:
        """The rows at `indices` (0-based, in this order)."""

        def taken(cells: Cells) -> Cells:
            if isinstance(cells, pl.Series):
                return cells.gather(indices)
            return [cells[i] for i in indices]

        fixes = None if self.fixes is None else [self.fixes[i] for i in indices]
        rows, lines, values, messages = (
            taken(c) for c in (self.rows, self.lines, self.values, self.messages)
        )
        return FindingRows(self.template, rows, lines, values, messages, fixes)


def _listed(cells: Cells) -> Sequence[Any]:
    return cells.to_list() if isinstance(cells, pl.Series) else cells


Part = list[Finding] | FindingRows


class Findings(Sequence[Finding]):
    """Findings in report order (`Finding.sort_key`, stable): a sequence of `Finding`
    whose rows of `FindingRows` become objects only when read."""

    def __init__(self, parts: list[Part], order: pl.DataFrame | None = None) -> None:
        # `parts` in the order they were found; `order`: the report order as (part,
        # index) rows, None when it is the parts' own, one after the other
        self._parts, self._order = parts, order
        self._objects: list[Finding] | None = None

    @classmethod
    def of(cls, found: Iterable[Finding | FindingRows], *, sort: bool = True) -> Findings:
        """What checks yielded, in report order (or, `sort=False`, as found)."""
        parts: list[Part] = []
        for item in found:
            if isinstance(item, FindingRows):
                if len(item):
                    parts.append(item)
            elif parts and isinstance(parts[-1], list):
                parts[-1].append(item)
            else:
                parts.append([item])
        return cls._ordered(parts, sort)

    @classmethod
    def merged(cls, many: Iterable[Sequence[Finding]]) -> Findings:
        """Several jobs' findings in one report order (ties: the earlier job first)."""
        parts: list[Part] = []
        for findings in many:
            if isinstance(findings, Findings):
                parts.extend(part for part in findings._parts if len(part))
            elif len(findings):
                parts.append(list(findings))
        return cls._ordered(parts, True)

    @classmethod
    def _ordered(cls, parts: list[Part], sort: bool) -> Findings:
        if not sort:
            return cls(parts)
        if sum(len(part) for part in parts) < AS_COLUMNS_FROM:  # few: objects
            objects = [f for part in parts for f in _objects(part)]
            return cls([sorted(objects, key=Finding.sort_key)])
        return cls(parts, _report_order(parts))

    def objects(self) -> list[Finding]:
        """Every finding as an object, in report order (made once)."""
        if self._objects is None:
            made = [_objects(part) for part in self._parts]
            if self._order is None:
                self._objects = [f for part in made for f in part]
            else:
                parts, rows = (self._order.get_column(c).to_list() for c in ("part", "index"))
                self._objects = [made[p][i] for p, i in zip(parts, rows, strict=True)]
        return self._objects

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        return self.objects()[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.objects())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return self.objects() == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Findings({len(self)} findings)"

    @property
    def parts(self) -> list[Part]:
        """The findings as found: lists of `Finding`s and `FindingRows`."""
        return self._parts

    def in_report_order(self, frame: pl.DataFrame) -> pl.DataFrame:
        """A frame of one row per finding, the parts' rows one after the other, put in
        report order."""
        if self._order is None:
            return frame
        return frame[self._gathered()]

    def _gathered(self) -> pl.Series:
        """For each finding in report order, its row among the parts' rows."""
        assert self._order is not None
        starts = [0]
        for part in self._parts[:-1]:
            starts.append(starts[-1] + len(part))
        offsets = pl.Series(starts, dtype=pl.UInt32).gather(self._order.get_column("part"))
        return offsets + self._order.get_column("index")

    def table(self) -> pl.DataFrame:
        """What reporters group findings by, one row per finding in report order (no
        object made of a row): file, code, column, record, severity, and the sort key
        (KEYS, the code being `code`)."""
        return self.in_report_order(pl.concat([_table(part) for part in self._parts]))

    def take(self, positions: Sequence[int]) -> list[Finding]:
        """The findings at these places of the report order, as objects (only those)."""
        if self._objects is not None or all(isinstance(part, list) for part in self._parts):
            every = self.objects()
            return [every[at] for at in positions]
        rows = self._gathered().gather(list(positions)) if self._order is not None else None
        wanted = rows.to_list() if rows is not None else list(positions)
        starts = [0]
        for part in self._parts:
            starts.append(starts[-1] + len(part))
        by_part: dict[int, list[tuple[int, int]]] = {}
        for slot, row in enumerate(wanted):
            number = bisect_right(starts, row) - 1
            by_part.setdefault(number, []).append((slot, row - starts[number]))
        found: list[Finding | None] = [None] * len(wanted)
        for number, places in by_part.items():
            part = self._parts[number]
            indices = [index for _, index in places]
            made = [part[i] for i in indices] if isinstance(part, list) else part.subset(indices)
            for (slot, _), finding in zip(places, _objects(made), strict=True):
                found[slot] = finding
        return found  # type: ignore[return-value]  # every slot is filled

    def with_fixes(self) -> list[Finding]:
        """The findings that carry a fix, in report order, as objects (only those: of
        the bad cells fix's first pass finds, most have no one right repair)."""
        flags: list[bool] = []
        for part in self._parts:
            if isinstance(part, list):
                flags.extend(finding.fix is not None for finding in part)
            elif part.fixes is None:
                flags.extend(repeat(False, len(part)))
            else:
                flags.extend(fix is not None for fix in part.fixes)
        rows = range(len(flags)) if self._order is None else self._gathered().to_list()
        return self.take([at for at, row in enumerate(rows) if flags[row]])

    def severities(self) -> dict[Severity, int]:
        """How many findings of each severity, without making objects of rows."""
        totals = dict.fromkeys(Severity, 0)
        for part in self._parts:
            if isinstance(part, list):
                for finding in part:
                    totals[finding.severity] += 1
            else:
                totals[part.template.severity] += len(part)
        return totals


def _objects(part: Part) -> list[Finding]:
    return part if isinstance(part, list) else part.findings()


TABLE = {
    "file": pl.String,
    "code": pl.String,
    "column": pl.String,
    "record": pl.Int64,
    "severity": pl.String,
    **{f"key_{name}": dtype for name, dtype in KEYS.items() if name != "code"},
}


def _table(part: Part) -> pl.DataFrame:
    """`Findings.table`'s rows of one part."""
    if isinstance(part, list):
        return pl.DataFrame(
            [
                (f.file, f.code, f.column, f.record, str(f.severity), *f.sort_key()[:4])
                for f in part
            ],
            schema=TABLE,
            orient="row",
        )
    t, at = part.template, part.template.location
    path, _, column, pointer, code, empty = _shared_keys(part)
    return pl.DataFrame(
        {
            "record": pl.Series(part.rows, dtype=pl.Int64) + 1,
            "key_line": pl.Series(part.lines, dtype=pl.Int64).fill_null(empty),
        }
    ).select(
        pl.lit(at.file, pl.String).alias("file"),
        pl.lit(code, pl.String).alias("code"),
        pl.lit(at.column, pl.String).alias("column"),
        "record",
        pl.lit(str(t.severity), pl.String).alias("severity"),
        pl.lit(path, pl.String).alias("key_path"),
        "key_line",
        pl.lit(column, pl.Int64).alias("key_column"),
        pl.lit(pointer, pl.String).alias("key_pointer"),
    )


def _report_order(parts: list[Part]) -> pl.DataFrame:
    """(part, index) of every finding, in `Finding.sort_key` order, ties as found. The
    key's strings (path, pointer, code) are sorted once and compared by their rank,
    and the key is packed into three integers (`_packed`)."""
    shared = {n: _shared_keys(p) for n, p in enumerate(parts) if isinstance(p, FindingRows)}
    objects = {n: [f.sort_key() for f in p] for n, p in enumerate(parts) if isinstance(p, list)}
    strings = {k[i] for k in shared.values() for i in (0, 3, 4)}
    strings |= {k[i] for keys in objects.values() for k in keys for i in (0, 3, 4)}
    rank = {text: number for number, text in enumerate(sorted(strings))}  # type: ignore[type-var]
    frames = []
    if shared:
        constants = pl.DataFrame(
            [
                (n, len(parts[n]), rank[k[0]], k[2], rank[k[3]], rank[k[4]], k[5])
                for n, k in shared.items()
            ],
            schema=["part", "size", "path", "column", "pointer", "code", "empty"],
            orient="row",
        )
        lines = [pl.Series(parts[n].lines, dtype=pl.Int64) for n in shared]  # type: ignore[union-attr]
        starts = pl.Series([0, *accumulate(len(parts[n]) for n in shared)][:-1])
        each = constants.with_columns(start=starts).select(
            pl.exclude("size").repeat_by("size").explode()
        )
        frames.append(
            each.with_columns(
                pl.lit(pl.concat(lines)).fill_null(pl.col("empty")).alias("line"),
                (pl.int_range(pl.len(), dtype=pl.Int64) - pl.col("start")).alias("index"),
            ).select(KEY_COLUMNS)
        )
    for number, keys in objects.items():
        rows = [
            (rank[k[0]], k[1], k[2], rank[k[3]], rank[k[4]], number, index)
            for index, k in enumerate(keys)
        ]
        frames.append(pl.DataFrame(rows, schema=KEY_COLUMNS, orient="row"))
    merged = pl.concat([frame.cast(pl.Int64) for frame in frames])
    return (
        _packed(merged, len(rank))
        .sort("k1", "k2", "k3")
        .select(
            (pl.col("k3") // (1 << 32)).cast(pl.UInt32).alias("part"),
            (pl.col("k3") % (1 << 32)).cast(pl.UInt32).alias("index"),
        )
    )


KEY_COLUMNS = ["path", "line", "column", "pointer", "code", "part", "index"]


def _packed(keys: pl.DataFrame, strings: int) -> pl.DataFrame:
    """The seven sort keys (ranks, line, column, part, index) as three integers in the
    same order: path|line, column|pointer|code, part|index (a line +1 below 2**42, a
    column +1 and the ranks below 2**21, an index below 2**32)."""
    limits = keys.select(pl.col("line").max(), pl.col("column").max(), pl.col("index").max())
    line, column, index = limits.row(0)
    if strings >= 1 << 21 or line >= (1 << 42) - 1 or column >= (1 << 21) - 1 or index >= 1 << 32:
        return keys.select(  # beyond the packing: a tuple of keys, as they are
            pl.struct("path", "line").alias("k1"),
            pl.struct("column", "pointer", "code").alias("k2"),
            (pl.col("part") * (1 << 32) + pl.col("index")).alias("k3"),
        )
    return keys.select(
        (pl.col("path") * (1 << 42) + pl.col("line") + 1).alias("k1"),
        ((pl.col("column") + 1) * (1 << 42) + pl.col("pointer") * (1 << 21) + pl.col("code")).alias(
            "k2"
        ),
        (pl.col("part") * (1 << 32) + pl.col("index")).alias("k3"),
    )


def _shared_keys(part: FindingRows) -> tuple[str | None, None, int, str, str, int]:
    """What `Finding.sort_key` is for every row of `part`, the line aside (and the line
    a row without one sorts at, as `Location.anchor` says)."""
    at = part.template.location
    number = at.column_number
    empty = -1 if number is None else 1
    return (at.file, None, -1 if number is None else number, at.pointer or "", part.code, empty)
