"""`check()`: the whole pipeline as a function — load → model → rules → findings.

The CLI is a thin shell over this; tests and other programs call it directly.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bwlint.binding import Binding, bind
from bwlint.engine import Context, count, run
from bwlint.errors import UsageError
from bwlint.findings import Finding
from bwlint.load.data import DataFile, read_data
from bwlint.load.job import build_job, read_job
from bwlint.load.metadata import ModuleCatalog
from bwlint.model import Job
from bwlint.relations import ChildCounts, child_counts
from bwlint.settings import Settings

OPERATIONS = ("insert", "update", "upsert")


@dataclass
class Report:
    """What a check found, and what it looked at: all that reporters receive."""

    findings: list[Finding]
    files: list[DataFile] = field(default_factory=list)
    job: Job | None = None
    bindings: list[Binding] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        totals = count(self.findings)
        return {
            "errors": totals["error"],
            "warnings": totals["warning"],
            "files": len(self.files),
            "records": sum(f.records for f in self.files),
        }

    @cached_property
    def children(self) -> list[ChildCounts]:
        """Parent-child jobs: per child module, how its rows spread over the parents."""
        return child_counts(self.bindings)

    @property
    def exit_status(self) -> int:
        return 1 if any(f.severity == "error" for f in self.findings) else 0


def module_job(module: str, operation: str = "insert", find_by: str | None = None) -> Job:
    """The job Zoho would run for a CSV with no job JSON: one resource, auto-mapped."""
    if operation not in OPERATIONS:
        raise UsageError(f"--operation must be one of {', '.join(OPERATIONS)}, not '{operation}'")
    resource: dict = {"type": "data", "module": {"api_name": module}, "file_id": "local"}
    if find_by:
        resource["find_by"] = find_by
    return build_job({"operation": operation, "resource": [resource]})


def known_encoding(name: str | None) -> str | None:
    """The job's charset if Python knows it; an unknown one is rule BW104's finding,
    and the file is then read as Zoho would without one (detected)."""
    if name is None:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def split_paths(paths: list[str], job_path: str | None) -> tuple[str | None, list[str]]:
    """A `.json` PATH is the job (when --job is not given); the rest are data files."""
    data = []
    for path in paths:
        if path.lower().endswith(".json") and job_path is None:
            job_path = path
        elif path.lower().endswith(".json"):
            raise UsageError(f"{path}: a second job JSON (the job is {job_path})")
        else:
            data.append(path)
    return job_path, data


def check(
    paths: list[str] | tuple[str, ...] = (),
    *,
    job: str | None = None,
    module: str | None = None,
    operation: str | None = None,
    find_by: str | None = None,
    schema_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> Report:
    settings = settings or Settings()
    job_path, data_paths = split_paths(list(paths), job)
    if job_path is not None and module is not None:
        raise UsageError("give either --job or --module, not both")
    if job_path is None and module is None:
        raise UsageError("nothing to check against: give --job FILE or --module NAME")
    if job_path is None and (operation or "insert") not in OPERATIONS:
        raise UsageError(f"--operation must be one of {', '.join(OPERATIONS)}")
    if job_path is not None and (operation or find_by):
        raise UsageError("--operation and --find-by go with --module; the job JSON sets them")
    the_job = (
        read_job(Path(job_path))
        if job_path is not None
        else module_job(module or "", operation or "insert", find_by)
    )
    if module is not None and not data_paths:
        raise UsageError("--module needs a CSV or ZIP file to check")
    catalog = ModuleCatalog(Path(schema_dir) if schema_dir is not None else None)
    encoding = known_encoding(the_job.character_encoding)
    findings: list[Finding] = []
    files: list[DataFile] = []
    bindings: list[Binding] = []
    groups = uploads(the_job, data_paths)
    for upload in groups:
        upload_files = [data for path in upload for data in read_data(path, encoding)]
        # A file with nothing to check (empty, binary, not a zip) gets its BW2xx finding
        # only; binding it would make every other rule guess at missing columns.
        readable = [data for data in upload_files if data.readable]
        upload_bindings = bind(the_job, catalog, readable)
        ctx = Context(
            job=the_job,
            modules=catalog,
            files=upload_files,
            settings=settings,
            bindings=upload_bindings,
        )
        findings.extend(run(ctx))
        files.extend(upload_files)
        bindings.extend(upload_bindings)
    if len(groups) > 1:  # job-level findings come once per upload: keep one of each
        findings = sorted(dict.fromkeys(findings), key=Finding.sort_key)
    return Report(findings=findings, files=files, job=the_job, bindings=bindings)


def uploads(job: Job, data_paths: list[str]) -> list[list[str]]:
    """The data paths grouped by upload: each group is one zip Zoho would receive.

    A single-module job without `file_names` reads one CSV per upload, so several data
    files given for it are several uploads of the same job (a job JSON used as a
    template); a parent-child job reads all its files from one upload.
    """
    single = len(job.resources) == 1 and not job.resources[0].file_names
    if single and len(data_paths) > 1:
        return [[path] for path in data_paths]
    return [data_paths]
