"""`--result-preview`: the result file Zoho would return, predicted from the findings.

Zoho's result zip holds one CSV per module, named `<Module>-<file name>`: the first
three mapped columns of the upload, then STATUS, RECORD_ID and ERRORS, where ERRORS
is `<code>-<column header>`, several columns under one code joined by `,` and
several codes by `:` (e.g. `MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email`).

Offline, STATUS is `skipped` for a record with an error finding (or a child row of a
parent row that is skipped: BW622), else `added` on
insert and `updated` on update. An upsert updates the records it finds: offline
bwlint can only know that for a record found by a non-empty `id` (ids come from the
CRM), so those are `updated` and the rest `added`. RECORD_ID stays empty.

Each job's previews come from that job's findings and operation. Several previews go
into a directory as `<Module>-<file name>`; where two jobs would give the same name,
each of those is put in a folder named after its job (its path without `.json`).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import polars as pl

from bwlint.domain.enums import Operation, Severity
from bwlint.domain.finding import Finding
from bwlint.domain.results import JobResult, RunResult
from bwlint.errors import UsageError
from bwlint.formula import defused
from bwlint.outputs import Inputs, write_atomic
from bwlint.project.binding import Binding

# The per-record codes of the result file (Download Bulk Write Result).
RECORD_CODES = frozenset(
    {
        "MANDATORY_NOT_FOUND",
        "INVALID_DATA",
        "DUPLICATE_DATA",
        "NOT_APPROVED",
        "BLOCKED_RECORD",
        "CANNOT_PROCESS",
        "LIMIT_EXCEEDED",
        "RESOURCE_NOT_FOUND",
    }
)
ECHOED_COLUMNS = 3


def echoed_columns(binding: Binding) -> list[int]:
    """The first three mapped CSV columns, in mapping order."""
    assert binding.data is not None
    width = binding.data.frame.width
    indexes: list[int] = []
    for mapping in binding.mappings:
        index = mapping.index
        if index is not None and 0 <= index < width and index not in indexes:
            indexes.append(index)
        if len(indexes) == ECHOED_COLUMNS:
            break
    return indexes


# Findings that skip a record although they are no error of its own: a child row of
# a parent row Zoho skips (BW622) goes with it.
SKIPS_WITH_PARENT = frozenset({"BW622"})


def _skips(finding: Finding) -> bool:
    return finding.severity == Severity.ERROR or finding.code in SKIPS_WITH_PARENT


def _named_as(finding: Finding, mapped: set[int]) -> str | None:
    """How ERRORS names a finding's column: its header when the job maps the column,
    else the field it is about (a quote without line items: `Quoted_Items`, not the
    unmapped key column that links them)."""
    number = finding.location.column_number
    if number is not None and number - 1 in mapped:
        return finding.column
    return finding.field or finding.column


def _errors(job: JobResult, binding: Binding) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records to skip, the ERRORS text of each record that has record-level codes)."""
    data = binding.data
    assert data is not None
    mapped = {m.index for m in binding.mappings if m.index is not None}
    rows = [
        (f.record, f.zoho_code, f.location.column_number, _named_as(f, mapped))
        for f in job.findings
        if _skips(f) and f.record is not None and f.file == data.display
    ]
    frame = pl.DataFrame(
        rows,
        schema={"record": pl.Int64, "code": pl.String, "col": pl.Int64, "header": pl.String},
        orient="row",
    )
    skipped = frame.select("record").unique()
    parts = (
        frame.filter(pl.col("code").is_in(list(RECORD_CODES)))
        .unique(["record", "code", "col"])
        .sort(["record", "col"], nulls_last=True)
        .group_by(["record", "code"], maintain_order=True)
        .agg(pl.col("col").min().alias("first"), pl.col("header").drop_nulls())
        .with_columns(
            pl.when(pl.col("header").list.len() > 0)
            .then(pl.col("code") + "-" + pl.col("header").list.join(","))
            .otherwise(pl.col("code"))
            .alias("part")
        )
        .sort(["record", "first"], nulls_last=True)
        .group_by("record", maintain_order=True)
        .agg(pl.col("part").str.join(":").alias("ERRORS"))
    )
    return skipped, parts


