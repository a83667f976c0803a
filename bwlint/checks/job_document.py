"""Job rules about the document itself (BW101–BW104): the job JSON against its JSON
Schema, and its charset. Each predicts a rejection of Create Bulk Write Job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from bwlint.domain.finding import Finding, shorten
from bwlint.engine import Context, check
from bwlint.load.charset import text_codec
from bwlint.load.jsonpos import escape, positions
from bwlint.paths import JOB_SCHEMA
from bwlint.project.binding import nested_resources
from bwlint.suggest import did_you_mean


@cache
def _job_validator() -> Any:
    # Imported here: jsonschema takes ~60 ms to import, and --module runs need none.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(JOB_SCHEMA.read_text(encoding="utf-8")))


def _pointer(path: Any) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def schema_errors(ctx: Context) -> list[tuple[str, Any]]:
    """(pointer, jsonschema error) of every structure problem the user wrote, once per
    job. A resource nested in field_mappings is BW614's, in one finding: not a pile of
    "api_name missing" and "unknown key" about the keys of a resource."""

    def compute() -> list[tuple[str, Any]]:
        if ctx.job.path is None:  # built from --module: nothing the user wrote
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


@check("BW102")
def job_value_invalid(ctx: Context) -> Iterator[Finding]:
    for pointer, error in schema_errors(ctx):
        if error.validator in ("required", "additionalProperties"):
            continue
        where = pointer or "the job"
        custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
        text = f"{json.dumps(error.instance)} {custom}" if custom else error.message
        yield ctx.finding("BW102", f"{where}: {text}", pointer=pointer)


@check("BW103")
def job_key_unknown(ctx: Context) -> Iterator[Finding]:
    for pointer, error in schema_errors(ctx):
        if error.validator != "additionalProperties":
            continue
        known = error.schema.get("properties", {})
        for key in sorted(set(error.instance) - set(known)):
            yield ctx.finding(
                "BW103",
                f"unknown key '{key}': Zoho ignores it{did_you_mean(key, known)}",
                pointer=f"{pointer}/{escape(key)}",
            )


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
