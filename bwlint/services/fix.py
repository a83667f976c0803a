"""`fix`: the repairs the rules attach to their findings, applied to copies of the data
files (or, asked, to the files themselves, atomically), then the result checked again.

One pass of the fixable rules finds the repairs; each finding's `Fix` holds cell edits.
Safe fixes are applied, unsafe ones only when asked (`unsafe=True`); a cell two fixes
want to change keeps the first (by place, then rule) and the other is reported as not
applied. The CSV bytes are edited in place (bwlint.load.rewrite): a cell that is not
repaired keeps its bytes, quoting and line ending. The input is modified only in place
mode; a dry run writes into a temporary folder, checks it there, and reports the
findings at the input's paths.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint.domain.finding import Finding
from bwlint.domain.findings import Findings
from bwlint.domain.fix import REMOVE, CellEdit, FileEdit, JsonEdit
from bwlint.domain.results import JobResult, RunResult
from bwlint.errors import UsageError
from bwlint.load.data import DataFile
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.discovery import JobSpec
from bwlint.services.atomic import atomic_write
from bwlint.services.check import check_job, load_job, selected_checks
from bwlint.services.fix_encoding import ENCODING, to_re_encode, utf8_copies
from bwlint.services.fix_files import ZipEdits, file_key, rewrite_csv, rewrite_zip
from bwlint.settings import Settings


@dataclass(frozen=True)
class Change:
    """One repaired cell or job JSON value, as the change log lists it."""

    finding: Finding
    edit: CellEdit | JsonEdit | FileEdit
    output: str | None  # the file written (None on a dry run)

    def to_json(self) -> dict[str, Any]:
        at = self.finding.location
        cell = not isinstance(self.edit, JsonEdit)
        return {
            "code": self.finding.code,
            "applicability": str(self.finding.fix.applicability) if self.finding.fix else None,
            "file": at.file if cell else at.job,
            "record": at.record if cell else None,
            "line": at.line if cell else None,
            "column": at.column if cell else None,
            "field": self.finding.field,
            "pointer": self.edit.pointer if isinstance(self.edit, JsonEdit) else None,
            "old": self.edit.old,
            "new": None if self.edit.new is REMOVE else self.edit.new,
            "why": self.finding.fix.why if self.finding.fix else None,
            "output": self.output,
        }


@dataclass(frozen=True)
class NotApplied:
    """A finding whose fix was not applied, and why."""

    finding: Finding
    reason: str

    def to_json(self) -> dict[str, Any]:
        at = self.finding.location
        fix = self.finding.fix
        edit = fix.edits[0] if fix and fix.edits else None
        cell = not isinstance(edit, JsonEdit)
        new = getattr(edit, "new", None)
        return {
            "code": self.finding.code,
            "applicability": str(fix.applicability) if fix else None,
            "file": at.file if cell else at.job,
            "record": at.record if cell else None,
            "line": at.line if cell else None,
            "column": at.column if cell else None,
            "pointer": None if cell else getattr(edit, "pointer", None),
            "old": getattr(edit, "old", None),
            "new": None if new is REMOVE else new,
            "reason": self.reason,
        }


@dataclass
class FixOutcome:
    """What `fix` did: the changes, the fixes left out, the files written, and the
    check of the result."""

    changes: list[Change] = field(default_factory=list)
    not_applied: list[NotApplied] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (input, output)
    result: RunResult = field(default_factory=RunResult)
    dry_run: bool = False


@dataclass(frozen=True)
class Target:
    """Where repaired files go: `out` (a folder), else the inputs themselves."""

    out: Path | None = None
    in_place: bool = False
    dry_run: bool = False
    unsafe: bool = False


UNSAFE_HINT = "an unsafe fix: --unsafe-fixes applies it"
TAKEN = "another fix rewrites the same cell"


def fixable_checks(settings: Settings) -> list:
    from bwlint.catalogue import load_catalogue

    catalogue = load_catalogue()
    return [c for c in selected_checks(settings) if catalogue[c.code].fixable is not None]


Chosen = dict[str, dict[int, dict[int, Change]]]
FileChanges = dict[str, list[Change]]  # whole-file edits, by data file


def choose(
    findings: Sequence[Finding], unsafe: bool, files: FileChanges | None = None
) -> tuple[Chosen, list[NotApplied]]:
    """The cell edits to make, by data file (as findings name it), record and column;
    the whole-file edits go into `files`."""
    chosen: Chosen = {}
    left: list[NotApplied] = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        if not fix.safe and not unsafe:
            left.append(NotApplied(finding, UNSAFE_HINT))
            continue
        for edit in fix.edits:
            if isinstance(edit, FileEdit) and files is not None:
                files.setdefault(edit.file, []).append(Change(finding, edit, None))
            if not isinstance(edit, CellEdit):
                continue
            cells = chosen.setdefault(edit.file, {}).setdefault(edit.record, {})
            if edit.column_index in cells:
                if not _covered(cells[edit.column_index].edit, edit):
                    left.append(NotApplied(finding, TAKEN))
                continue
            cells[edit.column_index] = Change(finding, edit, None)
    return chosen, left


def _covered(taken: CellEdit | JsonEdit | FileEdit, edit: CellEdit) -> bool:
    """Whether the fix already chosen for a cell makes `edit` too: the same value, or,
    for a trim (BW417), a value with no whitespace around it (`' yes'` → `true`)."""
    from bwlint.checks.cell_fixes import trimmed

    if taken.new == edit.new:
        return True
    trim = edit.new == trimmed(edit.old) or edit.new == ";".join(
        trimmed(part) for part in edit.old.split(";")
    )
    return trim and isinstance(taken.new, str) and trimmed(taken.new) == taken.new


def destination(path: str, folder: Path | None) -> Path:
    if folder is None:
        return Path(path)
    made = folder / Path(path).name
    if made.resolve() == Path(path).resolve():
        raise UsageError(
            f"{path}: --out {folder} is where the input is; "
            "pass --in-place to modify the input, or another --out folder"
        )
    return made


def _write_one(
    path: str,
    output: Path,
    files: dict[str, DataFile],
    chosen: Chosen,
    whole: FileChanges,
    utf8: dict[str, Path],
) -> tuple[list[Change], list[NotApplied]]:
    """Write `path`'s repaired copy at `output` (from the UTF-8 copies `utf8` of the
    files re-encoded); return the changes made and refused."""
    members = {
        display: data
        for display, data in files.items()
        if display == path or (data.zip_path == path)
    }
    wanted = {display: chosen.get(display, {}) for display in members}
    wanted = {d: e for d, e in wanted.items() if e or whole.get(d)}
    if not wanted:
        if output.resolve() != Path(path).resolve():
            with atomic_write(output) as handle, open(path, "rb") as source:
                shutil.copyfileobj(source, handle, 1 << 22)
        return [], []
    edits_of = {d: [c.edit for c in whole.get(d, [])] for d in wanted}
    if any(data.zip_path == path for data in members.values()):
        edits = ZipEdits(
            path,
            {members[d].name: (members[d], e, edits_of[d]) for d, e in wanted.items()},
            {members[d].name: utf8[d] for d in wanted if d in utf8},
        )
        refused = rewrite_zip(edits, output)
    else:
        refused = rewrite_csv(
            path, files[path], wanted[path], output, edits_of[path], utf8.get(path)
        )
    made: list[Change] = []
    left: list[NotApplied] = []
    for display in wanted:
        for change in whole.get(display, []):
            reason = refused.get(file_key(display, change.edit))
            if reason is None:
                made.append(Change(change.finding, change.edit, str(output)))
            else:
                left.append(NotApplied(change.finding, reason))
    for display, records in wanted.items():
        for record, columns in records.items():
            for column, change in columns.items():
                reason = refused.get((display, record, column))
                if reason is None:
                    made.append(Change(change.finding, change.edit, str(output)))
                else:
                    left.append(NotApplied(change.finding, reason))
    return made, left


def fix_job(
    spec: JobSpec,
    *,
    settings: Settings,
    catalog: ModuleCatalog,
    target: Target,
    folder: Path | None,
) -> tuple[JobSpec, FixOutcome, JobResult]:
    """Repair one job's data files; return the job to check again, what was done, and
    the first pass (its frames are checked again, repaired, by fix_recheck.py).

    A fix's edits are made together or not at all, whatever they edit: a fix whose job
    JSON edit clashes with another's edits no data file; a job JSON edit is made only
    when the data file edits of every fix asking for it were made (BW219: the job's
    character_encoding set to UTF-8 only when its files were re-encoded). So the data
    files are written first, the job JSON last."""
    from bwlint.services.fix_json import choose_json

    first = check_job(spec, settings=settings, catalog=catalog, checks=fixable_checks(settings))
    assert isinstance(first.findings, Findings)  # as check_job makes them
    fixable = first.findings.with_fixes()
    json_chosen, json_left = choose_json(fixable, target.unsafe) if spec.job else ({}, [])
    clashed = {id(item.finding) for item in json_left}
    whole: FileChanges = {}
    findings = [f for f in fixable if id(f) not in clashed]
    chosen, left = choose(findings, target.unsafe, whole)
    _, data_paths = load_job(spec)
    files = {data.display: data for data in first.files}
    outcome = FixOutcome(not_applied=left + json_left, dry_run=target.dry_run)
    # The UTF-8 copies go beside the outputs, not in /tmp (often memory: tmpfs).
    near = folder if folder is not None else Path(data_paths[0]).parent if data_paths else None
    with contextlib.ExitStack() as stack:
        utf8: dict[str, Path] = {}
        if to_re_encode(whole):
            scratch = stack.enter_context(tempfile.TemporaryDirectory(".tmp", ".bwlint-", near))
            utf8, why = utf8_copies(whole, files, Path(scratch))
            if why is not None:
                outcome.not_applied.extend(_drop_re_encodings(whole, why))
        outputs = _write_data(data_paths, folder, files, chosen, whole, utf8, outcome)
    blocked = {
        edit.pointer
        for item in outcome.not_applied
        if item.reason != UNSAFE_HINT and id(item.finding) not in clashed
        for edit in _json_edits_of_mixed(item.finding)
    }
    json_chosen = {p: c for p, c in json_chosen.items() if p not in blocked}
    job_path = _fix_job_json(spec, first, json_chosen, folder, outcome)
    re_encoded = any(
        isinstance(c.edit, FileEdit) and c.edit.kind == ENCODING for c in outcome.changes
    )
    again = JobSpec(
        job_path,
        spec.module,
        spec.operation,
        spec.find_by,
        tuple(outputs),
        spec.ignore_empty,
        # --module's --character-encoding named the charset the files are no longer in
        None if re_encoded and spec.job is None else spec.character_encoding,
    )
    return again, outcome, first


def _json_edits_of_mixed(finding: Finding) -> list[JsonEdit]:
    """The job JSON edits of a fix that also edits a data file."""
    edits = finding.fix.edits if finding.fix is not None else ()
    json = [e for e in edits if isinstance(e, JsonEdit)]
    return json if len(json) < len(edits) else []


def _drop_re_encodings(whole: FileChanges, why: str) -> list[NotApplied]:
    """Take every re-encoding out of `whole` (the job's files are re-encoded together
    or not at all); they are not applied, for `why`."""
    left = []
    for display, changes in whole.items():
        kept = []
        for change in changes:
            if isinstance(change.edit, FileEdit) and change.edit.kind == ENCODING:
                left.append(NotApplied(change.finding, f"{why}; no file re-encoded"))
            else:
                kept.append(change)
        whole[display] = kept
    return left


def _write_data(
    data_paths: Sequence[str],
    folder: Path | None,
    files: dict[str, DataFile],
    chosen: Chosen,
    whole: FileChanges,
    utf8: dict[str, Path],
    outcome: FixOutcome,
) -> list[str]:
    """Write every data file's repaired copy; return the outputs."""
    outputs = []
    names: dict[str, str] = {}
    for path in data_paths:
        output = destination(path, folder)
        if output.name in names and folder is not None:
            raise UsageError(f"{path} and {names[output.name]} would both be {output}")
        names[output.name] = path
        made, refused = _write_one(path, output, files, chosen, whole, utf8)
        outcome.changes.extend(made)
        outcome.not_applied.extend(refused)
        outcome.files.append((path, str(output)))
        outputs.append(str(output))
    return outputs


