"""The files `fix` writes: a CSV or a zip's CSV members with some cells replaced (bytes
elsewhere untouched), written atomically; and, for a dry run, the check of the
repaired copies shown at the input's paths."""

from __future__ import annotations

import io
import mmap
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwlint.domain.results import JobResult, RunResult
from bwlint.load.data import DataFile
from bwlint.load.rewrite import (
    CannotEdit,
    Replacement,
    check_editable,
    first_line,
    line_starts,
    plan_edits,
    row_ends,
    trailing_cells,
    write_pieces,
)
from bwlint.services.atomic import atomic_write
from bwlint.services.fix_encoding import ENCODING

if TYPE_CHECKING:
    from bwlint.services.fix import Change

# (file as findings name it, record, column) → why the edit was not made; a file edit
# is keyed (file, kind, column index or -1)
Refused = dict[tuple[str, int | str, int], str]
FIRST_LINE_FIRST = "the file's first line is removed first (BW217): run fix again for its cells"


def file_key(display: str, edit: Any) -> tuple[str, str, int]:
    return (display, edit.kind, -1 if edit.column_index is None else edit.column_index)


def _file_replacements(
    body: Any, data: DataFile, file_edits: list[Any]
) -> tuple[list[Replacement], Refused]:
    """The replacements of a file's whole-file edits (its first line, trailing columns)."""
    replacements: list[Replacement] = []
    refused: Refused = {}
    file_edits = [e for e in file_edits if e.kind != ENCODING]  # the body is UTF-8 already
    if not file_edits:
        return [], refused
    lines = [e for e in file_edits if e.kind == "line"]
    dropped = sorted(e.column_index for e in file_edits if e.kind == "column")
    ends = [e for e in file_edits if e.kind == "line-ends"]
    try:
        check_editable(body, data.encoding)
        if lines:
            replacements.append(first_line(body))
        if ends and lines:
            raise CannotEdit("its first line is removed first (BW217): run fix again")
        if ends:
            rows = data.frame.select(data.lines_expr().alias("line")).get_column("line")
            every = sorted({1, *rows.to_list(), *data.facts.blank_lines})
            to = b"\r\n" if ends[0].new == "CRLF" else b"\n"
            replacements.extend(row_ends(body, line_starts(body, every), to))
        if dropped:
            width = len(data.header)
            if dropped != list(range(width - len(dropped), width)):
                raise CannotEdit("only the columns at the end of the rows are removed")
            rows = data.frame.select(data.lines_expr().alias("line")).get_column("line")
            starts = line_starts(body, [1, *rows.to_list()])
            separator = data.delimiter.encode(data.encoding)
            replacements.extend(trailing_cells(body, starts, separator, len(dropped)))
    except CannotEdit as exc:
        for edit in file_edits:
            refused[file_key(data.display, edit)] = f"{data.display}: {exc}"
        return [], refused
    return replacements, refused


def _edits(changes: Mapping[int, Mapping[int, Change]]) -> dict[int, dict[int, tuple[str, str]]]:
    return {
        record: {column: (str(c.edit.old), str(c.edit.new)) for column, c in columns.items()}
        for record, columns in changes.items()
    }


def _replacements(
    body: Any,
    data: DataFile,
    changes: Mapping[int, Mapping[int, Change]],
    file_edits: list[Any] | None = None,
):
    """The byte replacements for one CSV's changes, and the refused ones."""
    whole, refused_files = _file_replacements(body, data, file_edits or [])
    if any(e.kind == "line" for e in file_edits or []) and not refused_files:
        refused = {
            (data.display, record, column): FIRST_LINE_FIRST
            for record, columns in changes.items()
            for column in columns
        }
        return whole, refused
    replacements, refused = _cell_replacements(body, data, changes)
    refused.update(refused_files)
    return whole + replacements, refused


