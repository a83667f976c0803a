"""A quick yes to "is this valid under that JSON Schema?" for simple schemas.

Validating an org's 200-field metadata file with jsonschema took ~50 ms per run, plus
~60 ms to import it: a tenth of `check` on 25,000 × 200. Almost every file is valid,
so this walk of the few keywords schemas/fields.schema.json uses answers the common
case; when it says anything but True (a problem, or a keyword it does not know),
jsonschema decides and words the message. tests/test_metadata.py holds the two to
the same verdicts on generated documents.
"""

from __future__ import annotations

from typing import Any

_NOTES = {"$schema", "title", "description"}
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


def conforms(instance: Any, schema: dict[str, Any]) -> bool | None:
    """True: valid; False: not; None: the schema holds a keyword this does not read."""
    for keyword, value in schema.items():
        check = _KEYWORDS.get(keyword)
        if check is None:
            if keyword in _NOTES:
                continue
            return None
        verdict = check(instance, value)
        if verdict is not True:
            return verdict
    return True


def _type(instance: Any, wanted: str | list[str]) -> bool | None:
    names = [wanted] if isinstance(wanted, str) else wanted
    if any(name not in _TYPES for name in names):
        return None
    return any(_TYPES[name](instance) for name in names)


def _properties(instance: Any, properties: dict[str, Any]) -> bool | None:
    if not isinstance(instance, dict):
        return True
    for key, value in instance.items():
        if key in properties:
            verdict = conforms(value, properties[key])
            if verdict is not True:
                return verdict
    return True


def _items(instance: Any, schema: dict[str, Any]) -> bool | None:
    if not isinstance(instance, list):
        return True
    for item in instance:
        verdict = conforms(item, schema)
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


_KEYWORDS: dict[str, Any] = {
    "type": _type,
    "properties": _properties,
    "items": _items,
    "required": _required,
    "enum": _enum,
    "minimum": lambda v, low: not _number(v) or v >= low,
    "maximum": lambda v, high: not _number(v) or v <= high,
    "minLength": lambda v, low: not isinstance(v, str) or len(v) >= low,
}
