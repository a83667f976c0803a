"""The repairs of the cell rules: a bad value rewritten, where there is one right answer.

Each function takes (column, value, settings) and returns a `Rewrite` (the new value,
whether the repair is safe, and why) or None when the value has no one right repair:
an ambiguous day/month, a two-digit year, a number whose separator convention is not
known, an id whose digits Excel has lost. `bwlint fix` applies them (cells.py attaches
them to findings as `Fix` values); nothing here changes what a rule reports.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import NamedTuple

from bwlint.checks.cell_messages import _impossible, date_readings
from bwlint.checks.cell_types import (
    date_kind,
    expected_pattern,
    java_format,
    picklist_values,
)
from bwlint.checks.columns import Column
from bwlint.dates import tokenize
from bwlint.domain.enums import Applicability
from bwlint.domain.fix import Fix, JsonEdit
from bwlint.settings import Settings

SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE


class Rewrite(NamedTuple):
    new: str
    applicability: Applicability
    why: str


# -- surrounding whitespace ---------------------------------------------------------

_PADDING = re.compile(r"^[^\S\x1c-\x1f]+|[^\S\x1c-\x1f]+$")  # Unicode White_Space


def trimmed(value: str) -> str:
    """`value` without the whitespace around it (as polars' `\\s`: Unicode White_Space)."""
    return _PADDING.sub("", value)


def trim_fix(column: Column, value: str, _settings: Settings) -> Rewrite | None:
    """The value without the whitespace around it (around each value of a multi-select
    cell): a number, date, address, list value or id has no spaces at its ends."""
    if column.field.data_type == "multiselectpicklist":
        new = ";".join(trimmed(part) for part in value.split(";"))
    else:
        new = trimmed(value)
    if new == value or not new:
        return None
    return Rewrite(new, SAFE, "the whitespace around the value removed")


# -- dates ------------------------------------------------------------------------

_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def writes_day_first(pattern: str) -> bool | None:
    """Whether a pattern writes the day before the month (None: it has no both)."""
    letters = [t.letter for t in tokenize(pattern) if t.letter in ("d", "M", "L")]
    if "d" not in letters or not {"M", "L"} & set(letters):
        return None
    return letters.index("d") < min(letters.index(m) for m in ("M", "L") if m in letters)


def _by_order(readings: dict[datetime, list[str]], day_first: bool) -> list[datetime]:
    return [
        moment
        for moment, patterns in readings.items()
        if any(writes_day_first(p) in (day_first, None) for p in patterns)
    ]


def _free_reading(value: str, kind: str, settings: Settings) -> datetime | None:
    """`value` read by python-dateutil when no known pattern reads it (`17 Mar 2024`):
    only with a four-digit year (a two-digit one is never completed), with nothing
    filled in from a default, and with day/month read one way or as the user said."""
    from dateutil import parser

    if len(_FOUR_DIGIT_YEAR.findall(value)) != 1:
        return None
    text = value.strip()
    readings = []
    for day_first in (False, True):
        try:
            one = parser.parse(text, dayfirst=day_first, default=datetime(2001, 2, 3, 4, 0, 0))
            two = parser.parse(text, dayfirst=day_first, default=datetime(2002, 3, 4, 5, 0, 0))
        except (ValueError, OverflowError, parser.ParserError):
            return None
        if kind == "date":
            one, two = datetime.combine(one.date(), time()), datetime.combine(two.date(), time())
        if one.replace(tzinfo=None) != two.replace(tzinfo=None):
            return None  # a part of the date (or the hour) is not in the value
        readings.append(one)
    if readings[0] == readings[1]:
        return readings[0]
    if settings.day_first is None:
        return None  # 03/04/2024 in a form no known pattern has: never guessed
    return readings[1] if settings.day_first else readings[0]


def date_fix(column: Column, value: str, settings: Settings) -> Rewrite | None:
    """A date written in the column's format, when it reads as one moment only."""
    pattern = expected_pattern(column, settings)
    if _impossible(value, pattern) is not None:
        return None  # the right form, but no real date (02/30/2024)
    readings = date_readings(column, value, settings)
    moments = list(readings)
    if len(moments) > 1 and settings.day_first is not None:
        moments = _by_order(readings, settings.day_first)
    if not readings:
        free = _free_reading(value, date_kind(column), settings)
        moments = [] if free is None else [free]
    if len(moments) != 1:
        return None
    new = java_format(moments[0], pattern)
    if new is None:
        return None
    kind = "date/time" if date_kind(column) == "datetime" else "date"
    return Rewrite(new, SAFE, f"the {kind} written in the column's format {pattern}")


def date_format_fix(column: Column, settings: Settings) -> Fix | None:
    """The mapping's missing `format`, when every value of the column follows one known
    pattern (a job JSON's mapping only: an auto-mapped column has no mapping to set)."""
    from bwlint.checks.date_columns import fitting_patterns

    if column.mapping.auto or column.mapping.format or column.mapping.raw is None:
        return None
    verdict = fitting_patterns(column.data.column(column.index), date_kind(column), settings)
    if verdict.pattern is None or verdict.pattern == expected_pattern(column, settings):
        return None
    edit = JsonEdit(f"{column.mapping.pointer}/format", None, verdict.pattern)
    why = f"every value of the column is {verdict.pattern}: the mapping's format says so"
    return Fix((edit,), why, SAFE)


# -- checkboxes ----------------------------------------------------------------------

CHECKBOX = {
    **dict.fromkeys(("yes", "y", "1", "on", "true", "t"), "true"),
    **dict.fromkeys(("no", "n", "0", "off", "false", "f"), "false"),
}


def checkbox_fix(_column: Column, value: str, _settings: Settings) -> Rewrite | None:
    new = CHECKBOX.get(value.strip().lower())
    if new is None:
        return None
    return Rewrite(new, SAFE, f"a checkbox is true or false: '{value.strip()}' means {new}")


# -- numbers -------------------------------------------------------------------------

_SIGNS = "$€£¥₹"
_GROUPED = re.compile(r"^\d{1,3}(?:([,. '\u00a0\u202f])\d{3})(?:\1\d{3})*$")


def _grouped(whole: str, separators: str) -> str | None:
    """The digits of `whole` when it is digit groups of three split by one of
    `separators` (`1,234,567`), or plain digits; else None."""
    if whole.isdigit():
        return whole
    match = _GROUPED.match(whole)
    if match is None or match.group(1) not in separators:
        return None
    return re.sub(r"\D", "", whole)


def _split_number(text: str, decimal_comma: bool) -> tuple[str, str, str] | None:
    """(whole, fraction, decimal mark) of a number written with separators, when the
    convention is not in doubt: both marks present (the last is the decimal one), a
    mark repeated (thousands), a comma not followed by three digits (decimal), or the
    user said (`--decimal-comma`)."""
    commas, points = text.count(","), text.count(".")
    if decimal_comma:
        mark = ","
    elif commas and points:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif commas == 1:
        if len(text.partition(",")[2]) == 3:
            return None  # 1,234: a thousand or one and a bit; the user must say
        mark = ","
    else:
        mark = "."
    if text.count(mark) > 1:
        return text, "", ""  # repeated: thousands (checked by _grouped)
    whole, _, fraction = text.rpartition(mark) if mark in text else (text, "", "")
    return whole, fraction, mark


def number_fix(column: Column, value: str, settings: Settings) -> Rewrite | None:
    """A number without thousands separators or currency sign (`$1,200.50` → 1200.50)."""
    text = value.strip()
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:].strip()
    signs = _SIGNS + ("%" if column.field.data_type == "percent" else "")
    stripped = text.strip(signs).strip()
    if stripped[:1] in "+-" and not sign:
        sign, stripped = stripped[0], stripped[1:].strip()
    parts = _split_number(stripped, settings.decimal_comma)
    if parts is None:
        return None
    whole, fraction, mark = parts
    digits = _grouped(whole, ",. '\u00a0\u202f".replace(mark, ""))
    if digits is None or (fraction and not fraction.isdigit()):
        return None
    integer = column.field.data_type in ("integer", "bigint")
    if integer and fraction:
        return None
    new = sign + digits + (f".{fraction}" if fraction else "")
    if new == value.strip():
        return None
    return Rewrite(new, SAFE, "the number written without separators or signs")


