"""The lossless rewriter: cells found by their bytes, whatever their quoting."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from bwlint.load.rewrite import CannotEdit, cells_of_record, line_starts, unquote

CELL = st.lists(st.sampled_from(["a", "é", " ", ",", '"', "\n", "\r\n", ";"]), max_size=5).map(
    "".join
)


@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    ending=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.booleans(),
)
def test_every_cell_is_found_by_its_bytes(rows, ending, quote_all):
    buffer = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, lineterminator=ending, quoting=quoting).writerows(rows)
    body = buffer.getvalue().encode("utf-8")
    # each record starts on the line after the previous record's physical lines
    lines, line = [], 1
    for row in rows:
        lines.append(line)
        line += sum(cell.count("\n") for cell in row) + 1
    starts = line_starts(body, lines)
    for row, start in zip(rows, starts, strict=True):
        spans = cells_of_record(body, start, b",", 3, range(3))
        assert [unquote(body[s.start : s.end]).decode("utf-8") for s in spans.values()] == row


def _cells_by_pieces(record: bytes, width: int, wanted: range) -> dict[int, tuple[int, int, bool]]:
    """The rule cells_of_record implements, written plainly: the record split at every
    delimiter, a piece joined to the one before while an odd number of quotes precede it."""
    pieces = record.split(b",")
    cells: list[list[int]] = []  # [first piece, last piece]
    odd = 0
    for number, piece in enumerate(pieces):
        if odd:
            cells[-1][1] = number
        else:
            cells.append([number, number])
        odd = (odd + piece.count(b'"')) & 1
    if odd:
        raise CannotEdit("a quoted value is never closed")
    if len(cells) != width:
        raise CannotEdit(f"the record has {len(cells)} fields, the header {width}")
    ends = [0]
    for piece in pieces:
        ends.append(ends[-1] + len(piece) + 1)
    spans = {}
    for column in wanted:
        first, last = cells[column]
        lo, hi = ends[first], ends[last + 1] - 1
        cell = record[lo:hi]
        quoted = cell[:1] == b'"'
        if pieces[first].count(b'"') and (not quoted or cell[-1:] != b'"' or len(cell) < 2):
            raise CannotEdit("a quote inside an unquoted value")
        spans[column] = (lo, hi, quoted)
    return spans


@given(
    record=st.lists(st.sampled_from([b"a", b",", b'"', b'""', b"\xc3\xa9", b" "]), max_size=14).map(
        b"".join
    ),
    width=st.integers(1, 6),
)
def test_cells_are_the_pieces_rule_on_any_record(record, width):
    """Malformed records too (stray quotes, too few or many fields): the same spans, or
    the same refusal, as the rule written plainly."""
    wanted = range(width)
    try:
        expected: object = _cells_by_pieces(record, width, wanted)
    except CannotEdit as exc:
        expected = str(exc)
    try:
        spans = cells_of_record(record + b"\n", 0, b",", width, wanted)
        found: object = {c: (s.start, s.end, s.quoted) for c, s in spans.items()}
    except CannotEdit as exc:
        found = str(exc)
    assert found == expected
