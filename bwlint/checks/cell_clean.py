"""One screen per column for all its cell rules: the cells that are surely clean.

Most cells of a column are written one plain way (a list value as the list has it, a
number without spaces): one cheap test proves such a cell passes every cell rule of
its column, where each rule's own screen would read the column again (BW417's padding
test alone cost ~0.4 s of CPU on 1,000,000 × 24). The cells that fail it are the
candidates of every rule the screen covers, and each rule's exact test confirms them.

A screen is sound only if no cell it calls clean is bad for a rule it covers; each
function below says why, and tests/test_cell_clean.py throws odd and generated cells
at each. A column without a screen here keeps its rules' own screens: websites (the
URL pattern allows spaces, and testing the ends costs what it saves), record ids, and
dates in a format with other fields than digits (month names, AM/PM, zones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from bwlint.checks import cell_types as t
from bwlint.checks.columns import Column
from bwlint.formula import FORMULA_SIGNS, FORMULA_START
from bwlint.settings import Settings


@dataclass(frozen=True)
class Clean:
    """`surely` is True (never null) on cells no rule in `covers` finds bad."""

    surely: pl.Expr
    covers: frozenset[str]


def clean_screen(cell: pl.Expr, column: Column, settings: Settings) -> Clean | None:
    kind = column.field.data_type
    screen = _SCREENS.get(kind)
    return screen(cell, column, settings) if screen else None


def _text(cell: pl.Expr, column: Column, _settings: Settings) -> Clean:
    """Bytes within the limit (a UTF-16 length is never more: BW401), no control
    character (BW414) and no formula sign first (BW416): one regex for both."""
    suspect = cell.str.contains(f"{t.CONTROL}|{FORMULA_START}")
    surely = (cell.str.len_bytes() <= t.text_limit(column)) & ~suspect
    return Clean(surely.fill_null(True), frozenset({"BW401", "BW414", "BW416"}))


def _email(cell: pl.Expr, column: Column, settings: Settings) -> Clean | None:
    """The ASCII form of Zoho's pattern (no blank: BW417) within the limit; over 256
    characters the domain's length counts too, and there is no screen."""
    if t.text_limit(column) > 256:
        return None
    surely = ~t.email_quick(cell, column, settings) & (cell.str.len_bytes() <= t.text_limit(column))
    return Clean(surely.fill_null(True), frozenset({"BW401", "BW402", "BW417"}))


def _phone(cell: pl.Expr, column: Column, settings: Settings) -> Clean:
    """Digits with at most a leading + (what polars casts to UInt64 takes no blank)."""
    surely = ~t.phone_quick(cell, column, settings) & (cell.str.len_bytes() <= t.text_limit(column))
    return Clean(surely.fill_null(True), frozenset({"BW401", "BW403", "BW404", "BW417"}))


def clean_options(column: Column) -> list[str]:
    """The list values a cell may hold as they are: in use, no blank at either end
    (Python's isspace holds every character of Rust's `\\s`), no formula sign first."""
    unused = set(t.picklist_unused(column))
    return [
        value
        for value in t.picklist_values(column)
        if value not in unused
        and not value[0].isspace()
        and not value[-1].isspace()
        and value[0] not in FORMULA_SIGNS
    ]


PICKLIST_RULES = frozenset({"BW405", "BW413", "BW416", "BW417"})


def _picklist(cell: pl.Expr, column: Column, settings: Settings) -> Clean | None:
    """A value exactly as the list has it (BW405, BW413, BW416, BW417); a multi-select
    cell: such values joined by `;`. None where the list is not the org's (BW405
    does not apply) or too long for one pattern."""
    if t.picklist_bad(cell, column, settings) is None:
        return None
    options = clean_options(column)
    if column.field.data_type == "picklist":
        surely = cell.is_in(options)
    elif options and len(options) <= t.PICKLIST_REGEX_MAX:
        one = t.one_of(options)
        surely = cell.str.contains(rf"^{one}(?:;{one})*$")
    else:
        return None
    return Clean(surely.fill_null(True), PICKLIST_RULES)


def _boolean(cell: pl.Expr, column: Column, settings: Settings) -> Clean:
    """`true` or `false` as written (BW409's screen, no blank: BW417)."""
    surely = ~t.boolean_quick(cell, column, settings)
    return Clean(surely.fill_null(True), frozenset({"BW409", "BW417"}))


