"""A finding: one problem at one place, as every reporter receives it."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
MAX_VALUE_CHARS = 200


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """Treat as immutable. Not `frozen`: a frozen dataclass costs ~1.5 µs more to build,
    which a file with 300,000 findings feels; `slots` and a hash keep it light."""

    code: str
    zoho_code: str | None
    severity: str
    message: str
    file: str | None = None
    record: int | None = None
    line: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None
    pointer: str | None = None
    # Not part of the JSON report: where an editor should point, as (path, line,
    # column) with 1-based numbers or None: the CSV cell (column = the CSV column's
    # position) or, for job findings, the value in the job JSON. Text, SARIF and
    # GitHub annotations render it.
    where: tuple[str | None, int | None, int | None] = (None, None, None)
    extra: dict[str, Any] = dc_field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        # Built by hand: dataclasses.asdict deep-copies and costs ~80 µs a finding.
        value = self.value
        if value is not None and len(value) > MAX_VALUE_CHARS:
            value = value[: MAX_VALUE_CHARS - 1] + "…"
        return {
            "code": self.code,
            "zoho_code": self.zoho_code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "record": self.record,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "value": value,
            "pointer": self.pointer,
        }

    def sort_key(self) -> tuple:
        path, line, col = self.where
        return (
            path or self.file or "",
            line if line is not None else -1,
            col if col is not None else -1,
            self.pointer or "",
            self.code,
        )


def shorten(value: str | None, limit: int = 60) -> str | None:
    """A value short enough for a one-line message."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"
