"""The command line: one module per command over shared option groups (options.py);
each parses, calls a service, prints and exits.

Exit status (the contract): 0 no error finding, 1 at least one, 2 bwlint could not do
its job — one line on standard error, never a traceback.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from bwlint import __version__
from bwlint.domain.finding import clip_message
from bwlint.entry import interrupted
from bwlint.errors import UsageError
from bwlint.report.escape import visible

# Each command's module, imported when the command runs: `bwlint check` loads neither
# the Zoho client nor the emulator (~15 ms of every check).
COMMANDS = {
    "check": "bwlint.cli.check",
    "init": "bwlint.cli.init",
    "fix": "bwlint.cli.fix",
    "split": "bwlint.cli.split",
    "rules": "bwlint.cli.rules",
    "explain": "bwlint.cli.rules",
    "submit": "bwlint.cli.submit",
    "status": "bwlint.cli.submit",
    "result": "bwlint.cli.submit",
    "schema": "bwlint.cli.schema",
    "emulate": "bwlint.cli.emulate",
}


class _Commands(click.Group):
    """A group whose commands are imported when asked for (help lists them all)."""

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: ARG002
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: ARG002
        if cmd_name not in COMMANDS:
            return None
        command: click.Command = getattr(import_module(COMMANDS[cmd_name]), cmd_name)
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bwlint")
def cli() -> None:
    """Check Zoho CRM Bulk Write jobs (job JSON + CSV/ZIP) before you upload them."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure to do the job is one line and exit status 2."""
    try:
        cli.main(args=argv, prog_name="bwlint", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # pragma: no cover - click < 8.2
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "bwlint"
        message = visible(exc.format_message())
        click.echo(f"bwlint: error: {message} (see '{command} --help')", err=True)
        sys.exit(2)
    except UsageError as exc:  # control characters of a file's content shown escaped
        click.echo(f"bwlint: error: {_one_line(str(exc))}", err=True)
        sys.exit(2)
    except OSError as exc:  # a path the system refuses (too long, a loop of links, …)
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
        click.echo(f"bwlint: error: {_one_line(where + (exc.strerror or str(exc)))}", err=True)
        sys.exit(2)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("bwlint: interrupted", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"bwlint: error: {exc.format_message()}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug in bwlint: still one line, unless debugging
        if interrupted(exc):  # a Ctrl-C that Python wrapped (in a class's __set_name__)
            click.echo("bwlint: interrupted", err=True)
            sys.exit(2)
        if os.environ.get("BWLINT_DEBUG"):
            raise
        click.echo(
            f"bwlint: internal error: {type(exc).__name__}: {exc} "
            "(set BWLINT_DEBUG=1 for the traceback, and please report it)",
            err=True,
        )
        sys.exit(2)
    sys.exit(0)


def _one_line(message: str) -> str:
    """An error line: control characters escaped, a very long one cut in the middle."""
    return visible(clip_message(message))


def run() -> None:
    """The process entry (`bwlint`, `python -m bwlint`): `main`, then a quick exit.

    Once the report is written, tearing the interpreter down (freeing the frames cell
    by cell, unloading modules) takes ~0.06 s and changes nothing: leave at once, with
    the same exit status, after flushing the standard streams.
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: the interpreter's own way
        status = exc.code or 0
    else:
        status = 0
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler or coverage writes its data at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or a full disk: nothing to add
            pass
    os._exit(status)
