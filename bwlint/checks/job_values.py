"""Job rules about what mappings say of their values (BW180–BW191): how lookups find
their records, and date formats."""

from __future__ import annotations

from collections.abc import Iterator

from bwlint.checks.job_fields import mapped, where
from bwlint.dates import meant, pattern_problem, suspicious, to_strptime, with_month
from bwlint.domain.finding import Finding
from bwlint.domain.model import FieldMapping, Module
from bwlint.engine import Context, check
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


def _formats(ctx: Context) -> Iterator[tuple[FieldMapping, str, str]]:
    """(mapping, its format, the kind of value: date or datetime) of each formatted
    mapping."""
    for binding in ctx.bindings:
        module = binding.module
        for mapping in binding.mappings:
            if mapping.format is None:
                continue
            field = module.get(mapping.api_name) if module else None
            kind = field.data_type if field else None
            if kind not in ("date", "datetime"):
                kind = "datetime" if any(c in mapping.format for c in "Hhk") else "date"
            yield mapping, mapping.format, kind


@check("BW190")
def format_invalid(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind in _formats(ctx):
        problem = pattern_problem(meant(pattern, kind), kind)
        if problem:
            month = with_month(pattern)
            hint = f" (mm is minutes; months are MM: '{month}')" if month else ""
            yield ctx.finding(
                "BW190",
                f"format '{pattern}' of '{mapping.api_name}' is not a valid {kind} "
                f"pattern: {problem}{hint}",
                field=mapping.api_name,
                pointer=f"{mapping.pointer}/format",
            )


@check("BW191")
def format_unverified(ctx: Context) -> Iterator[Finding]:
    for mapping, pattern, kind in _formats(ctx):
        if pattern_problem(pattern, kind) or suspicious(pattern, kind):
            continue  # BW190 or BW192 says what is wrong with it
        readable = to_strptime(pattern) is not None
        if readable and pattern in ctx.settings.allowed_formats(kind):
            continue
        if readable:
            message = (
                f"format '{pattern}' of '{mapping.api_name}' is not in bwlint's list "
                f"of {kind} formats (unverified: Zoho's own list is not published as "
                "text); add it to the configuration's formats if Zoho accepts it"
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
    for mapping, pattern, kind in _formats(ctx):
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


CHECKS = (
    lookup_find_by_missing,
    lookup_find_by_unknown,
    lookup_header_not_lookup,
    format_invalid,
    format_unverified,
    format_suspicious,
)
