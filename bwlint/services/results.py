"""A job's result: save its CSVs, count them, and hold them against bwlint's prediction.

Zoho's result zip holds one `<Module>-<file name>` CSV per data file: the first three
mapped columns, `STATUS`, `RECORD_ID` and `ERRORS` (`CODE-col,col:CODE-col`). The CSVs
are saved beside the input (never over an input file); then, per module, the records
added, updated and skipped, the most frequent error codes by column, and — record by
record — where Zoho and bwlint's result preview disagree.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bwlint.errors import UsageError

MAX_DISAGREEMENTS = 20
TOP_CODES = 5


@dataclass
class ResultFile:
    name: str
    header: list[str]
    rows: list[list[str]]

    @property
    def module(self) -> str:
        return self.name.split("-", 1)[0]

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None


def read_zip(content: bytes) -> list[ResultFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UsageError("the result download is not a zip") from None
    files = []
    for name in archive.namelist():
        if name.endswith("/"):
            continue
        text = archive.read(name).decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(text)))
        files.append(ResultFile(Path(name).name, rows[0] if rows else [], rows[1:]))
    return files


def save(
    files: list[ResultFile], content: bytes, folder: Path, job_id: str, protect: set[Path]
) -> list[Path]:
    """Write each result CSV into `folder` as Zoho names it (prefixed with the job id
    where that name is an input file); the paths written."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    written = []
    for member, file in zip(
        [n for n in archive.namelist() if not n.endswith("/")], files, strict=True
    ):
        target = folder / file.name
        if target.resolve() in protect:
            target = folder / f"{job_id}-{file.name}"
        try:
            target.write_bytes(archive.read(member))
        except OSError as exc:
            raise UsageError(f"{target}: cannot save the result: {exc.strerror}") from None
        written.append(target)
    return written


def skipped(files: list[ResultFile]) -> int:
    total = 0
    for file in files:
        status = file.column("STATUS")
        total += sum(1 for row in file.rows if _cell(row, status).strip().lower() == "skipped")
    return total


def error_parts(cell: str) -> set[tuple[str, str]]:
    """`MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email` → {(code, column)}."""
    parts = set()
    for part in filter(None, (cell or "").split(":")):
        code, _, columns = part.partition("-")
        for column in columns.split(",") if columns else [""]:
            parts.add((code.strip(), column.strip()))
    return parts


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def summary_lines(files: list[ResultFile]) -> list[str]:
    """Per module: added / updated / skipped, and the most frequent codes by column."""
    lines = []
    for file in files:
        status, errors = file.column("STATUS"), file.column("ERRORS")
        counts = Counter(_cell(row, status).strip().lower() for row in file.rows)
        lines.append(
            f"{file.module} ({file.name}): {counts['added']} added, {counts['updated']} updated, "
            f"{counts['skipped']} skipped of {len(file.rows)}"
        )
        codes = Counter(part for row in file.rows for part in error_parts(_cell(row, errors)))
        for (code, column), number in codes.most_common(TOP_CODES):
            lines.append(f"  {number:>6}  {code}  {column or '-'}")
    return lines


def _shown(status: str, errors: set[tuple[str, str]]) -> str:
    if not errors:
        return status or "?"
    return f"{status} ({', '.join(sorted(f'{c}-{col}' if col else c for c, col in errors))})"


def compare_lines(files: list[ResultFile], predictions: dict[str, list[list[str]]]) -> list[str]:
    """Where Zoho's result and bwlint's prediction (header row first) disagree, record by
    record."""
    lines = []
    for file in files:
        table = predictions.get(file.name)
        if not table:
            lines.append(f"{file.name}: no bwlint prediction to compare with")
            continue
        header, predicted = table[0], table[1:]
        p_status = header.index("STATUS") if "STATUS" in header else None
        p_errors = header.index("ERRORS") if "ERRORS" in header else None
        status, errors = file.column("STATUS"), file.column("ERRORS")
        differ = []
        for number, (row, guess) in enumerate(zip(file.rows, predicted, strict=False), 1):
            actual = (_cell(row, status).strip().lower(), error_parts(_cell(row, errors)))
            expected = (_cell(guess, p_status).strip().lower(), error_parts(_cell(guess, p_errors)))
            if actual != expected:
                key = f" ({file.header[0]}={row[0]})" if file.header and row else ""
                differ.append(
                    f"  record {number}{key}: Zoho {_shown(*actual)}; "
                    f"bwlint predicted {_shown(*expected)}"
                )
        total = min(len(file.rows), len(predicted))
        if len(file.rows) != len(predicted):
            lines.append(
                f"{file.name}: Zoho returned {len(file.rows)} records, bwlint "
                f"predicted {len(predicted)}"
            )
        if not differ:
            lines.append(f"{file.name}: Zoho and bwlint agree on all {total} records")
            continue
        lines.append(f"{file.name}: Zoho and bwlint disagree on {len(differ)} of {total} records:")
        lines.extend(differ[:MAX_DISAGREEMENTS])
        if len(differ) > MAX_DISAGREEMENTS:
            lines.append(f"  … and {len(differ) - MAX_DISAGREEMENTS} more")
    return lines
