"""Zoho's date patterns (Java SimpleDateFormat letters): tokenize and validate them."""

from __future__ import annotations

from dataclasses import dataclass

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
