"""Zoho's error answers as one line: the code, what it means here, and what to do.

Zoho answers errors in three shapes, sometimes with HTTP 200:
- the API's `{"status": "error", "code": ..., "message": ..., "details": {...}}`
  (also wrapped as `{"data": [ ... ]}` by some APIs);
- the file host's `{"ERROR_CODE": 400, "ERROR_MESSAGE": ..., "x-error": ..., "info": ...,
  "x-info": ..., "http_status": ...}`;
- the accounts server's `{"error": "invalid_client"}`.
"""

from __future__ import annotations

from typing import Any

# What to do about a code, in a few words.
HINTS: dict[str, str] = {
    "INVALID_TOKEN": "the access token was refused: check the data centre and credentials",
    "OAUTH_SCOPE_MISMATCH": (
        "the refresh token lacks a scope: create it with ZohoCRM.bulk.ALL, "
        "ZohoCRM.modules.ALL, ZohoCRM.settings.ALL, ZohoCRM.org.READ and ZohoFiles.files.ALL"
    ),
    "NO_PERMISSION": "the user may not do this: ask the CRM administrator",
    "AUTHORIZATION_FAILED": "the user lacks the privilege: ask the CRM administrator",
    "INVALID_FILE_FORMAT": "upload a .zip of CSV files",
    "FILE_TOO_LARGE": "the zip is over 25 MB: split the data (bwlint split)",
    "FILE_NOT_SUPPORTED": "the file cannot be used for bulk write: upload a .zip of CSV files",
    "INVALID_FILE_ID": "the uploaded file is unknown or expired: submit again to upload it anew",
    "MANDATORY_FIELDS_NOT_MAPPED": "map every mandatory field of the module and layout",
    "MANDATORY_NOT_FOUND": "the job JSON lacks a required key",
    "MISSING_REQUIRED_KEY": "the job JSON lacks a required key",
    "INVALID_FIELD": "a mapping names no field of the module: pull the org's schema",
    "INVALID_FIELD_NAME": "a mapping names no field of the module: pull the org's schema",
    "INVALID_FORMAT": "a mapping's date format is not one Zoho accepts",
    "HEADER_LIMIT_EXCEEDED": "map at most 200 columns",
    "COLUMN_INDEX_NOT_FOUND": "a mapping's index is not a column of the CSV",
    "MODULE_NOT_AVAILABLE": "the org has no such module, or bulk write cannot write it",
    "INVALID_CALLBACK_METHOD": "the callback method must be post",
    "RESOURCE_NOT_FOUND": "no such job in this org and data centre",
    "INVALID_URL_PATTERN": "wrong URL: check --base-url / --api-url / --upload-url",
    "TOO_MANY_REQUESTS": (
        "the org's API credits or concurrency limit are used up: wait, then run the same "
        "command again (it resumes)"
    ),
    "INTERNAL_ERROR": "Zoho failed: run the same command again later (it resumes)",
    "NOT_SUPPORTED_FEATURE": "the upload's feature header was refused (bwlint sends bulk-write)",
    "invalid_client": "ZOHO_CLIENT_ID or ZOHO_CLIENT_SECRET is wrong for this data centre",
    "invalid_code": "ZOHO_REFRESH_TOKEN is wrong, revoked, or of another data centre",
    "invalid_client_secret": "ZOHO_CLIENT_SECRET is wrong",
    "access_denied": "the token grant was refused (too many tokens in 10 minutes?)",
}


class ZohoError(Exception):
    """An error answer from Zoho (or no usable answer): one line for the user."""

    def __init__(
        self,
        code: str,
        message: str = "",
        *,
        status: int | None = None,
        action: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.status = status
        self.action = action
        self.details = details or {}
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.action}: " if self.action else ""
        http = f" (HTTP {self.status})" if self.status else ""
        text = f"{where}{self.code}{http}"
        if self.message:
            text += f": {self.message}"
        if self.details:
            shown = ", ".join(f"{k}={v}" for k, v in self.details.items() if _short(v))
            if shown:
                text += f" [{shown}]"
        hint = HINTS.get(self.code)
        return f"{text} — {hint}" if hint else text


def _short(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and len(str(value)) <= 80


def error_from_body(body: Any, status: int | None = None, action: str = "") -> ZohoError | None:
    """The error a JSON body states, whatever its shape; None for a success body."""
    if isinstance(body, dict) and isinstance(body.get("data"), list) and body["data"]:
        first = body["data"][0]
        if isinstance(first, dict) and first.get("status") == "error":
            body = first
    if not isinstance(body, dict):
        return None
    if body.get("status") == "error" or ("code" in body and status and status >= 400):
        details = body.get("details") if isinstance(body.get("details"), dict) else {}
        return ZohoError(
            str(body.get("code") or "ERROR"),
            str(body.get("message") or ""),
            status=status,
            action=action,
            details=details,
        )
    if "ERROR_CODE" in body:
        message = body.get("x-error") or body.get("x-info") or body.get("info") or ""
        label = str(body.get("ERROR_MESSAGE") or "file host error")
        return ZohoError(
            f"{label} (ERROR_CODE {body.get('ERROR_CODE')})",
            str(message),
            status=status,
            action=action,
        )
    if "error" in body and "access_token" not in body:
        return ZohoError(str(body["error"]), status=status, action=action)
    return None
