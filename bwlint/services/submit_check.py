"""ADAPTER: what `bwlint submit` needs from the check pipeline, in one place.

Everything submit knows about checking goes through the two functions here, written
against today's `bwlint.inputs`, `bwlint.api.check` and `bwlint.report` (text report,
result preview), so that the core can be restructured under them:

- `plan_jobs(...)`: the jobs that the command line's inputs mean, and the configuration;
- `check_job(...)`: check one job: its error count, its text report, its Create Bulk
  Write Job body, its uploads (the data files of each Zoho job it becomes) and
  bwlint's predicted result rows per data file.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint.config import Config, load_config
from bwlint.inputs import JobRun, resolve
from bwlint.settings import Settings


@dataclass(frozen=True)
class JobInputs:
    """One job as the user named it: a job JSON (or a module) and its data files."""

    job: str | None = None
    module: str | None = None
    operation: str | None = None
    find_by: str | None = None
    data: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.job or f"--module {self.module}"


@dataclass
class Prediction:
    """bwlint's predicted result CSV for one data file (the result preview)."""

    result_name: str  # <Module>-<file name>, as in Zoho's result zip
    header: list[str]
    rows: list[list[str]]  # echoed columns…, STATUS, RECORD_ID, ERRORS


@dataclass
class CheckedJob:
    inputs: JobInputs
    body: dict[str, Any]  # the Create Bulk Write Job body (a copy; file_id as given)
    uploads: list[tuple[str, ...]]  # the data files of each upload, one Zoho job each
    errors: int  # error findings
    warnings: int
    report_text: str  # the check's text report
    predictions: dict[str, Prediction] = field(default_factory=dict)


def plan_jobs(
    paths: list[str],
    *,
    job: str | None = None,
    module: str | None = None,
    operation: str | None = None,
    find_by: str | None = None,
    config_path: str | None = None,
    isolated: bool = False,
) -> tuple[list[JobInputs], Config]:
    """The jobs `bwlint check PATHS …` would check, and the configuration in force."""
    config = load_config(config_path, isolated=isolated)
    runs: list[JobRun] = resolve(
        paths, config, job=job, module=module, operation=operation, find_by=find_by
    )
    jobs = [JobInputs(r.job, r.module, r.operation, r.find_by, tuple(r.data)) for r in runs]
    return jobs, config


def check_job(
    inputs: JobInputs,
    *,
    schema_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> CheckedJob:
    """Check one job as `bwlint check` does, and keep what submit needs."""
    from bwlint.api import check, uploads
    from bwlint.report import REPORTERS
    from bwlint.report.preview import preview, preview_name

    report = check(
        list(inputs.data),
        job=inputs.job,
        module=inputs.module,
        operation=inputs.operation,
        find_by=inputs.find_by,
        schema_dir=schema_dir,
        settings=settings,
    )
    assert report.job is not None
    predictions = {}
    for binding in report.bindings:
        if binding.data is None:
            continue
        rows = list(csv.reader(io.StringIO(preview(report, binding))))
        name = preview_name(binding)
        predictions[name] = Prediction(name, rows[0] if rows else [], rows[1:])
    summary = report.summary
    return CheckedJob(
        inputs=inputs,
        body=copy.deepcopy(report.job.raw),
        uploads=[tuple(group) for group in uploads(report.job, list(inputs.data)) if group],
        errors=summary["errors"],
        warnings=summary["warnings"],
        report_text=REPORTERS["text"](report, False),
        predictions=predictions,
    )
