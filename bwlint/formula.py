"""Spreadsheet formulas in text cells (CSV injection, OWASP's "CSV Injection" page).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
formula when the file is opened in a spreadsheet: `=HYPERLINK(…)` tricks a reader into
a click, `=DDE(…)` starts a program. Zoho stores the text, and the CRM's own exports
and bwlint's result preview carry it back into spreadsheets. A number with a sign
(`-5`, `+1.5`, `-1,234.50`) or an international phone number (`+44 20 7946 0958`) is
no formula.
"""

from __future__ import annotations

import polars as pl

# What a formula begins with; FORMULA_START: a cell that begins with one.
FORMULA_SIGNS = "=+-@\t\r"
FORMULA_START = "^[" + FORMULA_SIGNS.replace("-", "\\-") + "]"
# What begins with a sign and is still plain data: a number, a phone number, or
# Zoho's own "-None-" (the empty choice of a picklist).
PLAIN = r"^[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?%?$|^\+[\d ().-]+$|^-None-$"


def is_formula(cell: pl.Expr) -> pl.Expr:
    """True where a text cell would run as a spreadsheet formula (null stays null)."""
    return cell.str.contains(FORMULA_START) & ~cell.str.contains(PLAIN)


def defused(cell: pl.Expr) -> pl.Expr:
    """The cell as a spreadsheet shows it as text: a formula gets a leading `'`,
    OWASP's advice; everything else is unchanged."""
    return pl.when(is_formula(cell)).then(pl.lit("'") + cell).otherwise(cell)
