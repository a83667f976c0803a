"""Several data files for one single-module job are several uploads of that job."""

from __future__ import annotations

import csv
from pathlib import Path

from bwlint.services.check import check

EXAMPLE = Path(__file__).resolve().parent.parent / "examples/leads"


def test_each_csv_of_a_single_module_job_is_checked_as_its_own_upload(tmp_path):
    first = tmp_path / "january.csv"
    second = tmp_path / "february.csv"
    first.write_text((EXAMPLE / "leads.csv").read_text())
    # February's export lost its 10th column: index 9 (Website) is past its end
    with (EXAMPLE / "leads.csv").open(newline="") as source, second.open("w", newline="") as out:
        csv.writer(out).writerows(row[:9] for row in csv.reader(source))
    report = check([str(first), str(second)], job=str(EXAMPLE / "job.json"))
    found = [(f.code, f.pointer, f.message) for f in report.findings]
    assert found == [
        (
            "BW141",
            "/resource/0/field_mappings/9/index",
            f"'Website' maps index 9 but {second} has 9 columns (indexes 0–8)",
        )
    ]
    assert report.summary["files"] == 2


def test_job_level_findings_are_reported_once(tmp_path):
    job = tmp_path / "job.json"
    job.write_text(
        '{"operation": "insert", "resource": [{"type": "data", "module": "Leads", '
        '"file_id": "1", "field_mappings": [{"api_name": "Last_Name", "index": -1}]}]}'
    )
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("Last_Name\nOno\n")
    report = check([str(tmp_path / "a.csv"), str(tmp_path / "b.csv")], job=str(job))
    assert [f.code for f in report.findings] == ["BW140"]
