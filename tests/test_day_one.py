"""Issue 10, "day one with real exports": the behaviours that are no rule case of
tests/cases/ (they need the command line, a directory, a configuration or a preview)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from runner import bwlint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leads"
COVERED_RULES = ("BW221",)  # tests/test_rule_cases.py counts these as covered


def findings(result) -> list[tuple]:
    report = json.loads(result.stdout)
    return [(f["code"], f["severity"], f["file"], f["job"]) for f in report["findings"]]


def convention_tree(root: Path) -> Path:
    folder = root / "imports" / "leads"
    (folder / "sub").mkdir(parents=True)
    (folder / "results" / "600123").mkdir(parents=True)
    shutil.copy(EXAMPLE / "job.json", folder / "part-001.job.json")
    for target in ("part-001.csv", "extra.csv", "sub/more.csv", "results/600123/Leads-x.csv"):
        shutil.copy(EXAMPLE / "leads.csv", folder / target)
    return folder


def test_a_directory_names_the_csvs_no_job_reads(tmp_path):
    convention_tree(tmp_path)
    result = bwlint("check", "--isolated", "imports", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert findings(result) == [
        ("BW221", "warning", "imports/leads/extra.csv", None),
        ("BW221", "warning", "imports/leads/sub/more.csv", None),
    ]
    text = bwlint("check", "--isolated", "imports", cwd=tmp_path).stdout
    assert text.splitlines()[0] == (
        "imports/leads/extra.csv: BW221 warning: no job reads this file, so it was not "
        "checked: put it beside a job.json, name it NAME.csv or NAME.zip beside "
        "NAME.job.json, or declare it in a [[jobs]] entry's data"
    )


def test_a_declared_job_claims_its_globs_and_nothing_else(tmp_path):
    folder = convention_tree(tmp_path)
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\njob = "imports/leads/part-001.job.json"\ndata = ["imports/leads/*.csv"]\n'
    )
    result = bwlint("check", "imports", "--format", "json", cwd=tmp_path)
    assert [f[2] for f in findings(result)] == ["imports/leads/sub/more.csv"]
    assert folder.is_dir()


def test_files_given_with_job_or_module_are_all_read(tmp_path):
    convention_tree(tmp_path)
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "imports/leads/sub",
        "--select",
        "BW221",
        cwd=tmp_path,
    )
    assert result.stdout == "All checks passed (1 file, 3 records).\n"


def test_a_selector_that_matches_no_rule_stops_the_run(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("Last_Name\nOno\n")
    cases = {
        (
            "--select",
            "BW9",
        ): "bwlint: error: --select: 'BW9' matches no rule (bwlint rules lists them)\n",
        ("--ignore", "BW50l"): "bwlint: error: --ignore: 'BW50L' matches no rule; did you mean "
        "'BW501'? (bwlint rules lists them)\n",
    }
    for option, message in cases.items():
        result = bwlint("check", "--isolated", "--module", "Leads", str(csv), *option)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_a_selector_in_the_configuration_that_matches_no_rule_stops_the_run(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    for text, message in (
        ('ignore = ["BW9"]\n', "bwlint.toml 'ignore': 'BW9' matches no rule"),
        (
            '[per-file-ignores]\n"old/*" = ["BW88"]\n',
            "bwlint.toml 'per-file-ignores' \"old/*\": 'BW88' matches no rule",
        ),
    ):
        (tmp_path / "bwlint.toml").write_text(text)
        result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith(f"bwlint: error: {message}")


def test_prefixes_that_match_rules_still_run(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "leads.csv",
        "--select",
        "BW4,BW501",
        "--ignore",
        "BW40",
        cwd=tmp_path,
    )
    assert (result.returncode, result.stderr) == (0, "")
