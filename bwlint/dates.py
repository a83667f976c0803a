"""Zoho's date patterns (Java date-format letters): tokenize, validate, convert.

One table says what each letter means, so the check of a pattern (BW190), the guess at
the pattern a suspicious one meant (BW192) and the conversion the cell rule parses
with (BW406) cannot disagree. Letters follow Java's SimpleDateFormat, except `u`, read
as the year as java.time does (`uuuu`): in SimpleDateFormat it is the day of the week,
which no date column means.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Letter:
    part: str  # what it stands for: "year", "month", "day", "hour", … or what it is not
    directives: dict[int, str]  # strftime/chrono directive by run width ({}: none)
    time: bool = False  # a part of the time of day


_YEAR = {1: "%Y", 2: "%y", 3: "%Y", 4: "%Y"}
_MONTH = {1: "%m", 2: "%m", 3: "%b", 4: "%B"}
LETTERS: dict[str, Letter] = {
    "y": Letter("year", _YEAR),
    "u": Letter("year", _YEAR),
    "Y": Letter("week-based year", {}),
    "M": Letter("month", _MONTH),
    "L": Letter("month", _MONTH),
    "d": Letter("day", {1: "%d", 2: "%d"}),
    "D": Letter("day of the year", {}),
    "H": Letter("hour", {1: "%H", 2: "%H"}, time=True),
    "k": Letter("hour", {1: "%H", 2: "%H"}, time=True),
    "h": Letter("hour", {1: "%I", 2: "%I"}, time=True),
    "K": Letter("hour", {1: "%I", 2: "%I"}, time=True),
    "m": Letter("minute", {1: "%M", 2: "%M"}, time=True),
    "s": Letter("second", {1: "%S", 2: "%S"}, time=True),
    "S": Letter("fraction of a second", {}, time=True),  # %nf, by width
    "a": Letter("am/pm marker", {1: "%p"}, time=True),
    "E": Letter("day of the week", {1: "%a", 2: "%a", 3: "%a", 4: "%A"}),
    "X": Letter("time zone", {1: "%z", 2: "%z", 3: "%:z"}, time=True),
    "Z": Letter("time zone", {1: "%z"}, time=True),
    "z": Letter("time zone name", {}, time=True),
    "G": Letter("era", {}),
    "w": Letter("week of the year", {}),
    "W": Letter("week of the month", {}),
    "F": Letter("day of the week in the month", {}),
}
PATTERN_LETTERS = frozenset(LETTERS)
NEEDED = {"date": ("year", "month", "day"), "datetime": ("year", "month", "day", "hour", "minute")}


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
            literal, i = _quoted(pattern, i)
            tokens.append(Token(None, literal))
        elif char.isascii() and char.isalpha():
            if char not in PATTERN_LETTERS:
                hint = f" (text goes in quotes: '{char}')" if char.isupper() else ""
                raise ValueError(f"'{char}' is not a date pattern letter{hint}")
            end = i
            while end < len(pattern) and pattern[end] == char:
                end += 1
            tokens.append(Token(char, pattern[i:end]))
            i = end
        else:
            tokens.append(Token(None, char))
            i += 1
    return tokens


def _quoted(pattern: str, start: int) -> tuple[str, int]:
    """The literal of a quoted run starting at `start` (`''` is a quote), and the index
    after it."""
    end = start + 1
    literal: list[str] = []
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
    return ("".join(literal) if end > start + 1 else "'"), end + 1


def pattern_problem(pattern: str, kind: str) -> str | None:
    """Why `pattern` cannot be a Zoho `format` for a `kind` ('date' or 'datetime') field."""
    try:
        tokens = tokenize(pattern)
    except ValueError as exc:
        return str(exc)
    parts = [LETTERS[t.letter].part for t in tokens if t.letter]
    missing = [part for part in NEEDED[kind] if part not in parts]
    if missing:
        return f"it has no {' or '.join(missing)}"
    twice = [part for part in dict.fromkeys(parts) if parts.count(part) > 1]
    if twice:
        return f"it gives the {' and the '.join(twice)} twice"
    return None


@dataclass(frozen=True)
class Suspicion:
    meant: str  # the pattern the user most likely meant
    reasons: tuple[str, ...]  # one per letter run that was changed


def suspicious(pattern: str, kind: str) -> Suspicion | None:
    """A valid pattern whose letters are almost surely not what the user meant: `YYYY`
    (the week-based year), `DD` (the day of the year), `hh` with no am/pm marker. None
    when nothing looks wrong (or it does not tokenize)."""
    try:
        tokens = tokenize(pattern)
    except ValueError:
        return None
    letters = {t.letter for t in tokens if t.letter}
    reasons: list[str] = []
    out: list[str] = []
    for token in tokens:
        text = _written(token)
        if token.letter == "Y" and not letters & {"y", "u"}:
            text = "y" * len(token.text)
            reasons.append(f"{token.text} is the week-based year: the calendar year is {text}")
        elif token.letter == "D" and "d" not in letters:
            text = "d" * len(token.text)
            reasons.append(f"{token.text} is the day of the year: the day of the month is {text}")
        elif token.letter in ("h", "K") and "a" not in letters and kind == "datetime":
            text = "H" * len(token.text)
            reasons.append(f"{token.text} is a 12-hour clock with no am/pm marker (a): {text}")
        out.append(text)
    return Suspicion("".join(out), tuple(reasons)) if reasons else None


def with_month(pattern: str) -> str | None:
    """A pattern with no month whose first `mm` (minutes) stands where the month
    belongs, written with `MM`; None when that is not the case."""
    try:
        tokens = tokenize(pattern)
    except ValueError:
        return None
    if any(t.letter in ("M", "L") for t in tokens):
        return None
    out, done = [], False
    for token in tokens:
        if token.letter in ("H", "k", "h", "K"):
            done = True  # minutes after an hour are minutes
        if token.letter == "m" and not done:
            out.append("M" * len(token.text))
            done = True
        else:
            out.append(_written(token))
    fixed = "".join(out)
    return fixed if fixed != pattern else None


def _written(token: Token) -> str:
    """A token as it is written in a pattern (literals quoted where needed)."""
    if token.letter is not None:
        return token.text
    if token.text == "'":
        return "''"
    if any(c.isascii() and c.isalpha() for c in token.text) or "'" in token.text:
        return "'" + token.text.replace("'", "''") + "'"
    return token.text


def meant(pattern: str, kind: str) -> str:
    """The pattern bwlint reads cells with: a suspicious one's meaning, else itself."""
    guess = suspicious(pattern, kind)
    return guess.meant if guess else pattern


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
        letter = LETTERS[token.letter]
        if token.letter == "S":  # fraction of a second: n digits
            directive: str | None = f"%{min(width, 9)}f"
        else:
            directive = letter.directives.get(min(width, max(letter.directives, default=0)))
        if directive is None:
            return None
        parts.append(directive)
        has_time |= letter.time and token.letter not in "XZz"
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
