"""Job rules about modules (BW110, BW111): whether bulk write can take the module a
resource names, and whether bwlint knows its fields."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.engine import Context, check
from bwlint.load.metadata import UNSUPPORTED_MODULES
from bwlint.project.binding import Binding
from bwlint.suggest import did_you_mean


def _unknown_modules(ctx: Context) -> Iterator[tuple[Binding, str, str]]:
    """(binding, module name, pointer) of each resource whose module has no metadata."""
    for binding in ctx.bindings:
        name = binding.resource.module
        if name and binding.module is None:
            yield binding, name, f"{binding.resource.pointer}/module"


# Modules refused in a live run against a real org, not in the documents (zoho-facts
# §11): a warning naming that source, not an error.
SEEN_REFUSED = {
    "Calls": "a live run against a real org (2026-09) saw Zoho refuse bulk write, and "
    "upsert, on Calls; Zoho's list of bulk write modules does not name it either",
}


def _close_module(name: str, known: list[str]) -> str | None:
    """The known module a name most likely misspells (`Lead`, `pricebooks`)."""
    squashed = {k.lower().replace("_", ""): k for k in known}
    key = name.lower().replace("_", "")
    if key in squashed:
        return squashed[key]
    close = difflib.get_close_matches(key, list(squashed), n=1, cutoff=0.8)
    return squashed[close[0]] if close else None


def _not_available(ctx: Context, binding: Binding, name: str) -> str | None:
    """Why bulk write cannot take module `name`, if it cannot."""
    if name in SEEN_REFUSED:
        return f"module '{name}': {SEEN_REFUSED[name]}"
    if name in UNSUPPORTED_MODULES:
        return f"module '{name}' is not available to bulk write"
    listed = ctx.modules.modules
    if listed is not None:  # the org's modules list decides
        entry = listed.get(name)
        if entry is None:
            return (
                f"module '{name}' is not in your org's modules list (modules.json)"
                f"{did_you_mean(name, listed)}"
            )
        if entry.get("api_supported") is False:
            return (
                f"module '{name}' is not available to the API in your org (api_supported is false)"
            )
        return None
    if binding.module is None:
        close = _close_module(name, ctx.modules.known_names())
        if close is not None:
            return (
                f"module '{name}' is not a module API name; did you mean '{close}'? (a custom "
                "module of that name needs its metadata: --schema-dir)"
            )
    return None


@check("BW110")
def module_not_available(ctx: Context) -> Iterator[Finding]:
    for binding in ctx.bindings:
        name = binding.resource.module
        why = _not_available(ctx, binding, name) if name else None
        if why is not None:
            severity = Severity.WARNING if name in SEEN_REFUSED else None
            yield ctx.finding(
                "BW110", why, severity=severity, pointer=f"{binding.resource.pointer}/module"
            )


@check("BW111")
def module_metadata_missing(ctx: Context) -> Iterator[Finding]:
    for binding, name, pointer in _unknown_modules(ctx):
        if _not_available(ctx, binding, name) is not None:
            continue  # BW110 says it
        yield ctx.finding(
            "BW111",
            f"no metadata for module '{name}': its fields cannot be checked; save "
            f"GET /crm/v8/settings/fields?module={name} as {name}.json in the "
            "--schema-dir folder",
            pointer=pointer,
        )


CHECKS = (module_not_available, module_metadata_missing)
