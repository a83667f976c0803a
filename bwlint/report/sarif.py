"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

`rules[]` is the catalogue (summary, why, fix, examples, source → helpUri, severity →
defaultConfiguration.level); each result points at the CSV cell (line of the record,
column = the CSV column's position) or at the value in the job JSON. A CSV inside a
ZIP is located at the ZIP. Nothing is capped: SARIF is for machines.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from bwlint import __version__
from bwlint.api import Report
from bwlint.catalogue import Rule, load_catalogue
from bwlint.findings import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


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


def artifact_uri(path: str) -> str:
    """A relative path stays relative (GitHub wants paths from the repository root)."""
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate.as_uri()
    return quote(candidate.as_posix())


def location(finding: Finding, zips: dict[str, str]) -> list[dict]:
    path, line, column = finding.where
    path = path or finding.file
    if path is None:
        return []
    physical: dict = {"artifactLocation": {"uri": artifact_uri(zips.get(path, path))}}
    if path not in zips and line is not None:
        region = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return [{"physicalLocation": physical}]


def fingerprint(finding: Finding) -> str:
    """Stable across runs while the problem stays: rule, file, record or pointer, column."""
    parts = (
        finding.code,
        finding.file or finding.where[0] or "",
        str(finding.record),
        finding.pointer or "",
        finding.column or "",
        finding.message,
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def result(finding: Finding, index: dict[str, int], zips: dict[str, str]) -> dict:
    properties = {
        key: value
        for key, value in finding.to_json().items()
        if key in ("zoho_code", "record", "column", "field", "value", "pointer", "file")
        and value is not None
    }
    entry: dict = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": location(finding, zips),
        "partialFingerprints": {"bwlintFinding/v1": fingerprint(finding)},
        "properties": properties,
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    return entry


def as_dict(report: Report) -> dict:
    catalogue = load_catalogue()
    rules = list(catalogue.values())
    index = {rule.code: number for number, rule in enumerate(rules)}
    zips = {f.display: f.zip_path for f in report.files if f.zip_path}
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
                "results": [result(f, index, zips) for f in report.findings],
                "properties": {"summary": report.summary},
            }
        ],
    }


def render(report: Report, colour: bool = False) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
