"""What is uploaded: the zip that `file_names` expects, and the job body with its file id.

A `.zip` given is uploaded as it is. CSV files are zipped together under their own
names (a parent-child job's CSVs in one zip, as `file_names` names them), with fixed
timestamps so that the same files make the same zip. The user's job JSON is never
touched: the body sent is a copy with the returned `file_id` in every resource.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwlint.errors import UsageError
from bwlint.services.journal import digest

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Upload:
    name: str  # the zip's file name
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def describe(paths: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each data file as the journal records it: path, name, size, SHA-256."""
    described = []
    for text in paths:
        path = Path(text)
        try:
            described.append(
                {
                    "path": str(path.resolve()),
                    "name": path.name,
                    "size": path.stat().st_size,
                    "sha256": digest(path),
                }
            )
        except OSError as exc:
            raise UsageError(f"{text}: cannot read: {exc.strerror}") from None
    return described


def build_upload(paths: tuple[str, ...]) -> Upload:
    """The zip to upload for one Zoho job."""
    zips = [p for p in paths if p.lower().endswith(".zip")]
    if zips:
        if len(paths) > 1:
            raise UsageError(
                f"{zips[0]}: give one zip or CSV files for a job, not both (nor two zips)"
            )
        return Upload(Path(zips[0]).name, Path(zips[0]).read_bytes())
    names = [Path(p).name for p in paths]
    if len(set(names)) != len(names):
        raise UsageError("two CSV files of one job have the same name; a zip cannot hold both")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in zip(paths, names, strict=True):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, Path(path).read_bytes())
    return Upload(f"{Path(paths[0]).stem}.zip", buffer.getvalue())


def with_file_id(body: dict[str, Any], file_id: str) -> dict[str, Any]:
    """A copy of the job body whose every resource carries `file_id`."""
    sent = copy.deepcopy(body)
    for resource in sent.get("resource") or []:
        if isinstance(resource, dict):
            resource["file_id"] = file_id
    return sent
