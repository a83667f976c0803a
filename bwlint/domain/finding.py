"""A finding: one problem of one rule at one place, as every reporter receives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from bwlint.domain.enums import Severity
from bwlint.domain.fix import Fix
from bwlint.domain.location import Location

MAX_VALUE_CHARS = 200
# A message longer than this echoes a value nobody shortened (a 10 MB string in a job
# JSON): its middle is cut, its start (the place and value) and end (the advice) kept.
MAX_MESSAGE_CHARS = 1_000


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """Treat as immutable. Not `frozen`: a frozen dataclass costs ~1.5 µs more to build,
    which a file with 300,000 findings feels; `slots` and a hash keep it light."""

    code: str
    zoho_code: str | None
    severity: Severity
    message: str
    location: Location
    field: str | None = None  # the CRM field (API name) the finding is about
    value: str | None = None  # the offending cell or value
    fix: Fix | None = dc_field(default=None, compare=False)
    extra: dict[str, Any] = dc_field(default_factory=dict, compare=False, repr=False)

    # The location's parts, for rules, tests and scripts that read a finding.
    @property
    def file(self) -> str | None:
        return self.location.file

    @property
    def record(self) -> int | None:
        return self.location.record

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def column(self) -> str | None:
        return self.location.column

    @property
    def pointer(self) -> str | None:
        return self.location.pointer

    @property
    def job(self) -> str | None:
        return self.location.job

    def to_json(self) -> dict[str, Any]:
        """The JSON report's finding (CONTRACT.md). Built by hand: dataclasses.asdict
        deep-copies and costs ~80 µs a finding."""
        location = self.location
        value = self.value
        if value is not None and len(value) > MAX_VALUE_CHARS:
            value = value[: MAX_VALUE_CHARS - 1] + "…"
        return {
            "code": self.code,
            "zoho_code": self.zoho_code,
            "severity": self.severity,
            "message": self.message,
            "file": location.file,
            "record": location.record,
            "line": location.line,
            "column": location.column,
            "field": self.field,
            "value": value,
            "pointer": location.pointer,
            "job": location.job,
        }

    def sort_key(self) -> tuple:
        location = self.location
        path, line, column = location.anchor
        return (
            path or location.file or "",
            line if line is not None else -1,
            column if column is not None else -1,
            location.pointer or "",
            self.code,
        )


def shorten(value: str | None, limit: int = 60) -> str | None:
    """A value short enough for a one-line message."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


def listing(names: Sequence[str], limit: int = 10, total: int | None = None) -> str:
    """Names for a one-line message, at most `limit` of them: `a, b (and 9,990 more)`;
    `total` counts names not even in `names`."""
    shown = ", ".join(shorten(name) or "" for name in names[:limit])
    rest = (len(names) if total is None else total) - min(limit, len(names))
    return f"{shown} (and {rest:,} more)" if rest > 0 else shown


def clip_message(message: str) -> str:
    """A message within MAX_MESSAGE_CHARS: the start and the end, `…` between."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    head, tail = MAX_MESSAGE_CHARS * 6 // 10, MAX_MESSAGE_CHARS * 3 // 10
    return f"{message[:head]} … {message[-tail:]}"
