"""The reader's byte count of the cells (parse._cell_bytes) is every cell's length in
bytes, summed, however polars holds the frame."""

from __future__ import annotations

import polars as pl
import pytest

from bwlint.load import parse

FRAME = pl.DataFrame(
    {
        "a": [None if i % 4 == 0 else "é" * (i % 30) for i in range(2000)],
        "b": [f'say "{i}"\n' * (i % 5) for i in range(2000)],
    }
)


@pytest.mark.parametrize(
    "frame",
    [
        FRAME,
        FRAME.slice(7, 900),
        FRAME.filter(pl.col("b").str.len_bytes() % 2 == 0),
        pl.concat([FRAME, FRAME.head(10)], rechunk=False),
        pl.read_csv(b'a,b\n1,\n,2\n"x""y",z\n"",\n', infer_schema=False),
        pl.DataFrame({"a": [None, None]}, schema={"a": pl.String}),
    ],
)
def test_cell_bytes_are_the_cells_lengths(frame):
    lengths = frame.select(pl.sum_horizontal(pl.all().str.len_bytes().sum())).item() or 0
    assert parse._cell_bytes(frame) == lengths


def test_without_polars_sizes_the_lengths_are_summed(monkeypatch):
    monkeypatch.setattr(parse, "_sizes_are_lengths", lambda: False)
    assert (
        parse._cell_bytes(FRAME)
        == FRAME.select(pl.all().str.len_bytes().sum()).sum_horizontal().item()
    )
