"""What every route of the emulator shares, and Zoho's answer shapes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify

from bwlint.emulate.config import EmulatorConfig
from bwlint.emulate.faults import Faults
from bwlint.emulate.metadata import Metadata, stable_id
from bwlint.emulate.state import State

USER_NAME = "Emulated Admin"


@dataclass
class Context:
    config: EmulatorConfig
    state: State
    metadata: Metadata
    faults: Faults

    @property
    def user(self) -> dict[str, str]:
        return {"id": stable_id("user", self.config.user_email), "name": USER_NAME}


def answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    """The API's error shape: `{"code", "details", "message", "status": "error"}`."""
    body = {"code": code, "details": details or {}, "message": message, "status": "error"}
    return answer(body, status)


def file_host_error(status: int, message: str) -> Response:
    """The upload host's other error shape (upper-case keys)."""
    label = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}.get(status, "Error")
    body = {
        "ERROR_CODE": status,
        "ERROR_MESSAGE": label,
        "x-error": message,
        "info": label,
        "x-info": message,
        "http_status": str(status),
    }
    return answer(body, status)
