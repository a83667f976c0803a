"""Opening an input file that anyone may have put in a pull request.

A data file, a job JSON, a metadata file or a configuration file must be a regular
file: `/dev/zero` never ends, a FIFO blocks its reader until a writer comes, and a
symbolic link may lead to either. The file is opened without blocking (O_NONBLOCK, so
a FIFO opens at once), its kind is taken from the open descriptor (so it cannot change
between the look and the read), and a read is capped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from bwlint.errors import UsageError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether `path` (links followed) is a regular file; never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


@contextmanager
def open_regular(path: str | os.PathLike[str], what: str) -> Iterator[int]:
    """A descriptor of `path` opened for reading; a UsageError naming the file when it
    is missing, a directory, not a regular file, or cannot be opened."""
    shown = os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        raise UsageError(f"{shown}: {what} not found") from None
    except IsADirectoryError:
        raise UsageError(f"{shown}: {what} is a directory") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{shown}: cannot open {what}: {reason}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"{shown}: {what} is a directory")
        if not stat.S_ISREG(mode):
            raise UsageError(f"{shown}: {what} is not a regular file ({_kind(mode)})")
        if _NONBLOCK:
            os.set_blocking(fd, True)
        yield fd
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def read_regular(path: str | os.PathLike[str], what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; a UsageError otherwise."""
    with open_regular(path, what) as fd:
        size = os.fstat(fd).st_size
        if size > limit:
            raise UsageError(
                f"{os.fspath(path)}: {what} is {size:,} bytes; bwlint reads at most {limit:,}"
            )
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while read
                raise UsageError(f"{os.fspath(path)}: {what} is over {limit:,} bytes")
        return b"".join(chunks)
