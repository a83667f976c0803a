"""The process entry (`bwlint`, `python -m bwlint`), light enough to catch Ctrl-C while
the command line and its libraries are still being imported.

An interrupt at any point is `bwlint: interrupted` on standard error and exit status 2
(bwlint could not do its job), never a traceback.
"""

from __future__ import annotations

import os
import sys

INTERRUPTED = 2  # the contract's "could not do its job"; documented in the README


def _interrupted() -> None:
    try:
        sys.stderr.write("bwlint: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(INTERRUPTED)


def run() -> None:
    try:
        from bwlint.cli import run as cli_run
    except KeyboardInterrupt:
        _interrupted()
    try:
        cli_run()
    except KeyboardInterrupt:
        _interrupted()
