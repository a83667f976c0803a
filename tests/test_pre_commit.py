"""bwlint as a pre-commit hook, run by the real `pre-commit` in a throw-away data repo.

The hook repository is a git copy of this working tree (committed and uncommitted
files alike), so the test checks the hook as it is now. pre-commit builds its own
virtualenv for the hook; to keep the test offline and quick, that virtualenv sees the
packages already installed for this interpreter (no index, no build isolation) and is
built once per test run: the hook repository and PRE_COMMIT_HOME are shared by the
run's xdist workers (pre-commit locks its own store; the repository is made under a
lock of ours).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/leads"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bwlint test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "bwlint test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )


def offline_env(home: Path) -> dict[str, str]:
    """pre-commit and the pip it runs: no network, the packages we already have."""
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of "do not isolate the build"
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",
        "NO_COLOR": "1",
    }
    if sys.prefix != sys.base_prefix:  # running in a venv: the hook's venv sees its packages
        paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        env["PYTHONPATH"] = os.pathsep.join(sorted(paths))
    else:
        env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="session")
def shared(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run sees (the parent of the workers' own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def hook_repo(shared: Path) -> tuple[Path, str]:
    """A git repository holding this working tree, and its commit."""
    repo = shared / "bwlint-hook-repo"
    with locked(shared / "bwlint-hook-repo.lock"):
        if not repo.exists():
            made = shared / "bwlint-hook-repo.partial"
            shutil.rmtree(made, ignore_errors=True)
            _copy_working_tree(made)
            made.rename(repo)
        return repo, git("rev-parse", "HEAD", cwd=repo).stdout.strip()


def _copy_working_tree(repo: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "bwlint", cwd=repo)


@pytest.fixture(scope="session")
def pre_commit_home(shared: Path) -> Path:
    home = shared / "pre-commit-home"
    home.mkdir(exist_ok=True)
    return home


def leads_csv(columns: int) -> str:
    rows = list(csv.reader(io.StringIO((EXAMPLE / "leads.csv").read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:columns] for row in rows)
    return out.getvalue()


def data_repo(path: Path, hook: tuple[Path, str], home: Path, declared: bool = True) -> Path:
    """A data team's repository: a job (declared in bwlint.toml, or found by the
    directory convention alone), the README's pre-commit config."""
    repo_path, rev = hook
    (path / "imports/leads").mkdir(parents=True)
    shutil.copy(EXAMPLE / "job.json", path / "imports/leads/job.json")
    (path / "imports/leads/leads.csv").write_text(leads_csv(10))
    if declared:
        (path / "bwlint.toml").write_text(
            '[[jobs]]\njob = "imports/leads/job.json"\ndata = ["imports/leads/*.csv"]\n'
        )
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path}\n    rev: {rev}\n    hooks: [{{id: bwlint}}]\n"
    )
    git("init", "-q", cwd=path)
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=path,
        env=offline_env(home),
        capture_output=True,
        check=True,
    )
    return path


def commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess:
    subprocess.run(["git", "add", "-A"], cwd=repo, env={**os.environ, **GIT_ENV}, check=True)
    return subprocess.run(
        ["git", "commit", "-m", message],
        cwd=repo,
        capture_output=True,
        text=True,
        env=offline_env(home),
        timeout=600,
    )


def test_hook_blocks_bad_imports_passes_fixes_and_skips_the_rest(
    tmp_path, hook_repo, pre_commit_home
):
    """One data repository, the commits a data team makes: a clean import passes, a
    commit without import files is skipped, a broken CSV and a broken job JSON are
    refused with the finding, the fixes pass."""
    repo = data_repo(tmp_path / "data", hook_repo, pre_commit_home)
    first = commit(repo, pre_commit_home, "a clean import")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "bwlint (Zoho CRM bulk write)" in first.stderr
    assert "Passed" in first.stderr

    (repo / "notes.txt").write_text("no import here\n")
    notes = commit(repo, pre_commit_home, "notes")
    assert notes.returncode == 0
    assert "(no files to check)Skipped" in notes.stderr

    # The CSV loses its last seven columns: the job maps indexes 3-9 beyond its end.
    (repo / "imports/leads/leads.csv").write_text(leads_csv(3))
    bad = commit(repo, pre_commit_home, "a broken import")
    assert bad.returncode != 0
    output = bad.stdout + bad.stderr
    assert "Failed" in output
    assert (
        "imports/leads/job.json:14:40: BW141 [COLUMN_INDEX_NOT_FOUND] 'Email' maps index 3"
        in output
    ), output
    log = git("log", "--format=%s", cwd=repo).stdout.split("\n")
    assert log[0] == "notes"  # the bad commit did not happen

    # Fixed: all ten columns again, and one more lead.
    more = "Sato,Yui,Sora KK,yui@sora.example,,,,,false,\n"
    (repo / "imports/leads/leads.csv").write_text(leads_csv(10) + more)
    fixed = commit(repo, pre_commit_home, "the import, fixed")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stderr

    # A changed job JSON alone: its job is checked.
    job = repo / "imports/leads/job.json"
    job.write_text(job.read_text().replace('"index": 9', '"index": 12'))
    remapped = commit(repo, pre_commit_home, "remap Website")
    assert remapped.returncode != 0
    assert "BW141 [COLUMN_INDEX_NOT_FOUND] 'Website' maps index 12" in remapped.stderr


def test_hook_without_configuration_uses_the_directory_convention(
    tmp_path, hook_repo, pre_commit_home
):
    repo = data_repo(tmp_path / "data", hook_repo, pre_commit_home, declared=False)
    assert commit(repo, pre_commit_home, "first").returncode == 0
    (repo / "imports/leads/leads.csv").write_text(leads_csv(9))
    result = commit(repo, pre_commit_home, "lost a column")
    assert result.returncode != 0
    assert (
        "imports/leads/job.json:20:42: BW141 [COLUMN_INDEX_NOT_FOUND] 'Website' maps index 9 "
        "but imports/leads/leads.csv has 9 columns (indexes 0–8)"
    ) in result.stderr
