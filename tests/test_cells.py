"""Unit tests of the cell rules' helpers: date patterns, long picklists, scale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwlint.dates import to_strptime
from bwlint.report.text import render
from bwlint.services.check import check


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("MM/dd/yyyy", "%m/%d/%Y"),
        ("MM/dd/yyyy HH:mm:ss", "%m/%d/%Y %H:%M:%S"),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "%Y-%m-%dT%H:%M:%S%:z"),
        ("dd.MM.yy hh:mm a", "%d.%m.%y %I:%M %p"),
        ("yyyy-MM-dd HH:mm:ss.SSS", "%Y-%m-%d %H:%M:%S.%3f"),
        ("d MMM yyyy '100%'", "%d %b %Y 100%%"),
    ],
)
def test_java_patterns_become_strptime_formats(pattern, expected):
    converted = to_strptime(pattern)
    assert converted is not None and converted.format == expected


def test_unusable_patterns_give_none():
    assert to_strptime("yyyy-MM-dd'T") is None  # unclosed quote
    assert to_strptime("yyyy-ww") is None  # week of year: no strptime equivalent


def _schema(tmp_path, values: list[str]):
    fields = [
        {"api_name": "Last_Name", "data_type": "text", "length": 80, "system_mandatory": True},
        {
            "api_name": "Tags",
            "data_type": "multiselectpicklist",
            "pick_list_values": [{"display_value": v, "actual_value": v} for v in values],
        },
        {
            "api_name": "Kind",
            "data_type": "picklist",
            "pick_list_values": [{"display_value": v, "actual_value": v} for v in values],
        },
    ]
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "Leads.json").write_text(json.dumps({"fields": fields}))
    return directory


@pytest.mark.parametrize("size", [3, 400])
def test_picklists_short_and_long_with_special_characters(tmp_path, size):
    values = ["A&B #1", "a.b (c) [d]", "x|y", *(f"Value {i}" for i in range(size - 3))]
    schema = _schema(tmp_path, values)
    csv = tmp_path / "leads.csv"
    csv.write_text(
        "Last_Name,Tags,Kind\n"
        '"Novak","A&B #1;x|y"," a.b (c) [d] "\n'
        "Ito,A&B #1;aXb (c) [d],A&B #2\n"
        "Ono,,a.b (c) [d]\n"
    )
    report = check([str(csv)], module="Leads", schema_dir=schema)
    # the spaces around ' a.b (c) [d] ' are BW417's; the value itself is in the list
    assert [(f.code, f.record, f.column) for f in report.findings if f.code == "BW417"] == [
        ("BW417", 1, "Kind")
    ]
    assert [
        (f.code, f.record, f.column, f.value) for f in report.findings if f.code != "BW417"
    ] == [
        ("BW405", 2, "Tags", "A&B #1;aXb (c) [d]"),
        ("BW405", 2, "Kind", "A&B #2"),
    ]


def test_many_findings_are_grouped_in_text_and_all_listed_in_json(tmp_path):
    csv = tmp_path / "leads.csv"
    rows = [f"Name {i},{'bad' if i % 2 else 'true'}" for i in range(40)]
    csv.write_text("Last_Name,Email_Opt_Out\n" + "\n".join(rows) + "\n")
    report = check([str(csv)], module="Leads")
    assert len(report.findings) == 20
    assert [f.record for f in report.findings] == list(range(2, 41, 2))
    text = render(report)
    assert text.count("BW409") == 6  # five shown, then one summary line
    assert (
        f"{csv}: … and 15 more BW409s in column 'Email_Opt_Out' (records 12, 14, 16, 18, "
        "20, …; all are in --format json)"
    ) in text


@pytest.mark.parametrize("pattern", ["HH", "hh:mm a", "yyyy", "G yyyy", "yyyy-MM-dd z", "%Y"])
def test_a_format_bwlint_cannot_use_is_left_to_bw190_without_a_crash(tmp_path, pattern):
    csv = tmp_path / "leads.csv"
    csv.write_text("Last_Name,Company,Birth_Date\nNovak,Bolt,2024\n")
    job = {
        "operation": "insert",
        "resource": [
            {
                "type": "data",
                "module": {"api_name": "Leads"},
                "file_id": "1",
                "field_mappings": [
                    {"api_name": "Last_Name", "index": 0},
                    {"api_name": "Company", "index": 1},
                    {"api_name": "Birth_Date", "index": 2, "format": pattern},
                ],
            }
        ],
    }
    (tmp_path / "job.json").write_text(json.dumps(job))
    schema = Path(__file__).parent / "fixtures" / "cells"
    report = check([str(csv)], job=str(tmp_path / "job.json"), schema_dir=schema)
    assert "BW406" not in {f.code for f in report.findings}


ODD_CELLS = [
    *("", " ", "+", "-", "-5", "+-1", "++1", "0", "+0", "01", "-0", "1.5", "1e5", "0x10"),
    *("1_0", " 1", "1 ", "\t1", "1,000", "(555) 123-4567", "555-1234", "+44 20 7946", "١٢٣"),
    *("99999999999999999999", "18446744073709551616", "12a", "x", "1234567890"),
    *("true", "false", "TRUE", "False", " true ", "yes", "1", "tru", "true;false"),
    *("01/31/2024", "1/31/2024", "31/01/2024", "01/31/2024 ", "2024-01-31", "yesterday"),
    *("o@x.example", " o@x.example ", "o.x@mail.co.uk", "Ünal@bäcker.de", "o@x", "o@@x.de"),
    *("o@x.c", "-o@x-y.example", "o@x..example", "o x@y.example", "o@x.example.", "@x.de"),
    *("o@x_-y.example", "o@-x.example", "a+b@x.museum", "o@x.exampleexampleexamplex"),
]


@pytest.mark.parametrize(
    ("code", "data_type"),
    [
        ("BW402", "email"),
        ("BW403", "phone"),
        ("BW404", "phone"),
        ("BW406", "date"),
        ("BW407", "integer"),
        ("BW407", "bigint"),
        ("BW409", "boolean"),
    ],
)
def test_each_quick_screen_keeps_every_cell_its_exact_rule_flags(code, data_type):
    """A screen may flag good cells (the exact rule drops them), never miss a bad one."""
    from types import SimpleNamespace

    import polars as pl

    from bwlint.checks.cells import CHECKS
    from bwlint.settings import Settings

    rule = next(unit.spec for unit in CHECKS if unit.code == code)
    field = SimpleNamespace(data_type=data_type, length=None, api_name="F")
    column = SimpleNamespace(field=field, mapping=SimpleNamespace(format=None))
    cell, settings = pl.col("cell"), Settings()
    frame = pl.DataFrame({"cell": [*ODD_CELLS, None]}, schema={"cell": pl.String})
    exact, quick = rule.bad(cell, column, settings), rule.quick(cell, column, settings)
    verdicts = frame.select(exact.fill_null(False).alias("bad"), quick.fill_null(False).alias("q"))
    missed = frame.filter(verdicts["bad"] & ~verdicts["q"])["cell"].to_list()
    assert verdicts["bad"].any(), "the sample holds no bad cell for this rule"
    assert missed == []
