"""BW416 formula-in-text: a text cell that a spreadsheet would run as a formula.

A cell rule like those of cells.py (one batch, one select per file), kept in its own
unit. Columns named in the configuration's `allow-formulas-in` (a CSV header or a field
API name) are not checked.
"""

from __future__ import annotations

import polars as pl

from bwlint.checks.cells import _rule
from bwlint.checks.columns import Column
from bwlint.domain.finding import shorten
from bwlint.formula import FORMULA_START, is_formula
from bwlint.settings import Settings

TYPES = ("text", "textarea", "website", "picklist", "multiselectpicklist")


def _bad(cell: pl.Expr, column: Column, settings: Settings) -> pl.Expr | None:
    allowed = settings.formula_columns
    if column.header.strip() in allowed or column.field.api_name in allowed:
        return None
    return is_formula(cell)


def _quick(cell: pl.Expr, _column: Column, _settings: Settings) -> pl.Expr:
    """The cells that begin with a formula's sign (~half the cost of the exact test,
    which also rules out numbers and phone numbers: it confirms these only)."""
    return cell.str.contains(FORMULA_START)


def _message(column: Column, value: str, _settings: Settings) -> str:
    sign = repr(value[:1]) if value[:1] not in ("\t", "\r") else "a tab or carriage return"
    return (
        f"{column.label}: '{shorten(value)}' begins with {sign}: a spreadsheet that opens "
        "the CSV (or Zoho's export of the record) runs it as a formula (OWASP: CSV "
        "injection); write it without the sign or with a leading ', or list the column "
        "in allow-formulas-in if formulas are meant"
    )


formula_in_text = _rule("BW416", *TYPES, bad=_bad, quick=_quick, message=_message)

CHECKS = (formula_in_text,)
