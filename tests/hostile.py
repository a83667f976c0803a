"""Helpers of the hostile-input tests: the bundled example copied to a temporary
folder, and a job JSON for it with changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leads"


def example(tmp: Path) -> tuple[Path, Path]:
    """(job.json, leads.csv) copied into `tmp`."""
    shutil.copy(EXAMPLE / "job.json", tmp / "job.json")
    shutil.copy(EXAMPLE / "leads.csv", tmp / "leads.csv")
    return tmp / "job.json", tmp / "leads.csv"


def job_with(tmp: Path, name: str = "job.json", **changes: Any) -> Path:
    body = json.loads((EXAMPLE / "job.json").read_text(encoding="utf-8"))
    body.update(changes)
    path = tmp / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def one_error_line(stderr: str) -> str:
    """The single `bwlint: error: …` line of an exit-2 run (asserts there is one)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("bwlint: error: "), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


def leads_job(*mappings: dict[str, Any], operation: str = "insert", **top: Any) -> dict:
    """A job JSON body: one Leads resource with these field_mappings; `top` keys
    (callBack, character_encoding, …) between `operation` and `resource`, in order."""
    resource = {"type": "data", "module": {"api_name": "Leads"}, "file_id": "1"}
    return {
        "operation": operation,
        **top,
        "resource": [{**resource, "field_mappings": list(mappings)}],
    }
