"""Bytes of one CSV → `DataFile`: decode, header, a verified fast read, an exact fallback.

Fast path: polars parses the records (all strings), then `_verify` checks the result
against byte counts taken with polars over the raw bytes. For an RFC 4180 file whose
records all have the header's field count, the bytes add up exactly:

    data bytes = Σ cell bytes + (quote bytes) / 2 + Σ (fields - 1) + terminator bytes

(a quoted cell costs its two quotes plus one per doubled inner quote). polars pads a
short record with nulls and refuses a long one, so a short record or a blank line makes
the structural-delimiter count fall short, and any mismatch sends the file to the
exact path. Record start lines come from quote parity at each line break.

Exact path: Python's csv module, record by record, noting ragged records, blank lines,
an unterminated quote and undecodable bytes as facts.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import cast

import polars as pl

from bwlint.load.charset import text_codec
from bwlint.load.data import DELIMITERS, DataFile, unreadable
from bwlint.load.decoding import decode, string_schema
from bwlint.load.exact import exact_read
from bwlint.load.facts import Facts
from bwlint.load.scan import Background

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_NON_SPACE = re.compile(rb"\S")


def detect_delimiter(header_line: str) -> str:
    """Zoho detects the delimiter from the header row: the most frequent of , ; : |."""
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _codec(name: str | None) -> str | None:
    """Python's name for a declared charset; None when unknown (BW104 reports that)."""
    return text_codec(name)


def _bad_bytes_by_line(
    raw: bytes | mmap.mmap, bad: list[tuple[int, int]]
) -> list[tuple[int, int, int, int]]:
    """(line, first offset, byte, count) per line holding undecodable bytes."""
    result: list[tuple[int, int, int, int]] = []
    line, last = 1, 0
    for offset, byte in sorted(bad):
        line += bytes(raw[last:offset]).count(b"\n")
        last = offset
        if result and result[-1][0] == line:
            first = result[-1]
            result[-1] = (first[0], first[1], first[2], first[3] + 1)
        else:
            result.append((line, offset, byte, 1))
    return result


_LINE_END = re.compile(rb"\r\n|\n|\r")


def _header_end(body: bytes | mmap.mmap, start: int) -> tuple[int, int]:
    """(end offset, physical lines) of the header row: quotes balanced at a line end
    (LF, CRLF, or a bare CR, which old Mac exports use)."""
    quotes, lines, position = 0, 0, start
    while True:
        match = _LINE_END.search(body, position)
        end = len(body) if match is None else match.end()
        quotes += body[position:end].count(b'"')
        lines += 1
        if quotes % 2 == 0 or match is None:
            return end, lines
        position = end


def _utf8_body(
    raw: bytes | mmap.mmap, encoding: str | None, facts: Facts, bad: list[tuple[int, int]]
) -> tuple[bytes | mmap.mmap, str, int]:
    """(the bytes as UTF-8, the file's codec, BOM bytes to skip in them): `raw` itself
    when it is UTF-8, else a decoded copy (undecodable bytes noted in `bad`)."""
    codec = _codec(encoding)
    skip = 0  # BOM bytes
    if raw[:3] == UTF8_BOM and codec in (None, "utf-8", "utf-8-sig"):
        facts.bom, codec, skip = "utf-8", "utf-8", len(UTF8_BOM)
    elif raw[:2] in UTF16_BOMS and codec in (None, "utf-16", "utf-16-le", "utf-16-be"):
        facts.bom = codec = UTF16_BOMS[raw[:2]]
        skip = 2
    codec = codec or "utf-8"
    if codec == "utf-8-sig":
        codec = "utf-8"
    elif codec in ("utf-16", "utf-32") and not skip:
        codec += "-be"  # no byte-order mark: big-endian, as Java's decoder reads it
    if codec == "utf-8":
        return raw, codec, skip
    return decode(raw[skip:], codec, skip, bad).encode("utf-8"), codec, 0


def _header_text(
    body: bytes | mmap.mmap, skip: int, end: int, codec: str, bad: list[tuple[int, int]]
) -> str:
    """The header row's text: a UTF-8 file's undecodable bytes are noted in `bad`; any
    other charset's body is already a UTF-8 copy."""
    if codec == "utf-8":
        return decode(body[skip:end], "utf-8", skip, bad)
    return body[skip:end].decode("utf-8")


