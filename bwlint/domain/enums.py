"""The closed sets of values bwlint reasons with. Each member is its string value, so a
member compares equal to the string and is written as it in every report."""

from __future__ import annotations

from bwlint._compat import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # Zoho would reject the job or skip the record
    WARNING = "warning"  # Zoho accepts it, but the outcome is likely unwanted
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe: sorts errors first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Operation(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    UPSERT = "upsert"

    @classmethod
    def parse(cls, value: object) -> Operation | None:
        """The operation a job JSON names; None for anything else (BW102 reports it)."""
        try:
            return cls(value) if isinstance(value, str) else None
        except ValueError:
            return None

    @property
    def creates(self) -> bool:
        """Whether the operation may create records (insert, and upsert for records it
        does not find)."""
        return self is not Operation.UPDATE

    @property
    def updates(self) -> bool:
        return self is not Operation.INSERT


class FileKind(StrEnum):
    """What a data path turned out to be; unreadable ones say where reading stopped."""

    CSV = "csv"
    ZIP = "zip"
    MEMBER = "member"  # a file inside a zip


class Phase(StrEnum):
    """Checks run in phases, in this order. A `RELATIONS` check runs after all others and
    reads their findings (a child row whose parent row has an error: Zoho skips both)."""

    MAIN = "main"
    RELATIONS = "relations"


class Applicability(StrEnum):
    """Whether a fix may be applied without asking (ruff's safe and unsafe fixes)."""

    SAFE = "safe"  # one right answer: the meaning of the value is kept
    UNSAFE = "unsafe"  # probably right, but it may change what the value means
