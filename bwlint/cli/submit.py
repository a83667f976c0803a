"""`bwlint submit`, `bwlint status JOB_ID`, `bwlint result JOB_ID`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bwlint.cli import options
from bwlint.cli.connection import connection_options
from bwlint.services.inputs import Inputs, Selection

if TYPE_CHECKING:
    from bwlint.services.connection import ConnectionOptions
    from bwlint.services.follow import PollSettings


def _session(
    connection: ConnectionOptions, config_path: str | None, isolated: bool, **extra: Any
) -> tuple[Any, Any]:
    from bwlint.project.config import load_config
    from bwlint.services.connection import Output, journal_folder
    from bwlint.services.journal import Journal
    from bwlint.services.submit import Session

    config = load_config(config_path, isolated=isolated)
    settings = config.zoho
    session = Session(
        options=connection,
        settings=settings,
        journal=Journal(journal_folder(connection, settings)),
        output=Output(verbose=connection.verbose),
        **extra,
    )
    return session, config


def _poll(poll_interval: float, wait_timeout: float) -> PollSettings:
    from bwlint.services.follow import PollSettings

    return PollSettings(first=poll_interval, longest=max(poll_interval, 30.0), timeout=wait_timeout)


POLL_OPTIONS = (
    click.option(
        "--poll-interval",
        default=2.0,
        show_default=True,
        type=click.FloatRange(0),
        help="First wait between two looks at the job; it grows to 30 s.",
    ),
    click.option(
        "--wait-timeout",
        default=3600.0,
        show_default=True,
        type=click.FloatRange(0),
        help="Stop following the job after this long.",
    ),
    click.option(
        "--out",
        "out_dir",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="Save the result CSVs here (default: beside the input).",
    ),
)


def poll_options(command):
    for option in reversed(POLL_OPTIONS):
        command = option(command)
    return command


@click.command()
@options.inputs
@options.selection
@click.option("--again", is_flag=True, help="Submit content that was submitted before.")
@click.option("--force", is_flag=True, help="Submit despite error findings (not advised).")
@click.option("--no-wait", is_flag=True, help="Print the job id once created, and exit.")
@poll_options
@connection_options
def submit(
    inputs: Inputs,
    selection: Selection,
    again: bool,
    force: bool,
    no_wait: bool,
    poll_interval: float,
    wait_timeout: float,
    out_dir: Path | None,
    connection: ConnectionOptions,
    config_path: str | None,
    isolated: bool,
) -> None:
    """Check PATH... as 'bwlint check' does; if clean, upload it, create the bulk write
    job, follow it, and save its result CSV(s) beside the input.

    Credentials: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN. Every step is
    written to a journal first: run the same command again to resume after an
    interruption; the same content is never submitted twice without --again.
    """
    from bwlint.services.plan import ConfigChoice, make_plan
    from bwlint.services.submit import submit_jobs
    from bwlint.services.submit_check import check_for_submit

    plan = make_plan(inputs, selection, ConfigChoice(config_path, isolated))
    checked = check_for_submit(plan)
    session, _ = _session(
        connection,
        config_path,
        isolated,
        again=again,
        wait=not no_wait,
        poll=_poll(poll_interval, wait_timeout),
        out_dir=out_dir,
    )
    sys.exit(submit_jobs(session, checked, force=force))


@click.command()
@click.argument("job_id")
@connection_options
def status(job_id, connection, config_path, isolated) -> None:
    """Print a bulk write job's status and counts (0 fine, 1 FAILED or skipped records)."""
    from bwlint.services.submit import status_of

    session, _ = _session(connection, config_path, isolated)
    sys.exit(status_of(session, job_id))


@click.command()
@click.argument("job_id")
@click.option("--no-wait", is_flag=True, help="Look once; do not follow the job to its end.")
@poll_options
@connection_options
def result(
    job_id, no_wait, poll_interval, wait_timeout, out_dir, connection, config_path, isolated
) -> None:
    """Follow a job to its end, save its result CSV(s), summarise them and compare them
    with bwlint's prediction (when the journal knows the job)."""
    from bwlint.services.submit import result_of

    session, _ = _session(
        connection,
        config_path,
        isolated,
        wait=not no_wait,
        poll=_poll(poll_interval, wait_timeout),
        out_dir=out_dir,
    )
    sys.exit(result_of(session, job_id))
