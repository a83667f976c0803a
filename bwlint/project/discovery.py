"""From what the user named to the jobs to check: a `JobSpec` per job.

`bwlint check` takes job JSONs, CSV/ZIP files, directories or nothing at all:

- nothing: every job declared in the configuration (`[[jobs]]`);
- `--job FILE` or `--module NAME`: that one job, against the data files given (a
  directory stands for the CSV/ZIP files in it);
- a job JSON and data files: that job against those files (a `.json` path is the job);
- a job JSON alone: the declared job of that JSON, else the job with its data files by
  the directory convention below;
- a CSV or ZIP alone: the declared jobs whose `data` globs match it, else the job the
  convention gives it; the whole job is checked, with all of its data files;
- a directory: the declared jobs whose job JSON lies under it, else every job the
  convention finds under it.

The directory convention: `NAME.job.json` goes with `NAME.csv` and `NAME.zip` beside it
(the layout `bwlint split` writes); `job.json` goes with every other CSV and ZIP file in
its directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bwlint.errors import UsageError
from bwlint.project.config import Config, DeclaredJob

DATA_SUFFIXES = (".csv", ".zip")
JOB_SUFFIX = ".job.json"
HINT = "pass --job FILE or --module NAME, or declare the job under [[jobs]] in bwlint.toml"
MODULE_OPTIONS_ALONE = (
    "--operation, --find-by, --ignore-empty and --character-encoding go with --module"
)


@dataclass(frozen=True)
class JobSpec:
    """One job to check, as the user named it: a job JSON (or a module and the options
    that stand for its job JSON) and its data files."""

    job: str | None = None
    module: str | None = None
    operation: str | None = None
    find_by: str | None = None
    data: tuple[str, ...] = ()
    ignore_empty: bool | None = None
    character_encoding: str | None = None

    @property
    def name(self) -> str:
        """How reports name the job: its JSON as given, or `--module NAME`."""
        return self.job if self.job is not None else f"--module {self.module}"

    @property
    def key(self) -> tuple:
        if self.job is not None:
            return ("job", str(Path(self.job).resolve()))
        return ("module", self.module, tuple(str(Path(d).resolve()) for d in self.data))

    def size(self) -> int:
        return sum(Path(d).stat().st_size for d in self.data if Path(d).is_file())


def shown(path: Path) -> str:
    """A path the configuration names, as findings show it: relative to the working
    directory, with `..` where it lies outside (never absolute, so that every path of a
    report has one form, and GitHub and SARIF viewers anchor them from the directory
    bwlint runs in, the repository's root in CI)."""
    try:
        return os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:  # another drive (Windows): no relative form
        return str(path)


def is_data(path: Path) -> bool:
    return path.suffix.lower() in DATA_SUFFIXES


def is_job(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _data_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and is_data(p))


def convention_data(job_json: Path) -> list[Path]:
    """The data files the directory convention gives a job JSON."""
    folder = job_json.parent
    name = job_json.name.lower()
    if name.endswith(JOB_SUFFIX):
        stem = job_json.name[: -len(JOB_SUFFIX)]
        return [p for p in _data_in(folder) if p.stem == stem]
    if name == "job.json":
        claimed = {
            p.name[: -len(JOB_SUFFIX)]
            for p in folder.glob("*")
            if p.name.lower().endswith(JOB_SUFFIX)
        }
        return [p for p in _data_in(folder) if p.stem not in claimed]
    return []


def convention_job(data: Path) -> Path | None:
    """The job JSON the directory convention gives a data file, if any."""
    named = data.with_name(data.stem + JOB_SUFFIX)
    if named.is_file():
        return named
    plain = data.with_name("job.json")
    return plain if plain.is_file() else None


def _declared_run(declared: DeclaredJob) -> JobSpec:
    return JobSpec(
        job=shown(declared.job) if declared.job is not None else None,
        module=declared.module,
        operation=declared.operation,
        find_by=declared.find_by,
        data=tuple(shown(p) for p in declared.data_files()),
        ignore_empty=declared.ignore_empty,
        character_encoding=declared.character_encoding,
    )


def _json_run(path: Path, config: Config) -> JobSpec:
    for declared in config.jobs:
        if declared.job is not None and declared.job.resolve() == path.resolve():
            return _declared_run(declared)
    return JobSpec(job=str(path), data=tuple(str(p) for p in convention_data(path)))


def _data_runs(path: Path, config: Config) -> list[JobSpec]:
    owners = [_declared_run(declared) for declared in config.jobs if declared.owns(path)]
    if owners:
        return owners  # every job that declares the file
    job = convention_job(path)
    if job is None:
        raise UsageError(
            f"{path}: no job declares this file and no {path.stem}{JOB_SUFFIX} or job.json "
            f"is beside it: nothing to check against; {HINT}"
        )
    return [_json_run(job, config)]


def _has_data_under(declared: DeclaredJob, root: Path) -> bool:
    try:
        return any(p.is_relative_to(root) for p in declared.data_files())
    except UsageError:  # its globs match nothing: not this directory's job
        return False


def _directory_runs(folder: Path, config: Config) -> list[JobSpec]:
    root = folder.resolve()
    declared = [
        d
        for d in config.jobs
        if (d.job is not None and d.job.resolve().is_relative_to(root))
        or (d.job is None and _has_data_under(d, root))
    ]
    if declared:
        return [_declared_run(d) for d in declared]
    jobs = sorted(
        p
        for p in folder.rglob("*.json")
        if p.name.lower() == "job.json" or p.name.lower().endswith(JOB_SUFFIX)
    )
    if not jobs:
        raise UsageError(
            f"{folder}: no job.json or NAME{JOB_SUFFIX} in this directory or below; {HINT}"
        )
    return [_json_run(job, config) for job in jobs]


def _expand(paths: Iterable[str]) -> list[str]:
    """Data paths with each directory replaced by the CSV/ZIP files in it."""
    result: list[str] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            result.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and is_data(p))
        else:
            result.append(text)
    return result


