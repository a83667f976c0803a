"""Writing a file that must never destroy an input or be left half-written.

Every file bwlint writes (the report with `--output`, the result previews) is written
to a temporary file beside its target and renamed into place: an interrupted run (a
SIGTERM, a full disk) leaves the previous file as it was, and a symbolic link at the
target is replaced, never followed. A target that is one of the run's inputs (the
same file, whatever its name) is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from bwlint.errors import UsageError
from bwlint.services.atomic import is_special


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path` (links followed), or None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


class Inputs:
    """The files a run reads, by identity: a target that is one of them is refused."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self._by_identity: dict[tuple[int, int], str] = {}
        for path in paths:
            identity = _identity(Path(path))
            if identity is not None:
                self._by_identity.setdefault(identity, str(path))

    def which(self, target: Path) -> str | None:
        """The input that `target` is (the file a write would replace), if any."""
        identity = _identity(target)
        return None if identity is None else self._by_identity.get(identity)

    def refuse(self, target: Path, option: str) -> None:
        same = self.which(target)
        if same is not None:
            shown = "" if same == str(target) else f" (it is {same})"
            raise UsageError(
                f"{option} {target}: is an input of this run{shown}; bwlint never "
                "overwrites an input: write elsewhere"
            )


def _mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def _terminable() -> Iterator[None]:
    """A SIGTERM while writing ends the run as an exception, so that the temporary
    file is removed (and the previous file stays); exit status 143, as by the signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomic(
    target: Path, data: str | Iterable[str | bytes], *, what: str, newline: str | None = None
) -> None:
    """Write `data` (UTF-8; whole, or pieces as they come) to `target` through a
    temporary file renamed into place."""
    with _terminable():
        _write_atomic(target, data, what=what, newline=newline)


def _write_atomic(
    target: Path, data: str | Iterable[str | bytes], *, what: str, newline: str | None
) -> None:
    if is_special(target):  # /dev/null, /dev/stdout, a FIFO: written into, not replaced
        try:
            with target.open(
                "w", encoding="utf-8", errors="backslashreplace", newline=newline
            ) as out:
                _write_pieces(out, data, newline)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write {what}: {exc.strerror}") from None
        return
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write {what}: {exc.strerror}") from None
    try:
        with os.fdopen(
            fd, "w", encoding="utf-8", errors="backslashreplace", newline=newline
        ) as out:
            _write_pieces(out, data, newline)
            out.flush()
            os.fchmod(out.fileno(), _mode())
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise UsageError(f"{target}: cannot write {what}: {exc.strerror}") from None
    except BaseException:
        _remove(temporary)
        raise


def _write_pieces(out: TextIO, data: str | Iterable[str | bytes], newline: str | None) -> None:
    for piece in [data] if isinstance(data, str) else data:
        if isinstance(piece, bytes):
            out.flush()
            out.buffer.write(as_written(piece) if newline is None else piece)
        else:
            out.write(piece)


def as_written(piece: bytes) -> bytes:
    """UTF-8 bytes with their line breaks as a text stream writes them (the platform's)."""
    return piece if os.linesep == "\n" else piece.replace(b"\n", os.linesep.encode())


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
