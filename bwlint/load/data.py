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
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from bwlint.domain.limits import INPUT, ZOHO, InputLimits, Limits
from bwlint.errors import UsageError
from bwlint.load.facts import Facts
from bwlint.load.files import open_regular

if TYPE_CHECKING:
    from bwlint.load.parse import Columns

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


def parse_csv(
    raw: bytes | mmap.mmap,
    display: str,
    name: str,
    encoding: str | None = None,
    max_columns: int | None = None,
) -> DataFile:
    from bwlint.load.parse import parse  # the reader proper

    return parse(raw, display, name, encoding, max_columns=max_columns)


def _regular(path: Path, shown: str) -> None:
    """A data path must name a regular file (links followed): a FIFO would block the
    read, /dev/zero never end."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{shown}: cannot read: {reason}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{shown}: is a directory, not a CSV or ZIP file")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{shown}: not a regular file: bwlint reads CSV and ZIP files only")


def _polars_path(path: Path) -> str | None:
    """The path for polars to read, or None (read the mapped bytes) when the name is no
    valid UTF-8 (polars takes only UTF-8 paths)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def read_data(
    path_text: str,
    encoding: str | None = None,
    limits: Limits = ZOHO,
    zipped_size_wanted: bool = True,
    bounds: InputLimits = INPUT,
    columns: Columns | None = None,
) -> list[DataFile]:
    """Read one data path as given on the command line (a CSV or a zip of CSVs).

    `zipped_size_wanted`: estimate a large plain CSV's zipped size (rule BW203), in the
    background while the other rules run. `columns`: given a plain CSV's header, the
    only columns its frame must hold (parse.Columns; a zip's members are read whole).
    """
    from bwlint.load.archive import looks_like_zip, read_zip

    path = Path(path_text)
    _regular(path, path_text)
    if looks_like_zip(path):
        return read_zip(path, path_text, encoding, bounds, limits.headers)
    with open_regular(path, "data file") as fd:
        size = os.fstat(fd).st_size
        # Mapped, not read: polars reads the file itself, the reader's byte counts
        # look at the mapping, and no copy of the file is ever held in memory.
        raw = mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if size else b""
    from bwlint.load.parse import parse

    data = parse(
        raw,
        path_text,
        path.name,
        encoding,
        path=_polars_path(path),
        max_columns=limits.headers,
        columns=columns,
    )
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
