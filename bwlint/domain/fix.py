"""A fix: the edits that repair one finding, why, and whether they are safe.

A rule attaches a `Fix` to a finding when it knows the one right repair (ruff's model:
a fix is data, applied or shown by `bwlint fix`; `--unsafe-fixes` admits the unsafe).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from bwlint.domain.enums import Applicability


class CellEdit(NamedTuple):
    """Replace one cell of a data file."""

    file: str  # the data file as the finding names it
    record: int  # 1-based record
    column_index: int  # 0-based CSV column
    old: str
    new: str


class JsonEdit(NamedTuple):
    """Set (or, with `new` = REMOVE, delete) the value at `pointer` in the job JSON."""

    pointer: str
    old: Any
    new: Any


class FileEdit(NamedTuple):
    """Rewrite a data file as a whole, every byte not concerned kept: `kind` "line"
    drops its first line (Excel's `sep=;`); "column" drops column `column_index` of the
    header and of every record (an unnamed trailing column without a value)."""

    file: str  # the data file as the finding names it
    kind: str
    old: str  # what goes, as the change log shows it
    column_index: int | None = None
    new: str | None = None


REMOVE = object()  # JsonEdit.new: delete the key


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[CellEdit | JsonEdit | FileEdit, ...]
    why: str
    applicability: Applicability = Applicability.SAFE

    @property
    def safe(self) -> bool:
        return self.applicability is Applicability.SAFE

    @classmethod
    def cell(
        cls,
        file: str,
        record: int,
        column_index: int,
        old: str,
        new: str,
        why: str,
        applicability: Applicability = Applicability.SAFE,
    ) -> Fix:
        return cls((CellEdit(file, record, column_index, old, new),), why, applicability)
