"""The check of what `fix` wrote, without reading it again: the frames read for the fix,
with the repaired cells set to their new values, are the repaired files' frames (the
rewriter changes those cells' bytes and nothing else: no record, line or quote moves),
so every rule runs over them under the output's names. Only the job JSON is read
again when it was repaired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from bwlint.domain.findings import Findings
from bwlint.domain.fix import CellEdit
from bwlint.domain.results import JobResult
from bwlint.engine import Context, run
from bwlint.load.data import DataFile, read_data
from bwlint.load.job import read_job
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.binding import bind
from bwlint.project.discovery import JobSpec
from bwlint.project.relations import child_counts
from bwlint.services.check import (
    job_findings,
    known_encoding,
    load_job,
    selected_checks,
    uploads,
)
from bwlint.settings import Settings


def _edited(data: DataFile, edits: Sequence[CellEdit], outputs: dict[str, str]) -> DataFile:
    """`data` as the repaired file: its new name, its repaired cells."""
    if data.zip_path is not None:
        zip_path = outputs.get(data.zip_path, data.zip_path)
        display = zip_path + data.display[len(data.zip_path) :]
    else:
        zip_path, display = None, outputs.get(data.display, data.display)
    frame = data.frame
    if edits:
        by_column: dict[int, tuple[list[int], list[str]]] = {}
        for edit in edits:
            rows, values = by_column.setdefault(edit.column_index, ([], []))
            rows.append(edit.record - 1)
            values.append(edit.new)
        frame = frame.with_columns(
            frame.get_column(str(column)).scatter(rows, pl.Series(values, dtype=pl.String))
            for column, (rows, values) in by_column.items()
        )
    return replace(data, display=display, zip_path=zip_path, frame=frame)


def recheck(
    spec: JobSpec,
    files: Sequence[DataFile],
    edits: Sequence[CellEdit],
    outputs: dict[str, str],
    *,
    settings: Settings,
    catalog: ModuleCatalog,
    reread: set[str] | frozenset[str] = frozenset(),
) -> JobResult:
    """Every selected rule over the repaired data of one job (`spec` names the repaired
    job JSON and data paths; `outputs` maps each input path to its output). A file
    rewritten as a whole (a line or columns removed: `reread`, by data file) is read
    again from its output: its records and lines moved."""
    job = read_job(Path(spec.job)) if spec.job is not None else load_job(spec)[0]
    by_file: dict[str, list[CellEdit]] = {}
    for edit in edits:
        by_file.setdefault(edit.file, []).append(edit)
    again = {d.zip_path or d.display for d in files if d.display in reread}
    encoding = known_encoding(job.character_encoding)
    repaired: list[DataFile] = []
    for data in files:
        path = data.zip_path or data.display
        if path not in again:
            repaired.append(_edited(data, by_file.get(data.display, []), outputs))
        elif data is next(d for d in files if (d.zip_path or d.display) == path):
            limits, bounds = settings.limits, settings.input_limits
            repaired.extend(read_data(outputs[path], encoding, limits, False, bounds))
    checks = selected_checks(settings)
    found: list[Findings] = []
    bindings = []
    groups = uploads(job, list(spec.data))
    for upload in groups:
        group = [d for d in repaired if (d.zip_path or d.display) in upload]
        group_bindings = bind(job, catalog, [d for d in group if d.readable])
        found.append(run(Context(job, catalog, group, settings, group_bindings), checks))
        bindings.extend(group_bindings)
    findings = job_findings(found, settings)
    return JobResult(spec.name, job, repaired, bindings, findings, child_counts(bindings))
