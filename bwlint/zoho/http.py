"""HTTP with timeouts and a retry policy that never creates anything twice.

The policy (also in the README, "Retries"):

- every request has a connect, read and write timeout;
- a *safe* request (a GET, the token grant, the file upload: repeating it changes
  nothing that matters — a repeated upload only leaves an unused file) is retried on
  429, 500, 502, 503, 504 and on any network error or timeout;
- an *unsafe* request (creating a bulk write job: a repeat would create a second job
  and spend another 500 credits) is retried only when it certainly did not reach
  Zoho: on 429 (refused before any work) and when no connection could be opened. It
  goes over a connection of its own, never a pooled one that may have gone stale. Any
  other failure (a timeout, a dropped connection, a 5xx) leaves the outcome unknown:
  `MaybeSent` is raised and the caller records that in the journal;
- never on another 4xx;
- the wait grows exponentially with jitter (tenacity), and a `Retry-After` header is
  honoured when present (Zoho's 429 usually has none).

With `log` given (`--verbose`), each request and answer is logged with the
`Authorization` header redacted; bodies are never logged.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from bwlint.zoho.errors import ZohoError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie"})
NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry (`--retries`, `--retry-wait`)."""

    attempts: int = 5  # tries in all, the first included
    wait: float = 1.0  # the first back-off, in seconds; it doubles, plus jitter
    max_wait: float = 30.0
    max_retry_after: float = 120.0  # a longer Retry-After is capped to this
    timeout: float = 60.0  # read and write timeout of one request, in seconds
    connect_timeout: float = 10.0


class MaybeSent(ZohoError):
    """An unsafe request failed in a way that does not tell whether Zoho acted on it."""


def redacted(headers: dict[str, str] | httpx.Headers) -> str:
    """Headers for a log line, secrets replaced by `***`."""
    shown = []
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} ***".strip()
        shown.append(f"{name}: {value}")
    return ", ".join(shown)


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Transport:
    """Sends requests under the retry policy; raises `ZohoError` for network failures."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        log: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        network: httpx.BaseTransport | None = None,  # tests: an httpx.MockTransport
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.log = log
        self.sleep = sleep
        self._network = network
        self._client = self._new_client()

    def _new_client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self._timeout(), follow_redirects=False, transport=self._network
        )

    def _timeout(self) -> httpx.Timeout:
        p = self.policy
        return httpx.Timeout(p.timeout, connect=p.connect_timeout)

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, url: str, *, safe: bool = True, **kwargs: Any):
        """The answer (possibly an error status: callers read it); `ZohoError` when
        there is none after the retries, `MaybeSent` for an unsafe request whose fate
        is unknown."""
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.policy.attempts)),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: self._retry_error(exc, safe))
            | retry_if_result(lambda response: self._retry_status(response, safe)),
            retry_error_callback=_last_result,
            before_sleep=self._log_retry,
            sleep=self.sleep,
        )
        try:
            response = retrying(self._send, method, url, safe, kwargs)
        except httpx.HTTPError as exc:
            raise self._network_error(exc, method, url, safe) from None
        if not safe and response.status_code >= 500:
            raise MaybeSent(
                "SERVER_ERROR",
                f"{method} {_path(url)} answered HTTP {response.status_code}; "
                "Zoho may or may not have acted on it",
                status=response.status_code,
            )
        return response

    def _send(self, method: str, url: str, safe: bool, kwargs: dict[str, Any]):
        if self.log:
            self.log(f"-> {method} {url} [{redacted(kwargs.get('headers') or {})}]")
        started = time.monotonic()
        if safe:
            response = self._client.request(method, url, **kwargs)
        else:  # a connection of its own: a ConnectError then means nothing was sent
            with self._new_client() as client:
                response = client.request(method, url, **kwargs)
                response.read()
        if self.log:
            elapsed = time.monotonic() - started
            self.log(f"<- {response.status_code} {response.reason_phrase} ({elapsed:.2f} s)")
        return response

    def _retry_error(self, exc: BaseException, safe: bool) -> bool:
        if not isinstance(exc, httpx.TransportError):
            return False
        return True if safe else isinstance(exc, NOTHING_SENT)

    def _retry_status(self, response: httpx.Response, safe: bool) -> bool:
        if response.status_code == 429:
            return True
        return safe and response.status_code in RETRY_STATUSES

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after(outcome.result())
            if asked is not None:
                return min(asked, self.policy.max_retry_after)
        exponential = wait_exponential(multiplier=self.policy.wait, max=self.policy.max_wait)
        backoff = exponential + wait_random(0, self.policy.wait)  # jitter
        return backoff(state)

    def _log_retry(self, state: RetryCallState) -> None:
        if not self.log or state.outcome is None or state.next_action is None:
            return
        if state.outcome.failed:
            why = type(state.outcome.exception()).__name__
        else:
            response = state.outcome.result()
            why = f"HTTP {response.status_code}"
        self.log(
            f"   {why}: retrying in {state.next_action.sleep:.2f} s "
            f"(attempt {state.attempt_number + 1} of {self.policy.attempts})"
        )

    def _network_error(self, exc: httpx.HTTPError, method: str, url: str, safe: bool):
        kind = type(exc).__name__
        if not safe and not isinstance(exc, NOTHING_SENT):
            return MaybeSent(
                "NO_ANSWER",
                f"{method} {_path(url)}: {kind}; Zoho may or may not have acted on it",
            )
        host = httpx.URL(url).host
        return ZohoError(
            "NETWORK",
            f"no answer from {host} after {self.policy.attempts} tries ({kind}); "
            "check the network and the data centre, then run the same command again",
        )


def _path(url: str) -> str:
    return httpx.URL(url).path


def _last_result(state: RetryCallState) -> Any:
    """After the last attempt: its answer, or its exception raised again."""
    assert state.outcome is not None
    return state.outcome.result()
