"""The clean screens (bwlint/checks/cell_clean.py): a cell a column's screen calls
clean is bad for none of the rules the screen covers. If it were, `bwlint check` would
miss that finding; these tests throw odd cells at every screen to prove it is not."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bwlint.checks.cell_clean import clean_screen
from bwlint.checks.cells import CHECKS as CELL_CHECKS
from bwlint.checks.formula import CHECKS as FORMULA_CHECKS
from bwlint.domain.model import Field, FieldMapping
from bwlint.settings import Settings

OPTIONS = ["Alpha", "Beta", " Padded", "=SUM(A1)", "Gone", "Zeta"]
PICKLIST = [
    *({"actual_value": v, "display_value": v} for v in OPTIONS if v != "Gone"),
    {"actual_value": "Gone", "display_value": "Gone", "type": "unused"},
]
FIELDS = {
    "text": {"length": 12},
    "textarea": {"textarea_type": "small"},
    "email": {"length": 40},
    "phone": {"length": 12},
    "picklist": {"picklist": tuple(OPTIONS), "raw": {"pick_list_values": PICKLIST}},
    "multiselectpicklist": {"picklist": tuple(OPTIONS), "raw": {"pick_list_values": PICKLIST}},
    "boolean": {},
    "integer": {"length": 4},
    "bigint": {},
    "currency": {"length": 5, "decimal_place": 2},
    "double": {},
    "percent": {},
    "date": {},
    "datetime": {},
}
PIECES = [
    *("Alpha", "Beta", "Gone", "Zeta", " Padded", "=SUM(A1)", ";", "true", "false", "TRUE"),
    *("0", "7", "12345", "99999", "+", "-", ".", ",", "e", "@", "x.example", "o", "1.25"),
    *(" ", "\t", "\r", "\n", "\xa0", "\u2028", "\u3000", "\x00", "\x1f", "\x7f", "\x85"),
    *("=", "@", "é", "😀", "(", ")", "#", "Ünal", "a" * 13),
]
CELLS = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
RULES = {unit.code: unit.spec for unit in (*CELL_CHECKS, *FORMULA_CHECKS)}


def _column(data_type: str, fmt: str | None = None):
    field = Field(api_name="F", data_type=data_type, **FIELDS[data_type])
    mapping = FieldMapping(api_name="F", pointer="/x", index=0, format=fmt)
    binding = SimpleNamespace(module=SimpleNamespace(bundled=False), resource=SimpleNamespace())
    data = SimpleNamespace(header=["F"])
    return SimpleNamespace(field=field, mapping=mapping, binding=binding, data=data, header="F")


def _missed(
    data_type: str, cells: list[str | None], fmt: str | None = None
) -> dict[str, list[str]]:
    """Per covered rule: the cells it finds bad that the screen calls clean."""
    column, cell, chosen = _column(data_type, fmt), pl.col("cell"), Settings()
    clean = clean_screen(cell, column, chosen)
    assert clean is not None, f"no screen for {data_type}"
    frame = pl.DataFrame({"cell": [*cells, None]}, schema={"cell": pl.String})
    tests = {"surely": clean.surely}
    for code in clean.covers:
        rule = RULES[code]
        bad = rule.bad(cell, column, chosen) if data_type in rule.types else None
        if bad is not None and rule.applies(column):
            tests[code] = bad.fill_null(False)
    verdicts = frame.select(test.alias(name) for name, test in tests.items())
    surely = verdicts["surely"]
    assert surely.null_count() == 0
    return {
        code: frame.filter(verdicts[code] & surely)["cell"].to_list()
        for code in tests
        if code != "surely"
    }


@pytest.mark.parametrize("data_type", sorted(FIELDS))
def test_a_clean_screen_calls_clean_no_cell_a_covered_rule_finds_bad(data_type):
    cells = [*PIECES, "Alpha;Beta", "Alpha; Beta", "Alpha;Gone", " 12", "12 ", "-5", "+1.5"]
    missed = _missed(data_type, cells)
    assert missed and all(found == [] for found in missed.values()), missed


@pytest.mark.parametrize("data_type", sorted(FIELDS))
@settings(max_examples=60, deadline=None, derandomize=True)
@given(cells=st.lists(CELLS, min_size=1, max_size=30))
def test_no_generated_cell_slips_through_a_clean_screen(data_type, cells):
    assert all(found == [] for found in _missed(data_type, cells).values())


def test_the_screens_call_plain_cells_clean_and_odd_ones_not():
    """The screen must also do its job: plain values pass it, so the rules' own
    tests run on the few that do not."""
    plain = {"picklist": "Alpha", "multiselectpicklist": "Alpha;Zeta", "email": "o@x.example"}
    plain |= {"phone": "+4420794", "boolean": "true", "integer": "-12", "currency": "1.25"}
    plain |= {"text": "Bolt & Co", "bigint": "123456789012"}
    odd = ["Gone", " Alpha", "=SUM(A1)", " Padded", "Alpha;Gone", " 1", "1 ", "x\x00", ""]
    for data_type, value in plain.items():
        clean = clean_screen(pl.col("c"), _column(data_type), Settings())
        assert clean is not None
        cells = ["=SUM(A1)", "x\x00", "a" * 13] if data_type == "text" else odd
        verdicts = pl.DataFrame({"c": [value, *cells]}).select(clean.surely).to_series()
        assert verdicts.to_list() == [True] + [False] * len(cells), data_type


DATE_FORMATS = [
    ("date", None),
    ("datetime", None),
    ("date", "dd.MM.yyyy"),
    ("date", "yyyy-MM-dd"),
    ("date", "uuuu/MM/dd"),
    ("datetime", "yyyy-MM-dd'T'HH:mm:ss"),
    ("datetime", "dd/MM/yyyy HH:mm"),
]
ODD_DATES = [
    *("02/28/2024", "02/29/2024", "02/29/2023", "02/30/2024", "04/31/2024", "12/31/1999"),
    *(" 01/31/2024", "01/31/2024 ", "\xa001/31/2024", "01/31/0024", "01/31/24", "1/31/2024"),
    *("31.12.2024", "31.04.2024", "29.02.2023", "2024-02-29", "2024-13-01", "0999-01-01"),
    *("2024-12-31T23:59:59", "2024-12-31T24:00:00", "2024-12-31 23:59:59", "2024/02/30"),
    *("12/31/2024 23:59:59", "12/31/2024 23:60:00", "31/12/2024 23:59", "30/02/2024 10:00"),
]


@pytest.mark.parametrize(("data_type", "fmt"), DATE_FORMATS)
def test_a_date_screen_calls_clean_no_date_a_covered_rule_finds_bad(data_type, fmt):
    missed = _missed(data_type, ODD_DATES, fmt)
    assert set(missed) == {"BW406", "BW412", "BW417"}
    assert all(found == [] for found in missed.values()), missed


@st.composite
def _dates(draw, data_type: str, fmt: str | None):
    """Real dates written in the column's pattern, then maybe one character changed
    or a blank added: near misses of every field."""
    from bwlint.checks.cell_types import date_kind, expected_pattern
    from bwlint.dates import python_format

    column = _column(data_type, fmt)
    written = python_format(expected_pattern(column, Settings()))
    assert written is not None
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
    text = moment.strftime(written)
    if date_kind(column) == "date":
        text = text.strip()
    change = draw(st.integers(0, 3))
    if change == 1 and text:
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from("0123456789/-.: T\xa0")) + text[at + 1 :]
    elif change == 2:
        text = draw(st.sampled_from([" ", "\t", "\xa0"])) + text
    elif change == 3:
        text += draw(st.sampled_from([" ", "\t", "0"]))
    return text


@pytest.mark.parametrize(("data_type", "fmt"), DATE_FORMATS)
@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_no_generated_date_slips_through_a_date_screen(data_type, fmt, data):
    cells = data.draw(st.lists(_dates(data_type, fmt), min_size=1, max_size=40))
    assert all(found == [] for found in _missed(data_type, cells, fmt).values())
