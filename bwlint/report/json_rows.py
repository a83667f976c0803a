"""The JSON report's finding records written by polars from `FindingRows`' columns,
byte for byte as `json.dumps(finding.to_json(), ensure_ascii=False)` writes them: a
report of 250,000 findings without making 250,000 objects and dicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl

from bwlint.domain.finding import MAX_VALUE_CHARS
from bwlint.domain.findings import FindingRows, Findings, Part, repeated

_CONTROL = r"[\x00-\x1f]"
_SPECIAL = r'[\x00-\x1f"\\]'  # what JSON escapes in a string
_SHORT = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def records(findings: Findings, size: int = 20_000) -> Iterator[pl.Series]:
    """The findings' JSON records in report order, `size` at a time (each chunk is
    written when it is asked for)."""
    parts = findings.parts
    frame = findings.in_report_order(_columns(parts))
    frame = frame.with_columns(  # escaped once, not per chunk
        escaped(frame.get_column("message")), escaped(_cut(frame.get_column("value")))
    )
    pieces = [pl.Series([""] * len(parts), dtype=pl.String) for _ in range(4)]
    for number, part in enumerate(parts):
        if isinstance(part, FindingRows):
            for piece, text in zip(pieces, json_pieces(part), strict=True):
                piece[number] = text
    for start in range(0, frame.height, size):
        yield _chunk(frame.slice(start, size), pieces)


def json_pieces(rows: FindingRows) -> tuple[str, str, str, str]:
    """The JSON record of a row is these four pieces with, between them, the row's
    message and value (escaped: `escaped`), record and line:
    pieces[0] message pieces[1] record ', "line": ' line pieces[2] value pieces[3]."""
    t, at = rows.template, rows.template.location

    def encoded(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    return (
        f'{{"code": {encoded(t.code)}, "zoho_code": {encoded(t.zoho_code)}, '
        f'"severity": {encoded(t.severity)}, "message": "',
        f'", "file": {encoded(at.file)}, "record": ',
        f', "column": {encoded(at.column)}, "field": {encoded(t.field)}, "value": "',
        f'", "pointer": {encoded(at.pointer)}, "job": {encoded(at.job)}}}',
    )


def escaped(series: pl.Series) -> pl.Series:
    """Each string as json.dumps(ensure_ascii=False) writes it between its quotes:
    backslash and quote escaped, control characters as \\n, \\t … or \\u00XX. Only
    the strings that hold one of those are rewritten (usually none)."""
    # Messages repeat (one per rule and value), and so do bad values: when most do,
    # the distinct strings are screened (~3 ns a byte), not every one.
    distinct = series.unique()
    if distinct.len() * 2 <= series.len() and not distinct.str.contains(_SPECIAL).any():
        return series
    special = series.str.contains(_SPECIAL).fill_null(False)
    if not special.any():
        return series
    rows = special.arg_true()
    return series.scatter(rows, pl.select(_escaped(series.gather(rows))).to_series())


def _cut(value: pl.Series) -> pl.Series:
    """Each value cut to MAX_VALUE_CHARS characters, as `Finding.to_json` cuts it: only a
    value of more bytes can have more characters."""
    long = (value.str.len_bytes() > MAX_VALUE_CHARS).arg_true()
    if long.is_empty():
        return value
    few = value.gather(long)
    short = few.str.slice(0, MAX_VALUE_CHARS - 1) + "…"
    cut = pl.select(pl.when(few.str.len_chars() > MAX_VALUE_CHARS).then(short).otherwise(few))
    return value.scatter(long, cut.to_series())


def _escaped(series: pl.Series) -> pl.Expr:
    """`series` with backslash, quote and control characters escaped."""
    text = pl.lit(series).str.replace_all("\\", "\\\\", literal=True)
    text = text.str.replace_all('"', '\\"', literal=True)
    controls = series.filter(series.str.contains(_CONTROL))
    if controls.len():  # only the characters present, one pass each
        present = controls.str.extract_all(_CONTROL).explode().unique().sort().to_list()
        for char in present:
            text = text.str.replace_all(char, _SHORT.get(char, f"\\u{ord(char):04x}"), literal=True)
    return text


def _columns(parts: list[Part]) -> pl.DataFrame:
    """Every part's rows, one after the other: the JSON record of a `Finding` object in
    `text`; the columns of a `FindingRows` row (its part, record, line, value, message)
    to write it from."""
    frames = []
    rows = [(number, part) for number, part in enumerate(parts) if isinstance(part, FindingRows)]
    if rows:

        def joined(name: str, dtype: pl.DataType) -> pl.Series:
            return pl.concat([pl.Series(getattr(part, name), dtype=dtype) for _, part in rows])

        numbers = repeated([n for n, _ in rows], [len(found) for _, found in rows])
        frames.append(
            numbers.alias("part")
            .to_frame()
            .with_columns(
                pl.lit(None, pl.String).alias("text"),
                (joined("rows", pl.Int64()) + 1).cast(pl.String).alias("record"),
                joined("lines", pl.Int64()).cast(pl.String).alias("line"),
                joined("values", pl.String()).fill_null("").alias("value"),
                joined("messages", pl.String()).alias("message"),
            )
        )
    for number, part in enumerate(parts):
        if isinstance(part, list):
            texts = [json.dumps(f.to_json(), ensure_ascii=False) for f in part]
            frames.append(
                pl.DataFrame({"text": texts}, schema={"text": pl.String}).select(
                    pl.lit(number, pl.UInt32).alias("part"),
                    "text",
                    *(
                        pl.lit(None, pl.String).alias(name)
                        for name in ("record", "line", "value", "message")
                    ),
                )
            )
    ordered = pl.concat(frames)  # rows parts first: back to the parts' own order
    if len(frames) > 1 or not rows:
        ordered = ordered.with_row_index("_at").sort("part", "_at").drop("_at")
    return ordered


def _chunk(chunk: pl.DataFrame, pieces: list[pl.Series]) -> pl.Series:
    """The JSON records of a chunk of `_columns` rows, message and value escaped and
    cut (see `json_pieces`; a row's message and value are never null: an empty cell's
    value is "")."""
    part = pl.col("part")
    record = pl.concat_str(
        pl.lit(pieces[0]).gather(part),
        pl.col("message"),
        pl.lit(pieces[1]).gather(part),
        pl.col("record").fill_null("null"),
        pl.lit(', "line": '),
        pl.col("line").fill_null("null"),
        pl.lit(pieces[2]).gather(part),
        pl.col("value"),
        pl.lit(pieces[3]).gather(part),
    )
    return chunk.select(pl.coalesce("text", record)).to_series()
