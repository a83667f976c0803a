"""Issue 13: a configuration file anyone can edit never crashes bwlint, and never makes
it read (and echo) files outside the configuration's folder."""

from __future__ import annotations

import os

import pytest
from hostile import example, one_error_line
from runner import bwlint


def _project(tmp_path, toml: bytes | str, name: str = "bwlint.toml"):
    job, csv = example(tmp_path)
    data = toml.encode("utf-8") if isinstance(toml, str) else toml
    (tmp_path / name).write_bytes(data)
    return job, csv


def test_a_bwlint_toml_that_is_not_utf8_is_one_line(tmp_path):
    _project(tmp_path, b'select = ["BW1"]\n# caf\xe9\n')
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "bwlint.toml" in line and "not UTF-8" in line


def test_a_parent_directory_bwlint_toml_that_is_not_utf8_is_one_line(tmp_path):
    (tmp_path / "bwlint.toml").write_bytes(b"# \xff\xfe\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    example(inner)
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=inner)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "bwlint.toml" in line and "not UTF-8" in line


@pytest.mark.parametrize("tool", ["tool = 1", 'tool = "x"', "tool = [1, 2]"])
def test_a_pyproject_whose_tool_is_not_a_table_is_passed_over(tmp_path, tool):
    _project(tmp_path, f'[project]\nname = "x"\n{tool}\n', "pyproject.toml")
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_pyproject_whose_tool_bwlint_is_not_a_table_is_one_line(tmp_path):
    _project(tmp_path, "[tool]\nbwlint = 3\n", "pyproject.toml")
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "must be a table" in one_error_line(result.stderr)


@pytest.mark.parametrize(
    "toml",
    [
        "x = " + "[" * 10_000 + "]" * 10_000 + "\n",
        "x = " + "{a = " * 2_000 + "1" + "}" * 2_000 + "\n",
        "x = " + "9" * 5_000 + "\n",
        "select = [\n",
    ],
)
def test_hostile_toml_is_one_line(tmp_path, toml):
    _project(tmp_path, toml)
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "bwlint.toml" in one_error_line(result.stderr)


def test_a_config_that_is_not_a_regular_file_is_one_line(tmp_path):
    example(tmp_path)
    os.mkfifo(tmp_path / "fifo.toml")
    for config in ("/dev/zero", str(tmp_path / "fifo.toml")):
        result = bwlint("check", "--config", config, "--module", "Leads", "leads.csv", cwd=tmp_path)
        assert result.returncode == 2
        assert "not a regular file" in one_error_line(result.stderr)


@pytest.mark.parametrize(
    "jobs",
    [
        'data = ["../outside/.env"]',
        'data = ["/etc/passwd"]',
        'data = ["sub/../../outside/*"]',
    ],
)
def test_declared_data_outside_the_folder_is_refused_and_never_read(tmp_path, jobs):
    repo = tmp_path / "repo"
    repo.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".env").write_text("ZOHO_CLIENT_SECRET=topsecret\n")
    example(repo)
    (repo / "bwlint.toml").write_text(f'[[jobs]]\nmodule = "Leads"\n{jobs}\n')
    for fmt in ("text", "github", "json"):
        result = bwlint("check", "--format", fmt, cwd=repo)
        assert result.returncode == 2
        line = one_error_line(result.stderr)
        assert "outside the configuration's folder" in line
        assert "topsecret" not in result.stdout + result.stderr
        assert "root:" not in result.stdout + result.stderr


def test_a_link_inside_the_folder_to_a_file_outside_is_refused(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret.csv").write_text("Last_Name\ntopsecret\n")
    example(repo)
    (repo / "link.csv").symlink_to(tmp_path / "secret.csv")
    (repo / "bwlint.toml").write_text('[[jobs]]\nmodule = "Leads"\ndata = ["*.csv"]\n')
    result = bwlint("check", cwd=repo)
    assert result.returncode == 2
    assert "outside the configuration's folder" in one_error_line(result.stderr)
    assert "topsecret" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "toml",
    [
        '[[jobs]]\njob = "../job.json"\ndata = ["*.csv"]\n',
        'schema-dir = "/etc"\n',
        'schema-dir = "../"\n',
    ],
)
def test_job_and_schema_dir_outside_the_folder_are_refused(tmp_path, toml):
    repo = tmp_path / "repo"
    repo.mkdir()
    example(repo)
    example(tmp_path)
    (repo / "bwlint.toml").write_text(toml)
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=repo)
    assert result.returncode == 2
    assert "outside the configuration's folder" in one_error_line(result.stderr)
    allowed = bwlint("check", "--allow-outside-paths", "--module", "Leads", "leads.csv", cwd=repo)
    assert "outside the configuration's folder" not in allowed.stderr


def test_a_backtracking_glob_is_matched_in_linear_time(tmp_path):
    import time

    from bwlint.project.globs import glob_match, matches_path

    evil = "*a" * 30 + "*b"
    started = time.monotonic()
    assert not glob_match(evil, "a" * 100)
    assert not matches_path(evil, "imports/" + "a" * 100 + ".csv")
    assert time.monotonic() - started < 1


def test_a_backtracking_glob_in_the_configuration_is_quick(tmp_path):
    import time

    example(tmp_path)
    (tmp_path / ("a" * 60 + ".csv")).write_text("Last_Name\nOno\n")
    evil = "*a" * 25 + "*b"
    (tmp_path / "bwlint.toml").write_text(
        f'[per-file-ignores]\n"{evil}" = ["BW4"]\n'
        f'[[jobs]]\nmodule = "Leads"\ndata = ["{evil}", "leads.csv"]\n'
    )
    started = time.monotonic()
    result = bwlint("check", cwd=tmp_path)
    assert time.monotonic() - started < 5
    assert result.returncode == 0, result.stderr


def test_a_symlink_loop_is_not_followed_by_double_star(tmp_path):
    import time

    example(tmp_path)
    imports = tmp_path / "imports"
    imports.mkdir()
    (imports / "loop").symlink_to(imports)  # imports/loop/loop/loop/…
    (imports / "up").symlink_to(tmp_path)
    (imports / "leads.csv").write_text("Last_Name\nOno\n")
    (tmp_path / "bwlint.toml").write_text('[[jobs]]\nmodule = "Leads"\ndata = ["**/*.csv"]\n')
    started = time.monotonic()
    result = bwlint("check", "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 5
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout)["summary"]["files"] == 2  # leads.csv, imports/leads.csv


def test_brace_alternatives_are_capped(tmp_path):
    example(tmp_path)
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\nmodule = "Leads"\ndata = ["' + "{a,b}" * 20 + '.csv"]\n'
    )
    result = bwlint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "alternatives" in one_error_line(result.stderr)


def test_a_journal_outside_the_folder_is_refused(tmp_path):
    example(tmp_path)
    (tmp_path / "bwlint.toml").write_text('[zoho]\njournal = "../elsewhere/journal"\n')
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "zoho.journal" in one_error_line(result.stderr)


def test_an_absolute_journal_outside_the_folder_is_refused(tmp_path):
    example(tmp_path)
    (tmp_path / "bwlint.toml").write_text('[zoho]\njournal = "/tmp/bwlint-journal-elsewhere"\n')
    result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "zoho.journal" in one_error_line(result.stderr)


def test_a_relative_config_path_still_keeps_the_journal_inside(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    example(sub)
    (sub / "conf.toml").write_text('[zoho]\njournal = "../outside"\n')
    result = bwlint(
        "check", "--config", "sub/conf.toml", "--module", "Leads", "sub/leads.csv", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "zoho.journal" in one_error_line(result.stderr)
