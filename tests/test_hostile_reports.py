"""Issue 13: a report cannot be turned against its reader — no raw control characters
or line breaks in the human formats, well-formed XML, and no credential echoed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hostile import example
from runner import bwlint

FORMATS = ("text", "json", "sarif", "github", "junit")
TOKEN = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210"
CLIENT_ID = "1000.ABCDEFGHIJ0123456789KLMNOP"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef0123456789"


def _csv_with(tmp_path, email: str, header_extra: str = ""):
    job, csv = example(tmp_path)
    lines = csv.read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = '"' + email.replace('"', '""') + '"'
    lines[1] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n")
    return job, csv


def _report(tmp_path, job, csv, fmt):
    return bwlint("check", "--isolated", "--job", str(job), str(csv), "--format", fmt, cwd=tmp_path)


INJECTION = "x@\n::error file=README.md,line=1::pwned\n\x1b]0;title\x07\x1b[2J\u202ex"


@pytest.mark.parametrize("fmt", ["text", "junit", "github"])
def test_a_multi_line_cell_cannot_print_a_workflow_command_or_an_escape(tmp_path, fmt):
    job, csv = _csv_with(tmp_path, INJECTION)
    result = _report(tmp_path, job, csv, fmt)
    assert result.returncode == 1, result.stderr
    for line in result.stdout.splitlines():
        assert not line.lstrip().startswith("::error file=README.md"), line
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    if fmt == "text":
        assert "\\n::error file=README.md" in result.stdout
        assert "\\x1b]0;title\\x07" in result.stdout


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1f", "\x7f", "\ufffe"])
def test_junit_is_well_formed_whatever_a_value_holds(tmp_path, char):
    job, csv = _csv_with(tmp_path, f"bad{char}@x")
    result = _report(tmp_path, job, csv, "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"


def test_a_column_header_with_control_characters_is_escaped(tmp_path):
    _, csv = example(tmp_path)
    text = csv.read_text().replace("Email", '"Em\nail\x1b[31m"', 1)
    csv.write_text(text)
    result = bwlint("check", "--isolated", "--module", "Leads", str(csv), cwd=tmp_path)
    assert "\x1b" not in result.stdout
    assert "Em\\nail\\x1b[31m" in result.stdout


@pytest.mark.parametrize("secret", [TOKEN, CLIENT_ID, CLIENT_SECRET])
@pytest.mark.parametrize("fmt", FORMATS)
def test_credentials_in_a_cell_are_masked_in_every_format(tmp_path, secret, fmt):
    job, csv = _csv_with(tmp_path, f"{secret}@")
    result = _report(tmp_path, job, csv, fmt)
    assert result.returncode == 1, result.stderr
    assert secret not in result.stdout
    assert "[masked]" in result.stdout


def test_credentials_in_a_job_value_are_masked(tmp_path):
    _, csv = example(tmp_path)
    body = json.loads((tmp_path / "job.json").read_text())
    body["operation"] = TOKEN
    body["callback"] = {"url": f"https://example.com/?token={TOKEN}", "method": CLIENT_SECRET}
    job = tmp_path / "job.json"
    job.write_text(json.dumps(body))
    for fmt in FORMATS:
        result = _report(tmp_path, job, csv, fmt)
        assert result.returncode == 1
        assert TOKEN not in result.stdout and CLIENT_SECRET not in result.stdout, fmt


def test_the_environment_s_credentials_are_masked_whatever_their_form(tmp_path):
    job, csv = _csv_with(tmp_path, "hunter2hunter2@")
    result = bwlint(
        "check",
        "--isolated",
        "--job",
        str(job),
        str(csv),
        "--format",
        "json",
        cwd=tmp_path,
        ZOHO_CLIENT_SECRET="hunter2hunter2",
    )
    assert result.returncode == 1
    assert "hunter2hunter2" not in result.stdout
    assert "[masked]" in result.stdout


def test_ordinary_values_are_not_masked():
    from bwlint.domain.redact import redact

    for value in ("1000.50", "ana@example.com", "0123456789abcdef" * 2, "1000.00.00"):
        assert redact(value) == value


@pytest.mark.parametrize("as_series", [False, True])
def test_many_findings_are_masked_as_a_column(monkeypatch, as_series):
    """Past 1,000 findings the cells are screened by polars: the same masking."""
    import polars as pl

    from bwlint.domain.redact import redact, redacted

    monkeypatch.setenv("ZOHO_CLIENT_SECRET", "hunter2hunter2")
    cells = [f"ana{i}@example.com" for i in range(2_500)]
    cells[7], cells[1_500], cells[2_499] = f"{TOKEN}@", "hunter2hunter2@x", None  # type: ignore[call-overload]
    cells[99] = f"id {CLIENT_ID}, secret {CLIENT_SECRET}"
    given = pl.Series(cells, dtype=pl.String) if as_series else cells
    masked = list(redacted(given))
    assert masked == [None if cell is None else redact(cell) for cell in cells]
    assert masked[7] == "[masked]@" and masked[1_500] == "[masked]@x" and masked[2_499] is None
    assert masked[99] == "id [masked], secret [masked]" and masked[0] == "ana0@example.com"
    if as_series:
        assert given[7] == f"{TOKEN}@"  # the caller's column is left as it was


def test_the_result_preview_writes_formulas_as_text(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text(
        "Last_Name,Company,Description\n"
        '"=HYPERLINK(""http://evil.example"",""x"")",-5,@SUM(A1)\n'
        "Ono,+1.5,-None-\n"
    )
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        str(csv),
        "--result-preview",
        "out.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "BW416" in result.stdout
    import csv as csv_module

    rows = list(csv_module.reader((tmp_path / "out.csv").open(newline="")))
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil.example","x")', "-5", "'@SUM(A1)"]
    assert rows[2][:3] == ["Ono", "+1.5", "-None-"]


def test_github_overflow_lines_cannot_print_a_workflow_command(tmp_path):
    """Past ten annotations of a level, groups are plain log lines: escaped as well."""
    org = tmp_path / "org"
    org.mkdir()
    fields = [{"api_name": "Last_Name", "data_type": "text", "system_mandatory": True}]
    fields += [{"api_name": f"Email{i}", "data_type": "email"} for i in range(12)]
    (org / "Leads.json").write_text(json.dumps({"fields": fields}))
    header = ",".join(["Last_Name"] + [f"Email{i}" for i in range(12)])
    row = ",".join(["Ono"] + ['"x@\n::error file=README.md::pwned\x1b[2J"'] * 12)
    (tmp_path / "::error file=a::x.csv").write_text(f"{header}\n{row}\n")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "--schema-dir",
        "org",
        "./::error file=a::x.csv",
        "--format",
        "github",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "not annotated" in result.stdout  # there are overflow lines
    for line in result.stdout.splitlines():
        assert not line.startswith("::error file=README.md"), line
        if line.startswith("::"):
            assert line.startswith("::error file=") and "\n" not in line
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("distinct", [False, True])
def test_credentials_among_many_bad_cells_are_masked(tmp_path, distinct):
    """The cell rules make a message per distinct bad value and screen the values once
    per distinct value: a credential among 1,500 bad cells, repeated or not, is masked
    in its value and in its message."""
    job, csv = example(tmp_path)
    header, first = csv.read_text().splitlines()[:2]
    cells = first.split(",")
    rows = []
    for number in range(1_500):
        bad = f"not-an-email-{number if distinct else 0}"
        if number % 500 == 7:
            bad = f"{TOKEN}@" if number < 1_000 else f"{CLIENT_SECRET}@x"
        cells[3] = bad
        rows.append(",".join(cells))
    csv.write_text("\n".join([header, *rows]) + "\n")
    result = _report(tmp_path, job, csv, "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert sum(f["code"] == "BW402" for f in findings) == 1_500
    assert TOKEN not in result.stdout and CLIENT_SECRET not in result.stdout
    masked = [f for f in findings if f["code"] == "BW402" and "[masked]" in f["value"]]
    assert len(masked) == 3 and all("[masked]" in f["message"] for f in masked)
