"""Issue 13: a Fields Metadata file of the wrong shape is one line naming the file, the
field and the key (validated against a schema derived from Zoho's OpenAPI description),
never a crash or a silently wrong limit."""

from __future__ import annotations

import json

import pytest
from hostile import ROOT, example, one_error_line
from hypothesis import given, settings
from hypothesis import strategies as st
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


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "Leads", "picklist", "text", "used", "unused", "id"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


def _valid(schema: dict):
    """Documents valid under `schema` (the keywords schemas/fields.schema.json uses)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    types = schema.get("type")
    if types is None:
        return JSON_VALUES
    kinds = []
    for kind in [types] if isinstance(types, str) else types:
        if kind == "object":
            properties = schema.get("properties", {})
            required = {k: _valid(properties.get(k, {})) for k in schema.get("required", [])}
            optional = {k: _valid(v) for k, v in properties.items() if k not in required}
            kinds.append(st.fixed_dictionaries(required, optional=optional))
        elif kind == "array":
            kinds.append(st.lists(_valid(schema.get("items", {})), max_size=2))
        elif kind == "string":
            kinds.append(st.text(min_size=schema.get("minLength", 0), max_size=4))
        elif kind in ("integer", "number"):
            low, high = schema.get("minimum", -(2**40)), schema.get("maximum", 2**40)
            kinds.append(st.integers(low, high) | st.sampled_from([float(low), float(high)]))
        elif kind == "boolean":
            kinds.append(st.booleans())
        elif kind == "null":
            kinds.append(st.none())
    return st.one_of(kinds)


EDGES = [-1, 0, 2**31 - 1, 2**31, 1.5, -0.5, 1e30, True, False, None, "", "a", "used", 1, []]


@st.composite
def _near(draw, schema: dict):
    """A document valid under `schema` but for at most one value, somewhere inside."""
    value = draw(_valid(schema))
    properties = schema.get("properties", {})
    if isinstance(value, dict) and properties and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(properties)))
        value[key] = draw(_near(properties[key]))
    elif isinstance(value, list) and "items" in schema and draw(st.booleans()):
        value.append(draw(_near(schema["items"])))
    elif draw(st.booleans()):
        misses = st.sampled_from(_misses(schema))
        value = draw(st.one_of(misses, misses, st.sampled_from(EDGES), JSON_VALUES))
    return value


def _misses(schema: dict) -> list:
    """Values just outside what `schema`'s keywords allow."""
    misses: list = [None]
    if "minimum" in schema:
        misses += [schema["minimum"] - 1, float(schema["minimum"]) - 0.5]
    if "maximum" in schema:
        misses += [schema["maximum"] + 1, float(schema["maximum"]) * 2, 1e30]
    if "minLength" in schema:
        misses += ["", "x" * (schema["minLength"] - 1)]
    if "enum" in schema:
        misses += [True, 1, "Used", str(schema["enum"][0]).upper()]
    return misses


def _field_strategy():
    from bwlint.load.metadata import _fields_schema

    return _near(_fields_schema()["properties"]["fields"]["items"])


@settings(max_examples=500, deadline=None, derandomize=True)
@given(data=st.data())
def test_the_quick_schema_verdict_is_jsonschemas(data):
    """schema_fast.conforms says True exactly when jsonschema finds no problem: a file
    it passes is never one jsonschema would refuse."""
    from bwlint.load.metadata import _fields_schema, _fields_validator
    from bwlint.load.schema_fast import conforms

    fields = data.draw(st.lists(_field_strategy(), max_size=2))
    others = [{"fields": fields, "x": 1}, {"x": fields}, fields]
    document = data.draw(st.just({"fields": fields}) | st.sampled_from(others))
    valid = not list(_fields_validator().iter_errors(document))
    assert conforms(document, _fields_schema()) is valid


