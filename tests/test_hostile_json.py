"""Issue 13/10: a job JSON or metadata file anyone can write never crashes bwlint; a
refusal is one line naming the file, the place and the cause in JSON's terms."""

from __future__ import annotations

import pytest
from hostile import example, job_with, one_error_line
from runner import bwlint


def _check_job(tmp_path, text: str):
    _, csv = example(tmp_path)
    job = tmp_path / "bad.json"
    job.write_text(text, encoding="utf-8")
    return bwlint("check", "--isolated", "--job", str(job), str(csv), cwd=tmp_path)


@pytest.mark.parametrize(
    "codec",
    ["base64", "hex", "zlib", "rot13", "bz2", "uu", "utf-9", "punycode", "idna", "undefined"],
)
def test_a_codec_that_is_no_text_encoding_is_bw104(tmp_path, codec):
    _, csv = example(tmp_path)
    job = job_with(tmp_path, character_encoding=codec)
    result = bwlint("check", "--isolated", "--job", str(job), str(csv), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "BW104" in result.stdout and f"'{codec}'" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ('{"operation": "insert", "resource": [],}', "trailing comma"),
        ('{"operation": "insert"\n "resource": []}', "missing comma"),
        ('{\n\u00a0\u00a0"operation": "insert", "resource": []}', "non-breaking space (U+00A0)"),
        ('{"operation": "insert", "x": NaN, "resource": []}', "NaN is not a JSON number"),
        ('{"operation": "insert", "x": Infinity, "resource": []}', "Infinity is not a JSON"),
        ('{"operation": "insert", "x": -Infinity, "resource": []}', "-Infinity is not a JSON"),
        ("{'operation': 'insert'}", "single quotes"),
        ("{operation: 1}", "key without double quotes"),
        ('{"a": 1}}', "more text after the end"),
        ("", "the file is empty"),
    ],
)
def test_json_syntax_errors_name_their_cause(tmp_path, text, cause):
    result = _check_job(tmp_path, text)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "bad.json:" in line and "job file" in line
    assert cause in line
    said = line.split("not valid JSON")[-1]
    for python in ("None", "True", "Expecting", "delimiter"):
        assert python not in said


def test_json_nested_10000_deep_is_one_line(tmp_path):
    result = _check_job(tmp_path, "[" * 10_000 + "]" * 10_000)
    assert result.returncode == 2
    assert "nested more than 64 levels deep" in one_error_line(result.stderr)


def test_deep_nesting_inside_a_value_is_one_line(tmp_path):
    deep = "[" * 5_000 + "]" * 5_000
    result = _check_job(tmp_path, '{"operation": "insert", "resource": ' + deep + "}")
    assert result.returncode == 2
    one_error_line(result.stderr)


def test_an_integer_of_5000_digits_is_one_line(tmp_path):
    text = '{"operation": "insert", "resource": [{"file_id": ' + "9" * 5000 + "}]}"
    result = _check_job(tmp_path, text)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "5,000 digits" in line and "bad.json:1:" in line


def test_a_float_too_large_is_one_line(tmp_path):
    result = _check_job(tmp_path, '{"operation": "insert", "resource": [], "x": 1e999}')
    assert result.returncode == 2
    one_error_line(result.stderr)


def test_a_job_that_is_not_utf8_is_one_line(tmp_path):
    _, csv = example(tmp_path)
    job = tmp_path / "bad.json"
    job.write_bytes(b'{"operation": "ins\xe9rt"}')
    result = bwlint("check", "--isolated", "--job", str(job), str(csv), cwd=tmp_path)
    assert result.returncode == 2
    assert "not UTF-8" in one_error_line(result.stderr)


def test_a_lone_surrogate_reaches_every_format_escaped(tmp_path):
    from runner import bwlint_process

    _, csv = example(tmp_path)
    text = (tmp_path / "job.json").read_text().replace('"Last_Name"', '"\\ud800"', 1)
    job = tmp_path / "sur.json"
    job.write_text(text)
    args = ("check", "--isolated", "--job", str(job), str(csv), "--format")
    runs = [(fmt, bwlint(*args, fmt, cwd=tmp_path)) for fmt in ("text", "json", "sarif")]
    runs.append(("text", bwlint_process(*args, "text", cwd=tmp_path)))  # real streams
    for fmt, result in runs:
        assert result.returncode == 1, (fmt, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert "\\ud800" in result.stdout, fmt
        if fmt in ("json", "sarif"):
            import json

            json.loads(result.stdout)
