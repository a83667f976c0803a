"""Findings of one rule in one column of one file, grouped: what human formats cap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bwlint.domain.finding import Finding


def grouped(findings: Sequence[Finding]) -> list[list[Finding]]:
    """Record-level findings by (file, code, column), in first-seen order; every other
    finding (job- or file-level) is a group of its own."""
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    order: list[tuple] = []
    for finding in findings:
        key = (finding.file, finding.code, finding.column) if finding.record else (id(finding),)
        if key not in groups:
            order.append(key)
        groups[key].append(finding)
    return [groups[key] for key in order]


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"
