"""Options that several commands share, declared once: each group adds its click
options and hands the command one value instead of a dozen parameters."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from bwlint.report import REPORTERS
from bwlint.services.inputs import ConfigChoice, Inputs, Selection

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def codes(value: str | None) -> tuple[str, ...]:
    """`BW4,BW501` → ('BW4', 'BW501')."""
    if not value:
        return ()
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def _group(
    names: tuple[str, ...],
    options: list[Decorator],
    build: Callable[[dict[str, Any]], tuple[str, Any]],
) -> Decorator:
    """A decorator adding `options` (whose parameters are `names`) to a command and
    passing their values to it as the one keyword argument `build` makes of them."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            key, value = build(given)
            return command(*args, **{key: value}, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


inputs = _group(
    (
        "paths",
        "job",
        "module",
        "operation",
        "find_by",
        "ignore_empty",
        "character_encoding",
        "schema_dir",
    ),
    [
        click.argument("paths", nargs=-1, metavar="[PATH]..."),
        click.option("--job", metavar="FILE", help="The Create Bulk Write Job request body."),
        click.option("--module", metavar="NAME", help="No job JSON: the module's API name."),
        click.option(
            "--operation",
            type=click.Choice(["insert", "update", "upsert"]),
            help="No job JSON: the operation (default insert).",
        ),
        click.option("--find-by", metavar="FIELD", help="No job JSON: the find_by field."),
        click.option(
            "--ignore-empty/--no-ignore-empty",
            default=None,
            help="No job JSON: the job's ignore_empty (empty cells leave CRM values alone).",
        ),
        click.option(
            "--character-encoding",
            metavar="NAME",
            help="No job JSON: the job's character_encoding (e.g. windows-1252).",
        ),
        click.option(
            "--schema-dir",
            metavar="DIR",
            help="Your org's metadata: <Module>.json (Fields Metadata API bodies), "
            "<Module>.layouts.json, modules.json.",
        ),
    ],
    lambda given: ("inputs", Inputs(paths=tuple(given.pop("paths")), **given)),
)

selection = _group(
    ("select", "ignore", "extend_select"),
    [
        click.option("--select", metavar="CODES", help="Only these rule codes or prefixes."),
        click.option("--ignore", metavar="CODES", help="Not these rule codes or prefixes."),
        click.option("--extend-select", metavar="CODES", help="Add these codes to the selection."),
    ],
    lambda given: (
        "selection",
        Selection(codes(given["select"]), codes(given["ignore"]), codes(given["extend_select"])),
    ),
)

configuration = _group(
    ("config_path", "isolated", "allow_outside"),
    [
        click.option(
            "--config", "config_path", metavar="FILE", help="Use this configuration file."
        ),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option(
            "--allow-outside-paths",
            "allow_outside",
            is_flag=True,
            help="Let the configuration name files outside its own folder (by default a "
            "path that leaves it is refused).",
        ),
    ],
    lambda given: (
        "config_choice",
        ConfigChoice(given["config_path"], given["isolated"], given["allow_outside"]),
    ),
)


def report(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--format` and `--output`: the report's form and where it goes."""
    command = click.option("--output", metavar="FILE", help="Write the report to FILE.")(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(REPORTERS)),
        default="text",
        show_default=True,
        help="The report's form.",
    )(command)


def exit_policy(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--exit-zero` and `--fail-on`: which findings make the exit status 1."""
    command = click.option(
        "--fail-on",
        type=click.Choice(["error", "warning"]),
        help="Exit 1 on errors only (default) or on warnings too.",
    )(command)
    return click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")(
        command
    )
