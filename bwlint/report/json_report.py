"""`--format json`: the contract's report, every finding, nothing capped."""

from __future__ import annotations

import json

from bwlint import __version__
from bwlint.api import Report


def as_dict(report: Report) -> dict:
    summary: dict = dict(report.summary)
    if report.children:  # parent-child jobs only: an added key, the others unchanged
        summary["children"] = [counts.to_json() for counts in report.children]
    return {
        "bwlint_version": __version__,
        "summary": summary,
        "findings": [finding.to_json() for finding in report.findings],
    }


def render(report: Report, colour: bool = False) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
