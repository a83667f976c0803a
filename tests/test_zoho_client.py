"""The Zoho client library alone: hosts, error shapes, token lifetimes, retry policy."""

from __future__ import annotations

import httpx
import pytest

from bwlint.errors import UsageError
from bwlint.zoho.auth import Credentials, TokenSource, _lifetime
from bwlint.zoho.datacentres import resolve_hosts
from bwlint.zoho.errors import error_from_body
from bwlint.zoho.http import MaybeSent, RetryPolicy, Transport, redacted
from bwlint.zoho.jobs import normalise_status, parse_job


def test_data_centres_environments_and_overrides() -> None:
    assert resolve_hosts("eu").api == "https://www.zohoapis.eu"
    assert resolve_hosts("ca").upload == "https://upload.zohocloud.ca"
    assert resolve_hosts("sa").upload == "https://files.zoho.sa"
    assert resolve_hosts("au", "sandbox").api == "https://sandbox.zohoapis.com.au"
    assert resolve_hosts("in", "developer").accounts == "https://accounts.zoho.in"
    one = resolve_hosts("jp", base_url="http://127.0.0.1:5000/")
    assert one.accounts == one.api == one.upload == "http://127.0.0.1:5000"
    assert one.token_url == "http://127.0.0.1:5000/oauth/v2/token"
    assert resolve_hosts(upload_url="https://upload.zoho.com").upload == "https://upload.zoho.com"
    with pytest.raises(UsageError, match="unknown data centre"):
        resolve_hosts("uk")


def test_every_error_shape_becomes_one_line() -> None:
    api = error_from_body(
        {
            "status": "error",
            "code": "INVALID_FILE_FORMAT",
            "details": {},
            "message": "invalid file format",
        },
        200,
        "upload",
    )
    assert api is not None and api.code == "INVALID_FILE_FORMAT"
    assert api.line().startswith("upload: INVALID_FILE_FORMAT (HTTP 200): invalid file format")
    host = error_from_body(
        {
            "ERROR_CODE": 400,
            "ERROR_MESSAGE": "Bad Request",
            "x-error": "check if headers [feature, X-CRM-ORG] are present",
        },
        400,
    )
    assert host is not None and "X-CRM-ORG" in host.line() and "\n" not in host.line()
    oauth = error_from_body({"error": "invalid_client"}, 200, "token grant")
    assert oauth is not None and "ZOHO_CLIENT_ID" in oauth.line()
    wrapped = error_from_body({"data": [{"status": "error", "code": "X", "message": "m"}]}, 400)
    assert wrapped is not None and wrapped.code == "X"
    assert error_from_body({"status": "success", "code": "SUCCESS"}, 201) is None


def test_statuses_in_every_spelling() -> None:
    assert normalise_status("IN PROGRESS") == normalise_status("INPROGRESS") == "INPROGRESS"
    state = parse_job(
        {
            "data": [
                {
                    "status": "COMPLETED",
                    "result": {"download_url": "/x.zip"},
                    "resource": [{"module": "Leads", "file": {"skipped_count": 2}}],
                }
            ]
        },
        "1",
    )
    assert state.done and state.skipped == 2 and state.download_url == "/x.zip"


def test_token_lifetime_and_secrets_out_of_repr() -> None:
    assert _lifetime({"expires_in": 3600}) == 3600
    assert _lifetime({"expires_in": 3600000, "expires_in_sec": 3600}) == 3600
    credentials = Credentials("id", "the-secret", "the-refresh")
    assert "the-secret" not in repr(credentials) and "the-refresh" not in repr(credentials)
    with pytest.raises(UsageError, match="ZOHO_CLIENT_SECRET"):
        Credentials.from_env(environ={"ZOHO_CLIENT_ID": "x", "ZOHO_REFRESH_TOKEN": "y"})
    assert (
        redacted({"Authorization": "Zoho-oauthtoken abc"}) == "Authorization: Zoho-oauthtoken ***"
    )


def scripted(*answers):
    """A transport that answers requests in turn: a status code or an exception class."""
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, type):
            raise answer("scripted", request=request)
        headers = {"Retry-After": "0"} if answer == 429 else {}
        return httpx.Response(answer, json={}, headers=headers)

    return httpx.MockTransport(handle), calls


def transport(network, waits) -> Transport:
    return Transport(RetryPolicy(attempts=4, wait=0.5), sleep=waits.append, network=network)


def test_safe_requests_retry_429_5xx_and_network_errors_only() -> None:
    waits: list[float] = []
    network, calls = scripted(503, httpx.ReadTimeout, 429, 200)
    assert transport(network, waits).request("GET", "http://z/x").status_code == 200
    assert len(calls) == 4 and waits[2] == 0  # Retry-After: 0 honoured
    assert 0.5 <= waits[0] <= 1.0  # exponential back-off with jitter
    network, calls = scripted(404)
    assert transport(network, waits).request("GET", "http://z/x").status_code == 404
    assert len(calls) == 1


def test_an_unsafe_request_is_retried_only_when_nothing_was_sent() -> None:
    waits: list[float] = []
    network, calls = scripted(httpx.ConnectError, 429, 201)
    response = transport(network, waits).request("POST", "http://z/write", safe=False)
    assert response.status_code == 201 and len(calls) == 3
    for answer in (503, httpx.ReadTimeout, httpx.RemoteProtocolError):
        network, calls = scripted(answer, 201)
        with pytest.raises(MaybeSent):
            transport(network, waits).request("POST", "http://z/write", safe=False)
        assert len(calls) == 1


def test_a_refused_token_is_refreshed_once() -> None:
    from bwlint.zoho.bulk import ZohoClient

    grants = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/v2/token":
            grants.append(request)
            return httpx.Response(200, json={"access_token": f"t{len(grants)}", "expires_in": 60})
        if request.headers["Authorization"] == "Zoho-oauthtoken t1":
            return httpx.Response(401, json={"status": "error", "code": "INVALID_TOKEN"})
        return httpx.Response(200, json={"org": [{"zgid": "42"}]})

    network = httpx.MockTransport(handle)
    hosts = resolve_hosts(base_url="http://z")
    wire = Transport(network=network)
    tokens = TokenSource(Credentials("i", "s", "r"), hosts.token_url, wire)
    assert ZohoClient(hosts, tokens, wire).org_id() == "42"
    assert len(grants) == 2
    assert b"client_secret=s" in grants[0].content  # a form body, never the URL
    assert "s" not in grants[0].url.params.get("client_secret", "")
