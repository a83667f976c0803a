"""Line and column of every value in a JSON text, keyed by RFC 6901 pointer.

The standard library parses JSON but forgets where things were; reporters need
`job.json:12:9` for a pointer. The text has already been parsed by `json.loads`,
so this scanner may assume it is well formed.
"""

from __future__ import annotations

import json
import re

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_SPACE = re.compile(r"\s*")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def positions(text: str) -> dict[str, tuple[int, int]]:
    """Map each JSON pointer to the (line, column) where its value starts, 1-based."""
    found: dict[str, tuple[int, int]] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - line_starts[lo] + 1

    def skip(pos: int) -> int:
        return _SPACE.match(text, pos).end()

    def value(pos: int, pointer: str) -> int:
        pos = skip(pos)
        found[pointer] = where(pos)
        char = text[pos]
        if char == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                key_match = _STRING.match(text, skip(pos))
                key = json.loads(key_match.group())
                pos = skip(key_match.end())  # at ':'
                pos = value(pos + 1, f"{pointer}/{escape(key)}")
                pos = skip(pos)
                if text[pos] == "}":
                    return pos + 1
                pos += 1  # ','
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, f"{pointer}/{index}"))
                index += 1
                if text[pos] == "]":
                    return pos + 1
                pos += 1
        if char == '"':
            return _STRING.match(text, pos).end()
        return _SCALAR.match(text, pos).end()

    try:
        value(0, "")
    except (AttributeError, IndexError):  # not well formed after all: no positions
        return found
    return found
