"""`split`: a job whose data passes a Zoho limit, cut into jobs Zoho takes.

`DIR/part-001.zip` + `DIR/part-001.job.json`, … and `DIR/manifest.json`: the layout the
directory convention reads, so `bwlint check DIR` checks every part. Each part's zip
holds the job's CSV(s) under their own names, the header row repeated, the records in
the input's order; in a parent-child job every child row goes with its parent
(split_plan.py). The bytes of the records are copied, never re-serialised: the input
is memory-mapped and each part streamed into its zip (parts are compressed on every
core), so a large file is never held twice. A single-module job's CSV is read keeping
only the columns split's rules read (`_columns_read`). A part whose zip comes out over
the size limit makes the plan start again with fewer records per part.
"""

from __future__ import annotations

import copy
import hashlib
import json
import mmap
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint import __version__
from bwlint.checks.file import trailing_unnamed
from bwlint.domain.limits import Limits
from bwlint.domain.model import Job
from bwlint.domain.results import JobResult, RunResult
from bwlint.errors import UsageError
from bwlint.load.archive import member_of
from bwlint.load.data import DataFile
from bwlint.load.metadata import ModuleCatalog
from bwlint.load.parse import Columns
from bwlint.load.rewrite import CannotEdit, check_editable, line_starts
from bwlint.project.binding import Binding
from bwlint.project.discovery import JobSpec
from bwlint.services.check import check_job, load_job, selected_checks, uploads
from bwlint.services.deflate import use_fast_deflate
from bwlint.services.split_plan import Part, parent_child_parts, single_parts
from bwlint.settings import Settings

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
RESOLVED = ("BW203", "BW205")  # the size findings a split answers
# The rules split runs on its input: the job's, the files' structure and the
# parent-child links, which decide whether and how it can be cut; the values of the
# cells and records (BW4xx, BW5xx) are check's and fix's business, and the parts carry
# them unchanged.
VALUE_RULES = ("BW4", "BW5")
CHUNK = 1 << 22


@dataclass
class Source:
    """A data file of the job as bytes: the header row's bytes and each record's start."""

    data: DataFile
    body: Any  # bytes or a read-only mmap
    header: bytes
    keep: Any = None  # the open file behind a mmap

    def spans(self, runs: list[tuple[int, int]], starts: dict[int, int]) -> list[tuple[int, int]]:
        end = len(self.body)
        return [(starts[a], starts.get(b, end)) for a, b in runs if b > a]

    def read(self, start: int, end: int) -> bytes:
        """Bytes of the file: read from disk (never through the mapping, whose pages would
        stay resident), or sliced from a zip member's bytes."""
        if self.keep is None or not hasattr(os, "pread"):
            return bytes(self.body[start:end])
        return os.pread(self.keep.fileno(), end - start, start)


@dataclass
class PartFile:
    number: int
    zip_name: str
    zip_bytes: int
    sha256: str
    part: Part


@dataclass
class SplitOutcome:
    folder: str
    parts: list[PartFile] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    result: RunResult = field(default_factory=RunResult)


def _open(data: DataFile) -> Source:
    if data.zip_path is not None:
        with zipfile.ZipFile(data.zip_path) as archive:
            body: Any = archive.read(member_of(archive, data))
        handle = None
    else:
        handle = open(data.display, "rb")  # noqa: SIM115 - kept open with the mapping
        size = os.fstat(handle.fileno()).st_size
        body = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    try:
        check_editable(body, data.encoding)
        header_end = line_starts(body, [data.header_lines + 1])[0] if data.records else len(body)
    except CannotEdit as exc:
        raise UsageError(f"{data.display}: cannot be split: {exc}") from None
    source = Source(data, body, b"", handle)
    source.header = source.read(0, header_end)
    return source


def _starts(source: Source, parts: list[Part]) -> dict[int, int]:
    """The byte offset of every record a run starts or ends at (0-based records)."""
    data = source.data
    wanted = sorted(
        {i for part in parts for a, b in part.runs.get(data.display, []) for i in (a, b)}
        - {data.records}
    )
    if not wanted:
        return {}
    if data.record_lines is None:
        lines = [i + 1 + data.header_lines for i in wanted]
    else:
        lines = data.record_lines.gather(wanted).to_list()
    return dict(zip(wanted, line_starts(source.body, lines), strict=True))


