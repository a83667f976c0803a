"""A job's status over time, its details body, and the callback at its end."""

from __future__ import annotations

import ipaddress
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from bwlint.emulate.context import Context

MAPPING_KEYS = (
    "api_name",
    "index",
    "format",
    "find_by",
    "default_value",
    "module",
    "parent_column_index",
)


def phase(ctx: Context, job: dict[str, Any]) -> str:
    """ADDED for the first quarter of `job_seconds`, IN PROGRESS until its end, then
    COMPLETED (FAILED for a job bwlint's rules say Zoho would fail)."""
    elapsed = time.time() - float(job["created"])
    total = ctx.config.job_seconds
    if elapsed < total * 0.25:
        return "ADDED"
    if elapsed < total:
        return "INPROGRESS"
    return "FAILED" if job.get("failure") else "COMPLETED"


def _resource(ctx: Context, job: dict[str, Any], position: int, raw: Any, now: str):
    raw = raw if isinstance(raw, dict) else {}
    summary = next((f for f in job["files"] if f.get("position") == position), None)
    spelled = ctx.config.in_progress
    mappings = [
        {key: m.get(key) for key in MAPPING_KEYS}
        for m in raw.get("field_mappings") or []
        if isinstance(m, dict)
    ]
    resource: dict[str, Any] = {
        "status": spelled if now in ("ADDED", "INPROGRESS") else now,
        "type": raw.get("type", "data"),
        "code": {"ADDED": "ADDED", "INPROGRESS": "ADDED", "COMPLETED": "SUCCESS"}.get(now, now),
        "module": raw.get("module"),
        "field_mappings": mappings,
        "file": {"status": spelled if now in ("ADDED", "INPROGRESS") else now},
    }
    if summary is not None and now != "ADDED":
        done = now == "COMPLETED"
        resource["file"].update(
            name=summary["name"],
            added_count=summary["added"] if done else 0,
            skipped_count=summary["skipped"] if done else 0,
            updated_count=summary["updated"] if done else 0,
            total_count=summary["total"],
        )
    return resource


def details(ctx: Context, job: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The Get Bulk Write Job Details body, as of now."""
    now = phase(ctx, job)
    body = job["body"]
    shown = ctx.config.in_progress if now == "INPROGRESS" else now
    result: dict[str, Any] = {
        "status": shown,
        "character_encoding": body.get("character_encoding") or "UTF-8",
        "resource": [_resource(ctx, job, n, raw, now) for n, raw in enumerate(body["resource"])],
        "id": job["id"],
        "created_by": ctx.user,
        "operation": job["operation"],
        "created_time": job["created_time"],
    }
    if isinstance(body.get("callback"), dict):
        result["callback"] = body["callback"]
    if now == "COMPLETED":
        path = f"/v8/crm/{ctx.state.zgid}/bulk-write/{job['id']}/{job['id']}.zip"
        url = path if ctx.config.relative_download_url else base_url + path
        result["result"] = {"download_url": url}
    return result


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def schedule_callback(ctx: Context, job_id: str, base_url: str) -> None:
    """POST the job's details to its callback URL when it ends (loopback URLs only,
    unless `any_callback`: the emulator sends nothing off this machine by default)."""
    callback = ctx.state.jobs[job_id]["body"].get("callback")
    url = callback.get("url") if isinstance(callback, dict) else None
    if not isinstance(url, str) or not url:
        return
    if not (ctx.config.any_callback or _loopback(url)):
        if not ctx.config.quiet:
            sys.stderr.write(
                f"bwlint emulate: job {job_id}: callback to {url} not sent "
                "(not a loopback address; --any-callback allows it)\n"
            )
        return

    def fire() -> None:
        job = ctx.state.jobs.get(job_id)
        if job is None:
            return
        try:
            httpx.post(url, json=details(ctx, job, base_url), timeout=10)
        except httpx.HTTPError as exc:
            sys.stderr.write(f"bwlint emulate: callback to {url} failed: {exc}\n")

    timer = threading.Timer(max(0.0, ctx.config.job_seconds) + 0.01, fire)
    timer.daemon = True
    timer.start()
