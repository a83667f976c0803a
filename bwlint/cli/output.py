"""Writing what a command made: the report to standard output or a file, colour only on
a terminal, a progress bar only on a terminal and only for large input."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import click

from bwlint.errors import UsageError
from bwlint.outputs import Inputs, as_written, write_atomic

# A progress bar appears on standard error (a terminal only) above this much data.
PROGRESS_MIN_BYTES = 50 * 1024 * 1024


def wants_colour(stream: IO[str] | Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def emit(text: str | Iterable[str | bytes], output: str | None) -> None:
    """The report, whole or in pieces written as they come (a report of 100,000s of
    findings is never held whole), to standard output or to `output` (through a
    temporary file renamed into place). A value that UTF-8 cannot hold (a lone
    surrogate) is written escaped. A piece may be UTF-8 bytes (the JSON records of a
    large report, as polars writes them), written as they are."""
    pieces = [text] if isinstance(text, str) else text
    if output is not None:
        write_atomic(Path(output), pieces, what="the report")
        return
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`>&-`)
        raise UsageError("cannot write the report: standard output is closed")
    try:
        colour = wants_colour(stream)
        for piece in pieces:
            if isinstance(piece, bytes) and hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(as_written(piece))
                continue
            if isinstance(piece, bytes):  # a text-only stream (a notebook's, a StringIO)
                piece = piece.decode("utf-8")
            safe = piece.encode("utf-8", "backslashreplace").decode("utf-8")
            click.echo(safe, nl=False, color=colour)
        stream.flush()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise UsageError(f"cannot write the report to standard output: {reason}") from None


def _silence_stdout() -> None:
    """After a failed write, later flushes (at exit) must not fail again."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def plan_inputs(plan: Any) -> Inputs:
    """Every file a check run reads: job JSONs, data files, the configuration, and the
    metadata files of the schema directory."""
    paths: list[str | Path] = []
    for spec in plan.specs:
        if spec.job is not None:
            paths.append(spec.job)
        paths.extend(spec.data)
    if plan.config.path is not None:
        paths.append(plan.config.path)
    schema_dir = plan.schema_dir
    if schema_dir is not None and Path(schema_dir).is_dir():
        paths.extend(p for p in Path(schema_dir).glob("*.json"))
    return Inputs(paths)


def check_targets(output: str | None, preview: str | None, inputs: Inputs) -> None:
    """Refuse, before anything runs, an output that is empty, one of the run's inputs,
    or the same file as the other output."""
    for option, value in (("--output", output), ("--result-preview", preview)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} is empty: give a file name")
    if output is not None:
        inputs.refuse(Path(output), "--output")
    if preview is not None and Path(preview).exists() and not Path(preview).is_dir():
        inputs.refuse(Path(preview), "--result-preview")
    if output is not None and preview is not None:
        same = os.path.abspath(output) == os.path.abspath(preview) or (
            Path(output).exists() and Path(preview).exists() and os.path.samefile(output, preview)
        )
        if same:
            raise UsageError(
                f"--output and --result-preview name the same file ({output}): give two"
            )


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
