"""The CI and editor formats: SARIF (validated against the official schema), GitHub
workflow commands, JUnit XML (parsed back); --output; colour; the progress bar."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from jsonschema.validators import validator_for
from runner import bwlint
from synthetic import run_of

from bwlint.catalogue import load_catalogue
from bwlint.cli.output import PROGRESS_MIN_BYTES, wants_colour, wants_progress
from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.location import Location
from bwlint.report import REPORTERS, github, junit, sarif

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/leads"
SARIF_SCHEMA = Path(__file__).parent / "fixtures/sarif-2.1.0.schema.json"


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A job with one error (BW141 at job.json:20:42) and a CSV with a warning (BW120),
    plus a zip whose CSV has the same unknown header."""
    shutil.copy(EXAMPLE / "job.json", tmp_path / "job.json")
    job = tmp_path / "job.json"
    job.write_text(job.read_text().replace('"index": 9', '"index": 12'))
    shutil.copy(EXAMPLE / "leads.csv", tmp_path / "leads.csv")
    (tmp_path / "other.job.json").write_text(
        '{"operation": "insert", "resource": [{"type": "data", '
        '"module": {"api_name": "Leads"}, "file_id": "1"}]}'
    )
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("other.csv", "Last_Name,Favourite_Colour\nOno,teal\n")
    return tmp_path


def record_finding(record: int, severity: str = "error", code: str = "BW141") -> Finding:
    """A cell finding as the cell rules will make them (synthetic: reporters only)."""
    return Finding(
        code=code,
        zoho_code="INVALID_DATA",
        severity=Severity(severity),
        message=f"Email: 'x{record}' is not a valid email address",
        location=Location(
            file="leads.csv", record=record, line=record + 1, column="Email", column_number=4
        ),
        field="Email",
        value=f"x{record}",
    )


def job_finding(line: int, severity: str = "error", code: str = "BW140") -> Finding:
    return Finding(
        code=code,
        zoho_code="COLUMN_INDEX_NOT_FOUND",
        severity=Severity(severity),
        message=f"problem, at line {line}: 50% sure",
        location=Location(
            pointer=f"/resource/0/field_mappings/{line}/index",
            job="job.json",
            job_line=line,
            job_column=20,
            origin="job.json",
        ),
    )


# --- SARIF ---------------------------------------------------------------------------


def validate_sarif(document: dict) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    validator = validator_for(schema)
    validator.check_schema(schema)
    errors = [error.message for error in validator(schema).iter_errors(document)]
    assert errors == []


def test_sarif_of_a_real_run_validates_and_locates_findings(bad):
    result = bwlint("check", ".", "--format", "sarif", cwd=bad)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    validate_sarif(document)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(load_catalogue())
    for rule in rules:  # what GitHub code scanning requires of a rule
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
    bw141 = rules[[r["id"] for r in rules].index("BW141")]
    assert bw141["defaultConfiguration"]["level"] == "error"
    assert bw141["properties"]["zoho_code"] == "COLUMN_INDEX_NOT_FOUND"
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"BW141", "BW120"}
    error = results["BW141"]
    assert error["level"] == "error"
    assert rules[error["ruleIndex"]]["id"] == "BW141"
    assert error["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "job.json"},
        "region": {"startLine": 20, "startColumn": 42},
    }
    warning = results["BW120"]
    assert warning["level"] == "warning"
    # a CSV inside a zip is located at the zip itself
    assert warning["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "other.zip"}}
    assert warning["properties"]["file"] == "other.zip/other.csv"


def test_sarif_cell_findings_point_at_line_and_column():
    report = run_of([record_finding(2), record_finding(3, "info")])
    document = sarif.as_dict(report)
    validate_sarif(document)
    first, second = document["runs"][0]["results"]
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 4,
    }
    assert first["properties"]["record"] == 2 and first["properties"]["value"] == "x2"
    assert second["level"] == "note"
    assert first["partialFingerprints"] != second["partialFingerprints"]


def test_sarif_absolute_paths_become_file_uris(tmp_path):
    finding = job_finding(3)
    path = str(tmp_path / "my job.json")
    finding = dataclasses.replace(finding, location=finding.location._replace(origin=path))
    document = sarif.as_dict(run_of([finding]))
    validate_sarif(document)
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == (tmp_path / "my job.json").as_uri()


# --- GitHub workflow commands ---------------------------------------------------------


def test_github_lines_of_a_real_run(bad):
    result = bwlint("check", ".", "--format", "github", cwd=bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=job.json,line=20,col=42,title=BW141 [COLUMN_INDEX_NOT_FOUND]::'Website' "
        "maps index 12 but leads.csv has 10 columns (indexes 0–9)",
        "::warning file=other.zip,title=BW120 [INVALID_FIELD]::column 'Favourite_Colour' names "
        "no standard field of Leads; rename the header to the field's API name, or write "
        "field_mappings (bwlint init writes them); if it is a custom field, check against "
        "your org's metadata: save GET /crm/v8/settings/fields?module=Leads as Leads.json and pass "
        "--schema-dir",
        "bwlint: 1 error, 1 warning (2 files, 4 records).",
    ]


