"""CSV and ZIP-of-CSV input → `DataFile`: a polars frame of strings plus its line map.

Every cell stays a string (no type inference may change a value). Columns are named
by position ("0", "1", …) because header names may be empty or repeated; the header
row itself is kept in `DataFile.header`. An empty cell is null (unquoted) or ''
(quoted `""`): checks must treat both as empty.

Reading is two-speed. The fast path lets polars parse the bytes and then *verifies*
the result against cheap byte counts (see `parse.fast_read`): if every record has as
many fields as the header and no line is blank, the byte lengths add up exactly.
Only when they do not (or polars refuses the file) does the exact path re-read the
file record by record with Python's csv module and note every irregularity as a fact
on `DataFile.facts`; the file rules (bwlint/checks/file.py) turn facts into findings.
"""

from __future__ import annotations

import mmap
import os
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from bwlint.domain.enums import FileKind
from bwlint.domain.limits import ZOHO, Limits
from bwlint.errors import UsageError
from bwlint.load.facts import Facts

DELIMITERS = (",", ";", ":", "|")


@dataclass
class DataFile:
    """One CSV, read: what the rules look at."""

    display: str  # as given on the command line; `<zip>/<member>` inside a zip
    name: str  # the CSV's own file name, as a job's `file_names` lists it
    header: list[str]
    frame: pl.DataFrame  # one string column per CSV column, named "0", "1", …
    delimiter: str = ","
    encoding: str = "utf-8"
    size: int = 0  # bytes of the CSV
    zip_path: str | None = None
    zip_size: int | None = None
    header_lines: int = 1  # physical lines the header row spans
    # Physical line where each record starts, when quoted cells hold line breaks or
    # blank lines were skipped; None when line = record + header_lines.
    record_lines: pl.Series | None = None
    facts: Facts = field(default_factory=Facts)  # what the file rules (BW2xx) report

    @property
    def records(self) -> int:
        return self.frame.height

    @property
    def readable(self) -> bool:
        """False when there is no CSV to check (empty, binary, not a zip …)."""
        return self.facts.unreadable is None

    def column(self, index: int) -> pl.Series:
        return self.frame.get_column(str(index))

    def line_of(self, record: int) -> int:
        """Physical line of 1-based `record`."""
        if self.record_lines is None:
            return record + self.header_lines
        return int(self.record_lines[record - 1])

    def lines_expr(self) -> pl.Expr:
        """A polars expression of the physical line of each row (for vectorised checks)."""
        if self.record_lines is None:
            return pl.int_range(1, pl.len() + 1, dtype=pl.Int64) + self.header_lines
        return pl.lit(self.record_lines)

    def record_of_line(self, line: int) -> int | None:
        """The 1-based record that spans physical `line`, if any."""
        if line <= self.header_lines or self.records == 0:
            return None
        if self.record_lines is None:
            record = line - self.header_lines
        else:
            record = int(self.record_lines.search_sorted(line, side="right"))
        return record if 1 <= record <= self.records else None


def unreadable(display: str, name: str, reason: str, size: int = 0, **facts) -> DataFile:
    """A data file with nothing to check: the reason becomes a file-rule finding."""
    return DataFile(
        display=display,
        name=name,
        header=[],
        frame=pl.DataFrame(),
        size=size,
        facts=Facts(unreadable=reason, **facts),
    )


def parse_csv(raw: bytes, display: str, name: str, encoding: str | None = None) -> DataFile:
    from bwlint.load.parse import parse  # the reader proper

    return parse(raw, display, name, encoding)


def _looks_like_csv(name: str) -> bool:
    return Path(name).suffix.lower() in (".csv", ".txt", "")


def read_zip(path: Path, display: str, encoding: str | None) -> list[DataFile]:
    size = path.stat().st_size
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return [unreadable(display, path.name, "not a zip file", size, kind=FileKind.ZIP)]
    files = []
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        if not members:
            return [
                unreadable(display, path.name, "the zip holds no file", size, kind=FileKind.ZIP)
            ]
        csv_members = sum(1 for info in members if _looks_like_csv(info.filename))
        for info in members:
            member_display = f"{display}/{info.filename}"
            member_name = Path(info.filename).name
            if not _looks_like_csv(info.filename):
                data = unreadable(
                    member_display,
                    member_name,
                    "not a CSV file",
                    info.file_size,
                    kind=FileKind.MEMBER,
                )
            else:
                try:
                    raw = archive.read(info)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                    data = unreadable(
                        member_display,
                        member_name,
                        f"cannot be unzipped ({exc})",
                        kind=FileKind.MEMBER,
                    )
                else:
                    data = parse_csv(raw, member_display, member_name, encoding)
            data.zip_path = display
            data.zip_size = size
            data.facts.zip_csvs = csv_members
            files.append(data)
    return files


def read_data(
    path_text: str,
    encoding: str | None = None,
    limits: Limits = ZOHO,
    zipped_size_wanted: bool = True,
) -> list[DataFile]:
    """Read one data path as given on the command line (a CSV or a zip of CSVs).

    `zipped_size_wanted`: estimate a large plain CSV's zipped size (rule BW203), in the
    background while the other rules run.
    """
    path = Path(path_text)
    if not path.exists():
        raise UsageError(f"{path_text}: no such file")
    if path.is_dir():
        raise UsageError(f"{path_text}: is a directory, not a CSV or ZIP file")
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        return read_zip(path, path_text, encoding)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # Mapped, not read: polars reads the file itself, the reader's byte counts
            # look at the mapping, and no copy of the file is ever held in memory.
            raw = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    except OSError as exc:
        raise UsageError(f"{path_text}: cannot read: {exc.strerror}") from None
    from bwlint.load.parse import parse

    data = parse(raw, path_text, path.name, encoding, path=str(path))
    from bwlint.load.zipsize import estimate_zipped

    # Below the limit raw, its zip cannot exceed it; over the record limit the file must
    # be split anyway (BW205), so its zipped size is not worth compressing for.
    # zlib releases the GIL: the estimate runs in the background while the checks
    # before the file rules run (Facts.settled waits for it).
    if zipped_size_wanted and len(raw) > limits.zip_bytes and data.records <= limits.records:
        facts = data.facts

        def estimate() -> None:
            facts.zipped = estimate_zipped(raw)

        facts.pending = threading.Thread(target=estimate, daemon=True)
        facts.pending.start()
    return [data]
