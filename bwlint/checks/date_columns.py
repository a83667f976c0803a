"""The date format a column's values follow: every known pattern tried on every value,
in one polars select (no loop over cells).

A pattern fits a column when each non-empty value parses with it. One fitting pattern is
the column's format; several differ in the order of day and month (`03/04/2024` fits
both MM/dd/yyyy and dd/MM/yyyy), and the choice is the user's (`day_first`), never a
guess; none: the column's values are not all in one known form.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from bwlint.checks.cell_fixes import writes_day_first
from bwlint.checks.cell_types import usable
from bwlint.settings import Settings


@dataclass(frozen=True)
class DateVerdict:
    pattern: str | None  # the format every value follows (None: none, or ambiguous)
    fitting: tuple[str, ...]  # every pattern every value follows
    values: int  # non-empty values tried

    @property
    def ambiguous(self) -> bool:
        return self.pattern is None and len(self.fitting) > 1


def known_patterns(kind: str, settings: Settings) -> list[str]:
    default = settings.datetime_format if kind == "datetime" else settings.date_format
    return list(dict.fromkeys([default, *settings.allowed_formats(kind)]))


def fits(value: pl.Expr, pattern: str, kind: str) -> pl.Expr | None:
    """True where the (trimmed, non-empty) value parses with `pattern`."""
    converted = usable(pattern, kind)
    if converted is None:
        return None
    if converted.has_zone:
        value = value.str.replace(r"Z$", "+00:00")
    dtype = pl.Datetime("us") if converted.has_time else pl.Date
    return value.str.strptime(dtype, converted.format, strict=False, exact=True).is_not_null()


def fitting_patterns(values: pl.Series, kind: str, settings: Settings) -> DateVerdict:
    cell = pl.col("v").str.strip_chars()
    frame = pl.DataFrame({"v": values.cast(pl.String)}).filter(cell.is_not_null() & (cell != ""))
    if frame.height == 0:
        return DateVerdict(None, (), 0)
    tests = {}
    for pattern in known_patterns(kind, settings):
        test = fits(cell, pattern, kind)
        if test is not None:
            tests[pattern] = test.all()
    verdicts = frame.select(expr.alias(str(n)) for n, expr in enumerate(tests.values())).row(0)
    fitting = tuple(p for p, ok in zip(tests, verdicts, strict=True) if ok)
    return DateVerdict(choose(fitting, settings.day_first), fitting, frame.height)


def choose(fitting: tuple[str, ...], day_first: bool | None) -> str | None:
    if len(fitting) == 1:
        return fitting[0]
    if len(fitting) > 1 and day_first is not None:
        chosen = [p for p in fitting if writes_day_first(p) in (day_first, None)]
        return chosen[0] if len(chosen) == 1 else None
    return None
