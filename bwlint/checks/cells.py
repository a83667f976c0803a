"""Cell rules (BW4xx): each cell against its field's data type and metadata.

pandera-style: a rule is a function giving a boolean polars expression over a column
(True = bad; empty cells are null and never bad). The rules run together (one batch):
for each binding, every selected rule's screen for every mapped column is evaluated in
one `select`; only the candidate rows come back, the exact tests confirm them
(`confirm`), and messages are built for the bad ones alone. Where a column type has a
clean screen (cell_clean.py), that one test stands for the screens of all the rules it
covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import polars as pl

from bwlint.checks import cell_types as t
from bwlint.checks.cell_clean import clean_screen
from bwlint.checks.cell_fixes import (
    Rewrite,
    checkbox_fix,
    date_fix,
    date_format_fix,
    number_fix,
    phone_fix,
    picklist_fix,
    record_id_fix,
    trim_fix,
)
from bwlint.checks.cell_messages import (
    control_message,
    date_message,
    decimal_message,
    fixed,
    integer_message,
    length_message,
    padded_message,
    picklist_message,
    rounded_message,
    unused_message,
    year_message,
)
from bwlint.checks.cell_types import expected_pattern
from bwlint.checks.columns import Column, bad_rows, cells_at, columns, findings_at, lines_by_key
from bwlint.domain.enums import Applicability
from bwlint.domain.findings import Deferred, repeated
from bwlint.domain.fix import Fix
from bwlint.domain.redact import redacted
from bwlint.engine import Check, Context, Found
from bwlint.settings import Settings

Expression = Callable[[pl.Expr, Column, Settings], pl.Expr | None]


@dataclass(frozen=True)
class CellRule:
    """What one cell rule checks, for the batch that runs them all."""

    types: frozenset[str]
    # True where a cell of the column is bad (null or blank cells never are);
    # None: the rule does not apply to the column.
    bad: Expression
    message: Callable[[Column, str, Settings], str]
    applies: Callable[[Column], bool] = lambda _column: True
    # Optional: a cheaper expression, True on every bad cell and maybe a few good
    # ones; the whole column is screened with it, and `bad` confirms the candidates.
    quick: Callable[[pl.Expr, Column, Settings], pl.Expr] | None = None
    # Optional: the bad value rewritten, when there is one right way to write it (a
    # plain string: a safe rewrite into the column's date format).
    rewrite: Callable[[Column, str, Settings], Rewrite | str | None] | None = None
    # Optional: one fix for every bad cell of a column (e.g. the mapping's `format`),
    # preferred to rewriting the cells when there is one.
    column_fix: Callable[[Column, Settings], Fix | None] | None = None


def _rule(code: str, *types: str, **spec: Any) -> Check:
    return Check(code, batch=cell_values, spec=CellRule(frozenset(types), **spec))


def cell_values(ctx: Context, checks: Sequence[Check]) -> Iterator[Found]:
    """Every selected cell rule over every mapped column, one select per file."""
    rules: list[tuple[str, CellRule]] = [(unit.code, unit.spec) for unit in checks]
    for binding in ctx.bindings:
        targets: dict[str, tuple[str, CellRule, Column, pl.Expr | None]] = {}
        masks: dict[str, pl.Expr] = {}
        shared: dict[str, str] = {}  # a rule's key → its column's clean screen's key
        for column in columns(binding, ctx.job.operation):
            cell = pl.col(column.name)
            clean = clean_screen(cell, column, ctx.settings)
            for code, rule in rules:
                if column.field.data_type not in rule.types or not rule.applies(column):
                    continue
                exact = rule.bad(cell, column, ctx.settings)
                if exact is None:
                    continue
                key = f"{code}:{column.index}"
                if clean is not None and code in clean.covers:
                    shared[key] = f"clean:{column.index}"
                    masks[shared[key]] = ~clean.surely
                    targets[key] = (code, rule, column, exact)
                    continue
                screened = rule.quick is not None
                masks[key] = rule.quick(cell, column, ctx.settings) if rule.quick else exact
                targets[key] = (code, rule, column, exact if screened else None)
        if not masks:
            continue
        data = binding.data
        assert data is not None
        screens = bad_rows(data.frame, masks)
        found = {k: rows for k in targets if (rows := screens[shared.get(k, k)]).len()}
        # the candidates of a clean screen are fetched once for all the rules it covers
        fetched = cells_at(
            data.frame,
            {shared.get(k, k): (targets[k][2].name, rows) for k, rows in found.items()},
        )
        cells = {k: fetched[shared.get(k, k)] for k in found}
        kept = confirm(ctx, targets, found, cells)
        lines = lines_by_key(data, {key: rows for key, (rows, _) in kept.items()})
        values, messages = _masked_messages(kept, targets, ctx.settings)  # keys in turn
        offset = 0
        for key, (rows, cells_of_key) in kept.items():
            code, rule, column, _ = targets[key]
            count = rows.len()
            fixes = partial(_fixes, ctx.settings, rule, column, rows, cells_of_key)
            yield from findings_at(
                ctx,
                code,
                column,
                rows,
                messages.slice(offset, count),
                values=values.slice(offset, count),
                lines=lines[key],
                fixes=Deferred(count, fixes),
                masked=True,
            )
            offset += count


def _masked_messages(
    kept: dict[str, tuple[pl.Series, pl.Series]],
    targets: dict[str, tuple[str, CellRule, Column, pl.Expr | None]],
    settings: Settings,
) -> tuple[pl.Series, pl.Series]:
    """The bad cells of every rule and column one after the other, and the message of
    each, both masked (`redacted`): a message is made and masked once per distinct
    (rule and column, value), and the values are screened once per distinct value."""
    if not kept:
        empty = pl.Series([], dtype=pl.String)
        return empty, empty
    keys = list(kept)
    values = pl.concat([kept[key][1].cast(pl.String) for key in keys])
    numbers = repeated(range(len(keys)), [kept[key][0].len() for key in keys])
    # one string per (rule and column, value): its number, then a separator that says
    # whether the value is null, then the value
    tags = pl.select(
        pl.concat_str(
            pl.lit(numbers).cast(pl.String),
            pl.when(pl.lit(values).is_null()).then(pl.lit("\x01")).otherwise(pl.lit("\x00")),
            pl.lit(values).fill_null(""),
        )
    ).to_series()
    first = tags.is_first_distinct()
    distinct = values.filter(first)
    said = []
    for number, value in zip(numbers.filter(first).to_list(), distinct.to_list(), strict=True):
        _, rule, column, _ = targets[keys[number]]
        said.append(rule.message(column, value, settings))
    messages = tags.replace_strict(tags.filter(first), redacted(said), return_dtype=pl.String)
    if redacted(distinct) is not distinct:  # a bad value usually recurs: screen each once
        values = pl.Series(redacted(values), dtype=pl.String)
    return values, messages


def _fixes(
    settings: Settings, rule: CellRule, column: Column, rows: pl.Series, values: pl.Series
) -> list[Fix | None]:
    """The fix of each bad cell (None: no one right rewrite), for rules that know how to
    rewrite a value; made only when read (`bwlint fix` reads them, `check` never)."""
    if rule.column_fix is not None:
        whole = rule.column_fix(column, settings)
        if whole is not None:
            return [whole] * len(rows)
    if rule.rewrite is None:
        return [None] * len(rows)
    rewrite = rule.rewrite
    written: dict[str, Rewrite | None] = {}
    fixes: list[Fix | None] = []
    for row, value in zip(rows.to_list(), values.to_list(), strict=True):
        if value not in written:
            new = rewrite(column, value, settings)
            if isinstance(new, str):
                pattern = expected_pattern(column, settings)
                new = Rewrite(new, Applicability.SAFE, f"written in the column's format {pattern}")
            written[value] = new
        made = written[value]
        fixes.append(
            None
            if made is None
            else Fix.cell(
                column.data.display, row + 1, column.index, value, made.new, made.why,
                made.applicability,
            )
        )  # fmt: skip
    return fixes


def confirm(
    ctx: Context,
    targets: dict[str, tuple[str, CellRule, Column, pl.Expr | None]],
    rows: dict[str, pl.Series],
    cells: dict[str, pl.Series],
) -> dict[str, tuple[pl.Series, pl.Series]]:
    """Keep the candidates of rules screened by `quick` that the exact test confirms.

    The tests are cell by cell, so columns whose test is the same expression (the
    same rule on fields with the same metadata) share one test over their candidates
    stacked: a query's cost grows with its expressions, not with a few hundred cells.
    The tests run as one lazy query per expression, all collected at once (in
    parallel; one frame for all would pad each to the longest with nulls).
    """
    screened = [key for key in rows if targets[key][3] is not None]
    kept = {key: (rows[key], cells[key]) for key in rows if key not in screened}
    if not screened:
        return kept
    # the test, serialized → the test and the keys it confirms
    groups: dict[str, tuple[pl.Expr, list[str]]] = {}
    for key in screened:
        _, rule, column, _ = targets[key]
        test = rule.bad(pl.col("cell"), column, ctx.settings)
        assert test is not None  # `quick` is set only where `bad` applies
        groups.setdefault(test.meta.serialize(format="json"), (test, []))[1].append(key)
    queries = []
    for test, keys in groups.values():
        stacked = pl.concat([cells[key] for key in keys]).cast(pl.String).alias("cell")
        queries.append(stacked.to_frame().lazy().select(pl.coalesce(test, False)))
    for (_, keys), verdicts in zip(groups.values(), pl.collect_all(queries), strict=True):
        bad, start = verdicts.to_series(), 0
        for key in keys:
            count = cells[key].len()
            flags, start = bad.slice(start, count), start + count
            if flags.any():
                kept[key] = (rows[key].filter(flags), cells[key].filter(flags))
    return dict(sorted(kept.items()))


TEXT_TYPES = ("text", "textarea", "email", "phone", "website")

value_too_long = _rule(
    "BW401",
    *TEXT_TYPES,
    bad=lambda cell, column, _settings: t.java_length(cell) > t.text_limit(column),
    message=length_message,
    quick=lambda cell, column, _settings: cell.str.len_bytes() > t.text_limit(column),
)
# Text and text area only: the other types' own patterns reject control characters.
control_character = _rule("BW414", "text", "textarea", bad=t.control_bad, message=control_message)
email_invalid = _rule(
    "BW402",
    "email",
    bad=t.email_bad,
    message=fixed("is not a valid email address"),
    quick=t.email_quick,
)
phone_invalid = _rule(
    "BW403",
    "phone",
    bad=t.matches(t.PHONE_INVALID),
    message=fixed(
        "is not a phone number: Zoho accepts digits with a leading +, no letters or other signs"
    ),
    quick=t.phone_quick,
)
phone_punctuation = _rule(
    "BW404",
    "phone",
    bad=lambda cell, _column, _settings: (
        cell.str.contains(t.PHONE_PUNCTUATION) & ~cell.str.contains(t.PHONE_INVALID)
    ),
    message=fixed(
        "holds spaces or punctuation; Zoho's documents say phone numbers are digits "
        "and a leading + only, so it may reject or change the value"
    ),
    quick=t.phone_quick,
    rewrite=phone_fix,
)
picklist_value_new = _rule(
    "BW405",
    "picklist",
    "multiselectpicklist",
    bad=t.picklist_bad,
    message=picklist_message,
    quick=t.picklist_quick,
    rewrite=picklist_fix,
)
picklist_value_unused = _rule(
    "BW413", "picklist", "multiselectpicklist", bad=t.unused_bad, message=unused_message
)
date_invalid = _rule(
    "BW406",
    "date",
    "datetime",
    bad=t.date_bad,
    message=date_message,
    quick=t.date_quick,
    rewrite=date_fix,
    column_fix=date_format_fix,
)
date_year_short = _rule(
    "BW412",
    "date",
    "datetime",
    bad=t.year_short_bad,
    message=year_message,
    quick=t.year_short_quick,
)
integer_invalid = _rule(
    "BW407",
    "integer",
    "bigint",
    bad=t.integer_bad,
    message=integer_message,
    applies=t.not_id,
    quick=t.integer_quick,
    rewrite=number_fix,
)
decimal_invalid = _rule(
    "BW408",
    "currency",
    "double",
    "percent",
    bad=t.decimal_bad,
    message=decimal_message,
    applies=t.unformatted,
    rewrite=number_fix,
)
decimal_rounded = _rule(
    "BW415", "currency", bad=t.rounded_bad, message=rounded_message, applies=t.unformatted
)
checkbox_invalid = _rule(
    "BW409",
    "boolean",
    bad=t.fails(t.BOOLEAN),
    message=fixed("is not a checkbox value: write true or false"),
    quick=t.boolean_quick,
    rewrite=checkbox_fix,
)
url_invalid = _rule("BW410", "website", bad=t.fails(t.URL), message=fixed("is not a valid URL"))
record_id_invalid = _rule(
    "BW411",
    "lookup",
    "ownerlookup",
    "userlookup",
    "bigint",
    bad=t.fails(t.RECORD_ID),
    message=fixed("is not a Zoho record id (ids are digits only)"),
    applies=t.is_id_column,
    rewrite=record_id_fix,
)
value_padded = _rule(
    "BW417",
    *t.PADDED_TYPES,
    bad=t.padded_bad,
    message=padded_message,
    quick=t.padded_quick,
    applies=t.padded_applies,
    rewrite=trim_fix,
)

CHECKS = (
    value_too_long,
    email_invalid,
    phone_invalid,
    phone_punctuation,
    picklist_value_new,
    date_invalid,
    integer_invalid,
    decimal_invalid,
    checkbox_invalid,
    url_invalid,
    record_id_invalid,
    date_year_short,
    picklist_value_unused,
    control_character,
    decimal_rounded,
    value_padded,
)
