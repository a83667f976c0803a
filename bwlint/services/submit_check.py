"""What `bwlint submit` takes from the check: per job, its findings' counts, its text
report, its Create Bulk Write Job body, its uploads and bwlint's predicted result rows.

Submit checks with the same plan as `bwlint check` (services/plan.py) and the same
`check_job` (services/check.py); this module keeps only what submit carries on with.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint.domain.results import JobResult, RunResult
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.discovery import JobSpec
from bwlint.services.check import check_job, load_job, uploads
from bwlint.services.plan import Plan


@dataclass
class Prediction:
    """bwlint's predicted result CSV for one data file (the result preview)."""

    result_name: str  # <Module>-<file name>, as in Zoho's result zip
    header: list[str]
    rows: list[list[str]]  # echoed columns…, STATUS, RECORD_ID, ERRORS


@dataclass
class CheckedJob:
    inputs: JobSpec
    body: dict[str, Any]  # the Create Bulk Write Job body (a copy; file_id as given)
    uploads: list[tuple[str, ...]]  # the data files of each upload, one Zoho job each
    errors: int  # error findings
    warnings: int
    report_text: str  # the check's text report
    predictions: dict[str, Prediction] = field(default_factory=dict)


def predictions_of(job: JobResult) -> dict[str, Prediction]:
    from bwlint.report.preview import preview, preview_name

    found = {}
    for binding in job.bindings:
        if binding.data is None:
            continue
        rows = list(csv.reader(io.StringIO(preview(job, binding))))
        name = preview_name(binding)
        found[name] = Prediction(name, rows[0] if rows else [], rows[1:])
    return found


def check_for_submit(plan: Plan) -> list[CheckedJob]:
    """Check every job of the plan as `bwlint check` does, keeping what submit needs."""
    from bwlint.report import REPORTERS

    catalog = ModuleCatalog(Path(plan.schema_dir) if plan.schema_dir is not None else None)
    checked = []
    for spec in plan.specs:
        job = check_job(spec, settings=plan.settings, catalog=catalog)
        _, data_paths = load_job(spec)
        summary = job.summary
        checked.append(
            CheckedJob(
                inputs=spec,
                body=copy.deepcopy(job.job.raw),
                uploads=[tuple(group) for group in uploads(job.job, data_paths) if group],
                errors=summary["errors"],
                warnings=summary["warnings"],
                report_text=REPORTERS["text"](RunResult([job]), False),
                predictions=predictions_of(job),
            )
        )
    return checked