def parse(
    raw: bytes | mmap.mmap,
    display: str,
    name: str,
    encoding: str | None = None,
    path: str | None = None,
    max_columns: int | None = None,
    columns: Columns | None = None,
) -> DataFile:
    """Read one CSV's bytes. `path`, when given, is where `raw` (mapped) came from:
    polars then reads the file itself, and the raw bytes are never copied. A header of
    more than `max_columns` columns is counted, and the records are not read.
    `columns`, given the header, names the only columns the frame needs (the others
    are parsed and counted for the proof, not kept: see `_projected`)."""
    facts = Facts()
    bad: list[tuple[int, int]] = []
    body, codec, skip = _utf8_body(raw, encoding, facts, bad)
    if body is not raw:
        path = None  # polars reads the UTF-8 copy, not the file
    if _NON_SPACE.search(body, skip) is None:
        return unreadable(display, name, "the file is empty", len(raw), empty=True)
    header_end, header_lines = _header_end(body, skip)
    header_text = _header_text(body, skip, header_end, codec, bad)
    if not header_text.strip():
        return unreadable(display, name, "line 1, the header row, is empty", len(raw), empty=True)
    nul = body.find(b"\x00", 0, header_end)
    if nul != -1:  # before csv reads the header: Python 3.10's csv refuses NUL
        return _binary(display, name, raw, nul, codec)
    first_line = header_text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    _note_excel_forms(first_line, delimiter, facts)
    header = next(csv.reader(io.StringIO(header_text, newline=""), delimiter=delimiter))
    if max_columns is not None and len(header) > max_columns:
        return unreadable(display, name, f"{len(header):,} columns", len(raw), too_wide=len(header))
    if header_end == len(body) and header_text.count('"') % 2:
        facts.unterminated = (0, 1)
    data = DataFile(
        display=display,
        name=name,
        header=header,
        frame=pl.DataFrame(),
        delimiter=delimiter,
        encoding=codec,
        size=len(raw),
        header_lines=header_lines,
        facts=facts,
    )
    verdict = _fast_read(data, body, header_end, path, columns)
    if isinstance(verdict, int) and not isinstance(verdict, bool):
        nul = verdict
    if verdict is False:
        nul = body.find(b"\x00")
    if nul != -1:
        return _binary(display, name, raw, nul, codec)
    if verdict is False:
        exact_read(data, body, header_end, codec == "utf-8", bad, path)
    if facts.breaks is not None:
        _note_line_ends(data, body, facts.breaks, header_end)
        facts.breaks = None
    facts.bad_bytes = _bad_bytes_by_line(raw, bad)
    return data


_SEP_LINE = re.compile(r'^"?sep=(.?)"?\r?$', re.IGNORECASE)


def _note_excel_forms(first_line: str, delimiter: str, facts: Facts) -> None:
    """Excel's `sep=;` first line, and Excel's "Unicode Text" (tab-delimited): noted
    for the file rules; the file is still read as Zoho reads it."""
    if _SEP_LINE.match(first_line):
        facts.sep_line = first_line.rstrip("\r")
    elif "\t" in first_line and first_line.count(delimiter) == 0:
        facts.tab_delimited = True


def _binary(display: str, name: str, raw: bytes | mmap.mmap, nul: int, codec: str) -> DataFile:
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE file: Excel 97-2003 (.xls)
        from bwlint.load.archive import WORKBOOK

        return unreadable(display, name, WORKBOOK, len(raw))
    hint = ""
    if codec == "utf-8" and raw[:2] in UTF16_BOMS:  # only when UTF-8 was asked for
        hint = (
            " (UTF-16 text by its byte-order mark, read as the job's character_encoding "
            "UTF-8: save it as 'CSV UTF-8 (Comma delimited)', or set character_encoding "
            "to UTF-16)"
        )
    elif codec == "utf-8":
        hint = " (if it is UTF-16 text, save it with a BOM)"
    return unreadable(
        display, name, f"binary data, not a CSV: a NUL byte at offset {nul}{hint}", len(raw)
    )


# Given the header, the indexes of the only columns a reader's frame must hold.
Columns = Callable[[list[str]], Iterable[int]]
_BYTES, _EMPTY = "\x00bytes", "\x00empty"  # the projected read's per-record counts


