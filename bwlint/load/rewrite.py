"""A lossless CSV cell rewriter: the bytes of a file with some cells replaced.

`bwlint fix` must keep every cell it does not repair byte for byte, with its quoting
and its line ending, so it never re-serialises a CSV: it finds the byte range of each
cell to replace and copies everything else from the original. A record is found by
the physical line it starts on (the reader's line map), a line by counting line breaks
in large steps, and the cells of one record by a small regex tokenizer (RFC 4180).

Files whose line ends are bare CRs, and encodings where a delimiter is not one byte
(UTF-16), are not edited here: `CannotEdit` says why.
"""

from __future__ import annotations

import codecs
import mmap
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
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


@cache
def _field(delimiter: bytes) -> re.Pattern[bytes]:
    d = re.escape(delimiter)
    return re.compile(rb'"[^"]*(?:""[^"]*)*"|[^' + d + rb'"\r\n]*')


def cells_of_record(body: Body, start: int, delimiter: bytes, width: int) -> list[CellSpan]:
    """The byte spans of the cells of the record starting at `start`."""
    end = body.find(b"\n", start)
    end = len(body) if end == -1 else end
    line = bytes(body[start:end])
    if b'"' not in line:  # no quoting: the cells are the line split at the delimiter
        cells = line.removesuffix(b"\r").split(delimiter)
        if len(cells) != width:
            raise CannotEdit(f"the record has {len(cells)} fields, the header {width}")
        spans, position = [], start
        for cell in cells:
            spans.append(CellSpan(position, position + len(cell), False))
            position += len(cell) + len(delimiter)
        return spans
    return _tokenized(body, start, delimiter, width)


def _tokenized(body: Body, start: int, delimiter: bytes, width: int) -> list[CellSpan]:
    pattern = _field(delimiter)
    spans: list[CellSpan] = []
    position = start
    while True:
        match = pattern.match(body, position)
        if match is None:  # pragma: no cover - the pattern matches the empty string
            raise CannotEdit("unreadable record")
        end = match.end()
        spans.append(CellSpan(position, end, body[position : position + 1] == b'"'))
        following = body[end : end + 1]
        if following == delimiter:
            position = end + 1
            continue
        if following in (b"", b"\n", b"\r"):
            break
        raise CannotEdit("a quote inside an unquoted value")
    if len(spans) != width:
        raise CannotEdit(f"the record has {len(spans)} fields, the header {width}")
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
        raise CannotEdit(f"{codec} files cannot be edited cell by cell; save the file as UTF-8")
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
            spans = cells_of_record(body, starts[record], separator, width)
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
