"""Test helpers: the emulator on a free loopback port, and a client of it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bwlint.emulate.config import EmulatorConfig
from bwlint.emulate.server import Emulator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@contextmanager
def running(**settings: Any) -> Iterator[Emulator]:
    """An emulator in a thread of this process (quiet, fast jobs unless told; stopped
    within 10 ms, not the 0.2 s of the command's serving loop)."""
    settings.setdefault("quiet", True)
    settings.setdefault("job_seconds", 0.2)
    emulator = Emulator(EmulatorConfig(**settings))
    emulator.start(poll_interval=0.01)
    try:
        yield emulator
    finally:
        emulator.stop()


def zipped(*files: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in files:
            archive.write(file, file.name)
    return buffer.getvalue()


class Client:
    """A bare client of the emulator, for tests of its wire format."""

    def __init__(self, url: str) -> None:
        self.url = url
        grant = {
            "grant_type": "refresh_token",
            "client_id": "id",
            "client_secret": "s",
            "refresh_token": "r",
        }
        self.token = httpx.post(f"{url}/oauth/v2/token", data=grant).json()["access_token"]
        self.zgid = self.get("/crm/v8/org").json()["org"][0]["zgid"]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Zoho-oauthtoken {self.token}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, headers=self.auth, **kwargs)

    def upload(self, content: bytes, **headers: str) -> httpx.Response:
        sent = {**self.auth, "feature": "bulk-write", "X-CRM-ORG": self.zgid, **headers}
        return httpx.post(
            f"{self.url}/crm/v8/upload", headers=sent, files={"file": ("upload.zip", content)}
        )

    def create(self, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{self.url}/crm/bulk/v8/write", headers=self.auth, json=body)
