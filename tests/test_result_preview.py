"""--result-preview: the result CSV Zoho would return, compared byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from runner import bwlint

from bwlint.report.preview import write_previews
from bwlint.services.check import check

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MIXED = FIXTURES / "mixed"
CELLS = FIXTURES / "cells"

MIXED_PREVIEW = (
    "Last_Name,Company,Email,STATUS,RECORD_ID,ERRORS\n"
    "Novak,Bolt,ana@bolt.example,added,,\n"
    ',Kumo,ana@,skipped,,"MANDATORY_NOT_FOUND-Last_Name:INVALID_DATA-Email,Phone,'
    'Birth_Date,Score,Revenue,Opt_Out,Website,Account_Name"\n'
    'Ono,,ANA@BOLT.example,skipped,,"MANDATORY_NOT_FOUND-Company:DUPLICATE_DATA-Email:'
    'INVALID_DATA-Birth_Date,Score,Revenue"\n'
    "Lee,Lee Inc,lee@x.example,added,,\n"
)


def test_cli_writes_the_preview_of_the_mixed_file(tmp_path):
    out = tmp_path / "preview.csv"
    result = bwlint(
        "check",
        "--job",
        str(MIXED / "job.json"),
        str(MIXED / "leads.csv"),
        "--schema-dir",
        str(CELLS),
        "--result-preview",
        str(out),
    )
    assert result.returncode == 1, result.stderr
    assert out.read_bytes() == MIXED_PREVIEW.encode()


def test_warnings_do_not_skip_and_update_says_updated(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text(
        "id,Last_Name,Phone\n"
        "111111000000056001,Novak,+1 555 0100\n"
        "111111000000056002,,+15550100\n"
        "111111000000056001,Ono,+15550101\n"
    )
    report = check([str(csv)], module="Leads", operation="update", find_by="id", schema_dir=CELLS)
    out = tmp_path / "preview.csv"
    assert write_previews(report, str(out)) == [out]
    assert out.read_text() == (
        "id,Last_Name,Phone,STATUS,RECORD_ID,ERRORS\n"
        "111111000000056001,Novak,+1 555 0100,updated,,\n"
        "111111000000056002,,+15550100,skipped,,MANDATORY_NOT_FOUND-Last_Name\n"
        "111111000000056001,Ono,+15550101,skipped,,DUPLICATE_DATA-id\n"
    )


def test_upsert_by_id_updates_records_with_an_id_and_adds_the_rest(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("id,Last_Name,Company\n111111000000056001,Novak,Bolt\n,Ito,Kumo\n")
    report = check([str(csv)], module="Leads", operation="upsert", find_by="id", schema_dir=CELLS)
    out = tmp_path / "preview.csv"
    write_previews(report, str(out))
    assert out.read_text() == (
        "id,Last_Name,Company,STATUS,RECORD_ID,ERRORS\n"
        "111111000000056001,Novak,Bolt,updated,,\n"
        ",Ito,Kumo,added,,\n"
    )


def test_several_files_go_to_a_directory_named_as_zoho_names_them(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name,Company\nNovak,Bolt\n,Kumo\n")
    (tmp_path / "contacts.csv").write_text("Last_Name,Email\nIto,kenji@\n")
    job = {
        "operation": "insert",
        "resource": [
            {
                "type": "data",
                "module": {"api_name": "Leads"},
                "file_id": "1",
                "file_names": ["leads.csv"],
                "field_mappings": [
                    {"api_name": "Last_Name", "index": 0},
                    {"api_name": "Company", "index": 1},
                ],
            },
            {
                "type": "data",
                "module": {"api_name": "Contacts"},
                "file_id": "1",
                "file_names": ["contacts.csv"],
                "field_mappings": [
                    {"api_name": "Last_Name", "index": 0},
                    {"api_name": "Email", "index": 1},
                ],
            },
        ],
    }
    (tmp_path / "job.json").write_text(json.dumps(job))
    report = check(
        [str(tmp_path / "leads.csv"), str(tmp_path / "contacts.csv")],
        job=str(tmp_path / "job.json"),
    )
    out = tmp_path / "results"
    written = write_previews(report, str(out))
    assert sorted(p.name for p in written) == ["Contacts-contacts.csv", "Leads-leads.csv"]
    assert (out / "Leads-leads.csv").read_text() == (
        "Last_Name,Company,STATUS,RECORD_ID,ERRORS\n"
        "Novak,Bolt,added,,\n"
        ",Kumo,skipped,,MANDATORY_NOT_FOUND-Last_Name\n"
    )
    assert (out / "Contacts-contacts.csv").read_text() == (
        "Last_Name,Email,STATUS,RECORD_ID,ERRORS\nIto,kenji@,skipped,,INVALID_DATA-Email\n"
    )


def test_an_unwritable_preview_is_a_usage_error(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("Last_Name\nNovak\n")
    result = bwlint(
        "check",
        "--module",
        "Leads",
        str(csv),
        "--result-preview",
        str(tmp_path / "missing" / "dir" / "p.csv"),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("bwlint: error: ")
    assert "cannot write the result preview" in result.stderr
    assert "Traceback" not in result.stderr
