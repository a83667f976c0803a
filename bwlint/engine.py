"""The rule registry and the runner: checks yield findings, the engine keeps books.

A check is a function of a `Context` that yields `Finding`s made by
`ctx.finding(code, ...)`, which fills in the catalogue's severity and Zoho code.
A new rule family is a module under `bwlint/checks/` that registers its checks with
`@check(...)`; the engine does not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bwlint.binding import Binding
from bwlint.catalogue import Rule, load_catalogue
from bwlint.findings import Finding
from bwlint.load.data import DataFile
from bwlint.load.jsonpos import positions
from bwlint.load.metadata import ModuleCatalog
from bwlint.model import Job, Module
from bwlint.settings import Settings

CheckFn = Callable[["Context"], Iterable[Finding]]

# Checks run in phases, in this order. A "relations" check runs after all others and
# reads their findings in `Context.findings` (e.g. a child row whose parent row has an
# error: Zoho skips the parent, and its children with it).
PHASES = ("main", "relations")


@dataclass(frozen=True)
class Check:
    codes: tuple[str, ...]
    function: CheckFn
    phase: str = "main"

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__name__}"


REGISTRY: list[Check] = []


def check(*codes: str, phase: str = "main") -> Callable[[CheckFn], CheckFn]:
    """Register a check that may yield findings of the given rule codes.

    `phase="relations"`: run after every "main" check, with their findings in
    `ctx.findings`.
    """
    if phase not in PHASES:
        raise ValueError(f"unknown check phase {phase!r}; one of {', '.join(PHASES)}")

    def register(function: CheckFn) -> CheckFn:
        REGISTRY.append(Check(codes, function, phase))
        return function

    return register


@dataclass
class Context:
    """What every check sees: the job, the metadata, the data files, the settings."""

    job: Job
    modules: ModuleCatalog
    files: list[DataFile]
    settings: Settings
    bindings: list[Binding]
    catalogue: dict[str, Rule] = field(default_factory=load_catalogue)
    # The selected findings of the earlier phases (a rule left out by --select or
    # --ignore counts as absent): filled by run() before each phase; the "main" phase
    # sees only the findings met while reading the files.
    findings: list[Finding] = field(default_factory=list)
    _job_positions: dict[str, tuple[int, int]] | None = None

    def job_position(self, pointer: str) -> tuple[int | None, int | None]:
        if self.job.text is None:
            return None, None
        if self._job_positions is None:
            self._job_positions = positions(self.job.text)
        while pointer not in self._job_positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]  # the nearest enclosing value
        return self._job_positions.get(pointer, (None, None))

    def finding(
        self,
        code: str,
        message: str,
        *,
        module: Module | None = None,
        severity: str | None = None,
        data: DataFile | None = None,
        record: int | None = None,
        column_index: int | None = None,
        field: str | None = None,
        value: str | None = None,
        pointer: str | None = None,
        **extra: Any,
    ) -> Finding:
        """A finding of rule `code`; location comes from `pointer` or `data`/`record`."""
        rule = self.catalogue[code]
        if severity is None:
            severity = rule.severity
            if module is not None and module.bundled and rule.bundled_severity:
                severity = rule.bundled_severity
        severity = self.settings.severity.get(code, severity)
        file = data.display if data is not None else None
        line = data.line_of(record) if data is not None and record is not None else None
        column = None
        if data is not None and column_index is not None and column_index < len(data.header):
            column = data.header[column_index]
        if pointer is not None and data is None:
            # A job built from --module has no file of its own: point at the data.
            path = self.job.path or (self.files[0].display if self.files else None)
            where = (path, *self.job_position(pointer))
        else:
            column_number = column_index + 1 if column_index is not None else None
            # a header cell (a column but no record) is on the header's first line
            where_line = line if line is not None or column_number is None else 1
            where = (file, where_line if data is not None else None, column_number)
        return Finding(
            code=code,
            zoho_code=rule.zoho_code,
            severity=severity,
            message=message,
            file=file,
            record=record,
            line=line,
            column=column,
            field=field,
            value=value,
            pointer=pointer,
            where=where,
            extra=extra,
        )


def selected_checks(settings: Settings) -> list[Check]:
    return [c for c in REGISTRY if any(settings.is_selected(code) for code in c.codes)]


def run(ctx: Context) -> list[Finding]:
    """Run every selected check; return the selected findings, sorted."""
    import bwlint.checks  # noqa: F401  (registers the rule families)

    findings: list[Finding] = []
    checks = selected_checks(ctx.settings)
    selected: dict[str, bool] = {}  # is_selected once per code, not once per finding

    def kept() -> list[Finding]:
        for code in {f.code for f in findings} - selected.keys():
            selected[code] = ctx.settings.is_selected(code)
        return [f for f in findings if selected[f.code]]

    for phase in PHASES:
        ctx.findings = kept()
        for registered in checks:
            if registered.phase == phase:
                findings.extend(registered.function(ctx))
    return sorted(kept(), key=Finding.sort_key)


def count(findings: Iterable[Finding]) -> dict[str, int]:
    totals = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        totals[finding.severity] += 1
    return totals


def iter_codes() -> Iterator[str]:
    import bwlint.checks  # noqa: F401

    for registered in REGISTRY:
        yield from registered.codes
