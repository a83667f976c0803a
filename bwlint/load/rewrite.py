"""A lossless CSV cell rewriter: the bytes of a file with some cells replaced.

`bwlint fix` must keep every cell it does not repair byte for byte, with its quoting
and its line ending, so it never re-serialises a CSV: it finds the byte range of each
cell to replace and copies everything else from the original. A record is found by
the physical line it starts on (the reader's line map), a line by counting line breaks
in large steps, and the cells of one record by splitting it at the delimiter and
joining again the pieces of a quoted cell (RFC 4180).

Files whose line ends are bare CRs, and encodings where a delimiter is not one byte
(UTF-16), are not edited here: `CannotEdit` says why.
"""

from __future__ import annotations

import codecs
import mmap
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import BinaryIO

STEP = 1 << 22  # bytes counted per step when looking for a line


class CannotEdit(Exception):
    """The file or a cell cannot be edited in place; the message says why."""


@dataclass(frozen=True)
class CellSpan:
    start: int
    end: int  # exclusive
    quoted: bool


Body = bytes | mmap.mmap


def line_starts(body: Body, lines: list[int]) -> list[int]:
    """Byte offset where each physical line (1-based, ascending) starts; a line is
    ended by LF (CRLF counts once). One pass in large steps: line breaks are counted
    by the step, and found one by one only near a line asked for."""
    offsets: list[int] = []
    line, base, size, wanted = 1, 0, len(body), 0
    while wanted < len(lines):
        end = min(base + STEP, size)
        chunk = bytes(body[base:end])
        remaining, position = chunk.count(b"\n"), 0
        while wanted < len(lines) and lines[wanted] - line <= remaining:
            need = lines[wanted] - line
            position = _advance(chunk, position, need)
            remaining -= need
            line = lines[wanted]
            offsets.append(base + position)
            wanted += 1
        _release(body, base, end)
        if wanted == len(lines):
            break
        if end == size:
            raise CannotEdit(f"line {lines[wanted]} is past the end of the file")
        line, base = line + remaining, end
    return offsets


