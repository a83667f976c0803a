"""Header and mapping limits (BW160, BW161): inputs too large to write as case files."""

from __future__ import annotations

import json

from bwlint.services.check import check

COVERED_RULES = ("BW160", "BW161")  # tests/test_rule_cases.py counts these as covered


def write_csv(path, columns: int) -> None:
    header = ["Last_Name"] + [f"Custom_{n}" for n in range(1, columns)]
    row = ["Ono"] + ["x"] * (columns - 1)
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n")


def write_job(path, mappings: int) -> None:
    field_mappings = [{"api_name": "Last_Name", "index": 0}] + [
        {"api_name": f"Custom_{n}", "index": n} for n in range(1, mappings)
    ]
    job = {
        "operation": "insert",
        "resource": [
            {"type": "data", "module": "Leads", "file_id": "1", "field_mappings": field_mappings}
        ],
    }
    path.write_text(json.dumps(job))


def codes(report, prefix="BW16"):
    return [
        (f.code, f.zoho_code, f.severity, f.pointer, f.file)
        for f in report.findings
        if f.code.startswith(prefix)
    ]


def test_201_mappings_and_201_columns(tmp_path):
    write_csv(tmp_path / "wide.csv", 201)
    write_job(tmp_path / "job.json", 201)
    report = check([str(tmp_path / "wide.csv")], job=str(tmp_path / "job.json"))
    assert sorted(codes(report)) == [
        ("BW160", "HEADER_LIMIT_EXCEEDED", "error", "/resource/0/field_mappings", None),
        ("BW161", "HEADER_LIMIT_EXCEEDED", "error", None, str(tmp_path / "wide.csv")),
    ]


def test_200_is_the_limit_not_over_it(tmp_path):
    write_csv(tmp_path / "wide.csv", 200)
    write_job(tmp_path / "job.json", 200)
    report = check([str(tmp_path / "wide.csv")], job=str(tmp_path / "job.json"))
    assert codes(report) == []


def test_auto_mapping_counts_headers_once(tmp_path):
    write_csv(tmp_path / "wide.csv", 201)
    report = check([str(tmp_path / "wide.csv")], module="Leads")
    assert codes(report) == [
        ("BW161", "HEADER_LIMIT_EXCEEDED", "error", None, str(tmp_path / "wide.csv"))
    ]
