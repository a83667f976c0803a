"""A bulk write job's details, read tolerantly.

Status strings differ between Zoho's sources (`IN PROGRESS` in the SDK and the OAS,
`INPROGRESS` in the doc samples): they are compared without spaces, underscores or
case. The details are one top-level object; a `{"data": [...]}` wrapper is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TERMINAL = frozenset({"COMPLETED", "FAILED"})
SHOWN = {"INPROGRESS": "IN PROGRESS"}


def normalise_status(value: Any) -> str:
    """`IN PROGRESS`, `INPROGRESS`, `in_progress` → `INPROGRESS`; None → `UNKNOWN`."""
    if not isinstance(value, str) or not value.strip():
        return "UNKNOWN"
    return value.upper().replace(" ", "").replace("_", "").replace("-", "")


def shown_status(status: str) -> str:
    return SHOWN.get(status, status)


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class ResourceState:
    """One resource of the job: its module, status and record counts."""

    module: str
    status: str
    code: str | None = None
    file_name: str | None = None
    added: int = 0
    updated: int = 0
    skipped: int = 0
    total: int = 0


@dataclass(frozen=True)
class JobState:
    """What Get Bulk Write Job Details says about a job."""

    id: str
    status: str  # normalised: ADDED, INPROGRESS, COMPLETED, FAILED, …
    operation: str | None = None
    resources: tuple[ResourceState, ...] = ()
    download_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    @property
    def failed(self) -> bool:
        return self.status == "FAILED"

    @property
    def skipped(self) -> int:
        return sum(r.skipped for r in self.resources)


def _module_name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("api_name") or "?")
    return str(value or "?")


def _resource(raw: dict[str, Any]) -> ResourceState:
    given = raw.get("file")
    file: dict[str, Any] = given if isinstance(given, dict) else {}
    return ResourceState(
        module=_module_name(raw.get("module")),
        status=normalise_status(raw.get("status")),
        code=raw.get("code") if isinstance(raw.get("code"), str) else None,
        file_name=file.get("name") if isinstance(file.get("name"), str) else None,
        added=_count(file.get("added_count")),
        updated=_count(file.get("updated_count")),
        skipped=_count(file.get("skipped_count")),
        total=_count(file.get("total_count")),
    )


def parse_job(body: Any, job_id: str) -> JobState:
    """The job state in a details body (None-safe: odd bodies give status UNKNOWN)."""
    if isinstance(body, dict) and isinstance(body.get("data"), list) and body["data"]:
        body = body["data"][0]
    if not isinstance(body, dict):
        return JobState(id=job_id, status="UNKNOWN")
    listed = body.get("resource")
    resources: list[Any] = listed if isinstance(listed, list) else []
    given = body.get("result")
    result: dict[str, Any] = given if isinstance(given, dict) else {}
    url = result.get("download_url")
    return JobState(
        id=str(body.get("id") or job_id),
        status=normalise_status(body.get("status") or body.get("state")),
        operation=body.get("operation") if isinstance(body.get("operation"), str) else None,
        resources=tuple(_resource(r) for r in resources if isinstance(r, dict)),
        download_url=url if isinstance(url, str) and url else None,
        raw=body,
    )
