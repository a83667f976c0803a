"""JSON text from a file anyone can write: decoded, parsed, and every refusal one line
that names the file, the place and the cause in JSON's terms.

Python's parser accepts more than JSON (`NaN`, `Infinity`), recurses once per nesting
level, and refuses integers of more than 4,300 digits with a Python message; a pasted
sample from a web page carries non-breaking spaces, trailing commas and comments. Each
of those is named here. Duplicate keys are parsed as JSON parsers do (the last wins)
and recorded, so a rule can report them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from bwlint.domain.limits import INPUT
from bwlint.errors import UsageError

# Deeper than any document Zoho defines (a job is 5 levels, Fields Metadata 6), far
# below the interpreter's recursion limit.
MAX_DEPTH = INPUT.json_depth
# Digits of one JSON number: ids are 19, a value 30; Python refuses 4,300.
MAX_DIGITS = 100
_CONSTANT = re.compile(r"-?(?:NaN|Infinity)\b")
_LONG_NUMBER = re.compile(rf"-?\d{{{MAX_DIGITS + 1},}}")
_NBSP = "\u00a0"
_TOKEN = re.compile(r'["\[\]{}]')


# Python's messages, said in JSON's terms.
_MESSAGES = (
    ("Extra data", "more text after the end of the JSON value"),
    ("Expecting value", "expected a value: a string, number, object, array, true, false or null"),
    ("Unterminated string", "a string whose closing double quote is missing"),
    ("Invalid control character", "a line break or control character inside a string (write \\n)"),
    ("Invalid \\escape", "a backslash that starts no JSON escape (write \\\\ for a backslash)"),
    ("Invalid \\u", "a \\u escape without four hex digits"),
    ("Expecting ':' delimiter", "a key without its ':'"),
)


@dataclass
class JsonText:
    """A parsed JSON document, its text, and the keys given twice in one object."""

    value: Any
    text: str
    duplicates: list[str] = field(default_factory=list)  # the keys, in order met


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{column}"


def _too_deep(text: str) -> int:
    """Where the nesting first passes MAX_DEPTH, or -1. Linear, strings skipped: a quote
    is escaped when an odd number of backslashes precede it."""
    depth = 0
    in_string = False
    for match in _TOKEN.finditer(text):
        token, at = match.group(), match.start()
        if token == '"':
            backslashes = 0
            while at - backslashes > 0 and text[at - backslashes - 1] == "\\":
                backslashes += 1
            if not in_string or backslashes % 2 == 0:
                in_string = not in_string
        elif in_string:
            continue
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return at
        else:
            depth -= 1
    return -1


def _cause(text: str, exc: json.JSONDecodeError) -> str:
    """Why the text is not JSON, in JSON's terms, with the usual fix."""
    here = text[exc.pos : exc.pos + 2]
    before = text[: exc.pos].rstrip(" \t\r\n")
    if here in ("//", "/*"):
        return (
            "a comment: JSON has no comments (Zoho's documentation samples carry some: delete them)"
        )
    if _NBSP in text[max(0, exc.pos - 1) : exc.pos + 1]:
        return (
            "a non-breaking space (U+00A0), as text copied from a web page has: "
            "JSON allows only spaces, tabs and line breaks between values"
        )
    if here[:1] == "'":
        return "a string in single quotes: JSON strings use double quotes"
    if before.endswith(",") and here[:1] in ("]", "}"):
        return "a trailing comma before the closing bracket: JSON allows none"
    if exc.msg.startswith("Expecting ',' delimiter") or (
        exc.msg.startswith("Expecting property name") and here[:1] == '"'
    ):
        return "a missing comma between two values"
    if exc.msg.startswith("Expecting property name"):
        return "a key without double quotes: JSON keys are strings in double quotes"
    if not text.strip():
        return "the file is empty"
    for start, said in _MESSAGES:
        if exc.msg.startswith(start):
            return said
    return exc.msg[:1].lower() + exc.msg[1:]


def _refuse_constant(text: str, what: str, path: str) -> None:
    match = _CONSTANT.search(text)
    if match is not None:
        raise UsageError(
            f"{path}:{_where(text, match.start())}: {what} is not valid JSON: "
            f"{match.group()} is not a JSON number (write a number, or a string)"
        )


def parse_json(data: bytes, path: str, what: str) -> JsonText:
    """Decode (UTF-8, with or without a BOM) and parse; a UsageError otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: {what} is not UTF-8 text (byte offset {exc.start}: "
            f"{data[exc.start]:#04x}); save it as UTF-8"
        ) from None
    return parse_text(text, path, what)


class _Hooks:
    """json.loads's hooks: duplicate keys noted; NaN, Infinity and over-long numbers
    refused with their place."""

    def __init__(self, text: str, path: str, what: str) -> None:
        self.text, self.path, self.what = text, path, what
        self.duplicates: list[str] = []

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    self.duplicates.append(key)
                seen.add(key)
        return result

    def constant(self, name: str) -> Any:
        _refuse_constant(self.text, self.what, self.path)
        raise UsageError(f"{self.path}: {self.what} is not valid JSON: {name} is not a JSON number")

    def integer(self, digits: str) -> int:
        count = len(digits.lstrip("-"))
        if count > MAX_DIGITS:
            match = _LONG_NUMBER.search(self.text)
            place = f":{_where(self.text, match.start())}" if match else ""
            raise UsageError(
                f"{self.path}{place}: {self.what} holds a number of {count:,} digits "
                f"(at most {MAX_DIGITS}): no Zoho value is that long; quote it as a string"
            )
        return int(digits)

    def real(self, digits: str) -> float:
        number = float(digits)
        if math.isinf(number):
            raise UsageError(
                f"{self.path}: {self.what} holds the number {digits[:20]}…, "
                "too large for any Zoho value"
            )
        return number


def parse_text(text: str, path: str, what: str) -> JsonText:
    at = _too_deep(text)
    if at != -1:
        raise UsageError(
            f"{path}:{_where(text, at)}: {what} is nested more than {MAX_DEPTH} levels deep"
        )
    hooks = _Hooks(text, path, what)
    try:
        value = json.loads(
            text,
            object_pairs_hook=hooks.pairs,
            parse_constant=hooks.constant,
            parse_int=hooks.integer,
            parse_float=hooks.real,
        )
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {_cause(text, exc)}"
        ) from None
    except RecursionError:  # below MAX_DEPTH this cannot happen; kept as a guard
        raise UsageError(f"{path}: {what} is nested too deeply") from None
    return JsonText(value, text, hooks.duplicates)
