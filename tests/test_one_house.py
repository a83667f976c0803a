"""Regressions of issue 8 ("one house for check, fix, split and submit"): each test
failed on the structure before it and passes on the one after."""

from __future__ import annotations

import csv as csv_module
import json
import shutil
from pathlib import Path

from runner import bwlint

from bwlint.catalogue import load_catalogue
from bwlint.checks import REGISTRY
from bwlint.domain.enums import Applicability, Severity
from bwlint.domain.limits import Limits
from bwlint.domain.results import ExitPolicy
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.discovery import JobSpec
from bwlint.report.preview import write_previews
from bwlint.services.check import check, check_job, check_jobs
from bwlint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leads"


def two_jobs(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders, each a job.json (index 12 out of range: BW141) and a leads.csv."""
    folders = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        job = json.loads((EXAMPLE / "job.json").read_text())
        job["resource"][0]["field_mappings"][0]["index"] = 12
        (folder / "job.json").write_text(json.dumps(job, indent=2))
        shutil.copy(EXAMPLE / "leads.csv", folder / "leads.csv")
        folders.append(folder)
    return folders[0], folders[1]


def test_json_report_names_the_job_of_a_job_level_finding(tmp_path):
    """Regression: with two jobs checked, a job-level finding had `file: null` and
    nothing said which job JSON it came from."""
    two_jobs(tmp_path)
    result = bwlint("check", "a", "b", "--format", "json", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["file"], f["job"]) for f in findings] == [
        ("BW141", None, "a/job.json"),
        ("BW141", None, "b/job.json"),
    ]


def test_each_jobs_preview_follows_its_own_operation(tmp_path):
    """Regression: the preview of an update job said `added` when another job came
    first, and two jobs' previews of the same name overwrote each other."""
    insert = tmp_path / "insert"
    update = tmp_path / "update"
    for folder in (insert, update):
        folder.mkdir()
        (folder / "leads.csv").write_text("id,Last_Name\n111111000000056001,Novak\n")
    specs = [
        JobSpec(module="Leads", data=(str(insert / "leads.csv"),)),
        JobSpec(
            module="Leads", operation="update", find_by="id", data=(str(update / "leads.csv"),)
        ),
    ]
    result = check_jobs(specs, settings=Settings(select=("BW5",)))
    written = write_previews(result, str(tmp_path / "out"))
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == [
        "module-Leads/Leads-leads.csv",
        "module-Leads-2/Leads-leads.csv",
    ]
    assert [p.read_text().splitlines()[1] for p in written] == [
        "111111000000056001,Novak,added,,",
        "111111000000056001,Novak,updated,,",
    ]


def test_previews_of_two_job_files_with_one_name_get_a_folder_each(tmp_path):
    two_jobs(tmp_path)
    for folder in ("a", "b"):
        (tmp_path / folder / "job.json").write_text((EXAMPLE / "job.json").read_text())
    specs = [
        JobSpec(job=str(tmp_path / f / "job.json"), data=(str(tmp_path / f / "leads.csv"),))
        for f in ("a", "b")
    ]
    result = check_jobs(specs, settings=Settings())
    written = write_previews(result, str(tmp_path / "out"))
    assert len(written) == 2 and written[0] != written[1]
    assert all(p.name == "Leads-leads.csv" and p.exists() for p in written)


def test_a_csv_the_globs_do_not_name_is_not_passed_in_silence(tmp_path):
    """Regression: with `data = ["*.csv"]`, `bwlint check sub/b.csv` printed "All checks
    passed" without reading sub/b.csv (matching and expanding disagreed on `*`)."""
    (tmp_path / "sub").mkdir()
    shutil.copy(EXAMPLE / "job.json", tmp_path / "leads.job.json")
    shutil.copy(EXAMPLE / "leads.csv", tmp_path / "a.csv")
    (tmp_path / "sub" / "b.csv").write_text("Last_Name,Email\nOno,not-an-email\n")
    (tmp_path / "bwlint.toml").write_text('[[jobs]]\njob = "leads.job.json"\ndata = ["*.csv"]\n')
    result = bwlint("check", "sub/b.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "sub/b.csv: no job declares this file" in result.stderr
    (tmp_path / "bwlint.toml").write_text('[[jobs]]\njob = "leads.job.json"\ndata = ["**/*.csv"]\n')
    result = bwlint("check", "sub/b.csv", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2  # the whole job: a.csv and sub/b.csv
    assert any("sub/b.csv has 2 columns" in f["message"] for f in report["findings"])


def test_a_cr_only_file_with_an_unterminated_quote_is_a_finding(tmp_path):
    """Regression: `bwlint: internal error: ValueError` (the reader looked for \\n only)."""
    path = tmp_path / "leads.csv"
    path.write_bytes(b'Last_Name,Company\rNovak,Bolt\rOno,"Kumo\rIto,Acme\r')
    result = check([str(path)], module="Leads")
    assert [(f.code, f.record, f.line) for f in result.findings] == [("BW209", 2, 3)]


def test_the_zipped_size_is_not_estimated_when_bw203_is_not_run(tmp_path):
    """Regression: the background compression ran (and kept running after check()
    returned) with BW203 ignored."""
    path = tmp_path / "leads.csv"
    path.write_text("Last_Name\n" + "Novak\n" * 50)
    small = Limits(zip_bytes=100)
    ignored = check_jobs(
        [JobSpec(module="Leads", data=(str(path),))],
        settings=Settings(ignore=("BW203",), limits=small),
    )
    assert ignored.files[0].facts.pending is None
    assert ignored.files[0].facts.zipped is None
    selected = check_jobs(
        [JobSpec(module="Leads", data=(str(path),))], settings=Settings(limits=small)
    )
    assert selected.files[0].facts.zipped is not None


def test_the_csv_field_limit_is_left_as_it_was():
    """Regression: importing the reader raised csv's field size limit for the whole
    process."""
    before = csv_module.field_size_limit()
    import bwlint.load.parse  # noqa: F401

    check(
        [str(ROOT / "tests/fixtures/mixed/leads.csv")],
        job=str(ROOT / "tests/fixtures/mixed/job.json"),
    )
    assert csv_module.field_size_limit() == before


def test_a_chosen_set_of_checks_runs_alone(tmp_path):
    """The engine runs the checks it is given: here, only the rules that can be fixed."""
    path = tmp_path / "leads.csv"
    path.write_text("Last_Name,Email,Date_of_Birth\nOno,bad@,2024-03-17\n")
    fixable = [c for c in REGISTRY if load_catalogue()[c.code].fixable is not None]
    assert [c.code for c in fixable] == [
        "BW103",
        "BW206",
        "BW217",
        "BW218",
        "BW219",
        "BW404",
        "BW405",
        "BW406",
        "BW407",
        "BW408",
        "BW409",
        "BW411",
        "BW417",
    ]
    result = check_job(
        JobSpec(module="Contacts", data=(str(path),)),
        settings=Settings(),
        catalog=ModuleCatalog(),
        checks=fixable,
    )
    [finding] = result.findings
    assert finding.code == "BW406"
    assert finding.fix is not None and finding.fix.applicability is Applicability.SAFE
    [edit] = finding.fix.edits
    assert (edit.record, edit.column_index, edit.old, edit.new) == (
        1,
        2,
        "2024-03-17",
        "03/17/2024",
    )


def test_one_exit_status_for_every_caller(tmp_path):
    result = check(
        [str(ROOT / "tests/fixtures/mixed/leads.csv")],
        job=str(ROOT / "tests/fixtures/mixed/job.json"),
    )
    assert result.exit_status() == 1
    assert result.exit_status(ExitPolicy(exit_zero=True)) == 0
    warnings_only = check(
        [str(EXAMPLE / "leads.csv")], module="Leads", settings=Settings(select=("BW120",))
    )
    assert {f.severity for f in warnings_only.findings} <= {Severity.WARNING}
    assert warnings_only.exit_status() == 0
    assert warnings_only.exit_status(ExitPolicy(fail_on=Severity.WARNING)) == (
        1 if warnings_only.findings else 0
    )
