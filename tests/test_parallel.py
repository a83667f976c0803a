"""`check --jobs N`: jobs checked in other processes report exactly what they report
checked in turn, in the same order; a job's error is the same error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from runner import ROOT, bwlint

from bwlint.errors import UsageError
from bwlint.project.discovery import JobSpec
from bwlint.report import json_report
from bwlint.services import parallel
from bwlint.services.check import check_jobs
from bwlint.settings import Settings

EXAMPLES = ROOT / "examples"


def _specs(tmp_path: Path) -> list[JobSpec]:
    """Three jobs: the leads example twice (once with a bad value) and parent-child."""
    bad = tmp_path / "bad"
    shutil.copytree(EXAMPLES / "leads", bad)
    csv = bad / "leads.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("@", " at ", 1)  # an invalid email
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pc = EXAMPLES / "parent-child"
    children = (str(pc / "quotes.csv"), str(pc / "quoted_items.csv"))
    return [
        JobSpec(job=str(EXAMPLES / "leads/job.json"), data=(str(EXAMPLES / "leads/leads.csv"),)),
        JobSpec(job=str(bad / "job.json"), data=(str(csv),)),
        JobSpec(job=str(pc / "job.json"), data=children),
    ]


def test_parallel_jobs_report_as_jobs_in_turn(tmp_path, monkeypatch):
    specs = _specs(tmp_path)
    settings = Settings()
    alone = check_jobs(specs, settings=settings, keep_cells=False)
    monkeypatch.setattr(parallel, "worth_it", lambda *_args: True)  # even for small files
    together = check_jobs(specs, settings=settings, jobs=2, keep_cells=False)
    assert [job.name for job in together.jobs] == [spec.name for spec in specs]
    assert json_report.render(together) == json_report.render(alone)
    assert together.exit_status() == alone.exit_status() == 1
    assert all(data.frame.width == 0 and data.records for data in together.files)


def test_a_job_error_in_a_worker_is_the_error_of_the_job(tmp_path, monkeypatch):
    specs = [*_specs(tmp_path)[:1], JobSpec(module="Leads", data=(str(tmp_path / "no.csv"),))]
    monkeypatch.setattr(parallel, "worth_it", lambda *_args: True)
    with pytest.raises(UsageError, match="no such file"):
        check_jobs(specs, settings=Settings(), jobs=2, keep_cells=False)


def test_processes_only_when_they_pay(tmp_path, monkeypatch):
    specs = _specs(tmp_path) * 4
    assert not parallel.worth_it(specs, 2, cpus=8)  # a few KB: one process is faster
    monkeypatch.setattr(parallel, "WORTH_BYTES", 0)
    assert parallel.worth_it(specs, 2, cpus=8)
    assert not parallel.worth_it(specs, 2, cpus=1)  # one CPU: nothing to share
    assert not parallel.worth_it(specs[:3], 2, cpus=8)  # fewer than 2 jobs a worker
    assert not parallel.worth_it(specs, 1, cpus=8)


def test_jobs_option(tmp_path):
    result = bwlint("check", "--isolated", "--jobs", "2", "examples/leads", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    result = bwlint("check", "--isolated", "--jobs", "0", "examples/leads", cwd=ROOT)
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_parallel_jobs_carry_many_findings_and_their_fixes(tmp_path, monkeypatch):
    """A job of more than 2,000 findings keeps them as columns, with fixes made when
    read: they cross from a worker as the findings and fixes they stand for."""
    folder = tmp_path / "many"
    shutil.copytree(EXAMPLES / "leads", folder)
    csv = folder / "leads.csv"
    header, first = csv.read_text(encoding="utf-8").splitlines()[:2]
    cells = first.split(",")
    cells[3], cells[8] = "no email", "yes"  # BW402, and BW409 with a fix ("true")
    csv.write_text("\n".join([header, *[",".join(cells)] * 1_100]) + "\n", encoding="utf-8")
    specs = [JobSpec(job=str(folder / "job.json"), data=(str(csv),)), *_specs(tmp_path)[:1]]
    alone = check_jobs(specs, settings=Settings(), keep_cells=False)
    monkeypatch.setattr(parallel, "worth_it", lambda *_args: True)
    together = check_jobs(specs, settings=Settings(), jobs=2, keep_cells=False)
    assert len(together.findings) >= 2_200
    assert json_report.render(together) == json_report.render(alone)
    fixes = [f.fix for f in together.findings if f.code == "BW409"]
    assert len(fixes) == 1_100 and {fix.edits[0].new for fix in fixes if fix} == {"true"}