def _method(
    part: Part, sources: list[Source], starts: dict[str, dict[int, int]], limits: Limits
) -> tuple[int, int]:
    """(compression, level) of a part's zip: deflated at `limits.zip_level`; level 0
    stores the CSVs when they fit the size limit as they are, else deflates at 1."""
    if limits.zip_level > 0:
        return zipfile.ZIP_DEFLATED, limits.zip_level
    raw = sum(
        len(s.header) + hi - lo
        for s in sources
        for lo, hi in s.spans(part.runs.get(s.data.display, []), starts[s.data.display])
    )
    fits = raw + 200 * len(sources) <= limits.zip_bytes  # + the zip's own headers
    return (zipfile.ZIP_STORED, 0) if fits else (zipfile.ZIP_DEFLATED, 1)


def _write_zip(
    path: Path,
    part: Part,
    sources: list[Source],
    starts: dict[str, dict[int, int]],
    limits: Limits,
) -> tuple[int, str]:
    method, level = _method(part, sources, starts, limits)
    with zipfile.ZipFile(path, "w", method, compresslevel=level or None) as archive:
        for source in sources:
            info = zipfile.ZipInfo(source.data.name, date_time=FIXED_TIME)
            info.compress_type = method
            runs = part.runs.get(source.data.display, [])
            with archive.open(info, "w", force_zip64=True) as member:
                use_fast_deflate(member, info, level)
                member.write(source.header)
                for lo, hi in source.spans(runs, starts[source.data.display]):
                    for at in range(lo, hi, CHUNK):
                        member.write(source.read(at, min(at + CHUNK, hi)))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def _parts_of(bindings: list[Binding], size: int) -> list[Part]:
    readable = [b for b in bindings if b.data is not None]
    if len(readable) == 1 and not readable[0].is_child:
        data = readable[0].data
        assert data is not None
        return single_parts(data.display, data.records, size)
    parents = [b for b in readable if not b.is_child]
    if len(parents) != 1:
        raise UsageError("the job's data files could not be matched to its resources")
    return parent_child_parts(parents[0], [b for b in readable if b.is_child], size)


def _compress_all(
    folder: Path, parts: list[Part], sources: list[Source], limits: Limits
) -> list[tuple[int, str]]:
    starts = {}
    for source in sources:
        starts[source.data.display] = _starts(source, parts)
    workers = max(1, min(len(parts), os.cpu_count() or 1, 4))
    with ThreadPoolExecutor(workers) as pool:
        jobs = [
            pool.submit(
                _write_zip, folder / f".part-{n:03d}.zip.tmp", part, sources, starts, limits
            )
            for n, part in enumerate(parts, 1)
        ]
        return [job.result() for job in jobs]


def _planned(
    folder: Path, bindings: list[Binding], sources: list[Source], limits: Limits
) -> list[PartFile]:
    """Parts that fit both limits: fewer records per part until every zip fits."""
    size = limits.records
    while True:
        parts = _parts_of(bindings, size)
        written = _compress_all(folder, parts, sources, limits)
        largest = max(zip_bytes for zip_bytes, _ in written)
        if largest <= limits.zip_bytes:
            return [
                PartFile(n, f"part-{n:03d}.zip", zip_bytes, sha, part)
                for n, (part, (zip_bytes, sha)) in enumerate(zip(parts, written, strict=True), 1)
            ]
        smaller = int(size * limits.zip_bytes / largest * 0.9)
        if smaller < 1 or smaller >= size:
            raise UsageError("a single record zips to more than the size limit")
        for n in range(1, len(parts) + 1):
            (folder / f".part-{n:03d}.zip.tmp").unlink(missing_ok=True)
        size = smaller


def _job_body(result: JobResult, number: int) -> dict[str, Any]:
    body = copy.deepcopy(result.job.raw) if isinstance(result.job.raw, dict) else {}
    for resource in body.get("resource") or []:
        if isinstance(resource, dict):
            resource["file_id"] = f"part-{number:03d}"
    return body


