"""The runner: a given set of checks over one upload of a job; the engine keeps books.

A check is one unit per rule code (`Check`), made by `@check("BWnnn")` over a function
of a `Context` that yields findings built by `ctx.finding(...)` (which fills in the
catalogue's severity and Zoho code, and the location). Checks of one kind that are
cheaper together (the cell rules' polars expressions, one `select` per file) share a
`batch` runner: the engine calls it once with every selected check of that kind.

The engine imports no check: `bwlint.checks.REGISTRY` lists them, and callers pass the
ones to run. It verifies that each check yields only its own code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bwlint.catalogue import Rule, load_catalogue
from bwlint.domain.enums import Phase, Severity
from bwlint.domain.finding import Finding, clip_message
from bwlint.domain.findings import FindingRows, Findings
from bwlint.domain.fix import Fix
from bwlint.domain.location import Location
from bwlint.domain.model import Job, Module
from bwlint.domain.redact import redact
from bwlint.load.data import DataFile
from bwlint.load.jsonpos import positions
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.binding import Binding
from bwlint.settings import Settings

# A check yields findings: `Finding`s, or `FindingRows` (many at once, as columns).
Found = Finding | FindingRows
CheckFn = Callable[["Context"], Iterable[Found]]
BatchFn = Callable[["Context", Sequence["Check"]], Iterable[Found]]


class CheckContractError(AssertionError):
    """A check yielded a finding of a code it does not declare: a bug in bwlint."""


@dataclass(frozen=True, eq=False)
class Check:
    """The code of one rule: what runs, when, and with which others it runs together."""

    code: str
    run: CheckFn | None = None  # None for checks run by their `batch`
    phase: Phase = Phase.MAIN
    batch: BatchFn | None = None  # runs every selected check of its kind at once
    spec: Any = None  # a batch's own description of the check (e.g. a cell rule)

    @property
    def name(self) -> str:
        function = self.run or self.batch
        return getattr(function, "__name__", self.code)


def check(code: str, *, phase: Phase = Phase.MAIN) -> Callable[[CheckFn], Check]:
    """Make a function the check of rule `code` (registering is the family's `CHECKS`)."""

    def unit(function: CheckFn) -> Check:
        return Check(code, run=function, phase=phase)

    return unit


@dataclass
class Context:
    """What every check sees: the job, the metadata, the data files, the settings."""

    job: Job
    modules: ModuleCatalog
    files: list[DataFile]
    settings: Settings
    bindings: list[Binding]
    catalogue: dict[str, Rule] = field(default_factory=load_catalogue)
    # The findings of the earlier phases (of the checks that ran): a RELATIONS check
    # reads them; MAIN checks see none.
    findings: Sequence[Finding] = field(default_factory=list)
    # Work several checks share (e.g. the JSON Schema errors of the job), by key.
    memo: dict[str, Any] = field(default_factory=dict)
    _job_positions: dict[str, tuple[int, int]] | None = None

    @property
    def origin(self) -> str | None:
        """Where job-level findings are shown: the job JSON, or (--module) the data."""
        if self.job.path is not None:
            return self.job.path
        first = self.files[0] if self.files else None
        return None if first is None else (first.zip_path or first.display)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per upload, for every check that asks for `key`."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def job_position(self, pointer: str) -> tuple[int | None, int | None]:
        if self.job.text is None:
            return None, None
        if self._job_positions is None:
            self._job_positions = positions(self.job.text)
        while pointer not in self._job_positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]  # the nearest enclosing value
        return self._job_positions.get(pointer, (None, None))

    def at_pointer(self, pointer: str) -> Location:
        line, column = self.job_position(pointer)
        return Location(
            pointer=pointer, job=self.job.path, job_line=line, job_column=column, origin=self.origin
        )

    def at_data(
        self,
        data: DataFile,
        record: int | None = None,
        column_index: int | None = None,
        line: int | None = None,
    ) -> Location:
        """A cell, a record, a header cell, a line or the whole of a data file."""
        if line is None and record is not None:
            line = data.line_of(record)
        column = number = None
        if column_index is not None:
            number = column_index + 1
            if column_index < len(data.header):
                column = data.header[column_index]
        return Location(
            data.display,
            data.zip_path,
            record,
            line,
            column,
            number,
            None,
            self.job.path,
            None,
            None,
            self.origin,
        )

    def at_path(self, path: str) -> Location:
        """A path as a whole: a zip, for findings about the archive itself."""
        return Location(file=path, job=self.job.path, origin=self.origin)

    def severity_of(self, rule: Rule, module: Module | None) -> Severity:
        severity = rule.severity
        if module is not None and module.bundled and rule.bundled_severity:
            severity = rule.bundled_severity
        return self.settings.severity.get(rule.code, severity)

    def finding(
        self,
        code: str,
        message: str,
        *,
        module: Module | None = None,
        severity: Severity | None = None,
        data: DataFile | None = None,
        record: int | None = None,
        column_index: int | None = None,
        field: str | None = None,
        value: str | None = None,
        pointer: str | None = None,
        location: Location | None = None,
        fix: Fix | None = None,
        **extra: Any,
    ) -> Finding:
        """A finding of rule `code`, located by `location`, else `data` (and `record`,
        `column_index`), else `pointer`. `severity` overrides the catalogue's default;
        the configuration's `severity` table overrides both."""
        rule = self.catalogue[code]
        if severity is None:
            severity = self.severity_of(rule, module)
        else:
            severity = self.settings.severity.get(code, severity)
        if location is None:
            if data is not None:
                location = self.at_data(data, record, column_index)._replace(pointer=pointer)
            elif pointer is not None:
                location = self.at_pointer(pointer)
            else:
                location = Location(job=self.job.path, origin=self.origin)
        message = redact(clip_message(message))
        if value is not None:
            value = redact(value)
        return Finding(code, rule.zoho_code, severity, message, location, field, value, fix, extra)


def _groups(checks: Sequence[Check]) -> list[tuple[BatchFn | None, list[Check]]]:
    """Checks in order, those sharing a batch runner gathered at the first's place."""
    groups: list[tuple[BatchFn | None, list[Check]]] = []
    by_batch: dict[int, list[Check]] = {}
    for unit in checks:
        if unit.batch is None:
            groups.append((None, [unit]))
        elif id(unit.batch) in by_batch:
            by_batch[id(unit.batch)].append(unit)
        else:
            by_batch[id(unit.batch)] = [unit]
            groups.append((unit.batch, by_batch[id(unit.batch)]))
    return groups


def run(ctx: Context, checks: Sequence[Check]) -> Findings:
    """Run `checks`, phase by phase; return their findings, sorted."""
    found: list[Found] = []
    for phase in Phase:
        todo = [unit for unit in checks if unit.phase == phase]
        if not todo:
            continue
        ctx.findings = Findings.of(found, sort=False)  # as found: objects when read
        for batch, group in _groups(todo):
            allowed = {unit.code for unit in group}
            produced = batch(ctx, group) if batch is not None else group[0].run(ctx)  # type: ignore[misc]
            for finding in produced:
                if finding.code not in allowed:
                    raise CheckContractError(
                        f"check {group[0].name} yielded {finding.code}; it declares "
                        f"{', '.join(sorted(allowed))}"
                    )
                found.append(finding)
    return Findings.of(found)
