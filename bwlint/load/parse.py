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

import codecs
import csv
import io
import mmap
import re
import sys
import threading

import polars as pl

from bwlint.load.data import DELIMITERS, DataFile, unreadable
from bwlint.load.facts import Facts

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
ZIP_LIMIT = 25_000_000  # bytes: Zoho's "25 MB", read on the safe (decimal) side
_NON_SPACE = re.compile(rb"\S")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an unterminated quote swallows the file


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
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, codec: str, base: int, bad: list[tuple[int, int]]) -> str:
    """Decode, replacing each undecodable byte with U+FFFD and noting (offset, byte)."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    parts = []
    position = 0
    decoder = codecs.getincrementaldecoder(codec)()
    while position < len(data):
        try:
            parts.append(decoder.decode(data[position:], final=True))
            break
        except UnicodeDecodeError as exc:
            start = position + exc.start
            parts.append(decoder.decode(data[position:start], final=True))
            decoder.reset()
            for offset in range(start, position + exc.end):
                bad.append((base + offset, data[offset]))
            parts.append("\ufffd")
            position += exc.end
    return "".join(parts)


def _bad_bytes_by_line(raw: bytes, bad: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
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


def parse(
    raw: bytes | mmap.mmap,
    display: str,
    name: str,
    encoding: str | None = None,
    path: str | None = None,
) -> DataFile:
    """Read one CSV's bytes. `path`, when given, is where `raw` (mapped) came from:
    polars then reads the file itself, and the raw bytes are never copied."""
    facts = Facts()
    bad: list[tuple[int, int]] = []
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
    if codec == "utf-8":
        body = raw
    else:
        path = None
        body = decode(raw[skip:], codec, skip, bad).encode("utf-8")
        skip = 0
    if _NON_SPACE.search(body, skip) is None:
        return unreadable(display, name, "the file is empty", len(raw), empty=True)
    header_end, header_lines = _header_end(body, skip)
    header_text = (
        decode(body[skip:header_end], "utf-8", skip, bad)
        if codec == "utf-8"
        else (body[skip:header_end].decode("utf-8"))
    )
    if not header_text.strip():
        return unreadable(display, name, "line 1, the header row, is empty", len(raw), empty=True)
    delimiter = detect_delimiter(header_text.split("\n", 1)[0])
    header = next(csv.reader(io.StringIO(header_text, newline=""), delimiter=delimiter))
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
    nul = body.find(b"\x00", 0, header_end)
    verdict = _fast_read(data, body, header_end, path) if nul == -1 else True
    if isinstance(verdict, int) and not isinstance(verdict, bool):
        nul = verdict
    if verdict is False:
        nul = body.find(b"\x00")
    if nul != -1:
        hint = "" if codec != "utf-8" else " (if it is UTF-16 text, save it with a BOM)"
        return unreadable(
            display, name, f"binary data, not a CSV: a NUL byte at offset {nul}{hint}", len(raw)
        )
    if verdict is False:
        _exact_read(data, body, header_end, codec == "utf-8", bad, path)
    facts.bad_bytes = _bad_bytes_by_line(raw, bad)
    return data


def _schema(width: int) -> dict[str, pl.DataType]:
    return {str(i): pl.String() for i in range(width)}


def _scan(
    body: bytes | mmap.mmap, start: int, delimiter: str
) -> tuple[pl.DataFrame, int, int, bool, bool, int]:
    """Every line break after `start` (position, byte before, whether an even number
    of quotes comes before it), the number of quotes and of quotes that open a cell
    (those after a separator or a line break with an even number of quotes before
    them) — plus whether there is a CR, whether every CR is part of a CRLF, and the
    offset of a NUL byte (or -1).

    The bytes are scanned in chunks; a mapped file's pages are released after each
    chunk, so the scan adds one chunk, not the file, to the peak memory. It runs in
    the background while polars parses the records, in eager steps: a lazy query
    would wait for polars' thread pool, which the parse keeps busy.
    """
    size = len(body)
    page = mmap.PAGESIZE
    parts = []
    crlf, has_cr = True, False
    quotes = opened = 0
    openers = [ord(delimiter), ord("\n")]
    index = pl.int_range(0, min(_CHUNK, max(size - start, 0)), eager=True, dtype=pl.UInt32)
    for lo in range(start, size, _CHUNK):
        hi = min(lo + _CHUNK, size)
        first, last = lo - 1, min(hi + 1, size)  # a byte of context on each side
        window = _bytes(body, first, last)
        chunk = window.slice(1, hi - lo)
        if chunk.min() == 0:
            return pl.DataFrame(), 0, 0, False, False, lo + int((chunk == 0).arg_true()[0])
        newline = chunk == ord("\n")
        marked = (chunk == ord('"')) | newline
        # filtering a ready index is cheaper than arg_true and gathers
        offsets = index.slice(0, hi - lo)
        byte, prev = chunk.filter(marked), window.head(hi - lo).filter(marked)
        quote = byte == ord('"')
        # an even number of quotes before (those of earlier chunks included)
        even = (quote.cum_sum() - quote + (quotes & 1)) % 2 == 0
        quotes += int(quote.sum())
        opened += int((quote & even & prev.is_in(openers)).sum())
        parts.append(
            pl.DataFrame(
                {
                    "at": offsets.filter(newline).cast(pl.Int64) + lo,
                    "prev": prev.filter(~quote),
                    "even": even.filter(~quote),
                }
            )
        )
        at_cr = (chunk == ord("\r")).arg_true() if body.find(b"\r", lo, hi) != -1 else None
        if at_cr is not None and at_cr.len():
            has_cr = True
            after = window.gather((at_cr.cast(pl.Int64) + 2).clip(None, window.len() - 1))
            crlf = crlf and bool((after == ord("\n")).all()) and (hi < size or chunk[-1] != 13)
        del window, chunk
        if isinstance(body, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):  # not on Windows
            aligned = (first // page) * page
            body.madvise(mmap.MADV_DONTNEED, aligned, hi - aligned)
    breaks = pl.concat(parts) if parts else pl.DataFrame(schema=_BREAKS)
    return breaks, quotes, opened, has_cr, crlf, -1


# Bytes per step of the scan: small chunks are cheap to copy into polars, and the
# many small operations cost less than a few large ones (measured: 2 MB beat 32 MB
# by ~25 % on 64 MB and 300 MB files).
_CHUNK = 1 << 21
_BREAKS = {"at": pl.Int64, "prev": pl.UInt8, "even": pl.Boolean}
_Scan = tuple[pl.DataFrame, int, int, bool, bool, int]


class _Background(threading.Thread):
    """The byte scan, run while polars parses (both release the GIL)."""

    def __init__(self, body: bytes | mmap.mmap, start: int, delimiter: str) -> None:
        super().__init__(daemon=True)
        self.body, self.start_at, self.delimiter = body, start, delimiter
        self.result: _Scan | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _scan(self.body, self.start_at, self.delimiter)
        except BaseException as exc:  # handed to the caller by outcome()
            self.error = exc

    def outcome(self) -> _Scan:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _bytes(body: bytes | mmap.mmap, first: int, last: int) -> pl.Series:
    """body[first:last] as a UInt8 series (a copy of one small chunk).

    polars has no zero-copy constructor from a buffer; numpy's would cost ~0.1 s to
    import, more than copying the chunks of a 300 MB file takes.
    """
    binary = pl.Series("b", [bytes(body[first:last])], dtype=pl.Binary)
    return binary.cast(pl.List(pl.UInt8)).explode()


def _fast_read(
    data: DataFile, body: bytes | mmap.mmap, header_end: int, path: str | None
) -> bool | int:
    """polars reads the records; True when byte counts prove the read exact, False when
    they do not, or the offset of a NUL byte (binary data)."""
    width = len(data.header)
    scan = _Background(body, header_end, data.delimiter)
    scan.start()
    try:
        frame = pl.read_csv(
            path if path is not None else body,
            has_header=True,
            infer_schema=False,
            new_columns=list(_schema(width)),
            separator=data.delimiter,
            raise_if_empty=False,
            glob=False,
        )
    except (pl.exceptions.PolarsError, OSError, ValueError):
        scan.join()
        return False
    breaks, quotes, opened, has_cr, crlf, nul = scan.outcome()
    if frame.width != width:
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
    # A column without nulls (polars counts them as it builds the frame) rules them out.
    if min(frame.null_count().row(0)) == 0:
        empty_rows = pl.repeat(False, records, eager=True)
    else:
        empty_rows = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    blanks = int(empty_rows.sum())
    terminators = records if body[-1:] == b"\n" else records - 1
    terminator_bytes = 2 * terminators if has_cr else terminators
    cells = frame.select(pl.sum_horizontal(pl.all().str.len_bytes().sum())).item() or 0
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


def _exact_read(
    data: DataFile,
    body: bytes | mmap.mmap,
    header_end: int,
    utf8: bool,
    bad: list[tuple[int, int]],
    path: str | None = None,
) -> None:
    """Record by record with Python's csv module, noting every irregularity; the values
    still come from polars where it segments the records the same way."""
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
    step = _CHUNK
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
            schema=_schema(len(data.header)),
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
    for _ in range(starts[-1] - data.header_lines - 1):
        offset = text.index("\n", offset) + 1
    try:
        list(
            csv.reader(
                io.StringIO(text[offset:], newline=""), delimiter=data.delimiter, strict=True
            )
        )
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            data.facts.unterminated = (len(starts), starts[-1])
