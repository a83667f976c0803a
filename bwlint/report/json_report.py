"""`--format json`: the contract's report, every finding, nothing capped."""

from __future__ import annotations

import json
from collections.abc import Iterator

import polars as pl

from bwlint import __version__
from bwlint.domain.findings import AS_COLUMNS_FROM, Findings
from bwlint.domain.results import RunResult


def as_dict(report: RunResult) -> dict:
    document = _head(report)
    document["findings"] = [finding.to_json() for finding in report.findings]
    return document


def _head(report: RunResult) -> dict:
    summary: dict = dict(report.summary)
    if report.children:  # parent-child jobs only: an added key, the others unchanged
        summary["children"] = [counts.to_json() for counts in report.children]
    return {"bwlint_version": __version__, "summary": summary}


def render(report: RunResult, _colour: bool = False) -> str:
    return "".join(p if isinstance(p, str) else p.decode("utf-8") for p in chunks(report))


def chunks(report: RunResult, _colour: bool = False) -> Iterator[str | bytes]:
    """The report in pieces, to be written one after the other (a report of 250,000
    findings is ~90 MB: no need to hold it whole); the findings' records of a large
    report come as UTF-8 bytes, as polars writes them (no decoding and encoding)."""
    # One finding per line: readable, and json's C encoder does the work (with
    # `indent` it falls back to pure Python, ~35 µs a finding).
    head = json.dumps(_head(report), indent=2, ensure_ascii=False)[:-2]
    findings = report.findings
    if not findings:
        yield head + ',\n  "findings": []\n}\n'
        return
    yield head + ',\n  "findings": [\n    '
    if not isinstance(findings, Findings) or len(findings) < AS_COLUMNS_FROM:
        # One dumps() for the whole list (the C encoder, ~1 µs a finding), then a line
        # break before each finding: every finding starts with its "code" key, and
        # inside a JSON string a quote is escaped, so '}, {"code": ' only stands
        # between two.
        yield json.dumps([f.to_json() for f in findings], ensure_ascii=False)[1:-1].replace(
            '}, {"code": ', '},\n    {"code": '
        )
    else:  # many: the records written by polars from the columns
        from bwlint.report.json_rows import records

        for number, texts in enumerate(records(findings)):
            joined = texts.str.join(",\n    ").cast(pl.Binary).item()
            yield b",\n    " + joined if number else joined
    yield "\n  ]\n}\n"