def preview(job: JobResult, binding: Binding) -> str:
    """The predicted result CSV of one binding of a job, as text."""
    data = binding.data
    assert data is not None
    indexes = echoed_columns(binding)
    operation = job.job.operation
    skipped, errors = _errors(job, binding)
    frame = data.frame.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("record"),
        # a cell a spreadsheet would run as a formula is written with a leading '
        *(defused(pl.col(str(i))).alias(f"c{n}") for n, i in enumerate(indexes)),
    )
    done = pl.lit("updated" if operation is Operation.UPDATE else "added")
    if operation is Operation.UPSERT and binding.resource.find_by == "id":
        key = next((m.index for m in binding.mappings if m.api_name == "id"), None)
        if key is not None and 0 <= key < data.frame.width:
            found = pl.col(str(key)).str.strip_chars().fill_null("") != ""
            frame = frame.with_columns(data.frame.select(found.alias("found")).to_series())
            done = pl.when(pl.col("found")).then(pl.lit("updated")).otherwise(pl.lit("added"))
    result = (
        frame.join(errors, on="record", how="left")
        .join(skipped.with_columns(pl.lit(True).alias("skip")), on="record", how="left")
        .sort("record")
        .select(
            *(f"c{n}" for n in range(len(indexes))),
            pl.when(pl.col("skip")).then(pl.lit("skipped")).otherwise(done).alias("STATUS"),
            pl.lit(None, dtype=pl.String).alias("RECORD_ID"),
            pl.col("ERRORS"),
        )
    )
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(
        [*(_defused_text(data.header[i]) for i in indexes), "STATUS", "RECORD_ID", "ERRORS"]
    )
    body = result.write_csv(include_header=False, line_terminator="\n")
    return head.getvalue() + body


def _defused_text(text: str) -> str:
    return pl.select(defused(pl.lit(text, dtype=pl.String))).item()


def preview_name(binding: Binding) -> str:
    """Zoho's name for a result CSV: `<Module>-<file name>`."""
    assert binding.data is not None
    module = binding.module.api_name if binding.module else binding.resource.module
    return f"{module}-{binding.data.name}"


def _named(report: RunResult) -> list[tuple[str, JobResult, Binding]]:
    """(file name, job, binding) of every preview, names made unique across jobs."""
    previews = [
        (preview_name(binding), job, binding)
        for job in report.jobs
        for binding in job.bindings
        if binding.data is not None
    ]
    counts: dict[str, int] = {}
    for name, _, _ in previews:
        counts[name] = counts.get(name, 0) + 1
    named, taken = [], set()
    for name, job, binding in previews:
        if counts[name] > 1:
            folder = _job_folder(job)
            number = 1
            while f"{folder}/{name}" in taken:  # two jobs of one name: number them
                number += 1
                folder = f"{_job_folder(job)}-{number}"
            name = f"{folder}/{name}"
        taken.add(name)
        named.append((name, job, binding))
    return named


def _job_folder(job: JobResult) -> str:
    """A folder for a job's previews: its job JSON's path without `.json` (relative,
    `..` as `_`), or `module-NAME` for a module job."""
    if job.path is None:
        return job.name.replace("--module ", "module-")
    path = Path(job.path)
    path = path.with_suffix("") if path.suffix.lower() == ".json" else path
    parts = ["_" if part == ".." else part for part in path.parts if part not in ("/", ".")]
    return "/".join(parts)


def write_previews(report: RunResult, target: str, inputs: Inputs | None = None) -> list[Path]:
    """Write one preview per data file: to `target`, or into it when there are several
    (or it is a directory, or ends with `/`). Each file is written beside its place and
    renamed into it; a place that is one of the run's `inputs` is refused before any
    file is written."""
    previews = _named(report)
    if not previews:
        return []
    if not target.strip():
        raise UsageError("--result-preview is empty: give a file or directory name")
    path = Path(target)
    # `out/` names a directory, as it does for cp and rsync, even before it exists
    several = len(previews) > 1 or path.is_dir() or target.endswith(("/", os.sep))
    places = [(path / name if several else path, job, binding) for name, job, binding in previews]
    if inputs is not None:
        for out, _, _ in places:
            inputs.refuse(out, "--result-preview")
    try:
        if several:
            path.mkdir(parents=True, exist_ok=True)
        for out, _, _ in places:
            if several:
                out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write the result preview: {exc.strerror}") from None
    for out, job, binding in places:
        write_atomic(out, preview(job, binding), what="the result preview", newline="")
    return [out for out, _, _ in places]
