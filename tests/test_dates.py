"""Zoho's date patterns: what each letter means, read the same way by every rule."""

from __future__ import annotations

import json

import pytest

from bwlint.dates import LETTERS, meant, pattern_problem, suspicious, to_strptime
from bwlint.services.check import check
from bwlint.settings import Settings


def job_with_format(tmp_path, pattern: str, field: str = "Date_of_Birth") -> str:
    job = {
        "operation": "insert",
        "resource": [
            {
                "type": "data",
                "module": "Contacts",
                "file_id": "1",
                "field_mappings": [
                    {"api_name": "Last_Name", "index": 0},
                    {"api_name": field, "index": 1, "format": pattern},
                ],
            }
        ],
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    return str(path)


def codes(tmp_path, pattern: str, cell: str, field: str = "Date_of_Birth") -> list[str]:
    csv = tmp_path / "contacts.csv"
    csv.write_text(f"Last_Name,{field}\nOno,{cell}\n")
    result = check(
        [str(csv)],
        job=job_with_format(tmp_path, pattern, field),
        settings=Settings(select=("BW19", "BW406")),
    )
    return sorted(f.code for f in result.findings)


def test_uuuu_is_the_year_for_the_format_rule_and_for_the_cells(tmp_path):
    """Regression: `MM/dd/uuuu` passed the format rule with a BW191 warning, and the
    cells were never read (the two letter tables disagreed)."""
    assert to_strptime("MM/dd/uuuu") is not None
    assert codes(tmp_path, "MM/dd/uuuu", "not a date") == ["BW191", "BW406"]
    assert codes(tmp_path, "MM/dd/uuuu", "12/31/2024") == ["BW191"]


def test_week_based_year_is_not_read_as_the_year(tmp_path):
    """Regression: `Y` (the week-based year) counted as `y`."""
    assert LETTERS["Y"].part != "year"
    assert to_strptime("dd/MM/YYYY") is None
    assert pattern_problem("dd/MM/YYYY", "date") == "it has no year"
    assert meant("dd/MM/YYYY", "date") == "dd/MM/yyyy"
    assert codes(tmp_path, "dd/MM/YYYY", "31/12/2024") == ["BW192"]
    assert codes(tmp_path, "dd/MM/YYYY", "12/31/2024") == ["BW192", "BW406"]


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_no_letter_lets_a_bad_cell_pass_in_silence(tmp_path, letter):
    """Whatever a pattern's letters, a cell that is no date is reported, or the format
    is (invalid, suspicious, or unreadable by bwlint)."""
    for kind, field, base in (
        ("date", "Date_of_Birth", "yyyy-MM-dd"),
        ("datetime", "Last_Activity_Time", "yyyy-MM-dd HH:mm"),
    ):
        pattern = f"{base} {letter}"
        found = codes(tmp_path, pattern, "not a date", field)
        assert found, f"{kind} format {pattern!r}: a bad cell passed without a word"
        if pattern_problem(meant(pattern, kind), kind) is None and not suspicious(pattern, kind):
            assert "BW406" in found or "BW191" in found


def test_an_unquoted_letter_names_the_fix():
    assert pattern_problem("yyyy-MM-ddTHH:mm:ss", "datetime") == (
        "'T' is not a date pattern letter (text goes in quotes: 'T')"
    )