def _projected(source: str | bytes, data: DataFile, kept: Iterable[int]) -> pl.DataFrame:
    """Every record parsed, in a stream, but only the `kept` columns held: with each
    record's cell bytes and whether every cell is null, which is all the proof needs of
    the others. Peak memory is the kept columns', not the file's."""
    width = len(data.header)
    lazy = pl.scan_csv(
        source,
        has_header=True,
        infer_schema=False,
        new_columns=list(string_schema(width)),
        separator=data.delimiter,
        raise_if_empty=False,
        glob=False,
    )
    if lazy.collect_schema().len() != width:
        raise ValueError("polars reads another number of columns than the header's")
    return lazy.select(
        *(pl.col(str(i)) for i in sorted(set(kept))),
        pl.sum_horizontal(pl.all().str.len_bytes()).cast(pl.UInt64).alias(_BYTES),
        pl.all_horizontal(pl.all().is_null()).alias(_EMPTY),
    ).collect(engine="streaming")


def _read_frame(
    source: str | bytes, data: DataFile, columns: Columns | None
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """(the frame, None), or with `columns`: (the frame of the kept columns, the
    proof's per-record counts of all of them)."""
    if columns is None:
        frame = pl.read_csv(
            source,
            has_header=True,
            infer_schema=False,
            new_columns=list(string_schema(len(data.header))),
            separator=data.delimiter,
            raise_if_empty=False,
            glob=False,
        )
        return frame, None
    frame = _projected(source, data, columns(data.header))
    # a frame of no column keeps its height: the record count
    return frame.drop(_BYTES, _EMPTY), frame.select(_BYTES, _EMPTY)


def _fast_read(
    data: DataFile,
    body: bytes | mmap.mmap,
    header_end: int,
    path: str | None,
    columns: Columns | None = None,
) -> bool | int:
    """polars reads the records; True when byte counts prove the read exact, False when
    they do not, or the offset of a NUL byte (binary data)."""
    width = len(data.header)
    scan = Background(body, header_end, data.delimiter)
    scan.start()
    source = path if path is not None else cast(bytes, body)  # mapped only with a path
    try:
        frame, counts = _read_frame(source, data, columns)
    except (pl.exceptions.PolarsError, OSError, ValueError):
        scan.join()
        return False
    breaks, quotes, opened, has_cr, crlf, nul = scan.outcome()
    if has_cr and crlf:  # CRLF somewhere, no bare CR: are the rows' ends mixed?
        data.facts.breaks = breaks
    if frame.width != width and counts is None:
        return False
    records = frame.height
    if records == 0:
        data.frame = frame
        return _NON_SPACE.search(body, header_end) is None
    if nul != -1:
        return nul
    newlines = breaks.height
    if quotes % 2 or not crlf:
        return False  # a stray quote, or bare-CR line ends: read exactly
    # polars reads a blank line as a row of nulls: such rows must be the blank lines.
    if counts is None:
        empty_rows, cells = _empty_rows(frame), _cell_bytes(frame)
    else:
        empty_rows = counts.get_column(_EMPTY)
        cells = int(counts.get_column(_BYTES).sum() or 0)
    blanks = int(empty_rows.sum())
    terminators = records if body[-1:] == b"\n" else records - 1
    terminator_bytes = 2 * terminators if has_cr else terminators
    # A quote opens a cell when it follows a separator or a line break with an even
    # number of quotes before it (counted by the scan); the rest close cells or are
    # doubled. A quoted cell costs 2 bytes plus 1 per doubled quote.
    quoting = 2 * opened + (quotes // 2 - opened)
    separators = len(body) - header_end - cells - quoting - terminator_bytes
    if separators != (records - blanks) * (width - 1):
        return False
    if blanks or newlines > terminators:  # line breaks in cells, or blank lines
        if not _line_map(data, breaks, header_end, terminators, empty_rows):
            return False
        frame = frame.filter(~empty_rows) if blanks else frame
    data.frame = frame
    return True


def _empty_rows(frame: pl.DataFrame) -> pl.Series:
    """True on the rows whose every cell is null. A column without nulls (polars counts
    them as it builds the frame) rules them all out; else only the null rows of the
    column with the fewest are looked at."""
    nulls = frame.null_count().row(0)
    fewest = min(nulls)
    empty = pl.repeat(False, frame.height, eager=True)
    if fewest == 0:
        return empty
    rows = frame.get_column(frame.columns[nulls.index(fewest)]).is_null().arg_true()
    whole = frame[rows].select(pl.all_horizontal(pl.all().is_null())).to_series()
    return empty.scatter(rows.filter(whole), True)


def _cell_bytes(frame: pl.DataFrame) -> int:
    """The bytes of every cell of a frame of strings: polars keeps each column's total
    with its string views and reports it as the column's estimated size (checked once
    per process, `_sizes_are_lengths`); else every cell's length, summed (~0.1 s on a
    million records). Column by column: the frame's own estimate can fall short (seen on
    a file without a final line break: a buffer the columns share counted once, it
    seems), and a record short of as many separators then passed the proof."""
    if _sizes_are_lengths():
        return sum(int(column.estimated_size()) for column in frame.iter_columns())
    return frame.select(pl.sum_horizontal(pl.all().str.len_bytes().sum())).item() or 0


@cache
def _sizes_are_lengths() -> bool:
    """Whether polars' estimated size of each column of strings is the sum of its cells'
    byte lengths (nulls, inline and long strings, a slice of a column, a CSV read
    without a final line break)."""
    probe = pl.DataFrame(
        {"a": ["xx", None, "y" * 20, "", "é"], "b": [None, "z" * 100, None, "q", "w" * 13]}
    ).slice(1)
    read = pl.read_csv(b"a,b\n\xc3\xa9\n\xc3\xa9,x", infer_schema=False)
    sizes = [sum(int(c.estimated_size()) for c in f.iter_columns()) for f in (probe, read)]
    return sizes == [20 + 2 + 100 + 1 + 13, 5]


def _note_line_ends(
    data: DataFile, body: bytes | mmap.mmap, breaks: pl.DataFrame, end: int
) -> None:
    """How the rows end (the header's, the records' and blank lines' line breaks, not
    those inside quoted values): noted when some end with CRLF and some with LF.
    `breaks`: the scan's line breaks after the header (`prev`: the byte before each)."""
    facts = data.facts
    if facts.ragged or facts.unterminated or data.records == 0:
        return
    lines = data.record_lines
    if lines is None:
        lines = pl.int_range(1, data.records + 1, eager=True) + data.header_lines
    first = pl.concat([lines.cast(pl.Int64), pl.Series(facts.blank_lines, dtype=pl.Int64)])
    index = (first - data.header_lines - 2).filter(first - data.header_lines - 2 >= 0)
    if body[-1:] == b"\n" and breaks.height:
        index = pl.concat([index, pl.Series([breaks.height - 1], dtype=pl.Int64)]).unique()
    prev = breaks.get_column("prev").gather(index)
    crlf = int((prev == ord("\r")).sum())
    header = bytes(body[max(end - 2, 0) : end])
    crlf += header == b"\r\n"
    lf = prev.len() + header.endswith(b"\n") - crlf
    if crlf and lf:
        facts.line_ends = (crlf, lf)


def _line_map(
    data: DataFile, breaks: pl.DataFrame, header_end: int, terminators: int, empty: pl.Series
) -> bool:
    """Record start lines, and blank lines, from the record-ending line breaks (those
    with an even number of quotes before them). False if they contradict polars."""
    ends = breaks.with_row_index("ordinal").filter(pl.col("even"))
    if ends.height != terminators:
        return False
    at = ends.get_column("at")
    gap = at - at.shift(1, fill_value=header_end - 1)
    blank = (gap == 1) | ((gap == 2) & (ends.get_column("prev") == ord("\r")))
    # line ended by each record-ending break; the next record starts on the next line
    line_end = ends.get_column("ordinal").cast(pl.Int64) + data.header_lines + 1
    starts = pl.concat([pl.Series([data.header_lines + 1], dtype=pl.Int64), line_end + 1])
    starts = starts.head(empty.len())
    blank = pl.concat([blank, pl.Series([False] * (empty.len() - blank.len()))])
    if not blank.equals(empty, check_names=False, check_dtypes=False):
        return False
    data.facts.blank_lines = starts.filter(blank).to_list()
    data.record_lines = starts.filter(~blank).alias("line")
    return True