def _integer(cell: pl.Expr, column: Column, settings: Settings) -> Clean | None:
    """A number polars casts (no blank) of few enough digits (BW407, BW417); not for
    record ids, whose rule (BW411) refuses a sign the cast takes."""
    if not t.not_id(column):
        return None
    surely = ~t.integer_quick(cell, column, settings)
    return Clean(surely.fill_null(True), frozenset({"BW407", "BW417"}))


def _decimal(cell: pl.Expr, column: Column, _settings: Settings) -> Clean | None:
    """BW408's pattern without its surrounding blanks (BW417)."""
    if not t.unformatted(column):
        return None
    surely = cell.str.contains(t.decimal_pattern(column))
    return Clean(surely.fill_null(True), frozenset({"BW408", "BW417"}))


def _date(cell: pl.Expr, column: Column, settings: Settings) -> Clean | None:
    """A date written exactly in the column's format, zero-padded, with a four-digit
    year from 1000 and a day its month always has: it parses (BW406), its year is long
    enough (BW412) and no blank surrounds it (BW417). One regex, where the rules' own
    screens parse the column and trim it; a pattern with other fields has no screen."""
    converted = t.usable(t.expected_pattern(column, settings), t.date_kind(column))
    pattern = strict_date(converted.format, converted.has_time) if converted else None
    if pattern is None:
        return None
    surely = cell.str.contains(pattern)
    return Clean(surely.fill_null(True), frozenset({"BW406", "BW412", "BW417"}))


_DATE_FIELDS = {
    "%Y": "[1-9][0-9]{3}",
    "%m": "(?:0[1-9]|1[0-2])",
    "%d": "(?:0[1-9]|1[0-9]|2[0-8])",  # days every month has
    "%H": "(?:[01][0-9]|2[0-3])",
    "%M": "[0-5][0-9]",
    "%S": "[0-5][0-9]",
}
# month and day together: every day of each month but February 29 (not every year's)
_MONTH_DAYS = (
    ("(?:0[13578]|1[02])", "(?:0[1-9]|[12][0-9]|3[01])"),
    ("(?:0[469]|11)", "(?:0[1-9]|[12][0-9]|30)"),
    ("02", "(?:0[1-9]|1[0-9]|2[0-8])"),
)


_DATE = {"%Y", "%m", "%d"}
_WHOLE = {False: [_DATE], True: [_DATE | {"%H", "%M"}, _DATE | {"%H", "%M", "%S"}]}


def strict_date(fmt: str, has_time: bool) -> str | None:
    """A regex of the dates a strptime format reads, written plainly (see `_date`).
    None unless the format holds a whole date (and time, for a date-time) once each
    and nothing else but literal text, and neither begins nor ends with a blank."""
    tokens = re.findall(r"%.|[^%]", fmt)
    fields = [token for token in tokens if token.startswith("%") and token != "%%"]
    if len(fields) != len(set(fields)) or set(fields) not in _WHOLE[has_time]:
        return None
    if fmt[:1].isspace() or fmt[-1:].isspace():
        return None
    parts, at = [], 0
    while at < len(tokens):
        token = tokens[at]
        pair = tokens[at : at + 3]
        if len(pair) == 3 and {pair[0], pair[2]} == {"%m", "%d"} and pair[1][0] != "%":
            between = pl.escape_regex(pair[1])
            month_first = token == "%m"
            either = (
                f"{month}{between}{day}" if month_first else f"{day}{between}{month}"
                for month, day in _MONTH_DAYS
            )
            parts.append("(?:" + "|".join(either) + ")")
            at += 3
            continue
        if token in _DATE_FIELDS:
            parts.append(_DATE_FIELDS[token])
        elif token == "%%" or not token.startswith("%"):
            parts.append(pl.escape_regex(token[-1]))
        else:
            return None
        at += 1
    return "^" + "".join(parts) + "$"


_SCREENS = {
    "text": _text,
    "textarea": _text,
    "email": _email,
    "phone": _phone,
    "picklist": _picklist,
    "multiselectpicklist": _picklist,
    "boolean": _boolean,
    "integer": _integer,
    "bigint": _integer,
    "currency": _decimal,
    "double": _decimal,
    "percent": _decimal,
    "date": _date,
    "datetime": _date,
}
