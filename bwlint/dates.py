"""Zoho's date patterns (Java SimpleDateFormat letters): tokenize and validate them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Pattern letters Java's SimpleDateFormat defines; any other ASCII letter is invalid.
PATTERN_LETTERS = frozenset("GyYMLwWDdFEuaHkKhmsSzZX")
DATE_PARTS = {"year": "yYu", "month": "ML", "day": "dD"}
TIME_PARTS = {"hour": "HkKh", "minute": "m"}


@dataclass(frozen=True)
class Token:
    letter: str | None  # None for literal text
    text: str  # the letters (e.g. "yyyy") or the literal


def tokenize(pattern: str) -> list[Token]:
    """Split a pattern into letter runs and literals; raise ValueError if malformed."""
    tokens: list[Token] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "'":
            end = i + 1
            literal = []
            while True:
                if end >= len(pattern):
                    raise ValueError("an opening quote (') is never closed")
                if pattern[end] == "'":
                    if end + 1 < len(pattern) and pattern[end + 1] == "'":
                        literal.append("'")
                        end += 2
                        continue
                    break
                literal.append(pattern[end])
                end += 1
            tokens.append(Token(None, "".join(literal) if end > i + 1 else "'"))
            i = end + 1
        elif char.isascii() and char.isalpha():
            if char not in PATTERN_LETTERS:
                raise ValueError(f"'{char}' is not a date pattern letter")
            end = i
            while end < len(pattern) and pattern[end] == char:
                end += 1
            tokens.append(Token(char, pattern[i:end]))
            i = end
        else:
            tokens.append(Token(None, char))
            i += 1
    return tokens


def pattern_problem(pattern: str, kind: str) -> str | None:
    """Why `pattern` cannot be a Zoho `format` for a `kind` ('date' or 'datetime') field."""
    try:
        tokens = tokenize(pattern)
    except ValueError as exc:
        return str(exc)
    letters = {t.letter for t in tokens if t.letter}
    parts = dict(DATE_PARTS)
    if kind == "datetime":
        parts.update(TIME_PARTS)
    missing = [name for name, options in parts.items() if not letters & set(options)]
    if missing:
        return f"it has no {' or '.join(missing)}"
    return None


# Java pattern letters → chrono/strftime directives (polars parses with chrono; the
# suggestion in messages formats with Python's strftime, which shares these).
_DIRECTIVES = {
    "y": {1: "%Y", 2: "%y", 3: "%Y", 4: "%Y"},
    "M": {1: "%m", 2: "%m", 3: "%b", 4: "%B"},
    "L": {1: "%m", 2: "%m", 3: "%b", 4: "%B"},
    "d": {1: "%d", 2: "%d"},
    "H": {1: "%H", 2: "%H"},
    "k": {1: "%H", 2: "%H"},
    "h": {1: "%I", 2: "%I"},
    "K": {1: "%I", 2: "%I"},
    "m": {1: "%M", 2: "%M"},
    "s": {1: "%S", 2: "%S"},
    "a": {1: "%p"},
    "E": {1: "%a", 2: "%a", 3: "%a", 4: "%A"},
    "X": {1: "%z", 2: "%z", 3: "%:z"},
    "Z": {1: "%z"},
}


@dataclass(frozen=True)
class Strptime:
    """A Java pattern as a strptime format, and what parsing it needs."""

    format: str
    has_time: bool
    has_zone: bool  # X letters: Java accepts 'Z' for UTC, chrono wants +00:00


@cache  # a handful of patterns, asked for once per bad date cell
def to_strptime(pattern: str) -> Strptime | None:
    """The chrono/strftime format of a Java date pattern; None if it has no equivalent."""
    try:
        tokens = tokenize(pattern)
    except ValueError:
        return None
    parts: list[str] = []
    has_time = has_zone = False
    for token in tokens:
        if token.letter is None:
            parts.append(token.text.replace("%", "%%"))
            continue
        width = len(token.text)
        options = _DIRECTIVES.get(token.letter)
        if options is None:
            if token.letter == "S":  # fraction of a second: n digits
                parts.append(f"%{min(width, 9)}f")
                has_time = True
                continue
            return None
        directive = options.get(min(width, max(options)))
        if directive is None:
            return None
        parts.append(directive)
        has_time |= token.letter in "HkhKmsa"
        has_zone |= token.letter == "X"
    return Strptime("".join(parts), has_time, has_zone)


@cache
def python_format(pattern: str) -> str | None:
    """A strftime format for Python's datetime (`%:z` is chrono's; Python's %z parses it)."""
    converted = to_strptime(pattern)
    if converted is None:
        return None
    fmt = converted.format.replace("%:z", "%z")
    for width in range(1, 10):
        fmt = fmt.replace(f"%{width}f", "%f")
    return fmt
