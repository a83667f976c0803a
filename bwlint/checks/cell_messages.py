"""The messages of the cell rules: what is wrong with a bad cell, and how to write it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import polars as pl

from bwlint.checks.cell_types import (
    date_kind,
    decimal_limits,
    digit_limit,
    expected_pattern,
    java_format,
    kept_places,
    parse_python,
    picklist_unused,
    picklist_values,
    rounding,
    text_limit,
    usable,
)
from bwlint.checks.columns import Column
from bwlint.dates import python_format, to_strptime
from bwlint.domain.finding import shorten
from bwlint.settings import Settings
from bwlint.suggest import closest


def _impossible(value: str, pattern: str) -> str | None:
    """Why a value in the right form is no real date (02/30/2024), if it is not."""
    fmt = python_format(pattern)
    if fmt is None:
        return None
    try:
        datetime.strptime(value.strip(), fmt)
    except re.error:  # a directive Python's strptime repeats
        return None
    except ValueError as exc:
        if "out of range" in str(exc) or "must be in" in str(exc):
            return str(exc)
    return None


def date_readings(column: Column, value: str, settings: Settings) -> dict[datetime, list[str]]:
    """The moments `value` can be read as in the other known formats, each with the
    formats that read it so."""
    pattern = expected_pattern(column, settings)
    candidates = [*settings.allowed_formats(date_kind(column))]
    candidates += [settings.date_format, settings.datetime_format]
    readings: dict[datetime, list[str]] = {}
    for other in dict.fromkeys(candidates):
        if other == pattern:
            continue
        moment = parse_python(value, other)
        if moment is not None:
            readings.setdefault(moment, []).append(other)
    return readings


def date_rewrite(column: Column, value: str, settings: Settings) -> str | None:
    """`value` written in the column's format, when it reads one way only."""
    pattern = expected_pattern(column, settings)
    if _impossible(value, pattern) is not None:
        return None
    readings = date_readings(column, value, settings)
    if len(readings) != 1:
        return None
    return java_format(next(iter(readings)), pattern)


def date_message(column: Column, value: str, settings: Settings) -> str:
    pattern = expected_pattern(column, settings)
    kind = "date/time" if date_kind(column) == "datetime" else "date"
    head = f"{column.label}: '{shorten(value)}' is not a {kind} in the format {pattern}"
    impossible = _impossible(value, pattern)
    if impossible is not None:
        return f"{column.label}: '{shorten(value)}' is not a real {kind} ({impossible})"
    readings = date_readings(column, value, settings)
    if len(readings) != 1:
        return head + (" (it could be read several ways)" if readings else "")
    moment, patterns = next(iter(readings.items()))
    rewritten = java_format(moment, pattern)
    fix_format = (
        f"set the mapping's format to {patterns[0]}"
        if not column.mapping.auto
        else f"map the column in a job JSON with format {patterns[0]}"
    )
    if rewritten is None:
        return f"{head}; {fix_format}"
    return f"{head}; write it {rewritten}{_offset_dropped(moment, pattern)} or {fix_format}"


def _offset_dropped(moment: datetime, pattern: str) -> str:
    """What writing a moment with an offset in a pattern without one means."""
    converted = to_strptime(pattern)
    if moment.tzinfo is None or converted is None or "z" in converted.format:
        return ""
    offset = moment.strftime("%z")
    offset = "Z (UTC)" if offset == "+0000" else f"{offset[:3]}:{offset[3:]}"
    return f" (without its offset {offset}: Zoho reads the time in the CRM user's time zone)"


def full_year(year: int, today: int | None = None) -> int:
    """The year a 1- or 2-digit year most likely means: as Java reads `yy`, within
    80 years before and 20 after this year."""
    today = today or datetime.now().year
    century = today - today % 100
    for candidate in (century + year, century - 100 + year, century + 100 + year):
        if today - 80 <= candidate < today + 20:
            return candidate
    return century + year


