"""The journal of submissions: how `bwlint submit` never creates a job twice.

One JSON file per submission, written atomically *before* each step and after it:

    checked → uploading → uploaded → creating → created → finished → downloaded
                                                                  ↘ failed

It holds the job's inputs (paths, sizes, SHA-256 of each data file), where it was
sent, the `file_id`, the job body sent (with the `file_id`), the job id, its last
status and the result files — never a token or a secret. A submission is known by a
key over the job body (without `file_id`), the data files' hashes and the API host:
the same content sent to the same place again finds its entry and resumes from the
step recorded, or, when it ended, asks for `--again`. A create request whose answer
was lost is `create-unknown`: it may have made a job, so nothing creates it again
without `--again`.

Default folder: `$XDG_STATE_HOME/bwlint/journal` (`~/.local/state/bwlint/journal`);
`--journal DIR` or `journal` in the `[zoho]` table chooses another.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bwlint.errors import UsageError

UNKNOWN = "create-unknown"
ENDED = ("downloaded", "failed", UNKNOWN)  # a rerun of these asks for --again


def default_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "bwlint" / "journal"


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def submission_key(body: dict[str, Any], files: list[dict[str, Any]], api: str) -> str:
    """Same job body (file ids aside), same data, same API host: same key."""
    stripped = json.loads(json.dumps(body))
    for resource in stripped.get("resource") or []:
        if isinstance(resource, dict):
            resource.pop("file_id", None)
    material = {"body": stripped, "data": [[f["name"], f["sha256"]] for f in files], "api": api}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@dataclass
class Entry:
    key: str
    label: str  # the job as the user named it
    files: list[dict[str, Any]]  # {"path", "name", "size", "sha256"}
    target: dict[str, str]  # accounts, api, upload, org
    step: str = "checked"
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    upload_name: str | None = None
    upload_sha256: str | None = None
    file_id: str | None = None
    request: dict[str, Any] | None = None  # the job body sent, with the file_id
    job_id: str | None = None
    status: str | None = None
    results: list[str] = field(default_factory=list)
    predictions: dict[str, list[list[str]]] = field(default_factory=dict)
    error: str | None = None
    history: list[list[str]] = field(default_factory=list)  # [time, step]
    name: str = ""  # the entry's file name in the journal folder


class Journal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entries(self) -> list[Entry]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                found.append(Entry(**{**raw, "name": path.name}))
            except (OSError, ValueError, TypeError):
                continue  # a damaged entry is skipped, never fatal
        return found

    def find(self, key: str) -> Entry | None:
        """The newest entry of a submission."""
        matches = [e for e in self._entries() if e.key == key]
        return max(matches, key=lambda e: e.created) if matches else None

    def by_job(self, job_id: str) -> Entry | None:
        matches = [e for e in self._entries() if e.job_id == job_id]
        return max(matches, key=lambda e: e.created) if matches else None

    def start(self, key: str, label: str, files: list[dict], target: dict[str, str]) -> Entry:
        entry = Entry(key=key, label=label, files=files, target=target)
        stamp = entry.created.replace(":", "").replace("-", "").replace("+0000", "Z")
        entry.name = f"{key[:16]}-{stamp}-{secrets.token_hex(2)}.json"
        self.write(entry)
        return entry

    def write(self, entry: Entry, step: str | None = None) -> None:
        """Record the entry (at `step`); atomic, private to the user."""
        if step is not None:
            entry.step = step
        entry.updated = now()
        if not entry.history or entry.history[-1][1] != entry.step:
            entry.history.append([entry.updated, entry.step])
        data = asdict(entry)
        data.pop("name")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / entry.name
            temp = target.with_name(target.name + ".tmp")
            with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
                json.dump(data, out, indent=1)
            os.replace(temp, target)
        except OSError as exc:
            raise UsageError(f"{self.folder}: cannot write the journal: {exc.strerror}") from None
