"""Line and column of every value in a JSON text, keyed by RFC 6901 pointer.

The standard library parses JSON but forgets where things were; reporters need
`job.json:12:9` for a pointer. The text has already been parsed by `json.loads`, so
this scanner may assume it is well formed. It walks the text once, with a stack rather
than recursion, and finds the end of a string with `str.find`: linear in the text,
however long a string or deep the nesting.
"""

from __future__ import annotations

import bisect
import json
import re

_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_SPACE = re.compile(r"[ \t\n\r]*")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    assert match is not None  # `*` matches the empty string
    return match.end()


def _string_end(text: str, pos: int) -> int:
    """The index after the string that opens at `pos`."""
    start = pos + 1
    while True:
        quote = text.index('"', start)
        backslashes = quote - 1
        while text[backslashes] == "\\":
            backslashes -= 1
        if (quote - 1 - backslashes) % 2 == 0:  # not escaped
            return quote + 1
        start = quote + 1


class _Container:
    """An object or array being walked: its pointer and how far it is."""

    __slots__ = ("index", "is_object", "pointer")

    def __init__(self, pointer: str, is_object: bool) -> None:
        self.pointer, self.is_object, self.index = pointer, is_object, 0

    def member(self, text: str, pos: int) -> tuple[str, int]:
        """The pointer of the member at `pos` and where its value starts."""
        if not self.is_object:
            self.index += 1
            return f"{self.pointer}/{self.index - 1}", pos
        end = _string_end(text, pos)
        key = json.loads(text[pos:end])
        colon = _skip(text, end)
        return f"{self.pointer}/{escape(key)}", colon + 1


def positions(
    text: str, repeats: list[tuple[str, tuple[int, int], tuple[int, int]]] | None = None
) -> dict[str, tuple[int, int]]:
    """Map each JSON pointer to the (line, column) where its value starts, 1-based.
    A key given twice maps to its last value (the one parsers keep); `repeats`, when
    given, receives (pointer, earlier place, later place) for each such repetition."""
    found: dict[str, tuple[int, int]] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    stack: list[_Container] = []
    pos, pointer = 0, ""
    try:
        while True:
            pos = _skip(text, pos)
            line = bisect.bisect_right(line_starts, pos)
            place = (line, pos - line_starts[line - 1] + 1)
            if repeats is not None and pointer in found:
                repeats.append((pointer, found[pointer], place))
            found[pointer] = place
            char = text[pos]
            if char in "{[":
                inner = _skip(text, pos + 1)
                if text[inner] not in "}]":
                    stack.append(_Container(pointer, char == "{"))
                    pointer, pos = stack[-1].member(text, inner)
                    continue
                pos = inner + 1
            elif char == '"':
                pos = _string_end(text, pos)
            else:
                match = _SCALAR.match(text, pos)
                assert match is not None
                pos = match.end()
            pointer, pos = _after_value(text, pos, stack)
            if not stack:
                return found
    except (AssertionError, IndexError, ValueError):  # not well formed after all
        return found


def _after_value(text: str, pos: int, stack: list[_Container]) -> tuple[str, int]:
    """Past the containers a value closes, to the next member's pointer and start (the
    stack is left empty when the document ends)."""
    while stack:
        pos = _skip(text, pos)
        if text[pos] == ",":
            return stack[-1].member(text, _skip(text, pos + 1))
        stack.pop()  # '}' or ']'
        pos += 1
    return "", pos
