"""Globs, one matcher for both directions: which files a pattern names (expanding
`[[jobs]] data`) and whether a path is named by it (who owns a file given on the command
line, `per-file-ignores`). As gitignore reads them: `*` and `?` stay within a folder
(and match a leading dot), `[abc]` / `[!abc]` a character class, `{a,b}` alternatives,
`**` any number of folders.

The configuration comes from pull requests, so matching must stay cheap whatever the
pattern: a regular expression backtracks exponentially on `*a*a*a…*b`, so each path
segment is matched by dynamic programming (pattern length × name length), and `**` by
the same over segments. Expanding walks the folders itself and never follows a symbolic
link to a folder below its starting point (no loops); alternatives are capped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from bwlint.errors import UsageError

MAX_ALTERNATIVES = 256  # patterns one `{a,b}{c,d}…` may expand to
MAX_PATTERN = 1_000  # characters of one pattern
MAX_VISITED = 200_000  # folder entries one expansion may look at

_MAGIC = set("*?[{")


def _clean(pattern: str) -> str:
    return pattern[2:] if pattern.startswith("./") else pattern


# --- braces ---------------------------------------------------------------------------


def _braces(pattern: str) -> list[str]:
    """`a{b,c}d` → [abd, acd], innermost-first, at most MAX_ALTERNATIVES."""
    results, pending = [], [pattern]
    while pending:
        current = pending.pop()
        close = current.find("}")
        open_ = current.rfind("{", 0, close) if close != -1 else -1
        if close == -1 or open_ == -1:
            results.append(current)
        else:
            head, body, tail = current[:open_], current[open_ + 1 : close], current[close + 1 :]
            for part in body.split(","):
                pending.append(head + part + tail)
        if len(results) + len(pending) > MAX_ALTERNATIVES:
            raise UsageError(f"glob '{pattern[:80]}' has more than {MAX_ALTERNATIVES} alternatives")
    return sorted(set(results))


# --- one segment: *, ?, [...] ------------------------------------------------------------


def _tokens(segment: str) -> tuple[tuple[str, str], ...]:
    """('*', ''), ('?', ''), ('[', class text) or ('=', a literal character)."""
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            if not tokens or tokens[-1][0] != "*":  # ** within a segment is *
                tokens.append(("*", ""))
        elif char == "?":
            tokens.append(("?", ""))
        elif char == "[" and (end := segment.find("]", index + 2)) != -1:
            tokens.append(("[", segment[index + 1 : end]))
            index = end
        else:
            tokens.append(("=", char))
        index += 1
    return tuple(tokens)


def _in_class(spec: str, char: str) -> bool:
    negate = spec[:1] in ("!", "^")
    body = spec[1:] if negate else spec
    found, index = False, 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            found = found or body[index] <= char <= body[index + 2]
            index += 3
        else:
            found = found or body[index] == char
            index += 1
    return found != negate


def _closure(states: list[bool], tokens: tuple[tuple[str, str], ...]) -> None:
    """A star may match nothing: past each reachable star."""
    for index, (kind, _) in enumerate(tokens):
        if kind == "*" and states[index]:
            states[index + 1] = True


@lru_cache(maxsize=4096)
def _segment_matches(segment: str, name: str) -> bool:
    """Whether one path segment `name` matches `segment`, simulating every way of
    matching at once: O(len(segment) × len(name)), never backtracking."""
    tokens = _tokens(segment)
    states = [False] * (len(tokens) + 1)  # states[i]: the first i tokens matched
    states[0] = True
    _closure(states, tokens)
    for char in name:
        following = [False] * (len(tokens) + 1)
        for index, (kind, value) in enumerate(tokens):
            if not states[index]:
                continue
            if kind == "*":
                following[index] = True  # the star takes this character too
            elif (
                kind == "?"
                or (kind == "=" and value == char)
                or (kind == "[" and _in_class(value, char))
            ):
                following[index + 1] = True
        _closure(following, tokens)
        states = following
        if not any(states):
            return False
    return states[-1]


# --- whole paths: segments and ** -------------------------------------------------------


def _path_matches(parts: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Segments against names, `**` standing for any number of names: O(parts × names)."""
    reachable = [False] * (len(names) + 1)
    reachable[0] = True
    for part in parts:
        following = [False] * (len(names) + 1)
        if part == "**":
            seen = False
            for index in range(len(names) + 1):
                seen = seen or reachable[index]
                following[index] = seen
        else:
            for index in range(len(names)):
                if reachable[index] and _segment_matches(part, names[index]):
                    following[index + 1] = True
        reachable = following
        if not any(reachable):
            return False
    return reachable[-1]


