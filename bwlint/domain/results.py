"""What a run found, per job: the results every command and reporter reads.

A run (`RunResult`) is made of one `JobResult` per job checked; each holds the job,
the data files read, their bindings and the job's findings. The exit status is
computed here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding

if TYPE_CHECKING:
    from bwlint.domain.model import Job
    from bwlint.load.data import DataFile
    from bwlint.project.binding import Binding
    from bwlint.project.relations import ChildCounts


def count(findings: Iterable[Finding]) -> dict[Severity, int]:
    severities = getattr(findings, "severities", None)
    if severities is not None:  # `Findings`: counted without making objects of rows
        return severities()
    totals = dict.fromkeys(Severity, 0)
    for finding in findings:
        totals[finding.severity] += 1
    return totals


def summary_of(findings: Sequence[Finding], files: Sequence[DataFile]) -> dict[str, int]:
    """The JSON report's `summary` (CONTRACT.md): errors, warnings, files, records."""
    totals = count(findings)
    return {
        "errors": totals[Severity.ERROR],
        "warnings": totals[Severity.WARNING],
        "files": len(files),
        "records": sum(data.records for data in files),
    }


@dataclass(frozen=True)
class ExitPolicy:
    """Which findings make the exit status 1 (`--fail-on`, `--exit-zero`)."""

    fail_on: Severity = Severity.ERROR
    exit_zero: bool = False

    def status(self, findings: Iterable[Finding]) -> int:
        """0 or 1: 1 when a finding reaches `fail_on` (errors, or warnings too)."""
        if self.exit_zero:
            return 0
        failing = {Severity.ERROR} | ({Severity.WARNING} if self.fail_on == "warning" else set())
        totals = count(findings)
        return 1 if any(totals[severity] for severity in failing) else 0


@dataclass
class JobResult:
    """One job checked: the job, the data files read, their bindings, its findings."""

    name: str  # the job JSON as given, or `--module NAME` for a module job
    job: Job
    files: list[DataFile]
    bindings: list[Binding]
    findings: Sequence[Finding]  # in report order (a `Findings` when checked)
    children: list[ChildCounts] = field(default_factory=list)  # parent-child jobs

    @property
    def path(self) -> str | None:
        """The job JSON as given; None for a module job (--module)."""
        return self.job.path

    @property
    def summary(self) -> dict[str, int]:
        return summary_of(self.findings, self.files)

    @property
    def has_errors(self) -> bool:
        return count(self.findings)[Severity.ERROR] > 0


@dataclass
class RunResult:
    """Every job of one run, in the order they were asked for."""

    jobs: list[JobResult] = field(default_factory=list)

    @cached_property
    def findings(self) -> Sequence[Finding]:
        """Every finding of every job, in report order (by place, then rule)."""
        if len(self.jobs) == 1:
            return self.jobs[0].findings  # already sorted
        from bwlint.domain.findings import Findings  # polars: only where findings are

        return Findings.merged(job.findings for job in self.jobs)

    @property
    def files(self) -> list[DataFile]:
        return [data for job in self.jobs for data in job.files]

    @property
    def bindings(self) -> list[Binding]:
        return [binding for job in self.jobs for binding in job.bindings]

    @property
    def children(self) -> list[ChildCounts]:
        return [counts for job in self.jobs for counts in job.children]

    @property
    def summary(self) -> dict[str, int]:
        return summary_of(self.findings, self.files)

    def exit_status(self, policy: ExitPolicy | None = None) -> int:
        return (policy or ExitPolicy()).status(self.findings)
