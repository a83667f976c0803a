"""`bwlint schema pull`: the org's modules, fields and layouts, for `--schema-dir`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bwlint.cli.connection import connection_options

if TYPE_CHECKING:
    from bwlint.services.connection import ConnectionOptions

DEFAULT_OUT = Path("zoho-schema")


@click.group()
def schema() -> None:
    """The org's metadata that 'bwlint check --schema-dir' reads."""


@schema.command()
@click.option(
    "--module", "modules", multiple=True, metavar="M", help="A module's API name (repeatable)."
)
@click.option("--all", "pull_all", is_flag=True, help="Every module the API supports.")
@click.option(
    "--out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write (default: the configured schema-dir, else zoho-schema).",
)
@connection_options
def pull(modules, pull_all, out, connection: ConnectionOptions, config_path, isolated) -> None:
    """Write DIR/M.json (fields), DIR/M.layouts.json (layouts) per module and
    DIR/modules.json (the modules list)."""
    from bwlint.project.config import load_config
    from bwlint.services import schema_pull
    from bwlint.services.connection import Output, connect, hosts_for

    config = load_config(config_path, isolated=isolated)
    output = Output(verbose=connection.verbose)
    client = connect(connection, config.zoho, output, hosts_for(connection, config.zoho))
    folder = out or config.schema_dir or DEFAULT_OUT
    schema_pull.pull(client, list(modules), pull_all, folder, output)
    output.info(f"check against it with: bwlint check --schema-dir {folder} ...")
