"""The emulator's web app: the token grant, the org, users and metadata, auth, faults.

The bulk write endpoints are in `bulkapi.py`. Every route but the token grant and the
`/_emulator/` admin routes wants `Authorization: Zoho-oauthtoken <token it granted>`
(else 401 `INVALID_TOKEN`) and a granted scope (else 401 `OAUTH_SCOPE_MISMATCH`).
"""

from __future__ import annotations

import contextlib
import re
import socket
import sys
import time
from typing import Any

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from bwlint.emulate import bulkapi
from bwlint.emulate.context import Context, answer, error
from bwlint.emulate.metadata import stable_id
from bwlint.errors import UsageError

# endpoint -> scopes any one of which allows it
SCOPES = {
    "users": ("ZohoCRM.users.READ", "ZohoCRM.users.ALL"),
    "org": ("ZohoCRM.org.READ", "ZohoCRM.org.ALL"),
    "modules": (
        "ZohoCRM.settings.modules.READ",
        "ZohoCRM.settings.modules.ALL",
        "ZohoCRM.settings.ALL",
    ),
    "fields": (
        "ZohoCRM.settings.fields.READ",
        "ZohoCRM.settings.fields.ALL",
        "ZohoCRM.settings.ALL",
    ),
    "layouts": (
        "ZohoCRM.settings.layouts.READ",
        "ZohoCRM.settings.layouts.ALL",
        "ZohoCRM.settings.ALL",
    ),
    "upload": ("ZohoFiles.files.ALL",),
    "create": ("ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.ALL"),
    "status": ("ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.READ", "ZohoCRM.bulk.ALL"),
    "download": ("ZohoCRM.bulk.CREATE", "ZohoCRM.bulk.READ", "ZohoCRM.bulk.ALL"),
}
OPEN = ("token", "admin_state", "admin_faults", "admin_expire")


def create_app(ctx: Context) -> Flask:
    app = Flask("bwlint.emulate")
    app.config["MAX_CONTENT_LENGTH"] = ctx.config.max_upload_bytes + 1024 * 1024
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.wsgi_app = _merge_slashes(app.wsgi_app)  # type: ignore[method-assign]
    app.before_request(lambda: _before(ctx))
    app.after_request(_after)
    _errors(app)
    _routes(app, ctx)
    bulkapi.register(app, ctx)
    return app


def _merge_slashes(wsgi):
    """`//v8/crm/…` (an API domain joined to a relative download_url) is `/v8/crm/…`."""

    def middleware(environ, start_response):
        environ["PATH_INFO"] = re.sub("/{2,}", "/", environ.get("PATH_INFO", "/"))
        return wsgi(environ, start_response)

    return middleware


def _drop_connection() -> None:
    connection = request.environ.get("werkzeug.socket")
    if isinstance(connection, socket.socket):
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)


def _before(ctx: Context):
    endpoint = request.endpoint or ""
    with ctx.state.lock:
        ctx.state.hits[endpoint] += 1
    fault = ctx.faults.pick(endpoint) if not endpoint.startswith("admin") else None
    if fault is not None:
        if fault.kind == "429":
            return error(429, "TOO_MANY_REQUESTS", "Too many requests, try after some time")
        if fault.kind.isdigit():
            return error(int(fault.kind), "INTERNAL_ERROR", "Internal Server Error")
        if fault.kind == "slow":
            time.sleep(ctx.config.slow_seconds)
        elif fault.kind == "drop":
            _drop_connection()
            return answer({}, 500)
        elif fault.kind == "drop-after":
            g.drop_after = True
        elif fault.kind == "expire":
            ctx.state.expire_tokens()
    if endpoint in OPEN or endpoint == "":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Zoho-oauthtoken" or not ctx.state.token_valid(token.strip()):
        return error(401, "INVALID_TOKEN", "invalid oauth token")
    allowed = SCOPES.get(endpoint)
    if allowed and not set(allowed) & set(ctx.config.scopes):
        return error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
    return None


def _after(response):
    if g.get("drop_after"):
        _drop_connection()
    return response


