"""Cell rules (BW4xx): each cell against its field's data type and metadata.

pandera-style: a rule is a function giving a boolean polars expression over a
column (True = bad; empty cells are null and never bad). For each binding, every
rule's expression for every mapped column is evaluated in one `select`; only the
bad rows come back, and messages are built for those alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import polars as pl

from bwlint.checks.columns import (
    Column,
    bad_rows,
    cells_at,
    columns,
    findings_at,
    lines_by_key,
)
from bwlint.dates import Strptime, pattern_problem, python_format, to_strptime
from bwlint.engine import Context, check
from bwlint.findings import Finding, shorten
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


def digit_limit(column: Column) -> int:
    return column.field.length or DIGIT_LIMITS[column.field.data_type]


def decimal_limits(column: Column) -> tuple[int, int]:
    field = column.field
    before = field.length or BEFORE_POINT[field.data_type]
    after = field.decimal_place if field.decimal_place is not None else AFTER_POINT
    return before, after


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
    if column.mapping.format:
        return column.mapping.format
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
    except ValueError:
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


def date_message(column: Column, value: str, settings: Settings) -> str:
    pattern = expected_pattern(column, settings)
    kind = "date/time" if date_kind(column) == "datetime" else "date"
    head = f"{column.label}: '{shorten(value)}' is not a {kind} in the format {pattern}"
    fmt = python_format(pattern)
    if fmt is not None:
        try:
            datetime.strptime(value.strip(), fmt)
        except ValueError as exc:
            if "out of range" in str(exc) or "must be in" in str(exc):
                return f"{column.label}: '{shorten(value)}' is not a real {kind} ({exc})"
    candidates = [*settings.allowed_formats(date_kind(column))]
    candidates += [settings.date_format, settings.datetime_format]
    readings: dict[datetime, list[str]] = {}
    for other in dict.fromkeys(candidates):
        if other == pattern:
            continue
        moment = parse_python(value, other)
        if moment is not None:
            readings.setdefault(moment, []).append(other)
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
    return f"{head}; write it {rewritten} or {fix_format}"


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


# -- messages --------------------------------------------------------------------


def _nearest(value: str, options: list[str]) -> str:
    lowered = {o.lower(): o for o in options}
    if value.lower() in lowered:
        return (
            f" (the list has '{lowered[value.lower()]}': Zoho would add a near-duplicate "
            "differing only in case)"
        )
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.8)
    return f"; did you mean '{close[0]}'?" if close else ""


def picklist_message(column: Column, value: str, settings: Settings) -> str:
    options = picklist_values(column)
    if column.field.data_type == "multiselectpicklist":
        known = set(options)
        new = [p.strip() for p in value.split(";") if p.strip() and p.strip() not in known]
        first = new[0] if new else value
        listed = ", ".join(f"'{shorten(p, 40)}'" for p in new)
        return (
            f"{column.label}: {listed} {'is' if len(new) == 1 else 'are'} not in the "
            f"picklist; Zoho will add {'it' if len(new) == 1 else 'them'} as new "
            f"value{'s' if len(new) != 1 else ''}{_nearest(first, options)}"
        )
    return (
        f"{column.label}: '{shorten(value)}' is not in the picklist; Zoho will add it as a "
        f"new value{_nearest(value.strip(), options)}"
    )


def integer_message(column: Column, value: str, settings: Settings) -> str:
    text = value.strip()
    digits = text.lstrip("+-")
    if digits.isdigit():
        return (
            f"{column.label}: '{shorten(value)}' has {len(digits)} digits; the field holds "
            f"at most {digit_limit(column)}"
        )
    hint = "; write it without thousands separators" if "," in text else ""
    return f"{column.label}: '{shorten(value)}' is not a whole number{hint}"


def decimal_message(column: Column, value: str, settings: Settings) -> str:
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


def length_message(column: Column, value: str, settings: Settings) -> str:
    return (
        f"{column.label}: {len(value.strip()):,} characters, over the field's limit of "
        f"{text_limit(column):,} ('{shorten(value, 40)}')"
    )


def _fixed(text: str) -> Callable[[Column, str, Settings], str]:
    def message(column: Column, value: str, settings: Settings) -> str:
        return f"{column.label}: '{shorten(value)}' {text}"

    return message


# -- the rules -------------------------------------------------------------------


@dataclass(frozen=True)
class CellRule:
    code: str
    types: frozenset[str]
    # True where a cell of the column is bad (null or blank cells never are);
    # None: the rule does not apply to the column.
    bad: Callable[[pl.Expr, Column, Settings], pl.Expr | None]
    message: Callable[[Column, str, Settings], str]
    applies: Callable[[Column], bool] = lambda column: True
    # Optional: a cheaper expression, True on every bad cell and maybe a few good
    # ones; the whole column is screened with it, and `bad` confirms the candidates.
    quick: Callable[[pl.Expr, Column, Settings], pl.Expr] | None = None


def _types(*names: str) -> frozenset[str]:
    return frozenset(names)


def _not_id(column: Column) -> bool:
    return not is_id_column(column)


PICKLIST_REGEX_MAX = 300  # longer lists: split and look up instead of one regex


def _one_of(options: list[str]) -> str:
    escaped = (pl.escape_regex(o) for o in sorted(options, key=len, reverse=True))
    return "(?:" + "|".join(escaped) + ")"


def _picklist_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr | None:
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
    value = _one_of(options)
    return ~cell.str.contains(rf"^\s*{value}?\s*(?:;\s*{value}?\s*)*$")


def _picklist_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    if column.field.data_type == "picklist":
        return ~cell.is_in(picklist_values(column))  # exact values: one hash lookup
    bad = _picklist_bad(cell, column, settings)
    assert bad is not None
    return bad


def _integer_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    return ~cell.str.contains(rf"^\s*(?:[+-]?[0-9]{{1,{digit_limit(column)}}})?\s*$")


def _decimal_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    before, after = decimal_limits(column)
    whole = rf"[0-9]{{1,{before}}}"
    fraction = rf"(?:\.[0-9]{{0,{after}}})?|\.[0-9]{{1,{after}}}" if after else r"\.?"
    number = whole + fraction
    return ~cell.str.contains(rf"^\s*(?:[+-]?(?:{number}))?\s*$")


def _email_bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    bad = ~cell.str.contains(EMAIL) | cell.str.contains(EMAIL_TLD_TOO_LONG)
    if text_limit(column) > 256:  # else a domain over 256 characters is too long anyway
        bad = bad | ~cell.str.contains(EMAIL_DOMAIN_LENGTH)
    return bad


def _email_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    if text_limit(column) > 256:
        return _email_bad(cell, column, settings)  # the domain's length counts too
    return ~cell.str.contains(EMAIL_ASCII)


def _integer_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    limit = digit_limit(column)
    number = cell.cast(pl.Int64, strict=False)
    # Leading zeros count as digits, as in the exact pattern: long cells are candidates.
    too_long = cell.str.len_bytes() > limit
    # An empty cell is never bad: not a candidate (a null cast is null, not a failure).
    return cell.is_not_null() & (
        number.is_null() | (number.abs() >= 10 ** min(limit, 18)) | too_long
    )


def _date_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    converted = usable(expected_pattern(column, settings), date_kind(column))
    assert converted is not None  # `date_bad` returned an expression
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    parsed = cell.str.strptime(dtype, converted.format, strict=False)
    return cell.is_not_null() & parsed.is_null()  # an empty cell is never bad


def _phone_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    # polars casts exactly `+?[0-9]+` (within range) to UInt64, a form neither phone
    # rule objects to; the cast is ~2.5x cheaper than a regex for that form.
    return cell.is_not_null() & cell.cast(pl.UInt64, strict=False).is_null()


def _boolean_quick(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr:
    return ~cell.is_in(["true", "false"])  # the usual spellings: one hash lookup


def _matches(pattern: str) -> Callable[[pl.Expr, Column, Settings], pl.Expr]:
    return lambda cell, column, settings: cell.str.contains(pattern)


def _fails(pattern: str) -> Callable[[pl.Expr, Column, Settings], pl.Expr]:
    return lambda cell, column, settings: ~cell.str.contains(pattern)


RULES: tuple[CellRule, ...] = (
    CellRule(
        "BW401",
        _types("text", "textarea", "email", "phone", "website"),
        lambda cell, column, settings: cell.str.strip_chars().str.len_chars() > text_limit(column),
        length_message,
        quick=lambda cell, column, settings: cell.str.len_bytes() > text_limit(column),
    ),
    CellRule(
        "BW402",
        _types("email"),
        _email_bad,
        _fixed("is not a valid email address"),
        quick=_email_quick,
    ),
    CellRule(
        "BW403",
        _types("phone"),
        _matches(PHONE_INVALID),
        _fixed(
            "is not a phone number: Zoho accepts digits with a leading +, no letters or other signs"
        ),
        quick=_phone_quick,
    ),
    CellRule(
        "BW404",
        _types("phone"),
        lambda cell, column, settings: (
            cell.str.contains(PHONE_PUNCTUATION) & ~cell.str.contains(PHONE_INVALID)
        ),
        _fixed(
            "holds spaces or punctuation; Zoho's documents say phone numbers are digits "
            "and a leading + only, so it may reject or change the value"
        ),
        quick=_phone_quick,
    ),
    CellRule(
        "BW405",
        _types("picklist", "multiselectpicklist"),
        _picklist_bad,
        picklist_message,
        quick=_picklist_quick,
    ),
    CellRule("BW406", _types("date", "datetime"), date_bad, date_message, quick=_date_quick),
    CellRule(
        "BW407",
        _types("integer", "bigint"),
        _integer_bad,
        integer_message,
        _not_id,
        quick=_integer_quick,
    ),
    CellRule("BW408", _types("currency", "double", "percent"), _decimal_bad, decimal_message),
    CellRule(
        "BW409",
        _types("boolean"),
        _fails(BOOLEAN),
        _fixed("is not a checkbox value: write true or false"),
        quick=_boolean_quick,
    ),
    CellRule("BW410", _types("website"), _fails(URL), _fixed("is not a valid URL")),
    CellRule(
        "BW411",
        _types("lookup", "ownerlookup", "userlookup", "bigint"),
        _fails(RECORD_ID),
        _fixed("is not a Zoho record id (ids are digits only)"),
        is_id_column,
    ),
)


@check(*(rule.code for rule in RULES))
def cell_values(ctx: Context) -> Iterator[Finding]:
    rules = [rule for rule in RULES if ctx.settings.is_selected(rule.code)]
    for binding in ctx.bindings:
        targets: dict[str, tuple[CellRule, Column, pl.Expr | None]] = {}
        masks: dict[str, pl.Expr] = {}
        for column in columns(binding, ctx.job.operation):
            cell = pl.col(column.name)
            for rule in rules:
                if column.field.data_type not in rule.types or not rule.applies(column):
                    continue
                exact = rule.bad(cell, column, ctx.settings)
                if exact is None:
                    continue
                key = f"{rule.code}:{column.index}"
                if rule.quick is not None:
                    masks[key] = rule.quick(cell, column, ctx.settings)
                    targets[key] = (rule, column, exact)
                else:
                    masks[key] = exact
                    targets[key] = (rule, column, None)
        if not masks:
            continue
        data = binding.data
        assert data is not None
        found = {k: rows for k, rows in bad_rows(data.frame, masks).items() if rows.len()}
        cells = cells_at(data.frame, {k: (targets[k][1].name, rows) for k, rows in found.items()})
        kept = confirm(ctx, targets, {k: rows.to_list() for k, rows in found.items()}, cells)
        lines = lines_by_key(data, {key: rows for key, (rows, _) in kept.items()})
        for key, (rows, values) in kept.items():
            rule, column, _ = targets[key]
            said: dict[str, str] = {}  # a repeated bad value gets the same message
            messages = [
                said.get(cell) or said.setdefault(cell, rule.message(column, cell, ctx.settings))
                for cell in values
            ]
            yield from findings_at(
                ctx, rule.code, column, rows, messages, values=values, lines=lines[key]
            )


def confirm(
    ctx: Context,
    targets: dict[str, tuple[CellRule, Column, pl.Expr | None]],
    rows: dict[str, list[int]],
    cells: dict[str, list],
) -> dict[str, tuple[list[int], list]]:
    """Keep the candidates of rules screened by `quick` that the exact test confirms,
    all in one select over a frame of the candidate cells.

    The tests are cell by cell, so columns whose test is the same expression (the
    same rule on fields with the same metadata) share one column of that frame: a
    select's cost grows with its expressions, not with a few hundred cells.
    """
    screened = [key for key in rows if targets[key][2] is not None]
    kept = {key: (rows[key], cells[key]) for key in rows if key not in screened}
    if not screened:
        return kept
    groups: dict[str, list[str]] = {}  # the test, serialized → the keys it confirms
    for key in screened:
        rule, column, _ = targets[key]
        test = rule.bad(pl.col("cell"), column, ctx.settings)
        assert test is not None  # `quick` is set only where `bad` applies
        groups.setdefault(test.meta.serialize(format="json"), []).append(key)
    stacked = [[cell for key in keys for cell in cells[key]] for keys in groups.values()]
    height = max(len(values) for values in stacked)
    names = [f"g{i}" for i in range(len(stacked))]
    candidates = pl.DataFrame(
        {
            name: values + [None] * (height - len(values))
            for name, values in zip(names, stacked, strict=True)
        },
        schema={name: pl.String for name in names},
    )
    verdicts = candidates.select(
        pl.coalesce(rule.bad(pl.col(name), column, ctx.settings), False).alias(name)
        for name, keys in zip(names, groups.values(), strict=True)
        for rule, column, _ in [targets[keys[0]]]
    )
    for name, keys in zip(names, groups.values(), strict=True):
        bad = verdicts.get_column(name).to_list()
        start = 0
        for key in keys:
            count = len(cells[key])
            flags, start = bad[start : start + count], start + count
            pairs = [(r, v) for r, v, b in zip(rows[key], cells[key], flags, strict=True) if b]
            if pairs:
                kept[key] = ([r for r, _ in pairs], [v for _, v in pairs])
    return dict(sorted(kept.items()))
