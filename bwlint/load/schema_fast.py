"""A quick yes to "is this valid under that JSON Schema?" for simple schemas.

Validating an org's 200-field metadata file with jsonschema took ~50 ms per run, plus
~60 ms to import it: a tenth of `check` on 25,000 × 200; and importing it took ~45 ms
of every `check --job`, a tenth of a run on a small file. Almost every document is
valid, so this walk of the few keywords schemas/fields.schema.json and
schemas/job.schema.json use answers the common case; when it says anything but True
(a problem, or a keyword it does not know), jsonschema decides and words the message.
tests/test_hostile_metadata.py holds the two to the same verdicts on generated metadata
files and job documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

# Keywords that annotate, or hold subschemas only a `$ref` reaches; `x-…` ones too.
_NOTES = {"$schema", "$id", "$defs", "title", "description"}
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


def conforms(
    instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None
) -> bool | None:
    """True: valid; False: not; None: the schema holds a keyword this does not read.
    `root`: the document a `$ref` ("#/$defs/name") points into (`schema` if None)."""
    root = schema if root is None else root
    for keyword, value in schema.items():
        if keyword == "$ref":
            verdict = _ref(instance, value, root)
        elif keyword in _WITH_ROOT:
            verdict = _WITH_ROOT[keyword](instance, value, root)
        elif keyword in _KEYWORDS:
            verdict = _KEYWORDS[keyword](instance, value)
        elif keyword in _NOTES or keyword.startswith("x-"):
            continue
        elif keyword == "additionalProperties":
            verdict = _additional(instance, value, schema, root)
        else:
            return None
        if verdict is not True:
            return verdict
    return True


def _ref(instance: Any, pointer: Any, root: dict[str, Any]) -> bool | None:
    """A reference into the root's `$defs`; any other kind is jsonschema's."""
    if not isinstance(pointer, str) or not pointer.startswith("#/$defs/"):
        return None
    target = root.get("$defs", {}).get(pointer.removeprefix("#/$defs/"))
    return conforms(instance, target, root) if isinstance(target, dict) else None


def _additional(
    instance: Any, allowed: Any, schema: dict[str, Any], root: dict[str, Any]
) -> bool | None:
    """The keys `properties` does not name: refused (false), or held to a schema."""
    if not isinstance(instance, dict) or allowed is True:
        return True
    if "patternProperties" in schema:
        return None
    named = schema.get("properties", {})
    others = [value for key, value in instance.items() if key not in named]
    if allowed is False:
        return not others
    if not isinstance(allowed, dict):
        return None
    return _each(((value, allowed) for value in others), root)


def _type(instance: Any, wanted: str | list[str]) -> bool | None:
    names = [wanted] if isinstance(wanted, str) else wanted
    if any(name not in _TYPES for name in names):
        return None
    return any(_TYPES[name](instance) for name in names)


def _properties(instance: Any, properties: dict[str, Any], root: dict[str, Any]) -> bool | None:
    if not isinstance(instance, dict):
        return True
    named = ((value, properties[key]) for key, value in instance.items() if key in properties)
    return _each(named, root)


def _items(instance: Any, schema: Any, root: dict[str, Any]) -> bool | None:
    if not isinstance(schema, dict):
        return None  # a boolean schema, or a draft-4 list of schemas
    if not isinstance(instance, list):
        return True
    return _each(((item, schema) for item in instance), root)


def _each(pairs: Iterable[tuple[Any, dict[str, Any]]], root: dict[str, Any]) -> bool | None:
    """Every (value, schema) pair conforms: the first verdict that is not True, if any."""
    for value, schema in pairs:
        verdict = conforms(value, schema, root)
        if verdict is not True:
            return verdict
    return True


def _required(instance: Any, keys: list[str]) -> bool:
    return not isinstance(instance, dict) or all(key in instance for key in keys)


def _enum(instance: Any, options: list[Any]) -> bool | None:
    if any(isinstance(o, dict | list) for o in options) or isinstance(instance, dict | list):
        return None  # containers: JSON equality is jsonschema's to decide
    # JSON equality: true is not 1, 1 is 1.0
    return any(
        isinstance(instance, bool) == isinstance(option, bool) and instance == option
        for option in options
    )


def _number(instance: Any) -> bool:
    return isinstance(instance, int | float) and not isinstance(instance, bool)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _pattern(instance: Any, pattern: Any) -> bool | None:
    """jsonschema's own test: Python's `re.search`."""
    if not isinstance(pattern, str):
        return None
    return not isinstance(instance, str) or _compiled(pattern).search(instance) is not None


_WITH_ROOT: dict[str, Any] = {"properties": _properties, "items": _items}
_KEYWORDS: dict[str, Any] = {
    "type": _type,
    "required": _required,
    "enum": _enum,
    "const": lambda v, value: _enum(v, [value]),
    "pattern": _pattern,
    "minItems": lambda v, low: not isinstance(v, list) or len(v) >= low,
    "minimum": lambda v, low: not _number(v) or v >= low,
    "maximum": lambda v, high: not _number(v) or v <= high,
    "minLength": lambda v, low: not isinstance(v, str) or len(v) >= low,
}