def _fix_job_json(
    spec: JobSpec,
    first: JobResult,
    chosen: dict[str, Change],
    folder: Path | None,
    outcome: FixOutcome,
) -> str | None:
    """Make the job JSON's chosen edits; return the job JSON to check again."""
    from bwlint.services.fix_json import write_job

    if spec.job is None or not chosen:
        return spec.job
    output = destination(spec.job, folder)
    write_job(first.job.raw, list(chosen.values()), output)
    outcome.changes.extend(Change(c.finding, c.edit, str(output)) for c in chosen.values())
    outcome.files.append((spec.job, str(output)))
    return str(output)


def fix_jobs(
    specs: Sequence[JobSpec],
    *,
    settings: Settings,
    target: Target,
    schema_dir: str | Path | None = None,
) -> FixOutcome:
    """Repair every job's data files, then check the result."""
    catalog = ModuleCatalog(Path(schema_dir) if schema_dir is not None else None)
    if target.dry_run:
        with tempfile.TemporaryDirectory(prefix="bwlint-fix-") as scratch:
            return _fix_all(specs, settings, catalog, target, Path(scratch))
    folder = target.out
    if folder is None and not target.in_place:
        raise UsageError("say where the repaired files go: --out DIR, or --in-place")
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{folder}: cannot create the folder: {exc.strerror}") from None
    return _fix_all(specs, settings, catalog, target, folder)