def _read_as_zoho(value: str, pattern: str, kind: str) -> datetime | None:
    """`value` read with `pattern` as Java reads it (a short `yyyy` year literally),
    through the same parser as the cell rules."""
    converted = usable(pattern, kind)
    if converted is None:
        return None
    text = value.strip()
    if converted.has_zone and text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = pl.Series([text]).str.strptime(dtype, converted.format, strict=False).item()
    if parsed is None:
        return None
    return parsed if isinstance(parsed, datetime) else datetime(*parsed.timetuple()[:3])


def year_message(column: Column, value: str, settings: Settings) -> str:
    pattern = expected_pattern(column, settings)
    moment = _read_as_zoho(value, pattern, date_kind(column))
    year = moment.year if moment is not None else 0
    head = (
        f"{column.label}: '{shorten(value)}': the year has fewer than four digits, so "
        f"under {pattern} Zoho reads it as the year {year:04d} and stores that"
    )
    if moment is None or year >= 100:
        return head + "; write the year with four digits"
    full = full_year(year)
    rewritten = java_format(moment.replace(year=full), pattern)
    return head + (f"; write it {rewritten} if you mean {full}" if rewritten else "")


def _nearest(value: str, options: list[str]) -> str:
    match = closest(value, options, cutoff=0.8)
    if match is not None and match.lower() == value.lower():
        return f" (the list has '{match}': Zoho would add a near-duplicate differing only in case)"
    return f"; did you mean '{match}'?" if match else ""


def _separator_hint(new: list[str], known: set[str]) -> str:
    """A multi-select cell whose values are separated by ',' rather than ';'."""
    for part in new:
        pieces = [piece.strip() for piece in part.split(",")]
        if len(pieces) > 1 and any(piece in known for piece in pieces):
            return (
                f"; multi-select values are separated by ';', not ',': write "
                f"'{shorten(';'.join(pieces), 60)}'"
            )
    return ""


def picklist_message(column: Column, value: str, _settings: Settings) -> str:
    options = picklist_values(column)
    if column.field.data_type == "multiselectpicklist":
        known = set(options)
        new = [p.strip() for p in value.split(";") if p.strip() and p.strip() not in known]
        first = new[0] if new else value
        listed = ", ".join(f"'{shorten(p, 40)}'" for p in new)
        hint = _separator_hint(new, known) or _nearest(first, options)
        added = "it as a new value" if len(new) == 1 else "them as new values"
        return (
            f"{column.label}: {listed} {'is' if len(new) == 1 else 'are'} not in the "
            f"picklist; Zoho will add {added}{hint}"
        )
    return (
        f"{column.label}: '{shorten(value)}' is not in the picklist; Zoho will add it as a "
        f"new value{_nearest(value.strip(), options)}"
    )


def unused_message(column: Column, value: str, _settings: Settings) -> str:
    unused = set(picklist_unused(column))
    parts = [p.strip() for p in value.split(";")] if ";" in value else [value.strip()]
    found = [p for p in parts if p in unused]
    listed = ", ".join(f"'{shorten(p, 40)}'" for p in found)
    return (
        f"{column.label}: {listed} {'is a value' if len(found) == 1 else 'are values'} the "
        'picklist marks "unused" (taken out of the list in the CRM): records would hold '
        "a value users can no longer choose; use a value in use"
    )


def integer_message(column: Column, value: str, _settings: Settings) -> str:
    text = value.strip()
    digits = text.lstrip("+-")
    if digits.isdigit():
        return (
            f"{column.label}: '{shorten(value)}' has {len(digits)} digits; the field holds "
            f"at most {digit_limit(column)}"
        )
    hint = "; write it without thousands separators" if "," in text else ""
    return f"{column.label}: '{shorten(value)}' is not a whole number{hint}"


