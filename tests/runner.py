"""Run the bwlint command line as a user would: `bwlint()` in this process (fast: the
suite calls it hundreds of times), `bwlint_process()` in a fresh one (for what only a
real process shows: the entry point, exit codes through os._exit, closed streams)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bwlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """What a run printed and how it ended, as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(cwd: Path | None, env: dict[str, str | None]) -> Iterator[None]:
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    try:
        os.environ["NO_COLOR"] = "1"
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.chdir(cwd or ROOT)
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _stream(errors: str) -> io.TextIOWrapper:
    """A standard stream as a process has it: text encoded to bytes, UTF-8 (`strict` for
    standard output, as under a UTF-8 locale: a lone surrogate there is an error, as it
    would be for the user; standard error escapes, as Python's always does)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def bwlint(*args: str, cwd: Path | None = None, **env: str | None) -> Result:
    """`bwlint ARGS` run in this process, in `cwd`; `env` adds variables (None removes).
    Its standard streams encode as a process's do (see `_stream`)."""
    out, err = _stream("strict"), _stream("backslashreplace")
    code: int | str | None = 0
    with _environment(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    return Result(
        code if isinstance(code, int) else (0 if code is None else 1),
        _written(out),
        _written(err),
    )


def bwlint_process(
    *args: str, cwd: Path | None = None, **env: str | None
) -> subprocess.CompletedProcess:
    """`python -m bwlint ARGS` in a fresh process, in `cwd`, with this checkout's code."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "-m", "bwlint", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        env=environment,
    )
