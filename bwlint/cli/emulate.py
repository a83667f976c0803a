"""`bwlint emulate`: serve Zoho's token grant, metadata and bulk write API locally."""

from __future__ import annotations

import ipaddress
import signal
import sys
from pathlib import Path

import click

from bwlint.emulate.config import ALL_SCOPES, EmulatorConfig
from bwlint.errors import UsageError


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops as Ctrl-C does: the temporary state is removed


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, show_default=True, type=int, help="0: a free port.")
@click.option(
    "--schema-dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Serve these fields/layouts/modules files (else bwlint's bundled ones).",
)
@click.option(
    "--state",
    "state_dir",
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Keep uploads, jobs and records here across restarts.",
)
@click.option(
    "--job-seconds",
    default=2.0,
    show_default=True,
    type=float,
    help="How long a job takes from ADDED to COMPLETED.",
)
@click.option(
    "--token-seconds", default=3600, show_default=True, type=int, help="An access token's life."
)
@click.option("--client-id", metavar="ID", help="Accept only this client id.")
@click.option("--client-secret", metavar="SECRET", help="Accept only this client secret.")
@click.option("--refresh-token", metavar="TOKEN", help="Accept only this refresh token.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    metavar="SCOPE",
    help="Grant only these scopes (repeatable; default: all bwlint needs).",
)
@click.option(
    "--daily-credits",
    default=50_000,
    show_default=True,
    type=int,
    help="API credits a day (a job costs 500; then 429).",
)
@click.option(
    "--max-upload-mb",
    default=25.0,
    show_default=True,
    type=float,
    help="Uploads above this get FILE_TOO_LARGE.",
)
@click.option(
    "--in-progress",
    type=click.Choice(["IN PROGRESS", "INPROGRESS"]),
    default="IN PROGRESS",
    show_default=True,
    help="How the status is spelt.",
)
@click.option(
    "--relative-download-url",
    is_flag=True,
    help="Give download_url relative to the API domain (the v7 doc's form).",
)
@click.option(
    "--errors-as-200",
    is_flag=True,
    help="Answer upload errors with HTTP 200 and status error (Postman's form).",
)
@click.option("--any-callback", is_flag=True, help="Also call back non-loopback URLs.")
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="KIND:ENDPOINT[:N]",
    help="Misbehave on purpose, e.g. 429:create:1, 503:status:2, drop:upload, "
    "slow:any:0.2, expire:status (repeatable).",
)
@click.option(
    "--slow-seconds",
    default=1.0,
    show_default=True,
    type=float,
    help="How long a slow fault waits.",
)
@click.option("--seed", type=int, help="Seed for faults given as a share.")
@click.option("--quiet", is_flag=True, help="No request log on standard error.")
def emulate(**options) -> None:
    """Serve Zoho CRM's bulk write API on this machine, for tests and rehearsals.

    One address serves the accounts server's token grant, the API and the upload host:
    point bwlint (--base-url) or Zoho's SDK at it. Jobs are processed with bwlint's own
    rules; records added are kept, so updates find them and duplicates are caught.
    """
    from bwlint.emulate.server import Emulator

    config = _config(options)
    try:
        server = Emulator(config)
    except OSError as exc:
        where = f"{config.host}:{config.port}"
        raise UsageError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    click.echo(f"bwlint emulate: listening on {server.url}")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()  # werkzeug's returns on Ctrl-C: it swallows KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    finally:
        server.server.server_close()
        server.state.close()
    click.echo("bwlint emulate: stopped", err=True)


def _config(options: dict) -> EmulatorConfig:
    """The emulator's configuration from the command line's options."""
    schema_dir = options["schema_dir"]
    if schema_dir is not None and not schema_dir.is_dir():
        raise UsageError(f"{schema_dir}: --schema-dir is not a directory")
    if not _loopback(options["host"]):
        click.echo(
            f"bwlint emulate: warning: listening on {options['host']}, not a loopback "
            "address; anyone who reaches it gets a token",
            err=True,
        )
    options["scopes"] = tuple(options["scopes"]) or ALL_SCOPES
    options["faults"] = list(options["faults"])
    options["max_upload_bytes"] = int(options.pop("max_upload_mb") * 1024 * 1024)
    return EmulatorConfig(**options)
