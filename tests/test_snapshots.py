"""Snapshots: the text report of the example jobs, and every format's report of one
fixture with findings of every kind, compared byte for byte.

After an intended change: BWLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py,
then read the diff of tests/snapshots/ before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from runner import bwlint

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots"
MIXED = ["--job", "tests/fixtures/mixed/job.json", "tests/fixtures/mixed/leads.csv"]

RUNS = {
    "leads.txt": ["--job", "examples/leads/job.json", "examples/leads/leads.csv"],
    "parent-child-zip.txt": [
        "--job",
        "examples/parent-child/job.json",
        "examples/parent-child/upload.zip",
    ],
    "parent-child-csvs.txt": [
        "--job",
        "examples/parent-child/job.json",
        "examples/parent-child/quotes.csv",
        "examples/parent-child/quoted_items.csv",
    ],
    "examples-directories.txt": ["examples/leads", "examples/parent-child"],
    "mixed.txt": MIXED,
    "mixed.json": [*MIXED, "--format", "json"],
    "mixed.sarif": [*MIXED, "--format", "sarif"],
    "mixed.github": [*MIXED, "--format", "github"],
    "mixed.junit.xml": [*MIXED, "--format", "junit"],
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_report_matches_its_snapshot(name):
    result = bwlint("check", "--isolated", *RUNS[name], cwd=ROOT)
    assert result.stderr == ""
    text = f"exit {result.returncode}\n{result.stdout}"
    path = SNAPSHOTS / name
    if os.environ.get("BWLINT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot: BWLINT_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8")
