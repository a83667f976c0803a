"""Writing what a command made: the report to standard output or a file, colour only on
a terminal, a progress bar only on a terminal and only for large input."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import click

from bwlint.errors import UsageError

# A progress bar appears on standard error (a terminal only) above this much data.
PROGRESS_MIN_BYTES = 50 * 1024 * 1024


def wants_colour(stream: IO[str] | Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def emit(text: str | Iterable[str], output: str | None) -> None:
    """Write a report, whole or in pieces (written as they come: a report of 100,000s
    of findings is never held whole)."""
    pieces = [text] if isinstance(text, str) else text
    if output is None:
        colour = wants_colour(sys.stdout)
        for piece in pieces:
            click.echo(piece, nl=False, color=colour)
        return
    try:
        with Path(output).open("w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report: {exc.strerror}") from None


def wants_progress(total_bytes: int, stream: IO[str] | Any = None) -> bool:
    """Only for large inputs, and only when standard error is a terminal."""
    stream = stream if stream is not None else sys.stderr
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return is_tty and total_bytes >= PROGRESS_MIN_BYTES


def with_progress(
    items: Sequence[Any],
    size: Callable[[Any], int],
    label: Callable[[Any], str],
    work: Callable[[Callable[[Any], None] | None], Any],
) -> Any:
    """`work(on_item)`, with a progress bar over `items` (weighted by `size`) when
    `wants_progress`; `on_item` is None without one."""
    sizes = {id(item): size(item) for item in items}
    total = sum(sizes.values())
    if not wants_progress(total):
        return work(None)
    bar: Any = click.progressbar(
        length=total,
        label="bwlint: checking",
        file=sys.stderr,
        show_eta=True,
        item_show_func=lambda item: label(item) if item else None,
    )
    with bar:
        return work(lambda item: bar.update(sizes[id(item)], item))
