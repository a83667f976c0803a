"""Reporters: a run's results in, text out. A reporter formats; it never decides."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bwlint.domain.results import RunResult

Reporter = Callable[["RunResult", bool], str]  # (results, colour) → the whole output
# the same output, piece by piece (text, or UTF-8 bytes)
Pieces = Callable[["RunResult", bool], Iterable[str | bytes]]


class _Reporters(Mapping[str, Reporter]):
    """Format name → its module's `render`, imported when first asked for: a run
    loads only the reporter it writes with."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Reporter:
        return import_module(f"bwlint.report.{self._modules[name]}").render

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


REPORTERS_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
}
REPORTERS: Mapping[str, Reporter] = _Reporters(REPORTERS_MODULES)


def pieces(name: str) -> Pieces:
    """The reporter `name` as pieces of its output to write one after the other: its
    module's `chunks` where it has one (a large report is never held whole), else
    its whole output as one piece."""
    module = import_module(f"bwlint.report.{REPORTERS_MODULES[name]}")
    chunks = getattr(module, "chunks", None)
    if chunks is not None:
        return lambda report, colour: chunks(report, colour)
    return lambda report, colour: [module.render(report, colour)]