def _inlined(schema, root: dict):
    """`schema` with every `$ref` into the root's `$defs` replaced by its target."""
    if isinstance(schema, list):
        return [_inlined(item, root) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
        return _inlined({**target, **{k: v for k, v in schema.items() if k != "$ref"}}, root)
    return {key: _inlined(value, root) for key, value in schema.items() if key != "$defs"}


URLS = ["https://example.com/hook", "HTTP://h", "ftp://h", "https://", "https://a b", "x"]


def _valid_job_part(schema: dict):
    """Values valid under one (inlined) part of the job schema, as far as its keywords
    say: `const`, `minItems` and URL patterns on top of `_valid`'s."""
    if "const" in schema:
        return st.just(schema["const"])
    if "pattern" in schema:
        return st.sampled_from(URLS[:2])
    if schema.get("type") == "array":
        items = _valid_job_part(schema.get("items", {}))
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=2)
    if schema.get("type") == "object" or "object" in schema.get("type", []):
        properties = schema.get("properties", {})
        required = {k: _valid_job_part(properties.get(k, {})) for k in schema.get("required", [])}
        optional = {k: _valid_job_part(v) for k, v in properties.items() if k not in required}
        whole = st.fixed_dictionaries(required, optional=optional)
        return whole | st.text(min_size=1, max_size=4) if "string" in schema["type"] else whole
    return _valid(schema)


@st.composite
def _changed(draw, value, depth: int = 0):
    """`value` with at most one change somewhere inside, most often deep down: a value
    replaced, a key dropped or added, a list emptied."""
    go_on = depth < 1 or draw(st.integers(0, 3)) > 0
    if isinstance(value, dict) and value and go_on:
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["inside"] * 4 + ["drop", "add"]))
        if action == "inside":
            return {**value, key: draw(_changed(value[key], depth + 1))}
        if action == "drop":
            return {k: v for k, v in value.items() if k != key}
        return {**value, draw(st.sampled_from(["extra", "callBack", "Operation", key])): 1}
    if isinstance(value, list) and value and go_on:
        index = draw(st.integers(0, len(value) - 1))
        if draw(st.integers(0, 4)) == 0:
            return []
        return [*value[:index], draw(_changed(value[index], depth + 1)), *value[index + 1 :]]
    if draw(st.integers(0, 4)) == 0:
        return value
    misses = st.sampled_from(["", "Data", "data", "post", "GET", *URLS, 1.0, 2.5, [], {}])
    return draw(st.one_of(misses, misses, st.sampled_from(EDGES), JSON_VALUES))


@settings(max_examples=500, deadline=None, derandomize=True)
@given(data=st.data())
def test_the_quick_schema_verdict_on_a_job_is_jsonschemas(data):
    """The same for the job JSON's schema, whose `$ref`s, `const`, `pattern`,
    `minItems` and `additionalProperties` the quick walk reads too: a job it passes is
    never one jsonschema would refuse, and it passes every job jsonschema does (on a
    job with a problem it may also say None: "jsonschema decides")."""
    from bwlint.checks.job_document import _job_schema, _job_validator
    from bwlint.load.schema_fast import conforms

    schema = _job_schema()
    document = data.draw(_changed(data.draw(_valid_job_part(_inlined(schema, schema)))))
    valid = not list(_job_validator().iter_errors(document))
    assert (conforms(document, schema) is True) is valid


def test_the_quick_schema_walk_leaves_what_it_cannot_read_to_jsonschema():
    """A keyword or reference it does not know is None (jsonschema decides), not a yes."""
    from bwlint.load.schema_fast import conforms

    assert conforms("x", {"format": "email"}) is None
    assert conforms({"a": 1}, {"$ref": "other.json#/a"}) is None
    assert conforms({"a": 1}, {"$ref": "#/$defs/missing", "$defs": {}}) is None
    assert conforms({"a": 1}, {"additionalProperties": False, "patternProperties": {}}) is None
    assert conforms({"a": 1}, {"additionalProperties": {"type": "string"}}) is False
    assert conforms({"a": "b"}, {"additionalProperties": {"type": "string"}}) is True


JOB = {"operation": "insert", "resource": [{"type": "data", "module": "Leads", "file_id": "1"}]}


@pytest.mark.parametrize(
    "change",
    [
        {"resource": [{**JOB["resource"][0], "type": "Data"}]},  # const
        {"resource": []},  # minItems
        {"callback": {"url": "ftp://example.com"}},  # pattern
        {"callback": {"url": "https://example.com", "methods": "post"}},  # additional
        {"resource": [{**JOB["resource"][0], "module": {"api_name": ""}}]},  # $ref'd
        {"resource": [{**JOB["resource"][0], "module": {"id": "1"}}]},  # required
    ],
)
def test_the_quick_schema_walk_refuses_each_kind_of_job_problem(change):
    from bwlint.checks.job_document import _job_schema, _job_validator
    from bwlint.load.schema_fast import conforms

    document = {**JOB, **change}
    assert list(_job_validator().iter_errors(document))
    assert conforms(document, _job_schema()) is False
    assert conforms(JOB, _job_schema()) is True
