"""The connection options shared by submit, status, result and schema pull."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bwlint.errors import UsageError
from bwlint.zoho.datacentres import DATA_CENTRES, ENVIRONMENTS

OPTIONS = (
    click.option(
        "--base-url",
        metavar="URL",
        help="Send every request (accounts, API, upload) to this server, e.g. the emulator's URL.",
    ),
    click.option(
        "--data-centre",
        "data_centre",
        metavar="DC",
        type=click.Choice(list(DATA_CENTRES), case_sensitive=False),
        help="Zoho data centre (default us, or the configuration's).",
    ),
    click.option(
        "--environment",
        type=click.Choice(list(ENVIRONMENTS)),
        help="production (default), sandbox or developer.",
    ),
    click.option("--accounts-url", metavar="URL", help="Override the accounts server."),
    click.option("--api-url", metavar="URL", help="Override the API domain."),
    click.option("--upload-url", metavar="URL", help="Override the upload host."),
    click.option("--org", metavar="ID", help="The org id (zgid); default: GET /crm/v8/org."),
    click.option(
        "--journal",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="The journal of submissions (default ~/.local/state/bwlint/journal).",
    ),
    click.option(
        "--retries",
        default=4,
        show_default=True,
        type=click.IntRange(0, 20),
        help="Retries of a failed request (429, 5xx, network).",
    ),
    click.option(
        "--retry-wait",
        default=1.0,
        show_default=True,
        type=click.FloatRange(0),
        help="First back-off in seconds; it doubles, with jitter.",
    ),
    click.option(
        "--timeout",
        default=60.0,
        show_default=True,
        type=click.FloatRange(0.1),
        help="Seconds to wait for one answer.",
    ),
    click.option("--config", "config_path", metavar="FILE", help="Use this configuration file."),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
    click.option(
        "--verbose",
        is_flag=True,
        help="Log each request and answer on standard error (tokens redacted).",
    ),
)
KEYS = (
    "base_url",
    "data_centre",
    "environment",
    "accounts_url",
    "api_url",
    "upload_url",
    "org",
    "journal",
    "retries",
    "retry_wait",
    "timeout",
    "verbose",
)


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the connection options; the command receives `connection` (ConnectionOptions),
    `config_path` and `isolated`. Zoho errors become one line and exit 2."""

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        # Imported when a command runs: `bwlint check` loads no connection code.
        from bwlint.services.connection import ConnectionOptions
        from bwlint.zoho.errors import ZohoError

        values = {key: kwargs.pop(key) for key in KEYS}
        kwargs["connection"] = ConnectionOptions(**values)
        try:
            return command(**kwargs)
        except ZohoError as exc:  # (bwlint.zoho.errors is light: no HTTP stack)
            raise UsageError(exc.line()) from None

    for option in reversed(OPTIONS):
        wrapper = option(wrapper)
    return wrapper
