"""The Zoho calls bwlint makes, as Zoho's own SDK makes them.

- org id: `GET {api}/crm/v8/org` → `org[0].zgid` (unless given);
- upload: `POST {upload}/crm/v8/upload`, multipart part `file`, headers
  `feature: bulk-write` and `X-CRM-ORG: <zgid>` → `details.file_id`;
- create job: `POST {api}/crm/bulk/v8/write` (JSON; 201) → `details.id`;
- job details: `GET {api}/crm/bulk/v8/write/{id}`;
- result: `GET <download_url>` (absolute, or relative to the API domain);
- metadata: `GET {api}/crm/v8/settings/{fields,layouts}?module=M`, `…/settings/modules`.

Every call sends `Authorization: Zoho-oauthtoken <token>`; a 401 `INVALID_TOKEN` gets a
fresh token and one more try (the request was refused, so repeating it is safe).
"""

from __future__ import annotations

from typing import Any

import httpx

from bwlint.zoho.auth import TokenSource
from bwlint.zoho.datacentres import Hosts
from bwlint.zoho.errors import ZohoError, error_from_body
from bwlint.zoho.http import Transport
from bwlint.zoho.jobs import JobState, parse_job

# Hosts that may receive the token on a download besides the configured ones.
ZOHO_SUFFIXES = (
    ".zoho.com",
    ".zoho.eu",
    ".zoho.in",
    ".zoho.com.au",
    ".zoho.jp",
    ".zohocloud.ca",
    ".zoho.sa",
    ".zoho.com.cn",
    ".zohoapis.com",
    ".zohoapis.eu",
    ".zohoapis.in",
    ".zohoapis.com.au",
    ".zohoapis.jp",
    ".zohoapis.ca",
    ".zohoapis.sa",
    ".zohoapis.com.cn",
)


class ZohoClient:
    """A signed-in client of one org's bulk write and metadata APIs."""

    def __init__(
        self,
        hosts: Hosts,
        tokens: TokenSource,
        transport: Transport,
        org: str | None = None,
    ) -> None:
        self.hosts = hosts
        self.tokens = tokens
        self.transport = transport
        self._org = org

    def call(self, method: str, url: str, *, safe: bool = True, **kwargs: Any) -> httpx.Response:
        """One authorised request; a refused token is refreshed once."""
        base = dict(kwargs.pop("headers", None) or {})
        for attempt in (1, 2):
            headers = {**base, "Authorization": f"Zoho-oauthtoken {self.tokens.token()}"}
            response = self.transport.request(method, url, safe=safe, headers=headers, **kwargs)
            refused = response.status_code == 401 and _code(response) != "OAUTH_SCOPE_MISMATCH"
            if attempt == 1 and refused:
                self.tokens.invalidate()
                continue
            break
        return response

    def json(self, response: httpx.Response, action: str) -> dict[str, Any]:
        """The body of a JSON answer; an error body (even with HTTP 200) raises."""
        if response.status_code == 204:
            return {}
        try:
            body = response.json()
        except ValueError:
            raise ZohoError(
                "BAD_ANSWER",
                f"HTTP {response.status_code} without a JSON body "
                f"({response.headers.get('content-type', 'no content type')})",
                status=response.status_code,
                action=action,
            ) from None
        error = error_from_body(body, response.status_code, action)
        if error is not None:
            raise error
        if response.status_code >= 400 or not isinstance(body, dict):
            raise ZohoError(
                "BAD_ANSWER",
                "an error status without an error body",
                status=response.status_code,
                action=action,
            )
        return body

    def org_id(self) -> str:
        """The org's zgid (X-CRM-ORG): `--org`, else `GET /crm/v8/org`."""
        if self._org is None:
            response = self.call("GET", f"{self.hosts.api}/crm/v8/org")
            body = self.json(response, "org")
            orgs = body.get("org")
            first = orgs[0] if isinstance(orgs, list) and orgs else {}
            zgid = first.get("zgid") if isinstance(first, dict) else None
            if zgid in (None, ""):
                raise ZohoError("BAD_ANSWER", "the org answer has no org[0].zgid", action="org")
            self._org = str(zgid)
        return self._org

    def upload(self, name: str, content: bytes) -> str:
        """Upload a zip; its `file_id`. Safe to repeat: a repeat leaves an unused file."""
        headers = {"feature": "bulk-write", "X-CRM-ORG": self.org_id()}
        files = {"file": (name, content, "application/zip")}
        url = f"{self.hosts.upload}/crm/v8/upload"
        response = self.call("POST", url, headers=headers, files=files)
        details = self.json(response, "upload").get("details")
        file_id = details.get("file_id") if isinstance(details, dict) else None
        if file_id in (None, ""):
            raise ZohoError(
                "BAD_ANSWER", "the upload answer has no details.file_id", action="upload"
            )
        return str(file_id)

    def create_job(self, body: dict[str, Any]) -> str:
        """Create the job; its id. Unsafe: never repeated once it may have reached Zoho."""
        url = f"{self.hosts.api}/crm/bulk/v8/write"
        response = self.call("POST", url, safe=False, json=body)
        details = self.json(response, "create job").get("details")
        job_id = details.get("id") if isinstance(details, dict) else None
        if job_id in (None, ""):
            raise ZohoError(
                "BAD_ANSWER", "the create answer has no details.id", action="create job"
            )
        return str(job_id)

    def job(self, job_id: str) -> JobState:
        url = f"{self.hosts.api}/crm/bulk/v8/write/{job_id}"
        response = self.call("GET", url)
        return parse_job(self.json(response, f"job {job_id}"), job_id)

    def download(self, download_url: str) -> bytes:
        """The result zip at an opaque `download_url` (absolute, or API-relative)."""
        if download_url.startswith(("http://", "https://")):
            url = download_url
        else:
            url = f"{self.hosts.api}/{download_url.lstrip('/')}"
        if self._trusted(url):
            response = self.call("GET", url)
        else:  # never hand the token to a host that is not Zoho's nor configured
            response = self.transport.request("GET", url)
        if response.status_code >= 400 or "json" in response.headers.get("content-type", ""):
            self.json(response, "download")
            raise ZohoError(
                "BAD_ANSWER", "not a zip", status=response.status_code, action="download"
            )
        return response.content

    def _trusted(self, url: str) -> bool:
        host = httpx.URL(url).host
        configured = {
            httpx.URL(h).host for h in (self.hosts.api, self.hosts.upload, self.hosts.accounts)
        }
        return host in configured or host.endswith(ZOHO_SUFFIXES)

    def metadata(self, kind: str, module: str | None = None) -> dict[str, Any]:
        """`fields` or `layouts` of a module, or the `modules` list: the raw body."""
        params = {"module": module} if module else None
        url = f"{self.hosts.api}/crm/v8/settings/{kind}"
        action = f"{kind} of {module}" if module else kind
        response = self.call("GET", url, params=params)
        return self.json(response, action) or {kind: []}


def _code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None
