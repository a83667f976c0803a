"""The files `fix` writes: a CSV or a zip's CSV members with some cells replaced (bytes
elsewhere untouched), written atomically; and, for a dry run, the check of the
repaired copies shown at the input's paths."""

from __future__ import annotations

import io
import mmap
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwlint.domain.results import JobResult, RunResult
from bwlint.load.data import DataFile
from bwlint.load.rewrite import CannotEdit, check_editable, line_starts, plan_edits, write_pieces
from bwlint.services.atomic import atomic_write

if TYPE_CHECKING:
    from bwlint.services.fix import Change

# (file as findings name it, record, column) → why the edit was not made
Refused = dict[tuple[str, int, int], str]


def _edits(changes: Mapping[int, Mapping[int, Change]]) -> dict[int, dict[int, tuple[str, str]]]:
    return {
        record: {column: (c.edit.old, c.edit.new) for column, c in columns.items()}
        for record, columns in changes.items()
    }


def _replacements(body: Any, data: DataFile, changes: Mapping[int, Mapping[int, Change]]):
    """The byte replacements for one CSV's changes, and the refused ones."""
    edits = _edits(changes)
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


def rewrite_csv(
    path: str, data: DataFile, changes: Mapping[int, Mapping[int, Change]], output: Path
) -> Refused:
    """Write `path` with `changes` made at `output` (which may be `path`)."""
    with open(path, "rb") as handle:
        size = Path(path).stat().st_size
        body: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            replacements, refused = _replacements(body, data, changes)
            with atomic_write(output) as out:
                write_pieces(body, replacements, out)
        finally:
            if isinstance(body, mmap.mmap):
                body.close()
    return refused


@dataclass(frozen=True)
class ZipEdits:
    path: str
    members: dict[str, tuple[DataFile, Mapping[int, Mapping[int, Change]]]]  # by name


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
            content = source.read(info)
            name = Path(info.filename).name
            if name in edits.members and not info.is_dir():
                data, changes = edits.members[name]
                replacements, more = _replacements(content, data, changes)
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
