"""`--format json`: the contract's report, every finding, nothing capped."""

from __future__ import annotations

import json

from bwlint import __version__
from bwlint.domain.results import RunResult


def as_dict(report: RunResult) -> dict:
    summary: dict = dict(report.summary)
    if report.children:  # parent-child jobs only: an added key, the others unchanged
        summary["children"] = [counts.to_json() for counts in report.children]
    return {
        "bwlint_version": __version__,
        "summary": summary,
        "findings": [finding.to_json() for finding in report.findings],
    }


def render(report: RunResult, _colour: bool = False) -> str:
    # One finding per line: readable, and json's C encoder does the work (with
    # `indent` it falls back to pure Python, ~35 µs a finding).
    document = as_dict(report)
    findings = document.pop("findings")
    head = json.dumps(document, indent=2, ensure_ascii=False)[:-2]
    if not findings:
        return head + ',\n  "findings": []\n}\n'
    # One dumps() for the whole list (the C encoder, ~1 µs a finding), then a line
    # break before each finding: every finding starts with its "code" key, and inside
    # a JSON string a quote is escaped, so '}, {"code": ' only stands between two.
    rows = json.dumps(findings, ensure_ascii=False)[1:-1].replace(
        '}, {"code": ', '},\n    {"code": '
    )
    return head + ',\n  "findings": [\n    ' + rows + "\n  ]\n}\n"
