"""What a cell of each field type may hold: Zoho's patterns and limits as polars
expressions (True = bad; empty cells are null and never bad), and how Zoho's Java date
patterns parse."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache

import polars as pl

from bwlint.checks.columns import Column
from bwlint.dates import Strptime, meant, pattern_problem, python_format, to_strptime
from bwlint.settings import Settings

# Every pattern below allows surrounding whitespace (Zoho trims cells) and accepts a
# blank cell, so "bad" is simply "does not match": no trimming copy of the column.
# Zoho's email validator (Insert Records, "Sample Attributes"), adapted to Rust's
# regex: its lookahead `(?=.{4,256}$)` after the @ is implied by the rest for 4, and
# for 256 by the field's length (100) unless the field allows more. Its top-level
# domain `[\p{L}\p{M}]{2,22}` is split in two: EMAIL takes 2 or more letters, and
# EMAIL_TLD_TOO_LONG finds more than 22 (the run after the last '.', which holds no
# '.' or blank). Same verdicts; compiling 22 copies of those Unicode classes cost
# ~15 ms per run, the two patterns ~8 ms.
EMAIL = (
    r"^\s*(?:[+\-\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}!#$%&'*+\-/=?^_`{|}~.]*@"
    r"(?:[\p{L}\p{N}\p{M}]+(?:[\-_]*[\p{L}\p{M}\p{N}])*[.])+[\p{L}\p{M}]{2,})?\s*$"
)
EMAIL_TLD_TOO_LONG = r"[^.\s]{23}\s*$"
EMAIL_DOMAIN_LENGTH = r"^[^@]*@\S{4,256}\s*$|^\s*$"
# EMAIL with ASCII letters and digits for \p{L}, \p{M}, \p{N} and no blanks: what it
# matches, EMAIL matches, at ~2/3 of the cost per cell; it screens the column and
# EMAIL confirms the cells it does not match.
EMAIL_ASCII = (
    r"^[+\-A-Za-z0-9_][A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]*@"
    r"(?:[A-Za-z0-9]+(?:[\-_]*[A-Za-z0-9])*[.])+[A-Za-z]{2,22}$"
)
# Zoho's website validator, as documented (plus the surrounding whitespace).
URL = (
    r"^\s*$|^\s*(http:\/\/www.|https:\/\/www.|ftp:\/\/www.|www.|http:\/\/|https:\/\/|ftp:\/\/|)"
    r"{1}[^\x00-\x19\x22-\x27\x2A-\x2C\x2E-\x2F\x3A-\x3F\x5B-\x5E\x60\x7B\x7D-\x7F]+"
    r"(\.[^\x00-\x19\x22\x24-\x2C\x2E-\x2F\x3C\x3E\x40\x5B-\x5E\x60\x7B\x7D-\x7F]+)+"
    r"([\/\?].*)*$"
)
# Phone: digits and a leading +; the punctuation people write (which Zoho's documents
# disagree on keeping) is a warning, anything else an error: letters or other signs,
# a + after the start, or punctuation with no digit.
PHONE_PUNCTUATION = r"[().\-#,;]|\S\s+\S"
PHONE_INVALID = r"[^0-9+\s().\-#,;]|\S.*\+|^[\s().\-#,;+]*[().\-#,;+][\s().\-#,;+]*$"
BOOLEAN = r"(?i)^\s*(?:true|false)?\s*$"
RECORD_ID = r"^\s*[0-9]*\s*$"

TEXT_LIMITS = {"text": 255, "email": 100, "phone": 30, "website": 255}
TEXTAREA_LIMITS = {"small": 2000, "large": 32000, "rich_text": 50000}
DIGIT_LIMITS = {"integer": 9, "bigint": 18}
BEFORE_POINT = {"currency": 16, "double": 16, "percent": 5}
AFTER_POINT = 9


def text_limit(column: Column) -> int:
    field = column.field
    if field.length:
        return field.length
    if field.data_type == "textarea":
        return TEXTAREA_LIMITS.get(field.textarea_type or "", 32000)
    return TEXT_LIMITS[field.data_type]


ASTRAL = r"[\x{10000}-\x{10FFFF}]"  # code points Java's UTF-16 strings hold as two units
# Control characters a text cell should not hold: C0 but tab, line feed and carriage
# return; DEL; C1 (U+0080–U+009F: windows-1252 text read as ISO-8859-1 gives these).
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{80}-\x{9F}]"


# Whitespace around a value (Unicode White_Space: Rust's `\s`; Python's `\s` also
# holds U+001C–U+001F, which are not whitespace). In a multi-select cell, around each
# `;`-separated value too. Whitespace-only cells are empty cells' business, not this.
PADDED = r"^\s|\s$"
PADDED_PARTS = r"(?:^|;)\s|\s(?:$|;)"
# The types whose values have a form Zoho validates or matches (a number, a date, an
# address, a list value, an id): there a space is no part of the value. Text and text
# areas are left alone: their spaces may be meant.
PADDED_TYPES = (
    "picklist", "multiselectpicklist", "integer", "bigint", "currency", "double", "percent",
    "date", "datetime", "email", "boolean", "phone", "website",
    "lookup", "ownerlookup", "userlookup",
)  # fmt: skip


def padded_applies(column: Column) -> bool:
    """Every column of those types; a lookup only where it holds record ids."""
    return not column.field.is_lookup or is_id_column(column)


def padded_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    """A value that trimming shortens (Rust's whitespace: the regex's `\\s`): ~1.7x
    faster than the regex on a million cells (76 ms against 131 ms)."""
    if column.field.data_type == "multiselectpicklist":
        return padded_bad(cell, column, settings)
    return cell.str.strip_chars().str.len_bytes() != cell.str.len_bytes()


def padded_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr:
    parts = column.field.data_type == "multiselectpicklist"
    return cell.str.contains(PADDED_PARTS if parts else PADDED) & cell.str.contains(r"\S")


def java_length(cell: pl.Expr) -> pl.Expr:
    """A cell's length as Java counts it, in UTF-16 code units: an emoji counts two."""
    value = cell.str.strip_chars()
    return value.str.len_chars() + value.str.count_matches(ASTRAL)


