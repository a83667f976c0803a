"""The JSON report's finding records written by polars from `FindingRows`' columns,
byte for byte as `json.dumps(finding.to_json(), ensure_ascii=False)` writes them: a
report of 250,000 findings without making 250,000 objects and dicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl

from bwlint.domain.finding import MAX_VALUE_CHARS
from bwlint.domain.findings import FindingRows, Findings, Part

_CONTROL = r"[\x00-\x1f]"
_SHORT = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def records(findings: Findings, size: int = 20_000) -> Iterator[pl.Series]:
    """The findings' JSON records in report order, `size` at a time (each chunk is
    written when it is asked for)."""
    parts = findings.parts
    frame = findings.in_report_order(pl.concat([_columns(n, part) for n, part in enumerate(parts)]))
    pieces = [pl.Series([""] * len(parts), dtype=pl.String) for _ in range(4)]
    for number, part in enumerate(parts):
        if isinstance(part, FindingRows):
            for piece, text in zip(pieces, json_pieces(part), strict=True):
                piece[number] = text
    for start in range(0, frame.height, size):
        yield _chunk(frame.slice(start, size), pieces)


def json_pieces(rows: FindingRows) -> tuple[str, str, str, str]:
    """The JSON record of a row is these four pieces with, between them, the row's
    message, record, line and value:
    pieces[0] message pieces[1] record ', "line": ' line pieces[2] value pieces[3]."""
    t, at = rows.template, rows.template.location

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


def _columns(number: int, part: Part) -> pl.DataFrame:
    """A part's rows: the JSON record of a `Finding` object in `text`; the columns of a
    `FindingRows` row to write it from."""
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


def _chunk(chunk: pl.DataFrame, pieces: list[pl.Series]) -> pl.Series:
    """The JSON records of a chunk of `_columns` rows (see `json_pieces`)."""
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
