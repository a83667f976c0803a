"""CSV and ZIP-of-CSV input → `DataFile`: a polars frame of strings plus its line map.

Every cell stays a string (no type inference may change a value). Columns are named
by position ("0", "1", …) because header names may be empty or repeated; the header
row itself is kept in `DataFile.header`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from bwlint.errors import UsageError

DELIMITERS = (",", ";", ":", "|")
UTF8_BOM = b"\xef\xbb\xbf"


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
    # Physical line where each record starts, when quoted cells hold line breaks;
    # None when every record is one line (then line = record + header_lines).
    record_lines: pl.Series | None = None
    problems: list = field(default_factory=list)  # file-level findings met while reading

    @property
    def records(self) -> int:
        return self.frame.height

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


def detect_delimiter(header_line: str) -> str:
    """Zoho detects the delimiter from the header row: the most frequent of , ; : |."""
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def decode(raw: bytes, encoding: str | None, display: str) -> tuple[str, str]:
    """Text and the encoding used: the declared one, else UTF-8 (BOM allowed)."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise UsageError(f"{display}: unknown character encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise UsageError(
                f"{display}:{line}: byte {exc.start} ({raw[exc.start]:#04x}) "
                f"is not valid {encoding}"
            ) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{display}:{line}: byte {exc.start} ({raw[exc.start]:#04x}) is not UTF-8; "
            'set the job\'s character_encoding (e.g. "windows-1252") if the file is in '
            "another charset"
        ) from None


def _record_lines(frame: pl.DataFrame, header_lines: int, text: str) -> pl.Series | None:
    """Start line of each record, counting line breaks inside quoted cells."""
    breaks = text.count("\n") - (1 if text.endswith("\n") else 0)
    if breaks <= frame.height + header_lines - 1:
        return None  # no record spans lines: line = record + header_lines
    inner = pl.sum_horizontal(
        pl.col(c).fill_null("").str.count_matches("\n", literal=True) for c in frame.columns
    )
    spans = frame.select((inner + 1).alias("n")).get_column("n")
    starts = spans.cum_sum().shift(1, fill_value=0) + header_lines + 1
    return starts.cast(pl.Int64)


def parse_csv(raw: bytes, display: str, name: str, encoding: str | None = None) -> DataFile:
    text, used = decode(raw, encoding, display)
    if not text.strip():
        raise UsageError(f"{display}: the CSV is empty (Zoho needs a header row)")
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader)
        header_lines = reader.line_num
    except csv.Error as exc:
        raise UsageError(f"{display}:1: cannot read the header row: {exc}") from None
    body = text.encode("utf-8") if used.replace("-", "").lower() not in ("utf8",) else raw
    if body.startswith(UTF8_BOM):
        body = body[len(UTF8_BOM) :]
    try:
        frame = pl.read_csv(
            io.BytesIO(body),
            has_header=True,
            infer_schema=False,
            separator=delimiter,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).splitlines()[0]
        raise UsageError(f"{display}: cannot parse the CSV: {reason}") from None
    frame.columns = [str(i) for i in range(frame.width)]
    return DataFile(
        display=display,
        name=name,
        header=header,
        frame=frame,
        delimiter=delimiter,
        encoding=used,
        size=len(raw),
        header_lines=header_lines,
        record_lines=_record_lines(frame, header_lines, text),
    )


def read_zip(path: Path, display: str, encoding: str | None) -> list[DataFile]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UsageError(f"{display}: not a zip file") from None
    files = []
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        if not members:
            raise UsageError(f"{display}: the zip holds no file")
        for info in members:
            raw = archive.read(info)
            member_display = f"{display}/{info.filename}"
            data = parse_csv(raw, member_display, Path(info.filename).name, encoding)
            data.zip_path = display
            data.zip_size = path.stat().st_size
            files.append(data)
    return files


def read_data(path_text: str, encoding: str | None = None) -> list[DataFile]:
    """Read one data path as given on the command line (a CSV or a zip of CSVs)."""
    path = Path(path_text)
    if not path.exists():
        raise UsageError(f"{path_text}: no such file")
    if path.is_dir():
        raise UsageError(f"{path_text}: is a directory, not a CSV or ZIP file")
    if zipfile.is_zipfile(path):
        return read_zip(path, path_text, encoding)
    if path.suffix.lower() == ".zip":
        raise UsageError(f"{path_text}: not a zip file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path_text}: cannot read: {exc.strerror}") from None
    return [parse_csv(raw, path_text, path.name, encoding)]
