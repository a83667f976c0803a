"""The command line as users and scripts meet it: exit statuses, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runner import bwlint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JOB = ROOT / "examples/leads/job.json"
EXAMPLE_CSV = ROOT / "examples/leads/leads.csv"


def test_bundled_example_is_clean():
    result = bwlint("check", "--job", str(EXAMPLE_JOB), str(EXAMPLE_CSV))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "All checks passed (1 file, 3 records)."


def test_error_finding_exits_1_and_prints_location(tmp_path):
    job = json.loads(EXAMPLE_JOB.read_text())
    job["resource"][0]["field_mappings"][3]["index"] = -4
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2))
    result = bwlint("check", "--job", str(path), str(EXAMPLE_CSV))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    # json.dumps(indent=2) puts the 4th mapping's index on line 30, column 20
    assert first.startswith(f"{path}:30:20: BW140 [COLUMN_INDEX_NOT_FOUND] 'Email'")


def test_warnings_alone_exit_0(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("Last_Name,Favourite_Colour\nOno,teal\n")
    result = bwlint("check", "--module", "Leads", str(csv))
    assert result.returncode == 0
    assert "BW120 [INVALID_FIELD] warning: column 'Favourite_Colour'" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--job", "missing.json", "x.csv"], "missing.json: job file not found"),
        (["check", "--module", "Leads", "missing.csv"], "missing.csv: no such file"),
        (["check", "--bogus"], "No such option '--bogus'"),
        (["check", "leads.csv"], "leads.csv: no such file or directory"),
        (["explain", "BW999"], "unknown rule code 'BW999'"),
        (["check", "--module", "Leads", "--operation", "merge", "x.csv"], "'merge' is not one of"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, message, tmp_path):
    result = bwlint(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("bwlint: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_a_csv_without_a_job_is_one_line_exit_2(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    result = bwlint("check", "--isolated", "leads.csv", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("bwlint: error: leads.csv: no job declares this file")
    assert "nothing to check against" in result.stderr


def test_broken_json_names_file_line_and_column(tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{\n  "operation": "insert",\n  "resource": [,]\n}\n')
    result = bwlint("check", "--job", str(job), str(EXAMPLE_CSV))
    assert result.returncode == 2
    assert result.stderr.startswith(f"bwlint: error: {job}:3:16: job file is not valid JSON")


def test_json_comment_from_zoho_samples_is_explained(tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{"operation": "insert", // copied from the docs\n "resource": []}')
    result = bwlint("check", "--job", str(job), str(EXAMPLE_CSV))
    assert result.returncode == 2
    assert "JSON has no comments" in result.stderr


def test_not_a_zip(tmp_path):
    # A finding (BW202), not exit 2: the other files of the run are still checked.
    fake = tmp_path / "upload.zip"
    fake.write_text("Last_Name\nOno\n")
    result = bwlint("check", "--module", "Leads", str(fake))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{fake}: BW202 [INVALID_FILE_FORMAT] not a zip file")
    assert "Traceback" not in result.stderr


def test_input_files_are_not_modified(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_bytes(b"\xef\xbb\xbfLast_Name,Email\r\nOno,ono@example.com\r\n")
    before = csv.read_bytes()
    bwlint("check", "--module", "Leads", str(csv))
    assert csv.read_bytes() == before


def test_version():
    result = bwlint("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("bwlint, version ")


def test_output_file(tmp_path):
    out = tmp_path / "report.json"
    result = bwlint(
        "check",
        "--job",
        str(EXAMPLE_JOB),
        str(EXAMPLE_CSV),
        "--format",
        "json",
        "--output",
        str(out),
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())["summary"]["records"] == 3


def test_rules_and_explain_read_the_catalogue():
    listing = bwlint("rules", "--format", "json")
    rows = json.loads(listing.stdout)
    assert {"code", "zoho_code", "severity", "summary"} <= set(rows[0])
    explained = bwlint("explain", "bw170")
    assert explained.returncode == 0
    assert explained.stdout.startswith("BW170 mandatory-not-mapped")
    assert "Zoho code:  MANDATORY_FIELDS_NOT_MAPPED" in explained.stdout
    assert "Fails" in explained.stdout and "Passes" in explained.stdout


def test_select_and_ignore_most_specific_wins(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("Company,Shoe_Size\nAcme,42\n")  # BW170 error + BW120 warning
    both = bwlint("check", "--module", "Leads", str(csv))
    assert both.returncode == 1
    assert "BW170" in both.stdout and "BW120" in both.stdout
    ignored = bwlint("check", "--module", "Leads", str(csv), "--ignore", "BW170")
    assert ignored.returncode == 0
    assert "BW170" not in ignored.stdout and "BW120" in ignored.stdout
    selected = bwlint("check", "--module", "Leads", str(csv), "--select", "BW1", "--ignore", "BW12")
    assert "BW170" in selected.stdout and "BW120" not in selected.stdout


def test_job_json_may_be_given_as_a_path():
    result = bwlint("check", str(EXAMPLE_JOB), str(EXAMPLE_CSV))
    assert result.returncode == 0
    assert result.stdout.strip() == "All checks passed (1 file, 3 records)."
