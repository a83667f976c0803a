"""Reporters: a Report in, text out. A reporter formats; it never decides."""

from __future__ import annotations

from collections.abc import Callable

from bwlint.api import Report
from bwlint.report import github, json_report, junit, sarif, text

Reporter = Callable[[Report, bool], str]  # (report, colour) → the whole output

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}
