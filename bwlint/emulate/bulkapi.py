"""The bulk write endpoints: upload, create job, job details, result download.

Shapes and codes follow Zoho's documentation, OpenAPI file and v8 SDK: an upload answers
`FILE_UPLOAD_SUCCESS` with `details.file_id`; a create answers 201 `SUCCESS` with
`details.id`, or 400 with the job-level code bwlint's rules predict; job details are one
top-level object whose status moves ADDED → IN PROGRESS → COMPLETED (or FAILED) over
`job_seconds`; the result is a zip sent as `application/octet-stream` with a
`Content-Disposition` naming it. A job costs 500 credits; past the daily limit the
create answers 429.
"""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

from flask import Flask, Response, request

from bwlint.emulate import jobstate
from bwlint.emulate.context import Context, answer, error, file_host_error
from bwlint.emulate.processing import process_job
from bwlint.emulate.records import resource_summary, run_file, write_result_zip
from bwlint.emulate.state import now_iso

JOB_CREDITS = 500
HEADERS_MESSAGE = "check if headers [feature, X-CRM-ORG] are present and valid"


def register(app: Flask, ctx: Context) -> None:
    app.add_url_rule("/crm/v8/upload", "upload", lambda: upload(ctx), methods=["POST"])
    app.add_url_rule("/crm/bulk/v8/write", "create", lambda: create(ctx), methods=["POST"])
    app.add_url_rule("/crm/bulk/v8/write/<job_id>", "status", lambda job_id: status(ctx, job_id))
    app.add_url_rule(
        "/v8/crm/<zgid>/bulk-write/<job_id>/<name>",
        "download",
        lambda job_id, **_: download(ctx, job_id),
    )


def _upload_error(ctx: Context, status: int, code: str, message: str, details=None):
    return error(200 if ctx.config.errors_as_200 else status, code, message, details)


def upload(ctx: Context) -> Response:
    feature = request.headers.get("feature")
    org = request.headers.get("X-CRM-ORG")
    if not feature or not org or org != ctx.state.zgid:
        return file_host_error(400, HEADERS_MESSAGE)
    if feature != "bulk-write":
        return _upload_error(
            ctx, 400, "NOT_SUPPORTED_FEATURE", "the feature is not supported", {"feature": feature}
        )
    part = request.files.get("file")
    if part is None:
        return _upload_error(
            ctx,
            400,
            "MANDATORY_NOT_FOUND",
            "required param file is missing",
            {"param_name": "file"},
        )
    content = part.read()
    if len(content) > ctx.config.max_upload_bytes:
        return _upload_error(ctx, 413, "FILE_TOO_LARGE", "File size too large to process")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        return _upload_error(
            ctx, 400, "INVALID_FILE_FORMAT", "invalid file format. only zip format is supported"
        )
    state = ctx.state
    file_id = state.new_id()
    state.file_path(file_id).write_bytes(content)
    created = now_iso()
    with state.lock:
        state.files[file_id] = {
            "name": part.filename or "upload.zip",
            "size": len(content),
            "created_time": created,
        }
        state.save()
    details = {"file_id": file_id, "created_time": created}
    return answer(
        {
            "status": "success",
            "code": "FILE_UPLOAD_SUCCESS",
            "message": "file uploaded.",
            "details": details,
        }
    )


def _invalid_request(ctx: Context, body: Any) -> Response | None:
    """The request-level errors Zoho answers before reading the file."""
    if not isinstance(body, dict):
        return error(400, "INVALID_DATA", "the request body is not a JSON object")
    if not body.get("operation"):
        return error(
            400,
            "MISSING_REQUIRED_KEY",
            "required key operation is not found in request body.",
            {"api_name": "operation"},
        )
    callback = body.get("callback")
    if isinstance(callback, dict) and str(callback.get("method", "post")).lower() != "post":
        return error(
            400,
            "INVALID_CALLBACK_METHOD",
            "invalid callback method",
            {"supported_callback_methods": ["post"]},
        )
    resources = body.get("resource")
    if not isinstance(resources, list) or not resources:
        return error(
            400,
            "MANDATORY_NOT_FOUND",
            "required key resource is not available",
            {"api_name": "resource"},
        )
    for resource in resources:
        file_id = str(resource.get("file_id", "")) if isinstance(resource, dict) else ""
        if not file_id:
            return error(
                400,
                "MANDATORY_NOT_FOUND",
                "required key file_id is not available",
                {"api_name": "file_id"},
            )
        if file_id not in ctx.state.files:
            return error(400, "INVALID_FILE_ID", "improper file id", {"file_id": file_id})
    if ctx.state.credits_used() + JOB_CREDITS > ctx.config.daily_credits:
        return error(429, "TOO_MANY_REQUESTS", "the API credits of the day are used up")
    return None


def create(ctx: Context) -> Response:
    body = request.get_json(silent=True)
    refused = _invalid_request(ctx, body)
    if refused is not None:
        return refused
    assert isinstance(body, dict)  # _invalid_request refuses anything else
    state = ctx.state
    file_id = str(body["resource"][0]["file_id"])
    with state.lock:  # one job at a time: the record store stays consistent
        outcome = process_job(state.file_path(file_id), body, schema_dir=ctx.config.schema_dir)
        if outcome.rejection is not None:
            r = outcome.rejection
            return error(400, r.code, r.message, r.details)
        job_id = state.new_id()
        summaries, tables = [], {}
        operation = str(body.get("operation"))
        for file in outcome.files:
            table, counts = run_file(
                file,
                operation,
                state.records,
                ignore_empty=bool(body.get("ignore_empty")),
                new_id=state.new_id,
            )
            tables[file.result_name] = table
            summaries.append({**resource_summary(file, counts), "position": file.position})
        if outcome.failure is None:
            write_result_zip(state.result_path(job_id), tables)
        state.jobs[job_id] = {
            "id": job_id,
            "body": body,
            "operation": operation,
            "created": time.time(),
            "created_time": now_iso(),
            "failure": outcome.failure,
            "files": summaries,
        }
        state.spend(JOB_CREDITS)
        state.save()
    jobstate.schedule_callback(ctx, job_id, request.host_url.rstrip("/"))
    remaining = max(0, ctx.config.daily_credits - state.credits_used())
    return answer(
        {
            "status": "success",
            "code": "SUCCESS",
            "message": "success",
            "details": {"id": job_id, "created_by": ctx.user},
        },
        201,
        {"X-API-CREDITS-REMAINING": str(remaining)},
    )


def status(ctx: Context, job_id: str) -> Response:
    job = ctx.state.jobs.get(job_id)
    if job is None:
        return error(
            404, "RESOURCE_NOT_FOUND", "The requested resource doesn't exist.", {"id": job_id}
        )
    return answer(jobstate.details(ctx, job, request.host_url.rstrip("/")))


def download(ctx: Context, job_id: str) -> Response:
    job = ctx.state.jobs.get(job_id)
    path = ctx.state.result_path(job_id)
    if job is None or jobstate.phase(ctx, job) != "COMPLETED" or not path.is_file():
        return error(404, "RESOURCE_NOT_FOUND", "The requested resource doesn't exist.")
    response = Response(path.read_bytes(), mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{job_id}.zip"'
    return response