def _errors(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        return error(413, "FILE_TOO_LARGE", "File size too large to process")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 405:
            return error(
                400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
            )
        if exc.code == 404:
            return error(
                404,
                "INVALID_URL_PATTERN",
                "Please check if the URL trying to access is a correct one",
            )
        return error(exc.code or 500, "BAD_REQUEST", exc.description or "bad request")

    @app.errorhandler(Exception)
    def internal(exc: Exception):
        sys.stderr.write(f"bwlint emulate: internal error: {type(exc).__name__}: {exc}\n")
        return error(500, "INTERNAL_ERROR", "Internal Server Error")


def _token(ctx: Context):
    form: dict[str, Any] = {**request.args.to_dict(), **request.form.to_dict()}
    config = ctx.config
    if form.get("grant_type") != "refresh_token":
        return answer({"error": "unsupported_grant_type"})
    if not form.get("client_id") or not form.get("client_secret"):
        return answer({"error": "invalid_client"})
    if (config.client_id and form["client_id"] != config.client_id) or (
        config.client_secret and form["client_secret"] != config.client_secret
    ):
        return answer({"error": "invalid_client"})
    refresh = form.get("refresh_token")
    if not refresh or (config.refresh_token and refresh != config.refresh_token):
        return answer({"error": "invalid_code"})
    token = ctx.state.grant_token(config.token_seconds)
    return answer(
        {
            "access_token": token,
            "scope": " ".join(config.scopes),
            "api_domain": request.host_url.rstrip("/"),
            "token_type": "Bearer",
            "expires_in": config.token_seconds,
        }
    )


def _routes(app: Flask, ctx: Context) -> None:
    app.add_url_rule("/oauth/v2/token", "token", lambda: _token(ctx), methods=["POST"])

    @app.get("/crm/v8/users", endpoint="users")
    def users():
        user = {
            **ctx.user,
            "full_name": ctx.user["name"],
            "first_name": "Emulated",
            "last_name": "Admin",
            "email": ctx.config.user_email,
            "status": "active",
            "role": {"id": stable_id("role", "CEO"), "name": "CEO"},
            "profile": {"id": stable_id("profile", "Administrator"), "name": "Administrator"},
        }
        info = {"per_page": 200, "count": 1, "page": 1, "more_records": False}
        return answer({"users": [user], "info": info})

    @app.get("/crm/v8/org", endpoint="org")
    def org():
        zgid = ctx.state.zgid
        return answer(
            {
                "org": [
                    {
                        "id": stable_id("org", zgid),
                        "zgid": zgid,
                        "company_name": "bwlint emulator",
                        "domain_name": f"org{zgid}",
                        "primary_email": ctx.config.user_email,
                        "country_code": "US",
                        "time_zone": "GMT",
                        "iso_code": "USD",
                        "type": "production",
                        "max_per_page": 200,
                    }
                ]
            }
        )

    @app.get("/crm/v8/settings/modules", endpoint="modules")
    def modules():
        return answer(ctx.metadata.modules())

    @app.get("/crm/v8/settings/fields", endpoint="fields")
    def fields():
        return _module_metadata(ctx.metadata.fields)

    @app.get("/crm/v8/settings/layouts", endpoint="layouts")
    def layouts():
        return _module_metadata(ctx.metadata.layouts)

    _admin(app, ctx)


def _module_metadata(read):
    module = request.args.get("module")
    if not module:
        return error(
            400,
            "REQUIRED_PARAM_MISSING",
            "One of the expected parameter is missing",
            {"param": "module"},
        )
    body = read(module)
    if body is None:
        return error(
            400, "INVALID_MODULE", "the module name given seems to be invalid", {"module": module}
        )
    return answer(body)


def _admin(app: Flask, ctx: Context) -> None:
    """Loopback test hooks: the state's summary, faults, token expiry."""

    @app.get("/_emulator/state", endpoint="admin_state")
    def state():
        return answer({**ctx.state.summary(), "job_ids": sorted(ctx.state.jobs)})

    @app.route("/_emulator/faults", methods=["POST", "DELETE"], endpoint="admin_faults")
    def faults():
        if request.method == "DELETE":
            ctx.faults.clear()
        else:
            body = request.get_json(silent=True) or {}
            try:
                ctx.faults.add([str(rule) for rule in body.get("faults", [])])
            except UsageError as exc:
                return error(400, "INVALID_DATA", str(exc))
        return answer({"status": "success"})

    @app.post("/_emulator/expire-tokens", endpoint="admin_expire")
    def expire():
        ctx.state.expire_tokens()
        return answer({"status": "success"})
