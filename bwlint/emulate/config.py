"""How `bwlint emulate` behaves: timings, limits, accepted credentials, faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Every scope a real self client would be given for bwlint (see the README).
ALL_SCOPES = (
    "ZohoCRM.bulk.ALL",
    "ZohoCRM.modules.ALL",
    "ZohoCRM.settings.ALL",
    "ZohoCRM.org.READ",
    "ZohoCRM.users.READ",
    "ZohoFiles.files.ALL",
)


@dataclass
class EmulatorConfig:
    """Everything the emulator can be told; the defaults behave like a quiet Zoho."""

    host: str = "127.0.0.1"
    port: int = 0
    schema_dir: Path | None = None  # fields/layouts/modules files, else bwlint's bundled ones
    state_dir: Path | None = None  # keep uploads, jobs and records across restarts
    job_seconds: float = 2.0  # ADDED → IN PROGRESS → COMPLETED within this time
    token_seconds: int = 3600  # an access token's life
    # Accept only these credentials (None: any).
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token: str | None = None
    scopes: tuple[str, ...] = ALL_SCOPES
    daily_credits: int = 50_000  # a bulk write job costs 500
    max_upload_bytes: int = 25 * 1024 * 1024
    in_progress: str = "IN PROGRESS"  # or INPROGRESS, as the doc samples write it
    relative_download_url: bool = False  # the v7 doc's form; default: absolute
    errors_as_200: bool = False  # upload errors with HTTP 200 (Zoho's Postman samples)
    any_callback: bool = False  # call back non-loopback URLs too
    slow_seconds: float = 1.0  # how long a `slow` fault waits
    faults: list[str] = field(default_factory=list)  # KIND:ENDPOINT[:N], see faults.py
    seed: int | None = None  # for faults given as a share
    quiet: bool = False  # no request log on standard error
    zgid: str = "60012345678"
    user_email: str = "admin@emulator.bwlint.invalid"
