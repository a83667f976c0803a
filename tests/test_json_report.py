"""The JSON report matches the contract, checked against schemas/report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from bwlint.paths import REPORT_SCHEMA
from bwlint.report.json_report import render
from bwlint.services.check import check

ROOT = Path(__file__).resolve().parent.parent


def validate(document: dict) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(document)


def test_report_of_a_bad_job_validates(tmp_path):
    job = json.loads((ROOT / "examples/leads/job.json").read_text())
    mappings = job["resource"][0]["field_mappings"]
    mappings[0]["index"] = -1
    mappings.append({"api_name": "Nickname", "index": 1})
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    report = check([str(ROOT / "examples/leads/leads.csv")], job=str(path))
    document = json.loads(render(report))
    validate(document)
    assert document["summary"] == {"errors": 1, "warnings": 2, "files": 1, "records": 3}
    codes = sorted(f["code"] for f in document["findings"])
    assert codes == ["BW120", "BW140", "BW151"]
    negative = next(f for f in document["findings"] if f["code"] == "BW140")
    assert negative == {
        "code": "BW140",
        "zoho_code": "COLUMN_INDEX_NOT_FOUND",
        "severity": "error",
        "message": "'Last_Name' has a negative index (-1); indexes count CSV columns from 0",
        "file": None,
        "record": None,
        "line": None,
        "column": None,
        "field": "Last_Name",
        "value": None,
        "pointer": "/resource/0/field_mappings/0/index",
        "job": str(path),
    }


def test_clean_report_validates():
    report = check(
        [str(ROOT / "examples/leads/leads.csv")], job=str(ROOT / "examples/leads/job.json")
    )
    document = json.loads(render(report))
    validate(document)
    assert document["findings"] == []


def test_a_report_in_bytes_reaches_a_text_only_stream(monkeypatch):
    """A large JSON report comes partly as UTF-8 bytes; a standard output without a
    binary buffer (a notebook's, a StringIO) still gets it, as text."""
    import io

    from bwlint.cli.output import emit

    text_only = io.StringIO()
    monkeypatch.setattr("sys.stdout", text_only)
    emit(["{", b'"v": "\xc3\xa9"', "}\n"], None)
    assert text_only.getvalue() == '{"v": "é"}\n'


def test_fix_json_section_is_written_as_json_dumps_indent_2_writes_it():
    """`indented` (the change log's fast writer) gives json.dumps(indent=2) byte for byte."""
    import json
    import random

    from bwlint.report.fixes import indented

    rng = random.Random(3)
    scalars = [None, True, False, 0, -3, 1.5, 1e20, "x", 'é\u2028\x01"\\', ""]

    def value(depth: int = 0):
        roll = rng.random()
        if depth < 3 and roll < 0.3:
            keys = [rng.choice(["a", "é", "k\n", '"q']) + str(i) for i in range(rng.randint(0, 4))]
            return {key: value(depth + 1) for key in keys}
        if depth < 3 and roll < 0.5:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return rng.choice(scalars)

    for _ in range(3_000):
        made = value()
        for level in (0, 1):
            expected = json.dumps(made, indent=2, ensure_ascii=False)
            assert indented(made, level) == expected.replace("\n", "\n" + "  " * level)
