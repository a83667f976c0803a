"""Globs, one library for both directions: which files a pattern names (expanding
`[[jobs]] data`) and whether a path is named by it (who owns a file given on the command
line, `per-file-ignores`). wcmatch, as gitignore reads them: `*` stays within a folder,
`**` crosses folders, and symbolic links to folders are not followed (no loops).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wcmatch import glob as wc

FLAGS = wc.GLOBSTAR | wc.BRACE | wc.DOTGLOB


def _clean(pattern: str) -> str:
    return pattern[2:] if pattern.startswith("./") else pattern


def expand(patterns: Iterable[str], root: Path) -> list[Path]:
    """The files the patterns name, relative to `root` (absolute patterns as they are),
    resolved, sorted, each once."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        for name in sorted(wc.glob(_clean(pattern), root_dir=str(root), flags=FLAGS)):
            path = root / name
            if path.is_file():
                found[path.resolve()] = None
    return list(found)


def _relative(path: Path, root: Path) -> str:
    """`path` from `root`, with `..` where it lies outside (as a pattern would say it)."""
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def names(patterns: Iterable[str], path: Path, root: Path) -> bool:
    """Whether one of the patterns (as `expand` reads them) names `path`."""
    relative = _relative(path, root)
    absolute = path.resolve().as_posix()
    return any(
        wc.globmatch(absolute if Path(p).is_absolute() else relative, _clean(p), flags=FLAGS)
        for p in patterns
    )


def matches_path(pattern: str, relative: str) -> bool:
    """`per-file-ignores`: a pattern without a `/` matches the file name in any folder
    (as in ruff and gitignore); one with a `/` matches the path from the root."""
    if "/" not in pattern.rstrip("/"):
        return wc.globmatch(relative.rsplit("/", 1)[-1], pattern, flags=FLAGS)
    return wc.globmatch(relative, _clean(pattern), flags=FLAGS)
