"""The lossless rewriter: cells found by their bytes, whatever their quoting."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from bwlint.load.rewrite import cells_of_record, line_starts, unquote

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
