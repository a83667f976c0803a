"""`bwlint submit`, `status` and `result`: check, upload, create, follow, download.

Each step is written to the journal before it starts and after it ends, so that an
interruption anywhere resumes without a second upload or a second job (journal.py):

    checked → uploading → uploaded → creating → created → finished → downloaded

Exit status: 0 the job completed and no record was skipped; 1 refused (an error
finding, or Zoho refused the job or its file), the job FAILED, or records were
skipped; 2 it could not run (raised as `UsageError` / `ZohoError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bwlint.errors import UsageError
from bwlint.services import results
from bwlint.services.connection import ConnectionOptions, Output, connect, hosts_for
from bwlint.services.follow import PollSettings, follow
from bwlint.services.journal import ENDED, UNKNOWN, Entry, Journal, submission_key
from bwlint.services.packaging import build_upload, describe, with_file_id
from bwlint.services.submit_check import CheckedJob, Prediction
from bwlint.zoho.bulk import ZohoClient
from bwlint.zoho.datacentres import Hosts
from bwlint.zoho.errors import ZohoError
from bwlint.zoho.http import MaybeSent
from bwlint.zoho.jobs import JobState, shown_status
from bwlint.zoho.settings import ZohoSettings

RESULTS_DIR = "results"
# Create-job errors that mean "Zoho refused this job" (nothing was created): exit 1.
REFUSALS = frozenset(
    {
        "MANDATORY_FIELDS_NOT_MAPPED",
        "MANDATORY_NOT_FOUND",
        "MISSING_REQUIRED_KEY",
        "INVALID_FIELD",
        "INVALID_FIELD_NAME",
        "INVALID_FORMAT",
        "HEADER_LIMIT_EXCEEDED",
        "COLUMN_INDEX_NOT_FOUND",
        "MODULE_NOT_AVAILABLE",
        "INVALID_CALLBACK_METHOD",
        "COEXISTENCE_NOT_ALLOWED",
        "INVALID_DATA",
        "INVALID_FILE_FORMAT",
        "FILE_TOO_LARGE",
        "FILE_NOT_SUPPORTED",
    }
)


@dataclass
class Session:
    """Everything a submission needs besides the job itself."""

    options: ConnectionOptions
    settings: ZohoSettings
    journal: Journal
    output: Output
    poll: PollSettings = field(default_factory=PollSettings)
    again: bool = False
    wait: bool = True
    out_dir: Path | None = None  # where results go (default: beside the input)
    _clients: dict = field(default_factory=dict)

    def client(self, target: dict[str, str] | None = None) -> ZohoClient:
        hosts = hosts_for(self.options, self.settings, target)
        org = target.get("org") if target else None
        if hosts not in self._clients:
            self._clients[hosts] = connect(self.options, self.settings, self.output, hosts, org)
        return self._clients[hosts]


def submit_jobs(session: Session, checked: list[CheckedJob], force: bool = False) -> int:
    """Submit every job, after refusing all of them if any has an error finding."""
    out = session.output
    failing = [c for c in checked if c.errors]
    for job in failing:
        out.info(job.report_text.rstrip("\n"))
    if failing and not force:
        errors = sum(c.errors for c in failing)
        out.warn(
            f"refused: {errors} error finding(s) in {len(failing)} of {len(checked)} "
            "job(s); nothing was uploaded (fix them, or --force to submit anyway)"
        )
        return 1
    if failing:
        out.warn(
            f"--force: SUBMITTING DESPITE {sum(c.errors for c in failing)} ERROR "
            "FINDING(S): Zoho will refuse the job or skip those records"
        )
    status = 0
    for job in checked:
        if job.warnings and not job.errors:
            out.warn(f"{job.inputs.name}: {job.warnings} warning(s); 'bwlint check' lists them")
        for paths in job.uploads:
            status = max(status, submit_one(session, job, paths))
    return status


def submit_one(session: Session, job: CheckedJob, paths: tuple[str, ...]) -> int:
    files = describe(paths)
    label = job.inputs.name + (
        f" [{', '.join(f['name'] for f in files)}]" if len(job.uploads) > 1 else ""
    )
    hosts = hosts_for(session.options, session.settings)
    key = submission_key(job.body, files, hosts.api)
    entry = _resume_or_start(session, key, label, files, hosts)
    client = session.client()
    entry.predictions = {n: _verdicts(p) for n, p in job.predictions.items()}
    try:
        if entry.step in ("checked", "uploading", "uploaded"):
            refused = _upload_and_create(session, client, entry, job, paths)
            if refused:
                return 1
        return finish(session, client, entry, entry.job_id or "")
    except KeyboardInterrupt:
        where = f" (job {entry.job_id})" if entry.job_id else ""
        then = (
            "a job may exist; run the same command again to see what to do"
            if entry.step == UNKNOWN
            else "run the same command again to resume"
        )
        session.output.warn(f"{label}: interrupted at step '{entry.step}'{where}; {then}")
        raise


def _verdicts(prediction: Prediction) -> list[list[str]]:
    """STATUS and ERRORS of each predicted record (the journal keeps no cell values)."""
    keep = [prediction.header.index(c) for c in ("STATUS", "ERRORS") if c in prediction.header]
    rows = [[row[i] if i < len(row) else "" for i in keep] for row in prediction.rows]
    return [["STATUS", "ERRORS"], *rows]


def _resume_or_start(
    session: Session, key: str, label: str, files: list[dict], hosts: Hosts
) -> Entry:
    journal, out = session.journal, session.output
    entry = journal.find(key)
    if entry is not None and entry.step == "creating":  # a crash while creating
        entry.error = "the run stopped while the create request may have been in flight"
        journal.write(entry, UNKNOWN)
    if entry is not None and entry.step in ENDED:
        if not session.again:
            raise UsageError(_already(entry))
        entry = None
    if entry is None:
        target = {"accounts": hosts.accounts, "api": hosts.api, "upload": hosts.upload}
        return journal.start(key, label, files, target)
    if entry.step != "checked":
        out.info(
            f"{label}: resuming from the journal at step '{entry.step}'"
            + (f" (job {entry.job_id})" if entry.job_id else "")
        )
    return entry


def _already(entry: Entry) -> str:
    if entry.step == UNKNOWN:
        return (
            f"{entry.label}: the create request of {entry.created} got no answer "
            f"({entry.error}); a job may exist: find its id in Zoho CRM (Setup > Data "
            "Administration > Bulk Write history, or your callback) and run 'bwlint "
            "result JOB_ID'; --again creates a new job (500 credits)"
        )
    return (
        f"{entry.label}: this content was already submitted as job {entry.job_id} on "
        f"{entry.created} ({shown_status(entry.status or '')}); 'bwlint result "
        f"{entry.job_id}' shows its result; --again submits it again"
    )


def _upload_and_create(
    session: Session, client: ZohoClient, entry: Entry, job: CheckedJob, paths: tuple[str, ...]
) -> bool:
    """Upload (unless done) and create the job; True when Zoho refused it."""
    journal, out = session.journal, session.output
    for _ in range(2):  # a second round only when an old file_id has expired
        reused = entry.step == "uploaded"
        if not reused:
            upload = build_upload(paths)
            entry.upload_name, entry.upload_sha256 = upload.name, upload.sha256
            entry.target["org"] = client.org_id()
            journal.write(entry, "uploading")
            try:
                entry.file_id = client.upload(upload.name, upload.content)
            except ZohoError as exc:
                if exc.code in REFUSALS:
                    out.warn(f"{entry.label}: upload refused: {exc.line()}")
                    return True
                raise
            journal.write(entry, "uploaded")
            out.info(
                f"{entry.label}: uploaded {upload.name} ({len(upload.content):,} bytes) "
                f"as file {entry.file_id}"
            )
        entry.request = with_file_id(job.body, entry.file_id or "")
        journal.write(entry, "creating")
        try:
            entry.job_id = client.create_job(entry.request)
        except MaybeSent as exc:
            entry.error = exc.line()
            journal.write(entry, UNKNOWN)
            raise UsageError(_already(entry)) from None
        except KeyboardInterrupt:
            entry.error = "interrupted while the create request was in flight"
            journal.write(entry, UNKNOWN)
            raise
        except ZohoError as exc:  # refused: no job exists
            journal.write(entry, "uploaded")
            if exc.code == "INVALID_FILE_ID" and reused:
                entry.step = "checked"
                continue
            if exc.code in REFUSALS:
                out.warn(f"{entry.label}: Zoho refused the job: {exc.line()}")
                return True
            raise
        journal.write(entry, "created")
        out.info(f"{entry.label}: job {entry.job_id} created")
        return False
    return True  # pragma: no cover - the loop returns


def _on_state(session: Session, entry: Entry | None, job_id: str):
    def seen(state: JobState, elapsed: float) -> None:
        session.output.progress(f"job {job_id}: {shown_status(state.status)} ({elapsed:.0f} s)")
        if entry is not None and entry.status != state.status:
            entry.status = state.status
            session.journal.write(entry)

    return seen


def finish(session: Session, client: ZohoClient, entry: Entry | None, job_id: str) -> int:
    """Follow the job, then download, save, summarise and compare its result."""
    out, journal = session.output, session.journal
    if not session.wait:
        state = client.job(job_id)
        out.info(
            f"job {job_id}: {shown_status(state.status)} ('bwlint result {job_id}' "
            "follows it to the end)"
        )
        return 0
    state = follow(client, job_id, session.poll, _on_state(session, entry, job_id))
    if entry is not None:
        journal.write(entry, "failed" if state.failed else "finished")
    out.info(f"job {job_id}: {shown_status(state.status)}")
    if state.failed:
        for resource in state.resources:
            out.info(f"  {resource.module}: {shown_status(resource.status)} {resource.code or ''}")
        return 1
    if not state.download_url:
        raise UsageError(f"job {job_id} is {state.status} but has no result.download_url")
    content = client.download(state.download_url)
    files = results.read_zip(content)
    folder, protect = _result_folder(session, entry, job_id)
    saved = results.save(files, content, folder, job_id, protect)
    if entry is not None:
        entry.results = [str(p) for p in saved]
        journal.write(entry, "downloaded")
    for path in saved:
        out.info(f"saved {_shown(path)}")
    for line in results.summary_lines(files):
        out.info(line)
    if entry is not None and entry.predictions:
        for line in results.compare_lines(files, entry.predictions):
            out.info(line)
    return 1 if results.skipped(files) or state.skipped else 0


def _shown(path: Path) -> str:
    """A path relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _result_folder(session: Session, entry: Entry | None, job_id: str) -> tuple[Path, set[Path]]:
    """`--out DIR`, else `results/<job id>/` beside the input (or here): not the input's
    own folder, where the directory convention would take the result CSVs for data."""
    inputs = {Path(f["path"]).resolve() for f in entry.files} if entry else set()
    if session.out_dir is not None:
        folder = session.out_dir
    elif entry is not None and entry.files:
        folder = Path(entry.files[0]["path"]).parent / RESULTS_DIR / job_id
    else:
        folder = Path.cwd() / RESULTS_DIR / job_id
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot create the results folder: {exc.strerror}") from None
    return folder, inputs


def status_of(session: Session, job_id: str) -> int:
    """One look at a job: its status and counts (the journal learns them too)."""
    entry = session.journal.by_job(job_id)
    client = session.client(entry.target if entry else None)
    state = client.job(job_id)
    if entry is not None and entry.status != state.status:
        entry.status = state.status
        session.journal.write(entry)
    out = session.output
    out.info(f"job {job_id}: {shown_status(state.status)}" + (f" ({entry.label})" if entry else ""))
    for r in state.resources:
        counts = f"{r.added} added, {r.updated} updated, {r.skipped} skipped of {r.total}"
        out.info(f"  {r.module}: {shown_status(r.status)}" + (f", {counts}" if r.total else ""))
    return 1 if state.failed or state.skipped else 0


def result_of(session: Session, job_id: str) -> int:
    """Follow a job to its end, then download and report its result."""
    entry = session.journal.by_job(job_id)
    client = session.client(entry.target if entry else None)
    return finish(session, client, entry, job_id)
