"""What a user would write instead of bwlint: the same field rules, by hand.

    python bench/peers.py polars|polars-text|pandera CSV METADATA_JSON

Both read the CSV as bwlint does (`polars.read_csv(path, infer_schema=False)`: every
cell a string) and check, from the Fields Metadata JSON: lengths, required values,
unique fields, email and URL patterns, picklists and multi-select picklists, integers,
decimals, checkboxes and dates (MM/dd/yyyy, and real dates). They print the number of
failing cells.

- polars: one `select` of a "bad" boolean per column, then the failing rows per column;
- polars-text: the same, and on every text and textarea cell the two tests bwlint's
  rules must make there and the peers' rules do not: a control character (BW414) and
  a formula sign first (BW416), in one regex as bwlint writes it. Not what a user
  would write, but a yardstick: the least a polars check of bwlint's text rules costs;
- pandera: a `pandera.polars.DataFrameSchema` with the built-in checks where pandera
  has them (str_length, str_matches, isin, unique, nullable) and custom checks for the
  rest (multi-select picklists, real dates), validated lazily (every failure
  collected). Needs `pip install 'pandera[polars]'` (or the `bench` extra).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

EMAIL = r"^[A-Za-z0-9_+\-][A-Za-z0-9._+\-']*@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,22}$"
URL = r"^(https?://|ftp://)?(www\.)?[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+([/?].*)?$"
INTEGER = r"^-?[0-9]{1,9}$"
BIGINT = r"^-?[0-9]{1,18}$"
DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
PHONE = r"^\+?[0-9().\-\s]+$"
RECORD_ID = r"^[0-9]+$"
BOOLEAN = ["true", "false", "TRUE", "FALSE", "True", "False"]
DATE = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"
DATETIME = r"^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
PATTERNS = {"email": EMAIL, "website": URL, "integer": INTEGER, "bigint": BIGINT,
            "double": DECIMAL, "currency": DECIMAL, "percent": DECIMAL, "phone": PHONE,
            "lookup": RECORD_ID}  # fmt: skip
DATE_FORMATS = {"date": "%m/%d/%Y", "datetime": "%m/%d/%Y %H:%M:%S"}
LENGTHS = {"text", "textarea", "email", "phone", "website"}
# bwlint's BW414 and BW416 tests (bwlint/checks/cell_types.py, bwlint/formula.py)
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{80}-\x{9F}]"
FORMULA_START = r"^[=+\-@\t\r]"


def picks(field: dict) -> list[str]:
    return [value["actual_value"] for value in field.get("pick_list_values") or []]


def custom(field: dict) -> Callable[[pl.Expr], pl.Expr] | None:
    """A "valid" expression for what pandera has no built-in check for (nulls pass)."""
    kind = field["data_type"]
    if kind == "multiselectpicklist":
        allowed = picks(field)
        each = pl.element().is_in(allowed)
        return lambda c: c.is_null() | c.str.split(";").list.eval(each).list.all()
    if kind in DATE_FORMATS:
        fmt = DATE_FORMATS[kind]
        return lambda c: c.is_null() | c.str.to_datetime(fmt, strict=False).is_not_null()
    return None


def bad(field: dict, column: pl.Expr) -> pl.Expr:
    """The hand-written polars check: True where a cell breaks one of the field's rules."""
    kind = field["data_type"]
    filled = column.is_not_null()
    fails = pl.lit(False)
    if field.get("system_mandatory"):  # a quoted "" is empty too
        fails = fails | ~filled | (column.str.strip_chars() == "")
    if kind in LENGTHS and field.get("length"):
        fails = fails | (column.str.len_chars() > field["length"])
    if kind in PATTERNS:
        fails = fails | ~column.str.contains(PATTERNS[kind])
    if kind == "picklist":
        fails = fails | ~column.is_in(picks(field))
    if kind == "boolean":
        fails = fails | ~column.is_in(BOOLEAN)
    valid = custom(field)
    if valid is not None:
        fails = fails | ~valid(column)
    if field.get("unique"):
        fails = fails | (filled & column.str.to_lowercase().is_duplicated())
    return fails.fill_null(False).alias(field["api_name"])


def bad_text(field: dict, column: pl.Expr) -> pl.Expr:
    """`bad`, and on text cells a control character or a formula sign first."""
    fails = bad(field, column)
    if field["data_type"] in ("text", "textarea"):
        dirty = column.str.contains(f"{CONTROL}|{FORMULA_START}").fill_null(False)
        fails = (fails | dirty).alias(field["api_name"])
    return fails


def with_polars(frame: pl.DataFrame, fields: list[dict], test: Callable = bad) -> int:
    masks = frame.select(test(f, pl.col(f["api_name"])) for f in fields if f["api_name"] in frame)
    failing = {name: masks.get_column(name).arg_true() for name in masks.columns}
    return sum(rows.len() for rows in failing.values())


def pandera_column(field: dict):
    import pandera.polars as pa

    kind, checks = field["data_type"], []
    if field.get("system_mandatory"):  # null: nullable=False; a quoted "" is empty too
        checks.append(pa.Check(lambda data: data.lazyframe.select(
            pl.col(data.key).str.strip_chars() != "")))  # fmt: skip
    if kind in LENGTHS and field.get("length"):
        checks.append(pa.Check.str_length(max_value=field["length"]))
    if kind in PATTERNS:
        checks.append(pa.Check.str_matches(PATTERNS[kind]))
    if kind == "picklist":
        checks.append(pa.Check.isin(picks(field)))
    if kind == "boolean":
        checks.append(pa.Check.isin(BOOLEAN))
    valid = custom(field)
    if valid is not None:
        checks.append(pa.Check(lambda data, v=valid: data.lazyframe.select(v(pl.col(data.key)))))
    return pa.Column(
        str, checks, nullable=not field.get("system_mandatory"), unique=bool(field.get("unique"))
    )


def with_pandera(frame: pl.DataFrame, fields: list[dict]) -> int:
    import pandera.polars as pa

    columns = {f["api_name"]: pandera_column(f) for f in fields if f["api_name"] in frame}
    try:
        pa.DataFrameSchema(columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases.height
    return 0


def main() -> None:
    peer, csv, metadata = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    fields = json.loads(metadata.read_text())["fields"]
    frame = pl.read_csv(csv, infer_schema=False)
    count = {
        "polars": with_polars,
        "polars-text": lambda frame, fields: with_polars(frame, fields, bad_text),
        "pandera": with_pandera,
    }[peer](frame, fields)
    print(f"{peer}: {count} failing cells")


if __name__ == "__main__":
    main()
