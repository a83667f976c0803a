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

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, overload

import polars as pl

from bwlint.domain.enums import Severity
from bwlint.domain.finding import MAX_VALUE_CHARS, Finding
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
_CONTROL = r"[\x00-\x1f]"
_SHORT = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


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

    def json_pieces(self) -> tuple[str, str, str, str]:
        """The JSON record of a row (`Finding.to_json`, as json.dumps writes it) is
        these four pieces with, between them, the row's message, record, line and value:
        pieces[0] message pieces[1] record ', "line": ' line pieces[2] value pieces[3]."""
        t, at = self.template, self.template.location

        def encoded(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False)

        return (
            f'{{"code": {encoded(t.code)}, "zoho_code": {encoded(t.zoho_code)}, '
            f'"severity": {encoded(t.severity)}, "message": ',
            f', "file": {encoded(at.file)}, "record": ',
            f', "column": {encoded(at.column)}, "field": {encoded(t.field)}, "value": ',
            f', "pointer": {encoded(at.pointer)}, "job": {encoded(at.job)}}}',
        )


def json_string(series: pl.Series) -> pl.Expr:
    """The JSON string of each value as json.dumps(ensure_ascii=False) writes it (null:
    null): backslash and quote escaped, control characters as \\n, \\t … or \\u00XX."""
    text = pl.lit(series).str.replace_all("\\", "\\\\", literal=True)
    text = text.str.replace_all('"', '\\"', literal=True)
    controls = series.filter(series.str.contains(_CONTROL))
    if controls.len():  # rare: only the characters present, one pass each
        present = controls.str.extract_all(_CONTROL).explode().unique().sort().to_list()
        for char in present:
            text = text.str.replace_all(char, _SHORT.get(char, f"\\u{ord(char):04x}"), literal=True)
    return pl.when(pl.lit(series).is_null()).then(pl.lit("null")).otherwise('"' + text + '"')


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

    def json_records(self, size: int = 20_000) -> Iterator[pl.Series]:
        """The findings' JSON records (`Finding.to_json`, as json.dumps writes it), in
        report order, `size` at a time: rows are written by polars, a chunk at a time."""
        frame = pl.concat([_json_columns(n, part) for n, part in enumerate(self._parts)])
        if self._order is not None:
            starts = [0]
            for part in self._parts[:-1]:
                starts.append(starts[-1] + len(part))
            offsets = pl.Series(starts, dtype=pl.UInt32).gather(self._order.get_column("part"))
            frame = frame[offsets + self._order.get_column("index")]
        rows = [part for part in self._parts if isinstance(part, FindingRows)]
        pieces = [pl.Series([""] * len(self._parts), dtype=pl.String) for _ in range(4)]
        for number, part in enumerate(self._parts):
            if isinstance(part, FindingRows):
                for piece, text in zip(pieces, part.json_pieces(), strict=True):
                    piece[number] = text
        for start in range(0, frame.height if rows else 0, size):
            yield _json_chunk(frame.slice(start, size), pieces)
        if not rows:
            yield frame.get_column("text")


def _objects(part: Part) -> list[Finding]:
    return part if isinstance(part, list) else part.findings()


def _json_columns(number: int, part: Part) -> pl.DataFrame:
    """A part's rows for `Findings.json_records`: the JSON record of a `Finding` object
    in `text`; the columns of a `FindingRows` row to write it from."""
    if isinstance(part, list):
        texts = pl.Series([json.dumps(f.to_json(), ensure_ascii=False) for f in part])
        return pl.DataFrame({"text": texts}, schema={"text": pl.String}).select(
            pl.lit(number, pl.UInt32).alias("part"),
            "text",
            *(
                pl.lit(None, pl.String).alias(name)
                for name in ("record", "line", "value", "message")
            ),
        )
    return part.frame().select(
        pl.lit(number, pl.UInt32).alias("part"),
        pl.lit(None, pl.String).alias("text"),
        pl.col("record", "line").cast(pl.String),
        "value",
        "message",
    )


def _json_chunk(chunk: pl.DataFrame, pieces: list[pl.Series]) -> pl.Series:
    """The JSON records of a chunk of `_json_columns` rows (see FindingRows.json_pieces)."""
    value = chunk.get_column("value")
    short = value.str.slice(0, MAX_VALUE_CHARS - 1) + "…"
    value = pl.select(
        pl.when(value.str.len_chars() > MAX_VALUE_CHARS).then(short).otherwise(value)
    ).to_series()
    part = pl.col("part")
    record = pl.concat_str(
        pl.lit(pieces[0]).gather(part),
        json_string(chunk.get_column("message")),
        pl.lit(pieces[1]).gather(part),
        pl.col("record").fill_null("null"),
        pl.lit(', "line": '),
        pl.col("line").fill_null("null"),
        pl.lit(pieces[2]).gather(part),
        json_string(value),
        pl.lit(pieces[3]).gather(part),
    )
    return chunk.select(pl.coalesce("text", record)).to_series()


def _report_order(parts: list[Part]) -> pl.DataFrame:
    """(part, index) of every finding, in `Finding.sort_key` order (stable)."""
    keys = []
    rows = [(number, part) for number, part in enumerate(parts) if isinstance(part, FindingRows)]
    if rows:
        shared = pl.DataFrame(
            [(number, len(part), *_shared_keys(part)) for number, part in rows],
            schema={"part": pl.UInt32, "size": pl.UInt32, **KEYS, "empty": pl.Int64},
            orient="row",
        ).drop("line")
        each = shared.select(pl.exclude("size").repeat_by("size").explode())
        lines = pl.concat([pl.Series(part.lines, dtype=pl.Int64) for _, part in rows])
        keys.append(
            each.with_columns(
                pl.lit(lines).fill_null(pl.col("empty")).alias("line"),
                pl.int_range(pl.len(), dtype=pl.UInt32).over("part").alias("index"),
            ).drop("empty")
        )
    for number, part in enumerate(parts):
        if isinstance(part, list):
            objects = pl.DataFrame([f.sort_key() for f in part], schema=KEYS, orient="row")
            keys.append(
                objects.with_columns(
                    pl.lit(number, pl.UInt32).alias("part"),
                    pl.int_range(pl.len(), dtype=pl.UInt32).alias("index"),
                )
            )
    ordered = pl.concat(keys, how="diagonal").sort("part", "index")  # as found
    return ordered.sort(list(KEYS), maintain_order=True).select("part", "index")


def _shared_keys(part: FindingRows) -> tuple[str | None, None, int, str, str, int]:
    """What `Finding.sort_key` is for every row of `part`, the line aside (and the line
    a row without one sorts at, as `Location.anchor` says)."""
    at = part.template.location
    number = at.column_number
    empty = -1 if number is None else 1
    return (at.file, None, -1 if number is None else number, at.pointer or "", part.code, empty)