def control_bad(cell: pl.Expr, _column: Column, _settings: Settings) -> pl.Expr:
    return cell.str.contains(CONTROL)


def digit_limit(column: Column) -> int:
    return column.field.length or DIGIT_LIMITS[column.field.data_type]


def rounding(column: Column) -> str | None:
    """A currency field's `currency.rounding_option` (normal, round_off, round_up,
    round_down), if its metadata gives one: Zoho then rounds extra decimal places
    (BW415) instead of rejecting them (BW408)."""
    currency = column.field.raw.get("currency")
    option = currency.get("rounding_option") if isinstance(currency, dict) else None
    return str(option) if option and column.field.data_type == "currency" else None


def decimal_limits(column: Column) -> tuple[int, int]:
    field = column.field
    before = field.length or BEFORE_POINT[field.data_type]
    after = field.decimal_place if field.decimal_place is not None else AFTER_POINT
    if rounding(column) is not None:
        after = max(after, AFTER_POINT)  # rounded, not refused: up to Zoho's 9
    return before, after


def kept_places(column: Column) -> int:
    """The decimal places the field keeps."""
    places = column.field.decimal_place
    return places if places is not None else AFTER_POINT


def rounded_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr | None:
    """A number with more decimal places than a rounding currency field keeps."""
    if rounding(column) is None or kept_places(column) >= AFTER_POINT:
        return None
    before, after = decimal_limits(column)
    extra = rf"\.[0-9]{{{kept_places(column) + 1},{after}}}"
    return cell.str.contains(rf"^\s*[+-]?[0-9]{{0,{before}}}{extra}\s*$")


def picklist_values(column: Column) -> list[str]:
    field = column.field
    return sorted({*field.picklist, *field.picklist_display} - {""})


def is_id_column(column: Column) -> bool:
    """Cells that must be Zoho record ids: the `id` column, and lookups by id.

    Not a child's parent link (`parent_column_index`): it holds the parent CSV's key,
    whatever that column is.
    """
    if column.mapping.parent_column_index is not None:
        return False
    return column.field.api_name == "id" or (
        column.field.is_lookup and column.mapping.find_by == "id"
    )


# -- the date rule needs the expected pattern and a way to suggest a fix ---------


def date_kind(column: Column) -> str:
    return "datetime" if column.field.data_type == "datetime" else "date"