def _fix_all(
    specs: Sequence[JobSpec],
    settings: Settings,
    catalog: ModuleCatalog,
    target: Target,
    folder: Path | None,
) -> FixOutcome:
    from bwlint.services.fix_recheck import recheck

    total = FixOutcome(dry_run=target.dry_run)
    jobs: list[JobResult] = []
    for spec in specs:
        checked, outcome, first = fix_job(
            spec, settings=settings, catalog=catalog, target=target, folder=folder
        )
        total.changes.extend(outcome.changes)
        total.not_applied.extend(outcome.not_applied)
        total.files.extend(outcome.files)
        edits = [c.edit for c in outcome.changes if isinstance(c.edit, CellEdit)]
        rewritten = {c.edit.file for c in outcome.changes if isinstance(c.edit, FileEdit)}
        jobs.append(
            recheck(checked, first.files, edits, dict(outcome.files), settings=settings,
                    catalog=catalog, reread=rewritten)
        )  # fmt: skip
    total.result = RunResult(jobs)
    if target.dry_run:
        from bwlint.services.fix_files import shown_as_inputs

        total.result = shown_as_inputs(total.result, total.files)
        total.changes = [Change(c.finding, c.edit, None) for c in total.changes]
        total.files = [(source, source) for source, _ in total.files]
    return total
