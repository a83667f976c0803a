"""The configuration file: discovery, precedence, every key, and invalid files (exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from runner import bwlint

from bwlint.errors import UsageError
from bwlint.project.config import discover, load_config
from bwlint.project.globs import matches_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/leads"


def project(tmp_path: Path, config: str, name: str = "bwlint.toml") -> Path:
    """A data repository: imports/leads/{job.json,leads.csv} and a configuration."""
    leads = tmp_path / "imports/leads"
    leads.mkdir(parents=True)
    shutil.copy(EXAMPLE / "job.json", leads / "job.json")
    shutil.copy(EXAMPLE / "leads.csv", leads / "leads.csv")
    (tmp_path / name).write_text(config)
    return tmp_path


LEADS_JOB = '[[jobs]]\njob = "imports/leads/job.json"\ndata = ["imports/leads/*.csv"]\n'


def findings(result: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(result.stdout)["findings"]


# --- discovery -------------------------------------------------------------------------


def test_discovery_walks_up_from_the_working_directory(tmp_path, monkeypatch):
    project(tmp_path, LEADS_JOB)
    deep = tmp_path / "imports/leads"
    monkeypatch.chdir(deep)
    assert discover() == (tmp_path / "bwlint.toml").resolve()


def test_pyproject_without_tool_bwlint_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "bwlint.toml").write_text('select = ["BW1"]\n')
    inner = tmp_path / "sub"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.ruff]\nline-length = 90\n")
    monkeypatch.chdir(inner)
    assert discover() == (tmp_path / "bwlint.toml").resolve()


def test_in_one_directory_bwlint_toml_beats_pyproject(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.bwlint]\nselect = ["BW1"]\n')
    (tmp_path / "bwlint.toml").write_text('select = ["BW4"]\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().settings.select == ("BW4",)
    (tmp_path / ".bwlint.toml").write_text('select = ["BW5"]\n')
    assert load_config().settings.select == ("BW5",)


def test_nearest_directory_wins(tmp_path, monkeypatch):
    (tmp_path / "bwlint.toml").write_text('select = ["BW1"]\n')
    inner = tmp_path / "sub"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[tool.bwlint]\nselect = ["BW2"]\n')
    monkeypatch.chdir(inner)
    assert load_config().settings.select == ("BW2",)


def test_explicit_config_replaces_discovery(tmp_path, monkeypatch):
    (tmp_path / "bwlint.toml").write_text('select = ["BW1"]\n')
    other = tmp_path / "ci.toml"
    other.write_text('select = ["BW6"]\n')
    monkeypatch.chdir(tmp_path)
    assert load_config(str(other)).settings.select == ("BW6",)
    assert load_config(isolated=True).settings.select == ("BW",)


def test_every_key_is_read(tmp_path, monkeypatch):
    (tmp_path / "meta").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        """
[tool.bwlint]
schema-dir = "meta"
select = ["BW1", "bw4"]
ignore = ["BW191"]
extend-select = ["BW6"]
date-format = "yyyy-MM-dd"
datetime-format = "yyyy-MM-dd'T'HH:mm:ss"
extra-date-formats = ["dd.MM.yyyy"]
extra-datetime-formats = ["dd.MM.yyyy HH:mm"]
fail-on = "warning"

[tool.bwlint.severity]
BW131 = "error"