def expected_pattern(column: Column, settings: Settings) -> str:
    """The pattern the column's cells are read with: the mapping's format (as it was
    meant, when its letters are suspicious: BW192), else the configured default."""
    if column.mapping.format:
        return meant(column.mapping.format, date_kind(column))
    return settings.datetime_format if date_kind(column) == "datetime" else settings.date_format


def parse_python(value: str, pattern: str) -> datetime | None:
    fmt = python_format(pattern)
    if fmt is None:
        return None
    value = value.strip()
    if "%z" in fmt and value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        return datetime.strptime(value, fmt)
    except (ValueError, re.error):  # re.error: a directive Python's strptime repeats
        return None


def java_format(moment: datetime, pattern: str) -> str | None:
    converted = to_strptime(pattern)
    zoned = "%z" in converted.format or "%:z" in converted.format if converted else False
    if converted is None or (zoned and moment.tzinfo is None):
        return None  # no offset to write
    if "%:z" in converted.format and moment.tzinfo is not None:
        offset = moment.strftime("%z")  # +0530 → XXX's +05:30
        zone = "Z" if offset == "+0000" else f"{offset[:3]}:{offset[3:]}"
        head, _, tail = converted.format.partition("%:z")
        return moment.strftime(head) + zone + moment.strftime(tail)
    return moment.strftime(python_format(pattern) or "")


@cache
def usable(pattern: str, kind: str) -> Strptime | None:
    """The strptime form of a pattern polars can parse with; None: BW190's business."""
    if pattern_problem(pattern, kind) is not None:
        return None
    converted = to_strptime(pattern)
    if converted is None:
        return None
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    try:
        pl.Series(["0"]).str.strptime(dtype, converted.format, strict=False)
    except pl.exceptions.PolarsError:
        return None
    return converted


def date_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr | None:
    converted = usable(expected_pattern(column, settings), date_kind(column))
    if converted is None:
        return None  # not a usable pattern: BW190 reports the format itself
    value = cell.str.strip_chars()
    value = pl.when(value != "").then(value)
    if converted.has_zone:
        value = value.str.replace(r"Z$", "+00:00")
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = value.str.strptime(dtype, converted.format, strict=False, exact=True)
    return value.is_not_null() & parsed.is_null()


def year_short_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr | None:
    """A date whose year has fewer than four digits under a pattern that reads the year
    literally (`yyyy`, `y`: every width but `yy`): Java, and so Zoho, takes `24` for
    the year 24."""
    pattern = expected_pattern(column, settings)
    converted = usable(pattern, date_kind(column))
    if converted is None or "%Y" not in converted.format:
        return None
    value = cell.str.strip_chars()
    if converted.has_zone:
        value = value.str.replace(r"Z$", "+00:00")
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = value.str.strptime(dtype, converted.format, strict=False, exact=True)
    return parsed.dt.year() < 1000


def year_short_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    """Candidates for `year_short_bad`, from the parse `date_quick` makes (polars
    computes it once for both rules)."""
    converted = usable(expected_pattern(column, settings), date_kind(column))
    assert converted is not None  # `year_short_bad` returned an expression
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = cell.str.strptime(dtype, converted.format, strict=False)
    return parsed.dt.year() < 1000


def not_id(column: Column) -> bool:
    return not is_id_column(column) and unformatted(column)


def unformatted(column: Column) -> bool:
    """A number column with a `format` (a number pattern bwlint does not read: BW191)
    is not checked as a plain number."""
    return column.mapping.format is None


PICKLIST_REGEX_MAX = 300  # longer lists: split and look up instead of one regex


def one_of(options: list[str]) -> str:
    escaped = (pl.escape_regex(o) for o in sorted(options, key=len, reverse=True))
    return "(?:" + "|".join(escaped) + ")"


def picklist_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr | None:
    options = picklist_values(column)
    module = column.binding.module
    if not options or (module is not None and module.bundled):
        return None  # bwlint's bundled lists cannot know the org's values
    if column.field.data_type == "picklist":
        value = cell.str.strip_chars()
        return (value != "") & ~value.is_in(options)
    if len(options) > PICKLIST_REGEX_MAX:
        parts = cell.str.split(";").list.eval(
            pl.element().str.strip_chars().pipe(lambda p: (p != "") & ~p.is_in(options))
        )
        return parts.list.any()
    one = one_of(options)
    return ~cell.str.contains(rf"^\s*{one}?\s*(?:;\s*{one}?\s*)*$")


