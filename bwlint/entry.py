"""The process entry (`bwlint`, `python -m bwlint`), light enough to catch Ctrl-C while
the command line and its libraries are still being imported.

An interrupt at any point is `bwlint: interrupted` on standard error and exit status 2
(bwlint could not do its job), never a traceback.
"""

from __future__ import annotations

import os
import sys

INTERRUPTED = 2  # the contract's "could not do its job"; documented in the README


def interrupted(exc: BaseException) -> bool:
    """Whether `exc` is, or was caused by, a Ctrl-C: Python before 3.12 wraps an
    exception raised while a class is made (`__set_name__`) in a RuntimeError."""
    seen: set[int] = set()
    found: BaseException | None = exc
    while found is not None and id(found) not in seen:
        if isinstance(found, KeyboardInterrupt):
            return True
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return False


def _interrupted() -> None:
    try:
        sys.stderr.write("bwlint: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(INTERRUPTED)


# glibc gives each thread that allocates its own 64 MB malloc arena (up to eight per
# core): polars' worker threads alone reserve ~600 MB of address space that way, and a
# run under `ulimit -v 1000000` aborts inside polars. Under an address-space limit,
# bwlint keeps two arenas; the bundled example then runs in 450 MB (`ulimit -v 450000`).
ARENAS_UNDER_A_LIMIT = 2
_M_ARENA_MAX = -8  # mallopt's parameter number (glibc's malloc.h)


def fit_address_space() -> None:
    """Fewer malloc arenas when the address space is limited (RLIMIT_AS); no change
    otherwise, nor where the C library is not glibc."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return
        import ctypes  # ~13 ms with ctypes.util: only under a limit
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, ARENAS_UNDER_A_LIMIT)
    except (ImportError, OSError, AttributeError, ValueError):
        pass


# polars allocates with jemalloc, which keeps freed pages for a while (polars sets
# 500 ms, and 1 s more before they leave the process): a check frees and allocates much
# more than it holds at once, and freed pages stayed in the peak. bwlint lets them go
# after 200 ms and at once from there: peak memory -6 % on 25,000 x 200, -15 % on
# 1,000,000 x 24, time unchanged (`dirty_decay_ms:0` cut more and cost 10-20 % of
# time). polars reads `_RJEM_MALLOC_CONF` when it loads, after its own defaults; a
# decay the user set is kept.
ALLOCATOR = "dirty_decay_ms:200,muzzy_decay_ms:0"
POLARS_DEFAULT = "dirty_decay_ms:500,muzzy_decay_ms:1000"  # polars/__init__.py


def tune_allocator() -> None:
    """Let polars' allocator return freed memory sooner (before polars is imported).

    A process that imported polars, and started bwlint, hands down polars' defaults in
    the variable (then the user's value, if any): those are not the user's choice."""
    given = os.environ.get("_RJEM_MALLOC_CONF", "")
    users = given.removeprefix(POLARS_DEFAULT).lstrip(",")
    if "decay_ms" not in users:
        os.environ["_RJEM_MALLOC_CONF"] = ",".join(part for part in (users, ALLOCATOR) if part)


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands in a callback Python cannot raise from (importlib's module
    lock cleanup, a finaliser) would be printed as 'Exception ignored' with a traceback
    and then lost: it is the interruption it is."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _interrupted()
    sys.__unraisablehook__(unraisable)


def run() -> None:
    sys.unraisablehook = _unraisable
    try:
        fit_address_space()
        tune_allocator()
        from bwlint.cli import run as cli_run
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:
        if interrupted(exc):
            _interrupted()
        raise
    try:
        cli_run()
    except KeyboardInterrupt:
        _interrupted()
