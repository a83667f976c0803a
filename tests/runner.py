"""Run the bwlint command line as a user would: a fresh process, this checkout's code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bwlint(*args: str, cwd: Path | None = None, **env: str | None) -> subprocess.CompletedProcess:
    """`python -m bwlint ARGS` in `cwd`; `env` adds variables (None removes one)."""
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