def _cell_replacements(body: Any, data: DataFile, changes: Mapping[int, Mapping[int, Change]]):
    edits = _edits(changes)
    if not edits:
        return [], {}
    try:
        check_editable(body, data.encoding)
        records = sorted(edits)
        lines = [data.line_of(record) for record in records]
        starts = dict(zip(records, line_starts(body, lines), strict=True))
    except CannotEdit as exc:
        refused = {
            (data.display, record, column): f"{data.display}: {exc}"
            for record, columns in edits.items()
            for column in columns
        }
        return [], refused
    replacements, refused_cells = plan_edits(
        body,
        delimiter=data.delimiter,
        codec=data.encoding,
        width=len(data.header),
        starts=starts,
        edits=edits,
    )
    return replacements, {(data.display, r, c): why for (r, c), why in refused_cells.items()}


def as_utf8(data: DataFile) -> DataFile:
    """The file as its UTF-8 copy is: the same records, lines and cells."""
    return replace(data, encoding="utf-8")


def rewrite_csv(
    path: str,
    data: DataFile,
    changes: Mapping[int, Mapping[int, Change]],
    output: Path,
    file_edits: list[Any] | None = None,
    utf8: Path | None = None,
) -> Refused:
    """Write `path` with `changes` made at `output` (which may be `path`); from its
    UTF-8 copy `utf8` when it is re-encoded (the edits are then made on UTF-8 bytes)."""
    if utf8 is not None:
        path, data = str(utf8), as_utf8(data)
    with open(path, "rb") as handle:
        size = Path(path).stat().st_size
        body: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            replacements, refused = _replacements(body, data, changes, file_edits)
            with atomic_write(output) as out:
                write_pieces(body, replacements, out)
        finally:
            if isinstance(body, mmap.mmap):
                body.close()
    return refused


@dataclass(frozen=True)
class ZipEdits:
    path: str
    # by name: the member, its cell changes, its whole-file edits
    members: dict[str, tuple[DataFile, Mapping[int, Mapping[int, Change]], list[Any]]]
    utf8: Mapping[str, Path] = field(default_factory=dict)  # by name: a UTF-8 copy


def rewrite_zip(edits: ZipEdits, output: Path) -> Refused:
    """A copy of the zip with the edited CSV members rewritten, the others as they were
    (same names, order and timestamps)."""
    refused: Refused = {}
    with (
        zipfile.ZipFile(edits.path) as source,
        atomic_write(output) as out,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            name = Path(info.filename).name
            copy = edits.utf8.get(name) if not info.is_dir() else None
            content = source.read(info) if copy is None else copy.read_bytes()
            if name in edits.members and not info.is_dir():
                data, changes, file_edits = edits.members[name]
                if copy is not None:  # re-encoded: edited as its UTF-8 copy
                    data = as_utf8(data)
                replacements, more = _replacements(content, data, changes, file_edits)
                refused.update(more)
                buffer = io.BytesIO()
                write_pieces(content, replacements, buffer)
                content = buffer.getvalue()
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return refused


def shown_as_inputs(result: RunResult, files: list[tuple[str, str]]) -> RunResult:
    """A dry run's check of the repaired copies, with every path the input's."""
    renamed = {output: source for source, output in files}

    def rename(text: str | None) -> str | None:
        if text is None:
            return None
        for output, source in renamed.items():
            if text == output or text.startswith(output + "/"):
                return source + text[len(output) :]
        return text

    jobs = []
    for job in result.jobs:
        findings = []
        for finding in job.findings:
            at = finding.location
            moved = at._replace(
                file=rename(at.file),
                zip=rename(at.zip),
                origin=rename(at.origin),
                job=rename(at.job),
            )
            findings.append(_with_location(finding, moved))
        for data in job.files:
            data.display = rename(data.display) or data.display
            data.zip_path = rename(data.zip_path)
        jobs.append(JobResult(job.name, job.job, job.files, job.bindings, findings, job.children))
    return RunResult(jobs)


def _with_location(finding: Any, location: Any) -> Any:
    from dataclasses import replace

    return replace(finding, location=location)