def decimal_message(column: Column, value: str, _settings: Settings) -> str:
    before, after = decimal_limits(column)
    text = value.strip().lstrip("+-")
    whole, _, fraction = text.partition(".")
    if (whole + fraction).isdigit() and text.count(".") <= 1:
        if len(whole) > before:
            return (
                f"{column.label}: '{shorten(value)}' has {len(whole)} digits before the "
                f"point; the field holds at most {before}"
            )
        return (
            f"{column.label}: '{shorten(value)}' has {len(fraction)} decimal places; the "
            f"field holds at most {after}"
        )
    hint = ""
    if any(c in "$€£¥₹%" for c in text):
        hint = "; write the number alone, without a currency or percent sign"
    elif "," in text:
        hint = "; use '.' as the decimal point and no thousands separators"
    return f"{column.label}: '{shorten(value)}' is not a number{hint}"


def rounded_message(column: Column, value: str, _settings: Settings) -> str:
    places = len(value.strip().partition(".")[2])
    kept = kept_places(column)
    return (
        f"{column.label}: '{shorten(value)}' has {places} decimal places; the field keeps "
        f"{kept}, and with its rounding option ('{rounding(column)}') Zoho rounds the "
        f"value to {kept} places rather than reject it: write it with {kept} if the "
        "rounding matters"
    )


def length_message(column: Column, value: str, _settings: Settings) -> str:
    text = value.strip()
    astral = sum(1 for c in text if ord(c) > 0xFFFF)
    how = (
        f" (counted as Java counts, in UTF-16 units: {astral} emoji or other character"
        f"{'s' if astral != 1 else ''} beyond U+FFFF count two each)"
        if astral
        else ""
    )
    return (
        f"{column.label}: {len(text) + astral:,} characters{how}, over the field's limit of "
        f"{text_limit(column):,} ('{visible(shorten(value, 40) or '')}')"
    )


# The characters of cell_types.CONTROL, for Python's re.
CONTROL_CHAR = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]")


def visible(value: str) -> str:
    """A value with its control characters written as \\uXXXX, for a message."""
    return CONTROL_CHAR.sub(_escaped, value)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04X}"


def control_message(column: Column, value: str, _settings: Settings) -> str:
    codes = sorted({ord(c) for c in CONTROL_CHAR.findall(value)})
    names = ", ".join(f"U+{code:04X}" for code in codes[:3])
    head = (
        f"{column.label}: '{visible(shorten(value) or '')}' holds {names}, "
        f"{'a control character' if len(codes) == 1 else 'control characters'}"
    )
    if any(0x80 <= code <= 0x9F for code in codes):
        meant = _real_encoding(value)
        how = "or leave it out" if meant == "UTF-8" else "or save the file as UTF-8"
        return (
            f"{head}: {meant} text read as ISO-8859-1 gives these; set the character "
            f"encoding to {meant} (character_encoding in the job, --character-encoding "
            f"with --module), {how}"
        )
    return f"{head}, which the CRM would keep as invisible text: remove it"


def _real_encoding(value: str) -> str:
    """The charset that reads a value decoded as ISO-8859-1 without C1 characters:
    UTF-8 (its multi-byte sequences), else windows-1252 (Excel's curly quotes)."""
    raw = value.encode("latin-1", errors="replace")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "UTF-8"


def fixed(text: str) -> Callable[[Column, str, Settings], str]:
    def message(column: Column, value: str, _settings: Settings) -> str:
        return f"{column.label}: '{shorten(value)}' {text}"

    return message


# Whitespace other than a space, written out so that a message shows it.
_UNSEEN = re.compile(r"[^\S ]")


def padded_message(column: Column, value: str, _settings: Settings) -> str:
    """Where the whitespace is, made visible (a tab, a line break, a no-break space)."""
    shown = _UNSEEN.sub(lambda m: _escaped(m) if m.group() != "\t" else "\\t", shorten(value) or "")
    what = "a value" if column.field.data_type == "multiselectpicklist" else "the value"
    return (
        f"{column.label}: '{visible(shown)}' has whitespace around {what}; Zoho's documents "
        "do not say it trims cells, so it may reject the record or keep the spaces"
    )
