"""Job rules about the document itself (BW101–BW104): the job JSON against its JSON
Schema, and its charset. Each predicts a rejection of Create Bulk Write Job."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from bwlint.domain.enums import Applicability
from bwlint.domain.finding import Finding, shorten
from bwlint.domain.fix import REMOVE, Fix, JsonEdit
from bwlint.engine import Context, check
from bwlint.load.charset import text_codec
from bwlint.load.jsonpos import escape, positions
from bwlint.load.schema_fast import conforms
from bwlint.paths import JOB_SCHEMA
from bwlint.project.binding import nested_resources
from bwlint.suggest import did_you_mean


@cache
def _job_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(JOB_SCHEMA.read_text(encoding="utf-8"))
    return schema


@cache
def _job_validator() -> Any:
    # Imported here: jsonschema takes ~45 ms to import, and a valid job needs none.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_job_schema())


def _pointer(path: Any) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def schema_errors(ctx: Context) -> list[tuple[str, Any]]:
    """(pointer, jsonschema error) of every structure problem the user wrote, once per
    job. A resource nested in field_mappings is BW614's, in one finding: not a pile of
    "api_name missing" and "unknown key" about the keys of a resource."""

    def compute() -> list[tuple[str, Any]]:
        if ctx.job.path is None:  # built from --module: nothing the user wrote
            return []
        if conforms(ctx.job.raw, _job_schema()) is True:  # the common case, quickly
            return []
        nested = [n.pointer for n in nested_resources(ctx.job)]
        found = []
        for error in _job_validator().iter_errors(ctx.job.raw):
            pointer = _pointer(error.absolute_path)
            if not any(pointer == p or pointer.startswith(p + "/") for p in nested):
                found.append((pointer, error))
        return found

    result: list[tuple[str, Any]] = ctx.shared("job-schema-errors", compute)
    return result


@check("BW101")
def job_key_missing(ctx: Context) -> Iterator[Finding]:
    said: set[tuple[str, str]] = set()  # jsonschema gives one error per missing key
    for pointer, error in schema_errors(ctx):
        if error.validator != "required":
            continue
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in error.validator_value if k not in present]
        for key in missing:
            if (pointer, key) in said:
                continue
            said.add((pointer, key))
            yield ctx.finding(
                "BW101",
                f"required key '{key}' is missing (Zoho: \"Required key {key} is not available\")",
                pointer=pointer,
            )


JSON_TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object ({…})",
    "array": "an array ([…])",
    "null": "null",
}


def as_json(value: Any, limit: int = 60) -> str:
    """A value as it is written in JSON (never Python's repr), shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error: Any) -> str:
    """What is wrong with a value, in JSON's terms (jsonschema's own messages use
    Python's: None, True, {'api_name': …})."""
    value, expected = as_json(error.instance), error.validator_value
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if custom:  # a predicate ("is not …"), or after a colon a rule (": index must …")
        return f"{value}{custom}" if custom.startswith(":") else f"{value} {custom}"
    if error.validator == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(JSON_TYPES.get(kind, kind) for kind in kinds)
        hint = ": leave the key out" if error.instance is None else ""
        return f"{value} is not {wanted}{hint}"
    if error.validator == "enum":
        return f"{value} is not one of {', '.join(as_json(v) for v in expected)}"
    if error.validator == "const":
        return f"{value} must be {as_json(expected)}"
    if error.validator in ("minLength", "minItems"):
        return f"{value} must not be empty"
    if error.validator == "minimum":
        return f"{value} is below the minimum, {as_json(expected)}"
    return f"{value} is not a valid value here"


def _decimal_indexes(ctx: Context) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of each index written as a decimal (0.0): JSON Schema counts
    it as an integer, Zoho's Java reader does not."""
    for resource in ctx.job.resources:
        entries = resource.raw.get("field_mappings")
        for number, entry in enumerate(entries if isinstance(entries, list) else []):
            for key in INDEX_KEYS:
                value = entry.get(key) if isinstance(entry, dict) else None
                if isinstance(value, float):
                    yield f"{resource.pointer}/field_mappings/{number}/{key}", value


INDEX_KEYS = ("index", "parent_column_index")


@check("BW102")
def job_value_invalid(ctx: Context) -> Iterator[Finding]:
    for pointer, error in schema_errors(ctx):
        if error.validator in ("required", "additionalProperties"):
            continue
        where = pointer or "the job"
        yield ctx.finding("BW102", f"{where}: {describe(error)}", pointer=pointer)
    if ctx.job.path is None:
        return
    for pointer, value in _decimal_indexes(ctx):
        key = pointer.rsplit("/", 1)[1]
        rule = _job_validator().schema["$defs"]["field_mapping"]["properties"][key]
        yield ctx.finding(
            "BW102", f"{pointer}: {as_json(value)}{rule['x-message']}", pointer=pointer
        )


@check("BW103")
def job_key_unknown(ctx: Context) -> Iterator[Finding]:
    for pointer, error in schema_errors(ctx):
        if error.validator != "additionalProperties":
            continue
        known = error.schema.get("properties", {})
        for key in sorted(set(error.instance) - set(known)):
            if key == "ignore_empty" and "/field_mappings/" in pointer:
                message = (
                    "'ignore_empty' is not a key of a field mapping (Kaizen #13's sample "
                    "puts it there): Zoho ignores it here; it applies to every column, so "
                    "move it to the resource or to the job"
                )
            else:
                message = f"unknown key '{key}': Zoho ignores it{did_you_mean(key, known)}"
            yield ctx.finding(
                "BW103",
                message,
                pointer=f"{pointer}/{escape(key)}",
                fix=_moved_ignore_empty(ctx, pointer, key, error.instance),
            )


_MAPPING = re.compile(r"^/resource/(\d+)/field_mappings/\d+$")


def _moved_ignore_empty(ctx: Context, pointer: str, key: str, mapping: Any) -> Fix | None:
    """A mapping-level `ignore_empty` moved to its resource, where Zoho reads it; unsafe:
    it then applies to every column of the resource. Only when the resource has none
    and its mappings do not disagree."""
    found = _MAPPING.match(pointer)
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if key != "ignore_empty" or found is None or not isinstance(value, bool):
        return None
    resource = ctx.job.resources[int(found.group(1))].raw
    said = {m.get(key) for m in resource.get("field_mappings") or [] if isinstance(m, dict)}
    if "ignore_empty" in resource or said - {None} != {value}:
        return None
    edits = (
        JsonEdit(f"{pointer}/{key}", value, REMOVE),
        JsonEdit(f"/resource/{found.group(1)}/{key}", None, value),
    )
    why = "Zoho reads ignore_empty on the resource (or the job), not on a field mapping"
    return Fix(edits, why, Applicability.UNSAFE)


@check("BW104")
def character_encoding(ctx: Context) -> Iterator[Finding]:
    name = ctx.job.character_encoding
    if name is None:
        return
    if text_codec(name) is None:
        yield ctx.finding(
            "BW104",
            f"character_encoding '{name}' is not a known charset (e.g. UTF-8, ISO-8859-1, "
            "windows-1252)",
            pointer="/character_encoding",
        )


@check("BW105")
def job_key_duplicated(ctx: Context) -> Iterator[Finding]:
    """The loader noted the keys given twice; their places come from the text."""
    if not ctx.job.duplicate_keys or ctx.job.text is None:
        return
    repeats: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    positions(ctx.job.text, repeats)
    said: set[str] = set()
    for pointer, (line, _), _later in repeats:
        parent = pointer.rsplit("/", 1)[0]
        if any(parent == p or parent.startswith(p + "/") for p in said):
            continue  # inside a repeated value: the repetition is said once, above
        said.add(pointer)
        key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        yield ctx.finding(
            "BW105",
            f"key '{shorten(key)}' is given twice in one object (first on line {line}): "
            "the last value counts; delete the other",
            pointer=pointer,
        )


CHECKS = (
    job_key_missing,
    job_value_invalid,
    job_key_unknown,
    character_encoding,
    job_key_duplicated,
)
