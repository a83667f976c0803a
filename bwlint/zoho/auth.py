"""OAuth: the refresh-token grant, and an access token kept fresh.

Credentials come from the environment (`ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET`,
`ZOHO_REFRESH_TOKEN`, or other variable names that the configuration gives); the
configuration never holds a secret. Neither the secrets nor the access token are ever
printed: `Credentials` and `TokenSource` hide them from `repr`, and the grant's body is
never logged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bwlint.errors import UsageError
from bwlint.zoho.errors import ZohoError, error_from_body
from bwlint.zoho.http import Transport

DEFAULT_ENV = ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN")


@dataclass(frozen=True)
class Credentials:
    """A client id and secret and a refresh token (the secrets out of `repr`)."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)

    @classmethod
    def from_env(
        cls,
        names: tuple[str, str, str] = DEFAULT_ENV,
        environ: Mapping[str, str] | None = None,
    ) -> Credentials:
        environ = os.environ if environ is None else environ
        values = [environ.get(name, "").strip() for name in names]
        missing = [name for name, value in zip(names, values, strict=True) if not value]
        if missing:
            raise UsageError(
                f"no Zoho credentials: set {', '.join(missing)} in the environment "
                "(a self client's id and secret, and a refresh token; see the README)"
            )
        return cls(*values)


class TokenSource:
    """Hands out an access token, refreshing it shortly before it expires and when
    the API refuses it (`invalidate`)."""

    def __init__(
        self,
        credentials: Credentials,
        token_url: str,
        transport: Transport,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = credentials
        self._token_url = token_url
        self._transport = transport
        self._clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self.api_domain: str | None = None

    def __repr__(self) -> str:
        return f"TokenSource({self._token_url})"

    def token(self) -> str:
        if self._token is None or self._clock() >= self._expires:
            self._refresh()
        assert self._token is not None
        return self._token

    def invalidate(self) -> None:
        self._token = None

    def _refresh(self) -> None:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
            "refresh_token": self._credentials.refresh_token,
        }
        response = self._transport.request("POST", self._token_url, data=form)
        try:
            body = response.json()
        except ValueError:
            raise ZohoError(
                "BAD_ANSWER",
                f"the accounts server answered HTTP {response.status_code} without JSON",
                action="token grant",
            ) from None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            error = error_from_body(body, response.status_code, "token grant")
            raise error or ZohoError("NO_ACCESS_TOKEN", action="token grant")
        self._token = token
        lifetime = _lifetime(body)
        self._expires = self._clock() + lifetime - min(60.0, lifetime / 4)
        domain = body.get("api_domain")
        self.api_domain = domain if isinstance(domain, str) else None


def _lifetime(body: dict) -> float:
    """Seconds the token lives: `expires_in` is in seconds, but in milliseconds when
    `expires_in_sec` is also present (Zoho's SDKs read it so)."""
    try:
        if "expires_in_sec" in body:
            return float(body["expires_in_sec"])
        return float(body.get("expires_in", 3600))
    except (TypeError, ValueError):
        return 3600.0
