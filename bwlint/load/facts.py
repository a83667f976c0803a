"""What the reader learnt about a file's structure: facts, not findings.

The reader records them; the file rules (bwlint/checks/file.py) decide what they mean.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bwlint.load.zipsize import ZipEstimate

from bwlint.domain.enums import FileKind


@dataclass
class ZipNote:
    """What a zip holds besides the CSV members bwlint reads (shared by its members)."""

    folders: int = 0  # folder entries (their CSVs are read by file name)
    resource_forks: int = 0  # entries under __MACOSX/ (macOS metadata, never data)
    others: list[str] = field(default_factory=list)  # member names that are not CSVs
    unread: int = 0  # CSV members past InputLimits.zip_members, counted only


@dataclass
class Facts:
    """Structure facts of one data file (all line numbers 1-based, physical)."""

    unreadable: str | None = None  # why there is nothing to check, e.g. "not a zip file"
    kind: FileKind = FileKind.CSV  # what was unreadable: a CSV, a zip, or a zip's member
    empty: bool = False  # no header row at all
    # (record, line, fields) of each record whose field count differs from the header's
    ragged: list[tuple[int, int, int]] = field(default_factory=list)
    blank_lines: list[int] = field(default_factory=list)  # skipped: not records
    unterminated: tuple[int, int] | None = None  # (record, line) whose quote never closes
    # (line, byte offset, byte value, count on the line) of the first undecodable byte
    # of each line, offsets counted from the start of the file's bytes
    bad_bytes: list[tuple[int, int, int, int]] = field(default_factory=list)
    bom: str | None = None  # "utf-8", "utf-16-le", "utf-16-be"
    # plain CSV over 25 MB: its estimated zipped size; read it from `settled()`
    zipped: ZipEstimate | None = None
    zip_csvs: int = 0  # CSV members of the zip it came from
    exact_path: bool = False  # the file needed the record-by-record reader
    zip_note: ZipNote | None = None  # the zip it came from: what else it holds
    too_large: bool = False  # a zip member past bwlint's inflating bounds (BW213)
    tab_delimited: bool = False  # the header has tabs and none of Zoho's delimiters
    sep_line: str | None = None  # Excel's `sep=X` first line, as written
    # (rows ending with CRLF, rows ending with LF) when a file mixes them (quoted line
    # breaks inside values not counted); None when all end alike, or not known
    line_ends: tuple[int, int] | None = None
    # the reader's scan of line breaks, while it works out `line_ends`
    breaks: Any = field(default=None, repr=False, compare=False)
    too_wide: int | None = None  # header columns, when past the header limit (not read)
    # the zipped-size estimate while it runs in the background (see `settled`)
    pending: threading.Thread | None = field(default=None, repr=False, compare=False)

    def settled(self) -> Facts:
        """These facts once the background work on them (the zipped size) is done."""
        if self.pending is not None:
            self.pending.join()
            self.pending = None
        return self
