"""Writing a file so that a reader sees the old one or the new one, never half of either:
write beside it, flush, fsync, rename over it, fsync the directory. A process killed
at any moment leaves the original intact (and at worst a hidden temporary file)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from bwlint.errors import UsageError


def is_special(path: Path | str) -> bool:
    """A path that names no regular file but a device, a pipe or a terminal
    (/dev/null, /dev/stdout, a FIFO): written into, never replaced by a rename."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.bwlint-{os.getpid()}.tmp")


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces `path` when the block ends without
    an exception; on an exception `path` is untouched and the temporary file removed.
    A device or a pipe (`is_special`) is written into directly."""
    if is_special(path):
        try:
            with path.open("wb") as stream:
                yield stream
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
        return
    temporary = temporary_beside(path)
    try:
        handle = temporary.open("wb")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_directory(path.parent)


def _keep_mode(original: Path, temporary: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(temporary, original.stat().st_mode & 0o7777)


def _sync_directory(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not on every platform
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)


def write_bytes(path: Path, content: bytes) -> None:
    with atomic_write(path) as handle:
        handle.write(content)
