"""The rule catalogue: one TOML entry per rule under rules/, read by everything.

`bwlint rules`, `bwlint explain`, the README's rule table, SARIF `rules[]` and the
severity of every finding all come from here, so a rule is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from bwlint._compat import tomllib
from bwlint.domain.enums import Applicability, Severity
from bwlint.paths import RULES_DIR

E = TypeVar("E", Severity, Applicability)

REQUIRED_KEYS = ("code", "name", "severity", "scope", "summary", "why", "source", "bad", "good")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    zoho_code: str | None
    scope: str
    summary: str
    why: str
    source: str
    bad: str
    good: str
    family: str
    fix: str = ""
    # Severity when the module's metadata is bwlint's bundled default rather than the
    # org's own (`--schema-dir`): facts that depend on the org are then only likely.
    bundled_severity: Severity | None = None
    # Whether the rule's findings can carry a fix (`bwlint fix`), and of which kind.
    fixable: Applicability | None = None

    def as_row(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "name": self.name,
            "zoho_code": self.zoho_code,
            "severity": self.severity,
            "fixable": self.fixable,
            "summary": self.summary,
        }


def _load_file(path: Path) -> list[Rule]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    family = data.get("family", path.stem)
    rules = []
    for entry in data.get("rule", []):
        missing = [key for key in REQUIRED_KEYS if key not in entry]
        if missing:
            raise ValueError(f"{path}: rule {entry.get('code', '?')} lacks {', '.join(missing)}")
        zoho = entry.get("zoho_code") or None
        rules.append(
            Rule(
                code=entry["code"],
                name=entry["name"],
                severity=Severity(entry["severity"]),
                zoho_code=zoho,
                scope=entry["scope"],
                summary=entry["summary"].strip(),
                why=entry["why"].strip(),
                source=entry["source"],
                bad=entry["bad"].rstrip(),
                good=entry["good"].rstrip(),
                family=family,
                fix=entry.get("fix", "").strip(),
                bundled_severity=_optional(Severity, entry.get("bundled_severity")),
                fixable=_optional(Applicability, entry.get("fixable")),
            )
        )
    return rules


def _optional(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


@cache
def load_catalogue(directory: Path = RULES_DIR) -> dict[str, Rule]:
    """Every rule, by code, in code order."""
    rules: dict[str, Rule] = {}
    for path in sorted(directory.glob("*.toml")):
        for rule in _load_file(path):
            if rule.code in rules:
                raise ValueError(f"{path}: rule code {rule.code} is defined twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def matches(code: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """True when `code` is named by any selector (a code or a prefix, e.g. BW4)."""
    return any(code.startswith(sel) for sel in selectors)