[tool.bwlint.per-file-ignores]
"legacy/*.csv" = ["BW4"]
"""
    )
    monkeypatch.chdir(tmp_path)
    config = load_config()
    s = config.settings
    assert config.schema_dir == tmp_path / "meta"
    assert (s.select, s.ignore, s.extend_select) == (("BW1", "BW4"), ("BW191",), ("BW6",))
    assert (s.date_format, s.datetime_format) == ("yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss")
    assert s.extra_date_formats == ("dd.MM.yyyy",)
    assert s.extra_datetime_formats == ("dd.MM.yyyy HH:mm",)
    assert s.severity == {"BW131": "error"}
    assert config.fail_on == "warning"
    assert s.ignored_in("BW402", "legacy/old.csv")
    assert not s.ignored_in("BW402", "new/old.csv")
    assert not s.ignored_in("BW120", "legacy/old.csv")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.csv", "a/b/leads.csv", True),  # no slash: the file name, in any folder
        ("imports/*.csv", "imports/leads.csv", True),
        ("imports/*.csv", "imports/x/leads.csv", False),
        ("imports/**/*.csv", "imports/x/y/leads.csv", True),
        ("imports/**/*.csv", "imports/leads.csv", True),
        ("legacy/**", "legacy/a/b.zip/m.csv", True),
        ("leads?.csv", "leads1.csv", True),
        ("./imports/*.csv", "imports/leads.csv", True),
        ("../shared/*.csv", "../shared/leads.csv", True),
        (".hidden/*.csv", "hidden/leads.csv", False),
        ("/data/*.csv", "/data/leads.csv", True),
    ],
)
def test_globs(pattern, path, matches):
    assert matches_path(pattern, path) is matches


# --- invalid configuration: file and key named, exit 2 ---------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[tool.bwlint]\nselct = ["BW1"]\n',
            "pyproject.toml: [tool.bwlint] unknown key 'selct' (did you mean 'select'?)",
        ),
        ("bwlint.toml", 'select = "BW1"\n', "bwlint.toml 'select' must be a list of strings"),
        ("bwlint.toml", 'ignore = ["E501"]\n', "'E501' is not a rule code or prefix"),
        (
            "bwlint.toml",
            '[severity]\nBW999 = "error"\n',
            "bwlint.toml 'severity': unknown rule code 'BW999'",
        ),
        (
            "bwlint.toml",
            '[severity]\nBW131 = "fatal"\n',
            "'severity.BW131' must be one of error, warning, info, not 'fatal'",
        ),
        ("bwlint.toml", 'fail-on = "info"\n', "'fail-on' must be one of error, warning"),
        ("bwlint.toml", "select = [\n", "bwlint.toml: not valid TOML"),
        (
            "bwlint.toml",
            '[[jobs]]\njob = "missing.json"\ndata = ["*.csv"]\n',
            "bwlint.toml jobs[1]: 'job': missing.json: no such file",
        ),
        (
            "bwlint.toml",
            '[[jobs]]\njob = "imports/leads/job.json"\n',
            "bwlint.toml jobs[1]: 'data' (the globs of its CSV/ZIP files) is missing",
        ),
        (
            "bwlint.toml",
            '[[jobs]]\njobb = "x.json"\n',
            "bwlint.toml jobs[1]: unknown key 'jobb' (did you mean 'job'?)",
        ),
        (
            "bwlint.toml",
            '[[jobs]]\nmodule = "Leads"\njob = "imports/leads/job.json"\ndata = ["*.csv"]\n',
            "give either 'job' (a job JSON) or 'module', not both",
        ),
    ],
)
def test_invalid_configuration_exits_2_naming_file_and_key(tmp_path, name, text, message):
    project(tmp_path, text, name)
    result = bwlint("check", "imports/leads", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("bwlint: error: ")
    assert message in lines[0]


def test_a_top_level_key_after_jobs_gets_a_hint(tmp_path):
    project(tmp_path, LEADS_JOB + 'fail-on = "warning"\n')
    result = bwlint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "bwlint: error: bwlint.toml jobs[1]: unknown key 'fail-on' (top-level keys go "
        "before the first [[jobs]], else TOML puts them in that job)"
    )


def test_missing_config_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match=r"nope\.toml: configuration file not found"):
        load_config(str(tmp_path / "nope.toml"))


# --- what gets checked ------------------------------------------------------------------


def test_no_path_checks_every_declared_job(tmp_path):
    project(tmp_path, LEADS_JOB + '\n[[jobs]]\nmodule = "Leads"\ndata = ["more/*.csv"]\n')
    (tmp_path / "more").mkdir()
    (tmp_path / "more/extra.csv").write_text("Last_Name,Favourite_Colour\nOno,teal\n")
    result = bwlint("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"errors": 0, "warnings": 1, "files": 2, "records": 4}
    [warning] = report["findings"]
    assert (warning["code"], warning["file"]) == ("BW120", "more/extra.csv")


def test_declared_data_may_lie_outside_the_project_when_allowed(tmp_path):
    project(
        tmp_path / "repo",
        '[[jobs]]\njob = "imports/leads/job.json"\n'
        f'data = ["{tmp_path.as_posix()}/shared/*.csv", "../elsewhere/*.csv"]\n',
    )
    for folder in ("shared", "elsewhere"):
        (tmp_path / folder).mkdir()
        shutil.copy(EXAMPLE / "leads.csv", tmp_path / folder / f"{folder}.csv")
    refused = bwlint("check", "--format", "json", cwd=tmp_path / "repo")
    assert refused.returncode == 2
    assert "outside the configuration's folder" in refused.stderr
    allow = "--allow-outside-paths"
    result = bwlint("check", allow, "--format", "json", cwd=tmp_path / "repo")
    assert json.loads(result.stdout)["summary"]["files"] == 2
    # each of those CSVs alone finds its job, and the whole job is checked
    alone = bwlint("check", allow, "../elsewhere/elsewhere.csv", cwd=tmp_path / "repo")
    assert alone.stdout == "All checks passed (2 files, 6 records).\n"


def test_declared_data_matching_nothing_is_exit_2(tmp_path):
    project(tmp_path, '[[jobs]]\njob = "imports/leads/job.json"\ndata = ["imports/*.csv"]\n')
    result = bwlint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "bwlint: error: bwlint.toml jobs[1]: 'data' (imports/*.csv) matches no file\n"
    )


def test_no_path_and_no_jobs_says_what_to_do(tmp_path):
    result = bwlint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "nothing to check: give a PATH" in result.stderr


def test_a_csv_alone_finds_the_job_that_declares_it(tmp_path):
    project(tmp_path, LEADS_JOB)
    (tmp_path / "imports/leads/leads.csv").write_text("Last_Name,First_Name\nOno,Yoko\n")
    result = bwlint("check", "imports/leads/leads.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "imports/leads/job.json:13:42: BW141 [COLUMN_INDEX_NOT_FOUND] 'Company' maps index 2"
    )


def test_a_csv_no_job_declares_is_exit_2_with_advice(tmp_path):
    project(tmp_path, LEADS_JOB)
    (tmp_path / "stray.csv").write_text("Last_Name\nOno\n")
    result = bwlint("check", "stray.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "stray.csv: no job declares this file" in result.stderr
    assert "pass --job FILE or --module NAME" in result.stderr


def test_a_directory_uses_the_convention(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(EXAMPLE / "job.json", folder / "job.json")
    shutil.copy(EXAMPLE / "leads.csv", folder / "leads.csv")
    # NAME.job.json goes with NAME.csv only; job.json takes the rest.
    (folder / "extra.job.json").write_text(
        '{"operation": "insert", "resource": [{"type": "data", '
        '"module": {"api_name": "Leads"}, "file_id": "1"}]}'
    )
    (folder / "extra.csv").write_text("Last_Name,Favourite_Colour\nOno,teal\n")
    result = bwlint("check", "batch", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2
    assert [f["file"] for f in report["findings"]] == ["batch/extra.csv"]
    # The CSV alone finds its NAME.job.json the same way.
    alone = bwlint("check", "batch/extra.csv", "--format", "json", cwd=tmp_path)
    assert json.loads(alone.stdout)["summary"]["files"] == 1


def test_a_directory_without_a_job_is_exit_2(tmp_path):
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose/a.csv").write_text("Last_Name\nOno\n")
    result = bwlint("check", "loose", cwd=tmp_path)
    assert result.returncode == 2
    assert "loose: no job.json or NAME.job.json in this directory or below" in result.stderr


def test_job_and_csv_on_the_command_line_still_work(tmp_path):
    result = bwlint("check", str(EXAMPLE / "job.json"), str(EXAMPLE / "leads.csv"), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "All checks passed (1 file, 3 records).\n"


# --- precedence: command line > configuration > defaults ---------------------------------


def bad_project(tmp_path: Path, config: str) -> Path:
    """One error (BW141, index 12) and one warning (BW120, an unknown header)."""
    project(tmp_path, config + LEADS_JOB)
    job = tmp_path / "imports/leads/job.json"
    job.write_text(job.read_text().replace('"index": 9', '"index": 12'))
    return tmp_path


def codes(result) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in findings(result)]


def test_config_select_and_cli_override(tmp_path):
    bad_project(tmp_path, 'ignore = ["BW141"]\n')
    assert codes(bwlint("check", "--format", "json", cwd=tmp_path)) == []
    # --select on the command line replaces the file's select, but --ignore adds:
    assert codes(bwlint("check", "--format", "json", "--select", "BW141", cwd=tmp_path)) == [
        ("BW141", "error")
    ]
    assert codes(
        bwlint("check", "--format", "json", "--isolated", "imports/leads/job.json", cwd=tmp_path)
    ) == [("BW141", "error")]


def test_extend_select_adds_to_the_selection(tmp_path):
    bad_project(tmp_path, 'select = ["BW13"]\n')
    assert codes(bwlint("check", "--format", "json", cwd=tmp_path)) == []
    extended = bwlint("check", "--format", "json", "--extend-select", "BW14", cwd=tmp_path)
    assert codes(extended) == [("BW141", "error")]


def test_config_severity_and_fail_on(tmp_path):
    bad_project(tmp_path, '[severity]\nBW141 = "warning"\n')
    result = bwlint("check", "--format", "json", cwd=tmp_path)
    assert codes(result) == [("BW141", "warning")]
    assert result.returncode == 0
    assert bwlint("check", "--fail-on", "warning", cwd=tmp_path).returncode == 1
    (tmp_path / "bwlint.toml").write_text('fail-on = "warning"\n' + LEADS_JOB)
    assert bwlint("check", cwd=tmp_path).returncode == 1
    assert bwlint("check", "--fail-on", "error", cwd=tmp_path).returncode == 1  # error BW141
    assert bwlint("check", "--exit-zero", cwd=tmp_path).returncode == 0


def test_per_file_ignores(tmp_path):
    bad_project(tmp_path, '[per-file-ignores]\n"imports/leads/job.json" = ["BW14"]\n')
    assert codes(bwlint("check", "--format", "json", cwd=tmp_path)) == []
    (tmp_path / "bwlint.toml").write_text(LEADS_JOB + '[per-file-ignores]\n"other/*" = ["BW"]\n')
    assert codes(bwlint("check", "--format", "json", cwd=tmp_path)) == [("BW141", "error")]


def test_schema_dir_from_config_and_cli(tmp_path):
    project(tmp_path, 'schema-dir = "meta"\n' + LEADS_JOB)
    (tmp_path / "meta").mkdir()
    fields = json.loads((ROOT / "schemas/modules/Leads.json").read_text())
    fields["fields"] = [f for f in fields["fields"] if f["api_name"] != "Website"]
    (tmp_path / "meta/Leads.json").write_text(json.dumps(fields))
    result = bwlint("check", "--format", "json", cwd=tmp_path)
    # the org's metadata makes an unknown field an error
    assert ("BW120", "error") in codes(result)
    assert result.returncode == 1
    other = tmp_path / "other-meta"
    other.mkdir()
    cli = bwlint("check", "--format", "json", "--schema-dir", str(other), cwd=tmp_path)
    assert codes(cli) == []