def _prepare(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: not an empty folder; split writes its parts into a new one")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot create the folder: {exc.strerror}") from None


def split_job(
    spec: JobSpec, *, settings: Settings, catalog: ModuleCatalog, folder: Path
) -> SplitOutcome:
    """Cut one job's data into parts under `folder`; report the input's findings other
    than those the split answers."""
    job, data_paths = load_job(spec)
    if len(uploads(job, data_paths)) > 1:
        raise UsageError(
            f"{spec.name}: these {len(data_paths)} files are {len(data_paths)} uploads of the "
            "job; split cuts one at a time (give one CSV or ZIP)"
        )
    checks = [c for c in selected_checks(settings) if not c.code.startswith(VALUE_RULES)]
    result = check_job(
        spec, settings=settings, catalog=catalog, checks=checks, columns=_columns_read(job)
    )
    _refuse_unsplittable(result)
    _prepare(folder)
    sources = [_open(b.data) for b in result.bindings if b.data is not None]
    try:
        parts = _planned(folder, result.bindings, sources, settings.limits)
    finally:
        for source in sources:
            if isinstance(source.body, mmap.mmap):
                source.body.close()
            if source.keep is not None:
                source.keep.close()
    for part in parts:
        os.replace(folder / f".part-{part.number:03d}.zip.tmp", folder / part.zip_name)
        body = json.dumps(_job_body(result, part.number), indent=2, ensure_ascii=False) + "\n"
        (folder / f"part-{part.number:03d}.job.json").write_text(body, encoding="utf-8")
    outcome = SplitOutcome(str(folder), parts)
    outcome.manifest = manifest(spec, result, parts, folder, settings.limits)
    (folder / "manifest.json").write_text(
        json.dumps(outcome.manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    kept = [f for f in result.findings if f.code not in RESOLVED]
    outcome.result = RunResult(
        [JobResult(result.name, result.job, result.files, result.bindings, kept, result.children)]
    )
    return outcome


def _columns_read(job: Job) -> Columns | None:
    """The columns the frame of a single-module job's CSV must hold for split: its
    rules (job, file) read the header, the record count and line map, and the cells of
    BW206's unnamed trailing columns only; the others are parsed and counted, not kept
    (a 1,000,000 × 24 file is then never held whole). A parent-child job's rules read
    its key columns: its files are read whole (None)."""
    if len(job.resources) != 1:
        return None
    return trailing_unnamed


def _refuse_unsplittable(result: JobResult) -> None:
    for data in result.files:
        facts = data.facts
        problem = (
            facts.unreadable
            or (facts.unterminated and "a quoted value is never closed")
            or (facts.ragged and "records with more or fewer fields than the header")
        )
        if problem:
            raise UsageError(
                f"{data.display}: cannot be split: {problem} (bwlint check shows where)"
            )
    if not any(b.data is not None for b in result.bindings):
        raise UsageError(f"{result.name}: no data file to split")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(
    spec: JobSpec, result: JobResult, parts: list[PartFile], folder: Path, limits: Limits
) -> dict[str, Any]:
    files = [b.data for b in result.bindings if b.data is not None]
    return {
        "bwlint_version": __version__,
        "job": spec.job,
        "module": spec.module,
        "limits": {
            "records": limits.records,
            "zip_bytes": limits.zip_bytes,
            "zip_level": limits.zip_level,
        },
        "inputs": [{"file": d.display, "name": d.name, "records": d.records} for d in files],
        "parts": [
            {
                "part": p.number,
                "zip": p.zip_name,
                "job": f"part-{p.number:03d}.job.json",
                "zip_bytes": p.zip_bytes,
                "sha256": {
                    p.zip_name: p.sha256,
                    f"part-{p.number:03d}.job.json": _sha(folder / f"part-{p.number:03d}.job.json"),
                },
                "files": [
                    {
                        "name": d.name,
                        "rows": p.part.rows(d.display),
                        "records": [[a + 1, b] for a, b in p.part.runs.get(d.display, [])],
                    }
                    for d in files
                ],
            }
            for p in parts
        ],
    }
