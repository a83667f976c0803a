"""What the emulator remembers: tokens, uploaded files, jobs, records, credits.

With `--state DIR` everything but the access tokens survives a restart (`DIR/state.json`
plus the uploaded and result zips under `DIR/files/` and `DIR/results/`); without it a
temporary folder holds the zips until the emulator stops. Tokens are never written to
disk: after a restart clients get 401 and refresh, as with Zoho.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

STATE_FILE = "state.json"


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().replace(microsecond=0).isoformat()


class State:
    """Thread-safe store; callers hold `lock` while they read and change it."""

    def __init__(self, state_dir: Path | None, zgid: str) -> None:
        self.lock = threading.RLock()
        self._temp = None
        if state_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="bwlint-emulate-")
            state_dir = Path(self._temp.name)
        self.dir = Path(state_dir)
        (self.dir / "files").mkdir(parents=True, exist_ok=True)
        (self.dir / "results").mkdir(parents=True, exist_ok=True)
        self.persistent = self._temp is None
        self.tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.next_id = 1
        self.zgid = zgid
        self.files: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.records: dict[str, dict[str, dict[str, str]]] = {}
        self.credits: dict[str, int] = {}
        self.hits: Counter[str] = Counter()  # requests per endpoint, this run (for tests)
        self._load()

    # --- ids and tokens ------------------------------------------------------------
    def new_id(self) -> str:
        """An 18-digit id, as Zoho's are (the SDK reads some ids as integers)."""
        with self.lock:
            value = self.next_id
            self.next_id += 1
        return f"{self.zgid[:7]:0<7}{value:011d}"

    def grant_token(self, lifetime: float) -> str:
        token = f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"
        with self.lock:
            self.tokens[token] = time.time() + lifetime
        return token

    def token_valid(self, token: str) -> bool:
        with self.lock:
            expiry = self.tokens.get(token)
        return expiry is not None and time.time() < expiry

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # --- credits ---------------------------------------------------------------------
    def credits_used(self) -> int:
        today = datetime.now(timezone.utc).date().isoformat()
        with self.lock:
            return self.credits.get(today, 0)

    def spend(self, amount: int) -> None:
        today = datetime.now(timezone.utc).date().isoformat()
        with self.lock:
            self.credits[today] = self.credits.get(today, 0) + amount

    # --- paths and persistence -------------------------------------------------------
    def file_path(self, file_id: str) -> Path:
        return self.dir / "files" / f"{file_id}.zip"

    def result_path(self, job_id: str) -> Path:
        return self.dir / "results" / f"{job_id}.zip"

    def summary(self) -> dict[str, Any]:
        with self.lock:
            return {
                "uploads": len(self.files),
                "jobs": len(self.jobs),
                "records": {module: len(rows) for module, rows in self.records.items()},
                "credits_used": self.credits_used(),
                "tokens_granted": len(self.tokens),
                "hits": dict(self.hits),
            }

    def save(self) -> None:
        if not self.persistent:
            return
        with self.lock:
            data = {
                "next_id": self.next_id,
                "zgid": self.zgid,
                "files": self.files,
                "jobs": self.jobs,
                "records": self.records,
                "credits": self.credits,
            }
            target = self.dir / STATE_FILE
            temp = target.with_suffix(".tmp")
            temp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(temp, target)

    def _load(self) -> None:
        path = self.dir / STATE_FILE
        if not self.persistent or not path.is_file():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        self.next_id = int(data.get("next_id", 1))
        self.zgid = str(data.get("zgid", self.zgid))
        self.files = data.get("files", {})
        self.jobs = data.get("jobs", {})
        self.records = data.get("records", {})
        self.credits = data.get("credits", {})

    def close(self) -> None:
        if self._temp is not None:
            self._temp.cleanup()
