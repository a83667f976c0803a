"""Results made by hand, for tests of reporters: findings without a run behind them."""

from __future__ import annotations

from collections.abc import Iterable

from bwlint.domain.finding import Finding
from bwlint.domain.results import JobResult, RunResult
from bwlint.load.job import build_job


def run_of(findings: Iterable[Finding], job_path: str | None = "job.json") -> RunResult:
    """A run of one job whose findings are `findings` (and no data files)."""
    job = build_job({"operation": "insert", "resource": []}, path=job_path)
    return RunResult([JobResult(job_path or "--module Leads", job, [], [], list(findings))])