def test_github_groups_cells_and_escapes():
    report = run_of([*(record_finding(r) for r in range(1, 43)), job_finding(7)])
    lines = github.render(report).splitlines()
    # job-level errors first (they reject the whole job), then the grouped cells
    assert lines[0] == (
        "::error file=job.json,line=7,col=20,title=BW140 [COLUMN_INDEX_NOT_FOUND]::"
        "problem, at line 7: 50%25 sure"
    )
    assert lines[1] == (
        "::error file=leads.csv,line=2,col=4,title=BW141 [INVALID_DATA]::Email: 'x1' is not "
        "a valid email address (42 BW141 findings in column 'Email' in leads.csv, lines "
        "2, 3, 4, 5, 6, …; all of them are in --format json or sarif)"
    )
    assert len(lines) == 3


def test_github_property_escaping():
    assert github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert github.escape_data("a,b:c%\r\n") == "a,b:c%25%0D%0A"


def test_github_shows_ten_annotations_per_level_and_logs_the_rest():
    findings = [job_finding(line) for line in range(1, 13)]
    findings += [job_finding(line, "warning", "BW131") for line in range(20, 23)]
    lines = github.render(run_of(findings)).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 3
    assert "line=1," in errors[0] and "line=10," in errors[-1]
    at = lines.index(
        "bwlint: 2 more groups of findings not annotated "
        "(GitHub shows 10 annotations of each level per step):"
    )
    assert lines[at + 1] == "job.json:11:20: BW140 error: problem, at line 11: 50% sure"
    assert lines[at + 2] == "job.json:12:20: BW140 error: problem, at line 12: 50% sure"


# --- JUnit ---------------------------------------------------------------------------


def test_junit_of_a_real_run_parses_back(bad):
    result = bwlint("check", ".", "--format", "junit", cwd=bad)
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["job.json", "other.job.json", "leads.csv", "other.zip/other.csv"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "0")
    [failure] = cases["job.json"].findall("failure")
    assert failure.get("type") == "BW141"
    assert failure.text.startswith("job.json:20:42: BW141 [COLUMN_INDEX_NOT_FOUND] error: ")
    assert cases["leads.csv"].find("failure") is None
    out = cases["other.zip/other.csv"].find("system-out").text
    assert out.startswith("other.zip/other.csv:1:2: BW120 [INVALID_FIELD] warning: column ")


def test_junit_caps_a_group_and_counts_the_rest():
    report = run_of([record_finding(r) for r in range(1, 9)], job_path=None)
    root = ET.fromstring(junit.render(report))
    [case] = root.iter("testcase")
    failures = case.findall("failure")
    assert len(failures) == 6
    assert failures[0].text == (
        "leads.csv:2:4: BW141 [INVALID_DATA] error: Email: 'x1' is not a valid email address"
    )
    assert failures[-1].get("message") == (
        "… and 3 more BW141s in column 'Email' (all are in --format json)"
    )


# --- --output, colour, progress ------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_output_file_for_every_format(bad, fmt):
    out = bad / f"report.{fmt}"
    result = bwlint("check", ".", "--format", fmt, "--output", str(out), cwd=bad)
    assert result.returncode == 1
    assert result.stdout == "" and result.stderr == ""
    assert "BW141" in out.read_text()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert wants_colour(FakeTerminal()) is True
    assert wants_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_colour(FakeTerminal()) is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert wants_colour(FakeTerminal()) is False  # NO_COLOR wins


def test_piped_text_has_no_escape_codes(bad):
    piped = bwlint("check", ".", cwd=bad, NO_COLOR=None)
    assert "\x1b[" not in piped.stdout and "BW141" in piped.stdout
    forced = bwlint("check", ".", cwd=bad, NO_COLOR=None, FORCE_COLOR="1")
    assert "\x1b[" in forced.stdout


def test_progress_only_for_large_input_on_a_terminal(bad):
    assert wants_progress(PROGRESS_MIN_BYTES, FakeTerminal()) is True
    assert wants_progress(PROGRESS_MIN_BYTES - 1, FakeTerminal()) is False
    assert wants_progress(PROGRESS_MIN_BYTES, io.StringIO()) is False
    assert bwlint("check", ".", cwd=bad).stderr == ""


def test_sarif_keeps_within_githubs_result_limit_and_says_so():
    findings = [record_finding(r) for r in range(1, 31)]
    findings += [record_finding(r, "warning", "BW120") for r in range(1, 4)]
    findings.append(job_finding(5))
    document = sarif.as_dict(run_of(findings), limit=10)
    validate_sarif(document)
    run = document["runs"][0]
    kept = [(r["ruleId"], r["properties"].get("record")) for r in run["results"]]
    # groups of 30, 3 and 1: each keeps its first 6 (6 + 3 + 1 = 10; 7 would make 11)
    assert sorted(kept, key=str) == sorted(
        [("BW140", None), *(("BW141", r) for r in range(1, 7)), *(("BW120", r) for r in (1, 2, 3))],
        key=str,
    )
    assert run["properties"]["results_left_out"] == 34 - 10
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("24 of 34 findings are left out")
    untouched = sarif.as_dict(run_of(findings))["runs"][0]
    assert (
        len(untouched["results"]) == 34
        and "toolExecutionNotifications" not in (untouched["invocations"][0])
    )


def test_sarif_with_more_groups_than_the_limit_keeps_the_most_severe():
    findings = [record_finding(1, "warning", "BW120"), record_finding(2), job_finding(5)]
    document = sarif.as_dict(run_of(findings), limit=2)
    assert {r["ruleId"] for r in document["runs"][0]["results"]} == {"BW141", "BW140"}