def picklist_unused(column: Column) -> list[str]:
    """The values (actual and display) the org's metadata marks `"type": "unused"`:
    taken out of the list in the CRM, though the API still names them."""
    entries = column.field.raw.get("pick_list_values") or []
    used: set[str] = set()
    unused: set[str] = set()
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        names = {str(entry.get(k)) for k in ("actual_value", "display_value") if entry.get(k)}
        (unused if entry.get("type") == "unused" else used).update(names)
    return sorted(unused - used)


def unused_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr | None:
    unused = picklist_unused(column)
    module = column.binding.module
    if not unused or (module is not None and module.bundled):
        return None
    if column.field.data_type == "picklist":
        return cell.str.strip_chars().is_in(unused)
    parts = cell.str.split(";").list.eval(pl.element().str.strip_chars().is_in(unused))
    return parts.list.any()


def picklist_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    if column.field.data_type == "picklist":
        return ~cell.is_in(picklist_values(column))  # exact values: one hash lookup
    bad = picklist_bad(cell, column, settings)
    assert bad is not None
    return bad


def integer_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr:
    return ~cell.str.contains(rf"^\s*(?:[+-]?[0-9]{{1,{digit_limit(column)}}})?\s*$")


def _decimal_number(column: Column) -> str:
    before, after = decimal_limits(column)
    whole = rf"[0-9]{{1,{before}}}"
    fraction = rf"(?:\.[0-9]{{0,{after}}})?|\.[0-9]{{1,{after}}}" if after else r"\.?"
    return whole + fraction


def decimal_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr:
    return ~cell.str.contains(rf"^\s*(?:[+-]?(?:{_decimal_number(column)}))?\s*$")


def decimal_pattern(column: Column) -> str:
    """A number the field takes, written plainly: no blank around it, not empty."""
    return rf"^[+-]?(?:{_decimal_number(column)})$"


def email_bad(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr:
    bad = ~cell.str.contains(EMAIL) | cell.str.contains(EMAIL_TLD_TOO_LONG)
    if text_limit(column) > 256:  # else a domain over 256 characters is too long anyway
        bad = bad | ~cell.str.contains(EMAIL_DOMAIN_LENGTH)
    return bad


def email_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    if text_limit(column) > 256:
        return email_bad(cell, column, settings)  # the domain's length counts too
    return ~cell.str.contains(EMAIL_ASCII)


def integer_quick(cell: pl.Expr, column: Column, _settings: Settings) -> pl.Expr:
    limit = digit_limit(column)
    number = cell.cast(pl.Int64, strict=False)
    # Leading zeros count as digits, as in the exact pattern: long cells are candidates.
    too_long = cell.str.len_bytes() > limit
    # An empty cell is never bad: not a candidate (a null cast is null, not a failure).
    return cell.is_not_null() & (
        number.is_null() | (number.abs() >= 10 ** min(limit, 18)) | too_long
    )


def date_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    converted = usable(expected_pattern(column, settings), date_kind(column))
    assert converted is not None  # `date_bad` returned an expression
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = cell.str.strptime(dtype, converted.format, strict=False)
    return cell.is_not_null() & parsed.is_null()  # an empty cell is never bad


def phone_quick(cell: pl.Expr, _column: Column, _settings: Settings) -> pl.Expr:
    # polars casts exactly `+?[0-9]+` (within range) to UInt64, a form neither phone
    # rule objects to; the cast is ~2.5x cheaper than a regex for that form.
    return cell.is_not_null() & cell.cast(pl.UInt64, strict=False).is_null()


def boolean_quick(cell: pl.Expr, _column: Column, _settings: Settings) -> pl.Expr:
    return ~cell.is_in(["true", "false"])  # the usual spellings: one hash lookup


def matches(pattern: str) -> Callable[[pl.Expr, Column, Settings], pl.Expr]:
    return lambda cell, _column, _settings: cell.str.contains(pattern)


def fails(pattern: str) -> Callable[[pl.Expr, Column, Settings], pl.Expr]:
    return lambda cell, _column, _settings: ~cell.str.contains(pattern)
