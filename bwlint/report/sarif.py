"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

`rules[]` is the catalogue (summary, why, fix, examples, source → helpUri, severity →
defaultConfiguration.level); each result points at the CSV cell (line of the record,
column = the CSV column's position) or at the value in the job JSON. A CSV inside a
ZIP is located at the ZIP. GitHub rejects a run of more than 25,000 results, so past
that the first findings of every (file, rule, column) group are kept, errors first, and
an invocation notification says how many were left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import quote

import polars as pl

from bwlint import __version__
from bwlint.catalogue import Rule, load_catalogue
from bwlint.domain.enums import Severity
from bwlint.domain.finding import MAX_VALUE_CHARS, Finding, shorten
from bwlint.domain.findings import Findings
from bwlint.domain.results import RunResult
from bwlint.report.groups import grouped

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub code scanning rejects a run with more results than this (its "hard limit").
MAX_RESULTS = 25_000


def _help(rule: Rule) -> tuple[str, str]:
    why = " ".join(rule.why.split())
    fix = " ".join(rule.fix.split())
    text = f"{rule.summary}.\n\n{why}"
    markdown = f"**{rule.summary}.**\n\n{why}"
    if fix:
        text += f"\n\nFix: {fix}"
        markdown += f"\n\n**Fix:** {fix}"
    text += f"\n\nFails:\n{rule.bad}\n\nPasses:\n{rule.good}\n\nSource: {rule.source}"
    markdown += (
        f"\n\nFails:\n\n```\n{rule.bad}\n```\n\nPasses:\n\n```\n{rule.good}\n```"
        f"\n\n[Zoho's documentation]({rule.source})"
    )
    return text, markdown


def rule_descriptor(rule: Rule) -> dict:
    text, markdown = _help(rule)
    properties: dict = {"tags": list(dict.fromkeys([rule.family, rule.scope]))}
    if rule.zoho_code:
        properties["zoho_code"] = rule.zoho_code
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.why.split())},
        "help": {"text": text, "markdown": markdown},
        "helpUri": rule.source,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


@cache
def artifact_uri(path: str) -> str:
    """A relative path stays relative (GitHub wants paths from the repository root)."""
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate.as_uri()
    return quote(candidate.as_posix())


def location(finding: Finding) -> list[dict]:
    path, line, column = finding.location.artifact
    if path is None:
        return []
    physical: dict = {"artifactLocation": {"uri": artifact_uri(path)}}
    if line is not None:
        region = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return [{"physicalLocation": physical}]


def fingerprint(finding: Finding) -> str:
    """Stable across runs while the problem stays: rule, file, record or pointer, column."""
    parts = (
        finding.code,
        finding.location.subject or "",
        str(finding.record),
        finding.pointer or "",
        finding.column or "",
        finding.message,
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def result(finding: Finding, index: dict[str, int]) -> dict:
    properties = {
        key: value
        for key, value in (
            ("zoho_code", finding.zoho_code),
            ("file", finding.file),
            ("record", finding.record),
            ("column", finding.column),
            ("field", finding.field),
            ("value", shorten(finding.value, MAX_VALUE_CHARS)),
            ("pointer", finding.pointer),
            ("job", finding.job),
        )
        if value is not None
    }
    entry: dict = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": location(finding),
        "partialFingerprints": {"bwlintFinding/v1": fingerprint(finding)},
        "properties": properties,
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    return entry


def within_limit(findings: Sequence[Finding], limit: int = MAX_RESULTS) -> Sequence[Finding]:
    """At most `limit` findings, every group represented: errors first, then the first k
    findings of each (file, rule, column) group with k as large as the limit allows."""
    if len(findings) <= limit:
        return findings
    if isinstance(findings, Findings):  # many, as columns: only the kept become objects
        return findings.take(_kept_places(findings.table(), limit))
    groups = sorted(grouped(findings), key=lambda g: g[0].severity.rank)
    if len(groups) >= limit:
        return sorted((g[0] for g in groups[:limit]), key=Finding.sort_key)
    low = _largest_share([len(g) for g in groups], limit)
    return sorted((f for g in groups for f in g[:low]), key=Finding.sort_key)


def _largest_share(sizes: list[int], limit: int) -> int:
    """The largest k with sum(min(size, k)) <= limit."""
    low, high = 1, max(sizes)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(size, middle) for size in sizes) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _kept_places(table: pl.DataFrame, limit: int) -> list[int]:
    """`within_limit` over `Findings.table()`: the places (in report order) of the
    findings kept, in the order it returns them."""
    ranks = pl.Series([s.rank for s in Severity], dtype=pl.Int64)
    severities = pl.Series([str(s) for s in Severity], dtype=pl.String)
    at = pl.int_range(pl.len(), dtype=pl.Int64)
    # a finding with a record is grouped by (file, rule, column); any other is alone
    alone = pl.when(pl.col("record").fill_null(0) == 0).then(at)
    key = pl.struct("file", "code", "column", alone.alias("alone"))
    groups = table.with_columns(at.alias("at")).with_columns(
        pl.col("at").min().over(key).alias("first"),
        pl.int_range(pl.len(), dtype=pl.Int64).over(key).alias("position"),
        pl.col("severity").replace_strict(severities, ranks).first().over(key).alias("rank"),
    )
    # groups in first-seen order, stably sorted by the severity of their first finding
    stably = pl.col("rank") * (table.height + 1) + pl.col("first")
    groups = groups.with_columns(stably.rank("dense").alias("group"))
    sizes = groups.group_by("group").len().sort("group").get_column("len").to_list()
    if len(sizes) >= limit:
        kept = groups.filter((pl.col("position") == 0) & (pl.col("group") <= limit))
    else:
        kept = groups.filter(pl.col("position") < _largest_share(sizes, limit))
    # sorted by Finding.sort_key, ties as they came: group by group, in their order
    order = ["key_path", "key_line", "key_column", "key_pointer", "code", "group", "position"]
    return kept.sort(order).get_column("at").to_list()


def as_dict(report: RunResult, limit: int = MAX_RESULTS) -> dict:
    catalogue = load_catalogue()
    rules = list(catalogue.values())
    index = {rule.code: number for number, rule in enumerate(rules)}
    kept = within_limit(report.findings, limit)
    left_out = len(report.findings) - len(kept)
    invocation: dict = {"executionSuccessful": True}
    if left_out:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out:,} of {len(report.findings):,} findings are left out: "
                    f"GitHub code scanning rejects a run of more than {limit:,} results. "
                    "Every group of findings is represented; all findings are in "
                    "--format json."
                },
            }
        ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bwlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [invocation],
                "results": [result(f, index) for f in kept],
                "properties": {"summary": report.summary, "results_left_out": left_out},
            }
        ],
    }


def render(report: RunResult, _colour: bool = False) -> str:
    # Compact: json's C encoder is used only without indent (a million findings in
    # seconds, not minutes); SARIF is read by programs.
    return json.dumps(as_dict(report), ensure_ascii=False) + "\n"