def _release(body: Body, start: int, end: int) -> None:
    """Drop a mapped file's pages once read, so a pass over it adds no resident memory."""
    if isinstance(body, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):  # not on Windows
        aligned = (start // mmap.PAGESIZE) * mmap.PAGESIZE
        body.madvise(mmap.MADV_DONTNEED, aligned, end - aligned)


def _advance(chunk: bytes, position: int, need: int) -> int:
    """The offset just after the `need`-th line break from `position`."""
    block = 1 << 16
    while need > 64:
        count = chunk.count(b"\n", position, position + block)
        if count >= need:
            break
        need -= count
        position += block
    for _ in range(need):
        position = chunk.find(b"\n", position) + 1
    return position


def _record(body: Body, start: int) -> bytes:
    """The bytes of the record starting at `start`, without its line end (a quoted cell
    may hold line breaks: the record ends at the first line break with an even number
    of quotes before it)."""
    end = body.find(b"\n", start)
    while True:
        end = len(body) if end == -1 else end
        record = bytes(body[start:end])
        if record.count(b'"') % 2 == 0 or end == len(body):
            return record.removesuffix(b"\r")
        end = body.find(b"\n", end + 1)


def cells_of_record(
    body: Body, start: int, delimiter: bytes, width: int, wanted: Iterable[int]
) -> dict[int, CellSpan]:
    """The byte spans of the `wanted` cells of the record starting at `start`.

    A delimiter separates two cells when an even number of quotes comes before it: the
    record split at its quotes, those are the delimiters of the even-numbered segments
    (a doubled quote leaves an empty segment). Only the segments are looped over in
    Python (a record of 200 cells holds a few dozen quotes), their delimiters counted
    and found by bytes methods."""
    record = _record(body, start)
    size = len(delimiter)
    segments = record.split(b'"')
    if not len(segments) & 1:
        raise CannotEdit("a quoted value is never closed")
    outside = segments[::2]
    # each outside segment's offset in the record, and the separators up to its end
    offsets = [0, *accumulate(map(len, segments))]
    separators = list(accumulate(map(bytes.count, outside, repeat(delimiter, len(outside)))))
    if separators[-1] + 1 != width:
        raise CannotEdit(f"the record has {separators[-1] + 1} fields, the header {width}")

    def separator_at(number: int) -> int:
        """The offset of the `number`-th (1-based) separator of the record."""
        index = bisect_left(separators, number)
        before = separators[index - 1] if index else 0
        parts = outside[index].split(delimiter, number - before)
        within = sum(map(len, parts[:-1])) + (len(parts) - 2) * size
        return offsets[2 * index] + 2 * index + within

    spans = {}
    for column in wanted:
        lo = separator_at(column) + size if column else 0
        hi = separator_at(column + 1) if column + 1 < width else len(record)
        cell = record[lo:hi]
        quoted = cell[:1] == b'"'
        if b'"' in cell and (not quoted or cell[-1:] != b'"' or len(cell) < 2):
            raise CannotEdit("a quote inside an unquoted value")
        spans[column] = CellSpan(start + lo, start + hi, quoted)
    return spans


def unquote(cell: bytes) -> bytes:
    if cell[:1] == b'"':
        return cell[1:-1].replace(b'""', b'"')
    return cell


def written(value: str, codec: str, delimiter: str, quoted: bool) -> bytes:
    """`value` as a cell: quoted when the old one was, or when it must be."""
    must = any(c in value for c in (delimiter, '"', "\n", "\r"))
    text = '"' + value.replace('"', '""') + '"' if (quoted or must) else value
    return text.encode(codec)


def ascii_compatible(codec: str) -> bool:
    try:
        return 'a,;:|"\r\n'.encode(codec) == b'a,;:|"\r\n' and codecs.lookup(codec).name not in (
            "utf-16",
            "utf-32",
        )
    except (LookupError, UnicodeError):
        return False


def check_editable(body: Body, codec: str) -> None:
    if not ascii_compatible(codec) or codec.startswith("utf-16") or codec.startswith("utf-32"):
        raise CannotEdit(f"a {codec} file: save it as UTF-8 first (bwlint edits bytes)")
    for lo in range(0, len(body), STEP):
        hi = min(lo + STEP, len(body))
        found = body.find(b"\r", lo, hi)
        if found != -1:
            inner = bytes(body[lo:hi])
            if inner.count(b"\r") != (inner + body[hi : hi + 1]).count(b"\r\n"):
                raise CannotEdit("its lines end with a bare CR (old Mac); save it with LF or CRLF")
        _release(body, lo, hi)


@dataclass(frozen=True)
class Replacement:
    span: CellSpan
    data: bytes


def plan_edits(
    body: Body,
    *,
    delimiter: str,
    codec: str,
    width: int,
    starts: Mapping[int, int],
    edits: Mapping[int, Mapping[int, tuple[str, str]]],
) -> tuple[list[Replacement], dict[tuple[int, int], str]]:
    """The byte replacements for `edits` (record → column → (old, new)), and the edits
    that cannot be made, by (record, column), with the reason. `starts`: the byte offset
    where each edited record starts."""
    replacements: list[Replacement] = []
    refused: dict[tuple[int, int], str] = {}
    separator = delimiter.encode(codec)
    for record in sorted(edits):
        try:
            spans = cells_of_record(body, starts[record], separator, width, edits[record])
        except CannotEdit as exc:
            for column in edits[record]:
                refused[(record, column)] = f"record {record} cannot be edited: {exc}"
            continue
        for column, (old, new) in sorted(edits[record].items()):
            span = spans[column]
            current = unquote(bytes(body[span.start : span.end])).decode(codec, "replace")
            if current != old:
                refused[(record, column)] = "the cell is not the value the finding saw"
                continue
            try:
                data = written(new, codec, delimiter, span.quoted)
            except UnicodeEncodeError:
                refused[(record, column)] = f"'{new}' cannot be written in {codec}"
                continue
            replacements.append(Replacement(span, data))
    return replacements, refused


BOM = b"\xef\xbb\xbf"


def first_line(body: Body) -> Replacement:
    """The first line, with its line end, removed (a UTF-8 byte-order mark before it is
    kept: it belongs to the file, not to the line)."""
    start = len(BOM) if bytes(body[: len(BOM)]) == BOM else 0
    end = body.find(b"\n", start)
    if end == -1:
        raise CannotEdit("the file is its first line alone")
    return Replacement(CellSpan(start, end + 1, False), b"")


def trailing_cells(
    body: Body, starts: Iterable[int], delimiter: bytes, count: int
) -> list[Replacement]:
    """The last `count` cells of each row starting at `starts` removed, with the
    delimiters before them; each must be empty (nothing, or `""`)."""
    tail = re.compile(b"(?:" + re.escape(delimiter) + b'(?:"")?){%d}\\Z' % count)
    replacements = []
    for start in starts:
        record = _record(body, start)
        match = tail.search(record)
        if match is None:
            raise CannotEdit(f"the row at byte {start} does not end with {count} empty cells")
        end = start + len(record)
        replacements.append(Replacement(CellSpan(start + match.start(), end, False), b""))
    return replacements


def row_ends(body: Body, starts: Iterable[int], to: bytes) -> list[Replacement]:
    """Each row starting at `starts` ended by `to` (CRLF or LF); line breaks inside
    quoted values are left as they are."""
    replacements = []
    for start in starts:
        end = start + len(_record(body, start))
        if to == b"\r\n" and body[end : end + 1] == b"\n":
            replacements.append(Replacement(CellSpan(end, end + 1, False), to))
        elif to == b"\n" and body[end : end + 2] == b"\r\n":
            replacements.append(Replacement(CellSpan(end, end + 2, False), to))
    return replacements


def pieces(body: Body, replacements: list[Replacement]) -> Iterator[bytes]:
    """The new file's bytes, in order: the original between the replaced cells."""
    position = 0
    for replacement in sorted(replacements, key=lambda r: r.span.start):
        yield from _copy(body, position, replacement.span.start)
        yield replacement.data
        position = replacement.span.end
    yield from _copy(body, position, len(body))


def _copy(body: Body, start: int, end: int) -> Iterator[bytes]:
    for lo in range(start, end, STEP):
        yield bytes(body[lo : min(lo + STEP, end)])


def write_pieces(body: Body, replacements: list[Replacement], out: BinaryIO) -> None:
    for piece in pieces(body, replacements):
        out.write(piece)
