"""Issue 13: a Fields Metadata file of the wrong shape is one line naming the file, the
field and the key (validated against a schema derived from Zoho's OpenAPI description),
never a crash or a silently wrong limit."""

from __future__ import annotations

import json

import pytest
from hostile import ROOT, example, one_error_line
from runner import bwlint

LEADS = json.loads((ROOT / "schemas/modules/Leads.json").read_text())


def _org(tmp_path, change: dict | None = None, *, raw: str | None = None):
    folder = tmp_path / "org"
    folder.mkdir()
    body = json.loads(json.dumps(LEADS))
    last_name = next(f for f in body["fields"] if f["api_name"] == "Last_Name")
    last_name.update(change or {})
    (folder / "Leads.json").write_text(raw if raw is not None else json.dumps(body))
    return folder


def _check(tmp_path, folder):
    job, csv = example(tmp_path)
    return bwlint(
        "check",
        "--isolated",
        "--job",
        str(job),
        str(csv),
        "--schema-dir",
        str(folder),
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"operation_type": "api_create"}, '.operation_type: "api_create" is not an object'),
        ({"operation_type": [True]}, ".operation_type: [true] is not an object"),
        ({"lookup": "Accounts"}, '.lookup: "Accounts" is not an object or null'),
        ({"decimal_place": True}, ".decimal_place: true is not an integer or null"),
        ({"decimal_place": -1}, ".decimal_place: -1 is out of range (minimum 0)"),
        ({"decimal_place": 1e30}, ".decimal_place: 1e+30 is out of range"),
        ({"length": 1e60}, ".length: 1e+60 is out of range"),
        ({"length": True}, ".length: true is not an integer or null"),
        ({"pick_list_values": {"a": 1}}, '.pick_list_values: {"a": 1} is not an array'),
        ({"system_mandatory": "yes"}, '.system_mandatory: "yes" is not a boolean'),
    ],
)
def test_wrong_types_name_the_file_the_field_and_the_key(tmp_path, change, said):
    result = _check(tmp_path, _org(tmp_path, change))
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "Leads.json" in line and "(Last_Name)" in line and "fields[" in line
    assert said in line, line


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"fields": [{"api_name": "Last_Name", "length": ' + "9" * 5000 + "}]}",
        '{"fields": [{"api_name": "Last_Name", "length": NaN}]}',
        '{"fields": "none"}',
        '{"fields": [{"api_name": ""}]}',
    ],
)
def test_hostile_metadata_text_is_one_line(tmp_path, raw):
    result = _check(tmp_path, _org(tmp_path, raw=raw))
    assert result.returncode == 2
    assert "Leads.json" in one_error_line(result.stderr)


def test_a_lone_surrogate_in_metadata_is_no_crash(tmp_path):
    body = json.dumps(LEADS).replace('"Last_Name"', '"\\ud800"', 1)
    result = _check(tmp_path, _org(tmp_path, raw=body))
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr


def test_the_bundled_metadata_satisfies_the_schema():
    from bwlint.load.metadata import _fields_validator

    for path in sorted((ROOT / "schemas/modules").glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and "fields" in data:
            assert not list(_fields_validator().iter_errors(data)), path.name


def test_a_module_name_is_never_a_path(tmp_path):
    """`--module /abs/path/Leads` must not load `/abs/path/Leads.json`."""
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "Leads.json").write_text(json.dumps({"fields": [{"api_name": "Secret_Field"}]}))
    _, csv = example(tmp_path)
    for module in (str(trap / "Leads"), "../trap/Leads", "A" * 300):
        result = bwlint("check", "--isolated", "--module", module, str(csv), cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert "Secret_Field" not in result.stdout
        assert "File name too long" not in result.stdout + result.stderr
