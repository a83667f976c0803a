""" "Did you mean …?": the one place that finds the option a mistyped name meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, options: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The option `name` most likely meant: the same but for case, else the most
    similar one at least `cutoff` alike (difflib's ratio), else None."""
    choices = list(options)
    lowered = {option.lower(): option for option in choices}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(name: str, options: Iterable[str], cutoff: float = 0.75) -> str:
    """'; did you mean 'X'?' for the closest option, or ''."""
    match = closest(name, options, cutoff)
    return f"; did you mean '{match}'?" if match else ""