def _split(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part not in ("", "."))


def glob_match(pattern: str, path: str) -> bool:
    """Whether `path` ('/'-separated) is named by `pattern`."""
    if len(pattern) > MAX_PATTERN:
        raise UsageError(f"glob '{pattern[:80]}…' is longer than {MAX_PATTERN} characters")
    names = _split(path)
    absolute = path.startswith("/")
    for alternative in _braces(_clean(pattern)):
        if alternative.startswith("/") == absolute and _path_matches(_split(alternative), names):
            return True
    return False


# --- expanding --------------------------------------------------------------------------


def _walk(base: Path, depth: int | None) -> Iterator[Path]:
    """Files under `base` (links to files included, links to folders not entered),
    `depth` folders deep at most (None: any)."""
    stack = [(base, 0)]
    visited = 0
    while stack:
        folder, level = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            visited += 1
            if visited > MAX_VISITED:
                raise UsageError(
                    f"{base}: a glob looked at more than {MAX_VISITED:,} entries; narrow it"
                )
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth is None or level + 1 < depth:
                        stack.append((Path(entry.path), level + 1))
                elif entry.is_file(follow_symlinks=True):
                    yield Path(entry.path)
            except OSError:
                continue


def _expand_one(pattern: str, root: Path) -> list[Path]:
    parts = _split(pattern)
    literal = 0
    while literal < len(parts) and not (_MAGIC & set(parts[literal])):
        literal += 1
    start = Path("/") if pattern.startswith("/") else root
    base = start.joinpath(*parts[:literal]) if literal else start
    if literal == len(parts):
        return [base] if base.is_file() else []
    rest = parts[literal:]
    depth = None if "**" in rest else len(rest)
    found = []
    for path in _walk(base, depth):
        relative = tuple(Path(os.path.relpath(path, base)).parts)
        if _path_matches(rest, relative):
            found.append(path)
    return sorted(found)


def expand(patterns: Iterable[str], root: Path) -> list[Path]:
    """The files the patterns name, relative to `root` (absolute patterns as they are),
    resolved, sorted, each once."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        if len(pattern) > MAX_PATTERN:
            raise UsageError(f"glob '{pattern[:80]}…' is longer than {MAX_PATTERN} characters")
        for alternative in _braces(_clean(pattern)):
            for path in _expand_one(alternative, root):
                found[path.resolve()] = None
    return list(found)


def _relative(path: Path, root: Path) -> str:
    """`path` from `root`, with `..` where it lies outside (as a pattern would say it)."""
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def names(patterns: Iterable[str], path: Path, root: Path) -> bool:
    """Whether one of the patterns (as `expand` reads them) names `path`."""
    relative = _relative(path, root)
    absolute = path.resolve().as_posix()
    return any(glob_match(p, absolute if Path(p).is_absolute() else relative) for p in patterns)


def matches_path(pattern: str, relative: str) -> bool:
    """`per-file-ignores`: a pattern without a `/` matches the file name in any folder
    (as in ruff and gitignore); one with a `/` matches the path from the root."""
    if "/" not in pattern.rstrip("/"):
        return glob_match(pattern, relative.rsplit("/", 1)[-1])
    return glob_match(pattern, relative)
