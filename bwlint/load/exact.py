"""The exact path of the reader: a file polars' parse could not be proven exact for is
read record by record with Python's csv module, and every irregularity (a ragged record,
a blank line, an unterminated quote) is noted on its facts."""

from __future__ import annotations

import csv
import io
import mmap
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl

from bwlint.load.data import DataFile
from bwlint.load.decoding import decode, string_schema
from bwlint.load.scan import CHUNK

_TEXT_LINE_END = re.compile(r"\r\n|\r|\n")  # what csv's line_num counts (newline="")


@contextmanager
def _unbounded_fields() -> Iterator[None]:
    """Lift the csv module's 128 KB field limit while bwlint reads (an unterminated quote
    swallows the rest of the file into one field), and put it back after."""
    before = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def exact_read(
    data: DataFile,
    body: bytes | mmap.mmap,
    header_end: int,
    utf8: bool,
    bad: list[tuple[int, int]],
    path: str | None = None,
) -> None:
    """Record by record with Python's csv module, noting every irregularity; the values
    still come from polars where it segments the records the same way."""
    with _unbounded_fields():
        _read(data, body, header_end, utf8, bad, path)


def _read(
    data: DataFile,
    body: bytes | mmap.mmap,
    header_end: int,
    utf8: bool,
    bad: list[tuple[int, int]],
    path: str | None,
) -> None:
    facts = data.facts
    facts.exact_path = True
    starts: list[int] | None = None
    text: str | None = None
    if utf8 and not bad and path is not None and _quotes_balanced(body, header_end):
        try:  # stream the file: no decoded copy of it in memory
            with open(path, "rb") as handle:
                handle.seek(header_end)
                starts, blank_rows = _structure(data, io.TextIOWrapper(handle, "utf-8", newline=""))
        except (UnicodeDecodeError, OSError):
            starts = None
            facts.ragged.clear()
            facts.blank_lines.clear()
    if starts is None:
        text = (
            decode(body[header_end:], "utf-8", header_end, bad)
            if utf8
            else (body[header_end:].decode("utf-8"))
        )
        starts, blank_rows = _structure(data, io.StringIO(text, newline=""))
        if starts and text.count('"') % 2:
            _find_unterminated(data, text, starts)
    frame = None
    if facts.unterminated is None:
        from_path = path is not None and utf8 and not bad
        source = path if from_path else (text or "").encode("utf-8")
        text = None  # polars needs the bytes only
        frame = _polars_rows(data, source, from_path, blank_rows)
        if frame is not None and frame.height != len(starts):
            frame = None
    if frame is None:  # polars reads it otherwise: take the values from the csv module
        frame = _python_rows(data, body, header_end, utf8, text)
    data.frame = frame
    lines = pl.Series("line", starts, dtype=pl.Int64)
    expected = pl.int_range(1, len(starts) + 1, eager=True) + data.header_lines
    if not lines.equals(expected.cast(pl.Int64).alias("line")):
        data.record_lines = lines


def _quotes_balanced(body: bytes | mmap.mmap, start: int) -> bool:
    step = CHUNK
    return sum(body[i : i + step].count(b'"') for i in range(start, len(body), step)) % 2 == 0


def _structure(data: DataFile, stream) -> tuple[list[int], list[int]]:
    """Start line of each record and position of each blank row, noting ragged records
    and blank lines on the facts."""
    facts = data.facts
    width = len(data.header)
    reader = csv.reader(stream, delimiter=data.delimiter, strict=False)
    starts: list[int] = []
    blank_rows: list[int] = []  # positions among all rows, blank ones included
    line = data.header_lines
    for row in reader:
        start = line + 1
        line = data.header_lines + reader.line_num
        if not row:
            facts.blank_lines.append(start)
            blank_rows.append(len(starts) + len(blank_rows))
            continue
        starts.append(start)
        if len(row) != width:
            facts.ragged.append((len(starts), start, len(row)))
    return starts, blank_rows


def _polars_rows(
    data: DataFile, source, from_path: bool, blank_rows: list[int]
) -> pl.DataFrame | None:
    """The records read by polars (short ones padded, long ones cut), blank lines
    dropped; None when polars cannot read them."""
    try:
        frame = pl.read_csv(
            source,
            has_header=False,
            skip_lines=data.header_lines if from_path else 0,
            schema=string_schema(len(data.header)),
            separator=data.delimiter,
            truncate_ragged_lines=True,
            raise_if_empty=False,
            glob=False,
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return None
    if not blank_rows:
        return frame
    empty = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if blank_rows[-1] >= frame.height or not empty.gather(blank_rows).all():
        return None
    keep = pl.Series([True] * frame.height).scatter(blank_rows, False)
    return frame.filter(keep)


def _python_rows(
    data: DataFile, body: bytes | mmap.mmap, header_end: int, utf8: bool, text: str | None
) -> pl.DataFrame:
    """The records as Python's csv module reads them (a second pass; rare)."""
    width = len(data.header)
    if text is None:
        text = (
            decode(body[header_end:], "utf-8", header_end, [])
            if utf8
            else (body[header_end:].decode("utf-8"))
        )
    rows = [
        row[:width] + [""] * (width - len(row)) if len(row) != width else row
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=data.delimiter)
        if row
    ]
    columns = zip(*rows, strict=True) if rows else [()] * width
    return pl.DataFrame(
        [pl.Series(str(i), values, dtype=pl.String) for i, values in enumerate(columns)]
    ).with_columns(pl.all().replace("", None))


def _find_unterminated(data: DataFile, text: str, starts: list[int]) -> None:
    """The last record swallows the rest of the file when its quote never closes."""
    offset = 0
    for _ in range(starts[-1] - data.header_lines - 1):  # CR, LF or CRLF, as csv counts
        ending = _TEXT_LINE_END.search(text, offset)
        if ending is None:
            return
        offset = ending.end()
    try:
        list(
            csv.reader(
                io.StringIO(text[offset:], newline=""), delimiter=data.delimiter, strict=True
            )
        )
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            data.facts.unterminated = (len(starts), starts[-1])