def resolve(
    paths: list[str],
    config: Config,
    *,
    job: str | None = None,
    module: str | None = None,
    operation: str | None = None,
    find_by: str | None = None,
    ignore_empty: bool | None = None,
    character_encoding: str | None = None,
) -> list[JobSpec]:
    """The jobs that `bwlint check PATHS` means (see the module's docstring)."""
    if job is not None or module is not None:
        data = tuple(_expand(paths))
        return [JobSpec(job, module, operation, find_by, data, ignore_empty, character_encoding)]
    if any(o is not None for o in (operation, find_by, ignore_empty, character_encoding)):
        raise UsageError(MODULE_OPTIONS_ALONE)
    if not paths:
        if not config.jobs:
            raise UsageError(
                "nothing to check: give a PATH, --job FILE or --module NAME, or declare "
                "[[jobs]] in bwlint.toml or [tool.bwlint] (see the README's Configuration)"
            )
        return _unique([_declared_run(d) for d in config.jobs])
    given = [Path(p) for p in paths]
    jsons = [p for p in given if is_job(p) and not p.is_dir()]
    others = [p for p in given if not (is_job(p) and not p.is_dir())]
    if len(jsons) == 1 and others and not any(p.is_dir() for p in others):
        # `bwlint check job.json leads.csv`: that job, those files.
        return [JobSpec(job=str(jsons[0]), data=tuple(str(p) for p in others))]
    runs: list[JobSpec] = []
    for path in given:
        if not path.exists():
            # Before the convention: a missing CSV beside a job.json would otherwise
            # check that job's other files and never name the one asked for.
            raise UsageError(f"{path}: no such file or directory")
        if path.is_dir():
            runs.extend(_directory_runs(path, config))
        elif is_job(path):
            runs.append(_json_run(path, config))
        elif is_data(path):
            runs.extend(_data_runs(path, config))
        else:
            raise UsageError(f"{path}: not a CSV, ZIP, job JSON or directory")
    return _unique(runs)


RESULTS_DIR = "results"  # where `bwlint submit` saves result CSVs, beside the job


def _is_result(path: Path, top: Path) -> bool:
    """A result CSV `bwlint submit` saved: in `results/<job id>/` (beside the job's first
    data file, wherever that is), or under `results/` beside a job JSON (below `top`,
    the directory given)."""
    if path.parent.name.isdigit() and path.parent.parent.name == RESULTS_DIR:
        return True
    for folder in path.relative_to(top).parents:
        folder = top / folder
        if folder.name == RESULTS_DIR and any(
            p.name.lower() == "job.json" or p.name.lower().endswith(JOB_SUFFIX)
            for p in folder.parent.glob("*.json")
        ):
            return True
    return False


def unclaimed(paths: list[str], specs: list[JobSpec]) -> list[str]:
    """The CSV and ZIP files under the directories in `paths` that none of `specs`
    reads (neither the convention nor a declared job claims them), as found; result
    CSVs of `bwlint submit` and hidden folders aside."""
    claimed = {Path(d).resolve() for spec in specs for d in spec.data}
    found: list[str] = []
    for text in paths:
        folder = Path(text)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            inside = path.relative_to(folder).parts
            if any(part.startswith(".") for part in inside) or not is_data(path):
                continue
            if path.is_file() and path.resolve() not in claimed and not _is_result(path, folder):
                found.append(str(path))
    return found


def _unique(runs: list[JobSpec]) -> list[JobSpec]:
    seen: dict[tuple, JobSpec] = {}
    for run in runs:
        seen.setdefault(run.key, run)
    return list(seen.values())
