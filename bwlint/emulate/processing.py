"""How the emulator runs bwlint's own rules on an uploaded job.

All of the emulator's coupling to the check pipeline is here (`bwlint.check` and the
result preview), so that the core can change under it. Given the uploaded
zip and the job body, `process_job` says whether Zoho would refuse the job at creation
(an error finding about the job or a file that carries a Zoho code: that code), fail it
(such a finding without a Zoho code), or run it; and for a job that runs, per data file,
the predicted result rows and the field values the record store needs.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint.domain.enums import Severity
from bwlint.domain.results import JobResult
from bwlint.errors import UsageError
from bwlint.project.binding import Binding
from bwlint.report.preview import ECHOED_COLUMNS, echoed_columns, preview, preview_name
from bwlint.services.check import check


@dataclass
class Rejection:
    """The create-job error Zoho would answer (HTTP 400)."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileOutcome:
    """One data file of a job that runs: what bwlint predicts for each record."""

    module: str
    position: int  # the resource's place in the job's `resource` array
    result_name: str  # <Module>-<file name>, the CSV's name in the result zip
    child: bool
    find_by: str | None  # the resource's find_by field
    headers: dict[str, str]  # field API name -> CSV header, for ERRORS cells
    unique: list[str]  # the module's unique fields
    echo_header: list[str]  # the first three mapped columns' headers
    echoed: list[list[str]] = field(default_factory=list)
    status: list[str] = field(default_factory=list)  # added / updated / skipped
    errors: list[str] = field(default_factory=list)
    values: list[dict[str, str]] = field(default_factory=list)  # field -> cell


@dataclass
class JobOutcome:
    rejection: Rejection | None = None
    failure: str | None = None  # the job FAILED: why
    files: list[FileOutcome] = field(default_factory=list)


def process_job(zip_path: Path, body: dict[str, Any], *, schema_dir: Path | None) -> JobOutcome:
    """Check the job as bwlint would and turn the findings into Zoho's answer."""
    with tempfile.TemporaryDirectory(prefix="bwlint-emulate-job-") as folder:
        job_path = Path(folder) / "job.json"
        job_path.write_text(json.dumps(body), encoding="utf-8")
        try:
            report = check([str(zip_path)], job=str(job_path), schema_dir=schema_dir)
        except UsageError as exc:
            return JobOutcome(rejection=Rejection("INVALID_DATA", str(exc)))
    [result] = report.jobs
    job_level = [f for f in result.findings if f.severity == Severity.ERROR and f.record is None]
    coded = sorted((f for f in job_level if f.zoho_code), key=lambda f: f.code)
    if coded:
        first = coded[0]
        details = {"api_name": first.field} if first.field else {}
        if first.pointer:
            details["json_path"] = first.pointer
        return JobOutcome(rejection=Rejection(str(first.zoho_code), first.message, details))
    if job_level:
        return JobOutcome(failure=f"{job_level[0].code}: {job_level[0].message}")
    outcome = JobOutcome()
    for binding in result.bindings:
        if binding.data is not None:
            outcome.files.append(_file_outcome(result, binding))
    return outcome


def _file_outcome(report: JobResult, binding: Binding) -> FileOutcome:
    data = binding.data
    assert data is not None
    module = binding.module.api_name if binding.module else str(binding.resource.module)
    headers: dict[str, str] = {}
    for mapping in binding.mappings:
        if mapping.index is not None and 0 <= mapping.index < len(data.header):
            headers.setdefault(mapping.api_name, data.header[mapping.index])
    unique = (
        [f.api_name for f in binding.module.fields.values() if f.unique] if (binding.module) else []
    )
    rows = list(csv.reader(io.StringIO(preview(report, binding))))
    width = len(echoed_columns(binding))
    outcome = FileOutcome(
        module=module,
        position=binding.resource.position,
        result_name=preview_name(binding),
        child=binding.is_child,
        find_by=binding.resource.find_by,
        headers=headers,
        unique=unique,
        echo_header=rows[0][:width] if rows else [],
    )
    for row in rows[1:]:
        outcome.echoed.append(row[:width])
        outcome.status.append(row[width] if len(row) > width else "added")
        outcome.errors.append(row[width + 2] if len(row) > width + 2 else "")
    outcome.values = _values(binding)
    assert width <= ECHOED_COLUMNS
    return outcome


def _values(binding: Binding) -> list[dict[str, str]]:
    """The field values each record sets: its cells, else the mappings' defaults."""
    data = binding.data
    assert data is not None
    columns: list[tuple[str, list[Any], str | None]] = []
    for mapping in binding.mappings:
        cells: list[Any] = [None] * data.records
        if mapping.index is not None and 0 <= mapping.index < data.frame.width:
            cells = data.frame.get_column(str(mapping.index)).to_list()
        default = str(mapping.default_value["value"]) if mapping.has_default else None
        columns.append((mapping.api_name, cells, default))
    rows = []
    for number in range(data.records):
        row = {}
        for name, cells, default in columns:
            cell = cells[number]
            if (cell is None or str(cell).strip() == "") and default is not None:
                cell = default
            row[name] = "" if cell is None else str(cell)
        rows.append(row)
    return rows
