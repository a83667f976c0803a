"""From options, the `[zoho]` table and the environment to a signed-in Zoho client.

Precedence: a command-line option, then the configuration's `[zoho]` table, then the
defaults (data centre `us`, environment `production`). The journal of an earlier
submission may supply the hosts when nothing else names them (`bwlint status ID`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bwlint.services.journal import default_folder
from bwlint.zoho.datacentres import Hosts, resolve_hosts
from bwlint.zoho.settings import ZohoSettings

if TYPE_CHECKING:  # the HTTP stack loads only when a command connects
    from bwlint.zoho.bulk import ZohoClient


@dataclass(frozen=True)
class ConnectionOptions:
    """What the connection options of the command line say (None: not given)."""

    base_url: str | None = None
    data_centre: str | None = None
    environment: str | None = None
    accounts_url: str | None = None
    api_url: str | None = None
    upload_url: str | None = None
    org: str | None = None
    journal: Path | None = None
    retries: int = 4
    retry_wait: float = 1.0
    timeout: float = 60.0
    verbose: bool = False

    def names_hosts(self, settings: ZohoSettings) -> bool:
        """Whether the options or the configuration say where to connect."""
        given = (
            self.base_url,
            self.data_centre,
            self.environment,
            self.accounts_url,
            self.api_url,
            self.upload_url,
            settings.base_url,
            settings.data_centre,
            settings.environment,
            settings.accounts_url,
            settings.api_url,
            settings.upload_url,
        )
        return any(value is not None for value in given)


class Output:
    """Where submit writes: results on standard output; progress, verbose lines and
    warnings on standard error. The progress line appears on a terminal only."""

    def __init__(self, verbose: bool = False, stdout=None, stderr=None) -> None:
        self.verbose_on = verbose
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._progress = False

    def info(self, line: str) -> None:
        self._end_progress()
        print(line, file=self.stdout, flush=True)

    def warn(self, line: str) -> None:
        self._end_progress()
        print(f"bwlint: {line}", file=self.stderr, flush=True)

    def verbose(self, line: str) -> None:
        if self.verbose_on:
            self.warn(line)

    def progress(self, line: str) -> None:
        if hasattr(self.stderr, "isatty") and self.stderr.isatty():
            self.stderr.write(f"\rbwlint: {line}\x1b[K")
            self.stderr.flush()
            self._progress = True

    def _end_progress(self) -> None:
        if self._progress:
            self.stderr.write("\n")
            self._progress = False


def hosts_for(
    options: ConnectionOptions, settings: ZohoSettings, fallback: dict[str, str] | None = None
) -> Hosts:
    if fallback and not options.names_hosts(settings):
        return Hosts(fallback["accounts"], fallback["api"], fallback["upload"])
    return resolve_hosts(
        options.data_centre or settings.data_centre or "us",
        options.environment or settings.environment or "production",
        base_url=options.base_url or settings.base_url,
        accounts_url=options.accounts_url or settings.accounts_url,
        api_url=options.api_url or settings.api_url,
        upload_url=options.upload_url or settings.upload_url,
    )


def journal_folder(options: ConnectionOptions, settings: ZohoSettings) -> Path:
    return options.journal or settings.journal or default_folder()


def connect(
    options: ConnectionOptions,
    settings: ZohoSettings,
    output: Output,
    hosts: Hosts,
    org: str | None = None,
) -> ZohoClient:
    """A client for these hosts; credentials are read now (missing ones: exit 2)."""
    from bwlint.zoho.auth import Credentials, TokenSource
    from bwlint.zoho.bulk import ZohoClient
    from bwlint.zoho.http import RetryPolicy, Transport

    credentials = Credentials.from_env(settings.env_names)
    log: Callable[[str], None] | None = output.verbose if options.verbose else None
    policy = RetryPolicy(
        attempts=max(1, options.retries + 1), wait=options.retry_wait, timeout=options.timeout
    )
    transport = Transport(policy, log=log)
    tokens = TokenSource(credentials, hosts.token_url, transport)
    return ZohoClient(hosts, tokens, transport, org=options.org or settings.org or org)
