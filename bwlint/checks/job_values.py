"""Job rules about what mappings say of their values (BW180–BW194): how lookups find
their records, and the formats of date, date/time and number columns."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bwlint.checks.job_fields import mapped, where
from bwlint.dates import meant, pattern_problem, suspicious, to_strptime, with_month
from bwlint.domain.finding import Finding
from bwlint.domain.model import Field, FieldMapping, Module
from bwlint.engine import Context, check
from bwlint.settings import DOCUMENTED_DEFAULTS
from bwlint.suggest import did_you_mean


def _target_module(ctx: Context, module: Module, field_name: str) -> Module | None:
    field = module.get(field_name)
    if field is None or not field.lookup_module:
        return None
    return ctx.modules.get(field.lookup_module)


@check("BW180")
def lookup_find_by_missing(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is None or not field.is_lookup:
            continue
        if mapping.find_by is not None or mapping.parent_column_index is not None:
            continue
        how = (
            f"head the column '{field.api_name}.id' (or '{field.api_name}.<unique field>')"
            if mapping.auto
            else 'add "find_by": "id" (or a unique field of the target module)'
        )
        yield ctx.finding(
            "BW180",
            f"lookup '{field.api_name}' has no find_by, so Zoho cannot find the "
            f"record it points to: {how}",
            module=module,
            **where(binding, mapping),
        )


@check("BW181")
def lookup_find_by_unknown(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is None or not field.is_lookup or mapping.find_by in (None, "id"):
            continue
        key = mapping.find_by
        assert key is not None
        target = _target_module(ctx, module, field.api_name)
        if target is None or target.get(key) is not None:
            continue
        place = where(binding, mapping)
        if not mapping.auto:
            place["pointer"] = f"{mapping.pointer}/find_by"
        yield ctx.finding(
            "BW181",
            f"lookup '{field.api_name}' finds {target.api_name} by '{key}', which is not a "
            f"field of {target.api_name}" + did_you_mean(key, target.fields),
            module=target,
            **place,
        )


@check("BW182")
def lookup_header_not_lookup(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is None or field.is_lookup or not mapping.auto or mapping.find_by is None:
            continue
        yield ctx.finding(
            "BW182",
            f"column '{mapping.header}': '{field.api_name}' is a {field.data_type} "
            f"field, not a lookup; head the column '{field.api_name}'",
            module=module,
            **where(binding, mapping),
        )


NUMBER_TYPES = frozenset({"integer", "bigint", "double", "currency", "percent"})
DATE_TYPES = frozenset({"date", "datetime"})
DATE_LETTERS = frozenset("yMdHhms")


def _guess_kind(pattern: str) -> str:
    """The kind of value a format describes when the field is not known."""
    if any(c in pattern for c in "0#") and not DATE_LETTERS & set(pattern):
        return "number"
    return "datetime" if any(c in pattern for c in "Hhk") else "date"


def _formats(ctx: Context) -> Iterator[tuple[FieldMapping, str, str, Field | None]]:
    """(mapping, its format, the kind of value it describes: date, datetime or number,
    or the field's own type when Zoho applies no format to it, and the field) of each
    formatted mapping."""
    for binding in ctx.bindings:
        module = binding.module
        for mapping in binding.mappings:
            if mapping.format is None:
                continue
            field = module.get(mapping.api_name) if module else None
            if field is None:
                kind = _guess_kind(mapping.format)
            elif field.data_type in NUMBER_TYPES:
                kind = "number"
            else:
                kind = field.data_type
            yield mapping, mapping.format, kind, field


def _dated(ctx: Context) -> Iterator[tuple[FieldMapping, str, str]]:
    """The formats of date and date/time columns."""
    for mapping, pattern, kind, _field in _formats(ctx):
        if kind in DATE_TYPES:
            yield mapping, pattern, kind


def number_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a number format (Java's DecimalFormat): no digit, or two
    decimal points."""
    number = re.sub(r"'[^']*'", "", pattern).split(";")[0]
    if not any(c in number for c in "0#"):
        if DATE_LETTERS & set(number):
            return "it is a date pattern; a number format is written like #,##0.00"
        return "it has no digit (0 or #); a number format is written like #,##0.00"
    if number.count(".") > 1:
        return "it has two decimal points"
    return None


@check("BW190")
def format_invalid(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind, field in _formats(ctx):
        if kind == "number":
            problem = number_problem(pattern)
            what = f"{field.data_type} field" if field else "number"
            hint = ""
        elif kind in DATE_TYPES:
            problem = pattern_problem(meant(pattern, kind), kind)
            what = f"{kind} pattern"
            month = with_month(pattern)
            hint = f" (mm is minutes; months are MM: '{month}')" if month else ""
        else:
            continue  # Zoho ignores it: BW193
        if problem:
            yield ctx.finding(
                "BW190",
                f"format '{pattern}' of '{mapping.api_name}' is not a valid {what}"
                f"{' format' if kind == 'number' else ''}: {problem}{hint}",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/format",
            )


@check("BW191")
def format_unverified(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind, field in _formats(ctx):
        if kind == "number" and number_problem(pattern) is None:
            what = f"the {field.data_type} field" if field else "the field"
            yield ctx.finding(
                "BW191",
                f"format '{pattern}' of '{mapping.api_name}' is a number format, which "
                f"bwlint does not read (Zoho's list of number formats is not published as "
                f"text): the cells of {what} are not checked",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/format",
            )
        if kind not in DATE_TYPES:
            continue
        if pattern_problem(pattern, kind) or suspicious(pattern, kind):
            continue  # BW190 or BW192 says what is wrong with it
        readable = to_strptime(pattern) is not None
        if readable and pattern in ctx.settings.allowed_formats(kind):
            continue
        if readable:
            setting = "extra-date-formats" if kind == "date" else "extra-datetime-formats"
            message = (
                f"format '{pattern}' of '{mapping.api_name}' is not in bwlint's list "
                f"of {kind} formats (unverified: Zoho's own list is not published as "
                f"text); add it to {setting} in the configuration if Zoho accepts it"
            )
        else:
            message = (
                f"format '{pattern}' of '{mapping.api_name}' is a valid pattern, but bwlint "
                "cannot read dates with all of its letters, so the column's cells are not "
                "checked"
            )
        yield ctx.finding(
            "BW191", message, field=mapping.api_name, pointer=f"{mapping.pointer}/format"
        )


@check("BW192")
def format_suspicious(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind in _dated(ctx):
        guess = suspicious(pattern, kind)
        if guess is None or pattern_problem(guess.meant, kind):
            continue  # nothing looks wrong, or BW190 says what is
        yield ctx.finding(
            "BW192",
            f"format '{pattern}' of '{mapping.api_name}': {'; '.join(guess.reasons)}. "
            f"You probably mean '{guess.meant}' (bwlint checks the cells against it)",
            field=mapping.api_name,
            pointer=f"{mapping.pointer}/format",
        )


@check("BW193")
def format_ignored(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind, field in _formats(ctx):
        if field is None or kind in DATE_TYPES or kind == "number":
            continue
        yield ctx.finding(
            "BW193",
            f"format '{pattern}' of '{mapping.api_name}': {field.api_name} is a "
            f"{field.data_type} field, and Zoho applies a format only to date, date/time "
            "and number fields, so it is ignored: remove it",
            field=mapping.api_name,
            pointer=f"{mapping.pointer}/format",
        )


@check("BW194")
def default_format_undocumented(ctx: Context) -> Iterator[Finding]:
    for binding, module, mapping, field in mapped(ctx):
        if field is None or field.data_type not in DATE_TYPES or mapping.format is not None:
            continue
        kind = field.data_type
        chosen = ctx.settings.date_format if kind == "date" else ctx.settings.datetime_format
        documented = DOCUMENTED_DEFAULTS[kind]
        if chosen in documented or mapping.index is None:
            continue
        key = "date-format" if kind == "date" else "datetime-format"
        how = (
            f'map the column in a job JSON with "format": "{chosen}"'
            if mapping.auto
            else f'add "format": "{chosen}" to the mapping'
        )
        yield ctx.finding(
            "BW194",
            f"'{field.api_name}' has no format, so bwlint reads it as {chosen} ({key} in "
            f"the configuration), but Zoho reads it with its own default, {documented[0]} "
            f"(the Kaizen #13 post says {documented[1]}): {how}",
            module=module,
            **where(binding, mapping),
        )


CHECKS = (
    lookup_find_by_missing,
    lookup_find_by_unknown,
    lookup_header_not_lookup,
    format_invalid,
    format_unverified,
    format_suspicious,
    format_ignored,
    default_format_undocumented,
)