# -- record ids ----------------------------------------------------------------------

_ZCRM = re.compile(r"^\s*zcrm_(\d+)\s*$")


def record_id_fix(_column: Column, value: str, _settings: Settings) -> Rewrite | None:
    """Zoho's own export writes ids as `zcrm_4150868000001234567`: the digits are the id.
    An id Excel wrote as `4.15087E+18` has lost its digits: no repair."""
    match = _ZCRM.match(value)
    if match is None:
        return None
    return Rewrite(match.group(1), SAFE, "Zoho export ids carry a zcrm_ prefix the API does not")


# -- phones --------------------------------------------------------------------------

_PHONE_WRITTEN = re.compile(r"^\s*\+?[\d\s().\-]*\d[\d\s().\-]*\s*$")


def phone_fix(_column: Column, value: str, _settings: Settings) -> Rewrite | None:
    """Digits and a leading + only; unsafe: the punctuation may mean something (an
    extension is written with other signs, and those are left alone)."""
    if _PHONE_WRITTEN.match(value) is None:
        return None
    text = value.strip()
    new = ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    return Rewrite(new, UNSAFE, "phone punctuation removed")


# -- picklists -----------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s*[,|]\s*")


def _by_case(column: Column) -> dict[str, str]:
    """Each value of the field's list in lower case → its actual value, where the
    lower case names one value only."""
    field = column.field
    actual = dict(zip(field.picklist_display, field.picklist, strict=False))
    seen: dict[str, set[str]] = {}
    for option in picklist_values(column):
        seen.setdefault(option.lower(), set()).add(actual.get(option, option) or option)
    return {key: next(iter(values)) for key, values in seen.items() if len(values) == 1}


def _matched(parts: list[str], known: dict[str, str]) -> list[str] | None:
    found = [known.get(p.strip().lower()) for p in parts if p.strip()]
    return None if any(f is None for f in found) else [f for f in found if f is not None]


def picklist_fix(column: Column, value: str, _settings: Settings) -> Rewrite | None:
    """A value matched case-insensitively to the one value of the list it names (safe);
    a multi-select value split on `,` or `|` and re-joined with `;` (unsafe: a comma may
    belong to a value)."""
    known = _by_case(column)
    if column.field.data_type == "picklist":
        match = known.get(value.strip().lower())
        if match is None or match == value.strip():
            return None
        return Rewrite(match, SAFE, f"the picklist's value '{match}' (differs only in case)")
    parts = _matched(value.split(";"), known)
    if parts is not None and ";".join(parts) != value.strip():
        return Rewrite(";".join(parts), SAFE, "the picklist's values, as the list writes them")
    if ";" in value:
        return None
    parts = _matched(_SEPARATORS.split(value.strip()), known)
    if parts is None or len(parts) < 2:
        return None
    return Rewrite(";".join(parts), UNSAFE, "multi-select values are separated by ';'")
