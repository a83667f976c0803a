"""`bwlint schema pull`: save the org's metadata in the form `--schema-dir` reads.

`DIR/modules.json` is the Modules API body; per module, `DIR/<M>.json` is the Fields
Metadata body and `DIR/<M>.layouts.json` the Layouts body — each saved as Zoho sent it.
With `--all`, every module whose `api_supported` is true; a module the API refuses
there is skipped with a warning (with `--module`, it is an error).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from bwlint.errors import UsageError
from bwlint.services.connection import Output
from bwlint.zoho.bulk import ZohoClient
from bwlint.zoho.errors import ZohoError

SAFE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def _write(path: Path, body: dict[str, Any]) -> None:
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None


def _many(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _listed(body: dict[str, Any]) -> list[dict[str, Any]]:
    rows = body.get("modules")
    return [m for m in rows if isinstance(m, dict)] if isinstance(rows, list) else []


def pull(
    client: ZohoClient, modules: list[str], pull_all: bool, out: Path, output: Output
) -> list[Path]:
    """Write the files; the paths written."""
    if not modules and not pull_all:
        raise UsageError("name the modules to pull with --module M (repeatable), or --all")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create the folder: {exc.strerror}") from None
    listing = client.metadata("modules")
    written = [out / "modules.json"]
    _write(written[0], listing)
    output.info(f"wrote {written[0]} ({_many(len(_listed(listing)), 'module')})")
    known = {m.get("api_name") for m in _listed(listing)}
    names = list(modules) or [
        str(m["api_name"]) for m in _listed(listing) if m.get("api_supported") and m.get("api_name")
    ]
    for name in names:
        if not SAFE_NAME.match(name):
            output.warn(f"skipped module '{name}': not a module API name")
            continue
        if modules and name not in known:
            output.warn(f"{name} is not in the org's modules list")
        try:
            written += _pull_module(client, name, out, output)
        except ZohoError as exc:
            if modules:
                raise
            output.warn(f"skipped {name}: {exc.line()}")
    return written


def _pull_module(client: ZohoClient, name: str, out: Path, output: Output) -> list[Path]:
    fields = client.metadata("fields", name)
    layouts = client.metadata("layouts", name)
    paths = [out / f"{name}.json", out / f"{name}.layouts.json"]
    _write(paths[0], fields if fields.get("fields") is not None else {"fields": []})
    _write(paths[1], layouts if layouts.get("layouts") is not None else {"layouts": []})
    count = len(fields.get("fields") or [])
    layouts_count = len(layouts.get("layouts") or [])
    output.info(
        f"wrote {paths[0]} ({_many(count, 'field')}) and {paths[1].name} "
        f"({_many(layouts_count, 'layout')})"
    )
    return paths
