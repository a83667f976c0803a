"""How messages name a job setting: the job JSON's key, or with `--module` (no job
JSON) the command-line option that stands for it — advice must name what the user can
change."""

from __future__ import annotations

from bwlint.engine import Context

OPTIONS = {
    "find_by": "--find-by",
    "ignore_empty": "--ignore-empty",
    "character_encoding": "--character-encoding",
    "operation": "--operation",
}


def setting(ctx: Context, key: str) -> str:
    """`find_by` in a job JSON, `--find-by` with --module."""
    return OPTIONS.get(key, key) if ctx.job.path is None else key


def set_to(ctx: Context, key: str, value: str) -> str:
    """`"ignore_empty": true` in a job JSON, `--ignore-empty` with --module (or the
    same key in the configuration's [[jobs]])."""
    if ctx.job.path is not None:
        return f'"{key}": {value}'
    option = OPTIONS[key]
    if value == "true":
        return f"{option} ({key.replace('_', '-')} = true in [[jobs]])"
    return f'{option} {value} ({key.replace("_", "-")} = "{value}" in [[jobs]])'
