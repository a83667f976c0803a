"""`check`: the pipeline as functions — load → model → rules → findings → results.

`check_job` checks one job (a `JobSpec`) and `check_jobs` many; commands (`check`,
`fix`, `split`, `submit`) and programs call these, never the CLI. `check()` is the
convenience form for one job named by keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bwlint.domain.enums import Operation
from bwlint.domain.finding import Finding
from bwlint.domain.findings import Findings
from bwlint.domain.model import Job
from bwlint.domain.results import JobResult, RunResult
from bwlint.engine import Check, Context, run
from bwlint.errors import UsageError
from bwlint.load.charset import text_codec
from bwlint.load.data import DataFile, read_data
from bwlint.load.job import build_job, read_job
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.binding import Binding, bind
from bwlint.project.discovery import JobSpec
from bwlint.project.relations import child_counts
from bwlint.settings import Settings

if TYPE_CHECKING:
    from bwlint.load.parse import Columns


def module_job(
    module: str,
    operation: str | Operation = Operation.INSERT,
    find_by: str | None = None,
    ignore_empty: bool | None = None,
    character_encoding: str | None = None,
) -> Job:
    """The job Zoho would run for a CSV with no job JSON: one resource, auto-mapped."""
    if Operation.parse(operation) is None:
        choices = ", ".join(Operation)
        raise UsageError(f"--operation must be one of {choices}, not '{operation}'")
    resource: dict = {"type": "data", "module": {"api_name": module}, "file_id": "local"}
    if find_by:
        resource["find_by"] = find_by
    body: dict = {"operation": str(operation), "resource": [resource]}
    if ignore_empty is not None:
        body["ignore_empty"] = ignore_empty
    if character_encoding is not None:
        body["character_encoding"] = character_encoding
    return build_job(body)


def known_encoding(name: str | None) -> str | None:
    """The job's charset if Python knows it; an unknown one is rule BW104's finding,
    and the file is then read as Zoho would without one (detected)."""
    return name if text_codec(name) is not None else None


def split_paths(paths: Sequence[str], job_path: str | None) -> tuple[str | None, list[str]]:
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


def load_job(spec: JobSpec) -> tuple[Job, list[str]]:
    """The job a spec names, and its data paths; a spec that names none is an error."""
    job_path, data_paths = split_paths(spec.data, spec.job)
    if job_path is not None and spec.module is not None:
        raise UsageError("give either --job or --module, not both")
    if job_path is None and spec.module is None:
        raise UsageError("nothing to check against: give --job FILE or --module NAME")
    if job_path is not None:
        options = (spec.operation, spec.find_by, spec.ignore_empty, spec.character_encoding)
        if any(o is not None for o in options):
            raise UsageError(
                "--operation, --find-by, --ignore-empty and --character-encoding go with "
                "--module; the job JSON sets them"
            )
        return read_job(Path(job_path)), data_paths
    if not data_paths:
        raise UsageError("--module needs a CSV or ZIP file to check")
    job = module_job(
        spec.module or "",
        spec.operation or Operation.INSERT,
        spec.find_by,
        spec.ignore_empty,
        spec.character_encoding,
    )
    return job, data_paths


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


@cache
def _registry() -> tuple[Check, ...]:
    from bwlint.checks import REGISTRY  # the rule families load on first use

    return REGISTRY


def selected_checks(settings: Settings, among: Sequence[Check] | None = None) -> list[Check]:
    """The checks the settings select (`select`, `ignore`, `extend-select`)."""
    return [c for c in (among or _registry()) if settings.is_selected(c.code)]


def check_job(
    spec: JobSpec,
    *,
    settings: Settings,
    catalog: ModuleCatalog,
    checks: Sequence[Check] | None = None,
    columns: Columns | None = None,
) -> JobResult:
    """Check one job: every upload of it, with `checks` (default: the selected ones).
    `columns`: the only columns of a CSV the checks read (see read_data), when known."""
    checks = selected_checks(settings) if checks is None else checks
    job, data_paths = load_job(spec)
    encoding = known_encoding(job.character_encoding)
    sized = any(unit.code == "BW203" for unit in checks)
    found: list[Findings] = []
    files: list[DataFile] = []
    bindings: list[Binding] = []
    groups = uploads(job, data_paths)
    for upload in groups:
        upload_files = [
            data
            for path in upload
            for data in read_data(
                path,
                encoding,
                settings.limits,
                zipped_size_wanted=sized,
                bounds=settings.input_limits,
                columns=columns,
            )
        ]
        # A file with nothing to check (empty, binary, not a zip) gets its BW2xx finding
        # only; binding it would make every other rule guess at missing columns.
        readable = [data for data in upload_files if data.readable]
        upload_bindings = bind(job, catalog, readable)
        ctx = Context(job, catalog, upload_files, settings, upload_bindings)
        found.append(run(ctx, checks))
        files.extend(upload_files)
        bindings.extend(upload_bindings)
    findings = job_findings(found, settings)
    return JobResult(spec.name, job, files, bindings, findings, child_counts(bindings))


def job_findings(found: list[Findings], settings: Settings) -> Findings:
    """A job's findings from those of its uploads: one upload's stay columns (objects
    only when read); of several, the job-level findings each repeats are kept once.
    Then the per-file ignores."""
    findings = found[0] if len(found) == 1 else Findings([[]])
    if len(found) > 1:  # job-level findings come once per upload: keep one of each
        unique = dict.fromkeys(f for upload in found for f in upload)
        findings = Findings([sorted(unique, key=Finding.sort_key)])
    return without_per_file_ignores(findings, settings)


def without_per_file_ignores(findings: Findings, settings: Settings) -> Findings:
    if not settings.per_file_ignores:
        return findings
    ignored = cache(settings.ignored_in)  # once per (code, file), not per finding
    return Findings([[f for f in findings if not ignored(f.code, f.location.subject)]])


def check_jobs(
    specs: Sequence[JobSpec],
    *,
    settings: Settings,
    schema_dir: str | Path | None = None,
    checks: Sequence[Check] | None = None,
    on_job: Callable[[JobSpec], None] | None = None,
    jobs: int = 1,
    keep_cells: bool = True,
    unclaimed: Sequence[str] = (),
) -> RunResult:
    """Check every job; `on_job` is told as each one is done. The results are in the
    order of `specs`, then the findings about `unclaimed` data files (under the
    directories given, read by no job: BW221).

    `keep_cells=False`: each job's data files keep their record counts but not their
    cells (`DataFile.frame` has no column) or line maps, and its bindings are left out,
    once it is checked — all a report needs, and many jobs then fit in the memory of one. With
    it, `jobs` > 1 checks up to that many jobs at once, in as many processes, when
    there is enough data for that to be faster (services.parallel).
    """
    from bwlint.services import parallel

    catalog = ModuleCatalog(Path(schema_dir) if schema_dir is not None else None)
    if not keep_cells and checks is None and parallel.worth_it(specs, jobs):
        result = RunResult(parallel.check_in_parallel(specs, settings, schema_dir, jobs, on_job))
    else:
        result = RunResult()
        for spec in specs:
            checked = check_job(spec, settings=settings, catalog=catalog, checks=checks)
            result.jobs.append(checked if keep_cells else without_cells(checked))
            if on_job is not None:
                on_job(spec)
    left = unclaimed_result(unclaimed, settings=settings, catalog=catalog, checks=checks)
    if left is not None:
        result.jobs.append(left)
    return result


def without_cells(result: JobResult) -> JobResult:
    """A checked job as a report needs it: its files' record counts, not their cells or
    line maps, and no bindings (they hold the cells too)."""
    for data in result.files:
        data.facts.settled()  # the zipped-size estimate, if it still runs
        data.frame = data.frame.drop(data.frame.columns)  # the record count stays
        data.record_lines = None
    result.bindings = []
    return result


UNCLAIMED_NAME = "(files no job reads)"


def unclaimed_result(
    paths: Sequence[str],
    *,
    settings: Settings,
    catalog: ModuleCatalog,
    checks: Sequence[Check] | None = None,
) -> JobResult | None:
    """The findings about data files no job reads, as a result of their own."""
    if not paths:
        return None
    from bwlint.checks.file import UNCLAIMED

    job = build_job({})
    ctx = Context(job, catalog, [], settings, [], memo={UNCLAIMED: list(paths)})
    units = selected_checks(settings) if checks is None else checks
    findings = run(ctx, [c for c in units if c.code == "BW221"])
    findings = without_per_file_ignores(findings, settings)
    return JobResult(UNCLAIMED_NAME, job, [], [], findings) if findings else None


def check(
    paths: Sequence[str] = (),
    *,
    job: str | None = None,
    module: str | None = None,
    operation: str | None = None,
    find_by: str | None = None,
    ignore_empty: bool | None = None,
    character_encoding: str | None = None,
    schema_dir: str | Path | None = None,
    settings: Settings | None = None,
) -> RunResult:
    """Check one job: a job JSON (`job`, or a `.json` among `paths`) or a module, against
    the data files in `paths`. No configuration file is read: pass `settings`."""
    spec = JobSpec(job, module, operation, find_by, tuple(paths), ignore_empty, character_encoding)
    return check_jobs([spec], settings=settings or Settings(), schema_dir=schema_dir)
