"""A zip of CSVs → one `DataFile` per CSV member, read in bounded memory.

Members are never read whole: each CSV member is inflated in a stream into a temporary
file (then mapped and parsed as a plain CSV is), and given up on as soon as it passes
`InputLimits.zip_inflated_bytes`, or — past `zip_ratio_floor` — `zip_ratio` times its
compressed size. The sizes a zip declares are checked before anything is inflated, and
counted again while inflating (a zip may lie about them). A zip bomb is thus a finding
(BW213), not gigabytes of memory.

What is not a CSV is said, not parsed: `__MACOSX/` entries (macOS resource forks) and
folder entries are skipped and counted (BW215), other files are named (BW214), and an
Excel workbook (itself a zip) is one BW202.
"""

from __future__ import annotations

import mmap
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from bwlint.domain.enums import FileKind
from bwlint.domain.limits import INPUT, InputLimits
from bwlint.load.data import DataFile, parse_csv, unreadable
from bwlint.load.facts import ZipNote

_CHUNK = 1 << 20
WORKBOOK = (
    "an Excel workbook, not a CSV: open it in Excel and save it as 'CSV UTF-8 (Comma delimited)'"
)


class TooLarge(Exception):
    """A member inflates past bwlint's bounds."""


def is_csv_name(name: str) -> bool:
    """A member Zoho's upload takes: a `.csv` file that is not hidden."""
    base = PurePosixPath(name).name
    return base.lower().endswith(".csv") and not base.startswith(".")


def shown_name(name: str) -> str:
    return name if name else "(a member without a name)"


def member_display(zip_display: str, info: zipfile.ZipInfo) -> str:
    """How findings name a member of the zip shown as `zip_display`."""
    return f"{zip_display}/{shown_name(info.filename)}"


def member_of(archive: zipfile.ZipFile, data: DataFile) -> zipfile.ZipInfo:
    """The member of `archive` (the zip `data` was read from) that `data` is."""
    for info in archive.infolist():
        if not info.is_dir() and member_display(str(data.zip_path), info) == data.display:
            return info
    raise KeyError(data.display)


def _bound(info: zipfile.ZipInfo, limits: InputLimits) -> int:
    """The most bytes `info` may inflate to."""
    by_ratio = max(limits.zip_ratio_floor, limits.zip_ratio * max(info.compress_size, 1))
    return min(limits.zip_inflated_bytes, by_ratio)


def _too_large_reason(size: int, info: zipfile.ZipInfo, limits: InputLimits) -> str:
    ratio = size / max(info.compress_size, 1)
    return (
        f"inflates to more than {size:,} bytes from {info.compress_size:,} "
        f"({ratio:,.0f} times): past bwlint's bound of {limits.zip_inflated_bytes:,} bytes, "
        f"or {limits.zip_ratio} times the compressed size beyond "
        f"{limits.zip_ratio_floor:,} bytes"
    )


@contextmanager
def _inflated(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: InputLimits
) -> Iterator[mmap.mmap | bytes]:
    """The member's bytes, inflated chunk by chunk into a temporary file and mapped;
    TooLarge as soon as it passes its bound."""
    bound = _bound(info, limits)
    if info.file_size > bound:
        raise TooLarge(_too_large_reason(info.file_size, info, limits))
    with tempfile.TemporaryFile(prefix="bwlint-") as spool, archive.open(info) as member:
        total = _copy(member, spool, bound, info, limits)
        if total == 0:
            yield b""
            return
        spool.flush()
        mapped = mmap.mmap(spool.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            yield mapped
        finally:
            mapped.close()


def _copy(
    member: IO[bytes], spool: IO[bytes], bound: int, info: zipfile.ZipInfo, limits: InputLimits
) -> int:
    total = 0
    while True:
        chunk = member.read(_CHUNK)
        if not chunk:
            return total
        total += len(chunk)
        if total > bound:
            raise TooLarge(_too_large_reason(total, info, limits))
        spool.write(chunk)


def _damage(exc: BaseException) -> str:
    """Why a member cannot be unzipped, without Python's reprs."""
    text = str(exc).lower()
    if "encrypted" in text or "password" in text:
        return "it is encrypted (password-protected): zip it again without a password"
    if isinstance(exc, NotImplementedError):
        return "it uses a compression method bwlint cannot read (stored, deflate, bzip2, lzma)"
    if "crc" in text:
        return "its data is damaged (the CRC check failed)"
    return "its data is damaged or cut short"


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    display: str,
    encoding: str | None,
    limits: InputLimits,
    max_columns: int | None,
) -> DataFile:
    shown = member_display(display, info)
    member_name = PurePosixPath(info.filename).name
    try:
        with _inflated(archive, info, limits) as raw:
            return parse_csv(raw, shown, member_name, encoding, max_columns)
    except TooLarge as exc:
        return unreadable(
            shown,
            member_name,
            str(exc),
            info.file_size,
            kind=FileKind.MEMBER,
            too_large=True,
        )
    except Exception as exc:  # any decompressor's complaint: zlib, bz2, lzma, zipfile
        return unreadable(
            shown,
            member_name,
            f"cannot be unzipped: {_damage(exc)}",
            kind=FileKind.MEMBER,
        )


def _note(infos: list[zipfile.ZipInfo], limits: InputLimits) -> tuple[ZipNote, list]:
    """What the zip holds besides its CSVs, and the CSV members to read."""
    note = ZipNote()
    csvs: list[zipfile.ZipInfo] = []
    for info in infos:
        name = info.filename
        if name.startswith("__MACOSX/") or "/__MACOSX/" in name:
            note.resource_forks += 1
        elif name.endswith("/"):
            note.folders += 1
        elif not is_csv_name(name):
            note.others.append(shown_name(name))
        elif len(csvs) < limits.zip_members:
            csvs.append(info)
        else:
            note.unread += 1
    return note, csvs


def _is_workbook(infos: list[zipfile.ZipInfo]) -> bool:
    names = {info.filename for info in infos}
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def read_zip(
    path: Path,
    display: str,
    encoding: str | None,
    limits: InputLimits = INPUT,
    max_columns: int | None = None,
) -> list[DataFile]:
    size = path.stat().st_size
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return [unreadable(display, path.name, "not a zip file", size, kind=FileKind.ZIP)]
    with archive:
        if _is_workbook(infos):
            return [unreadable(display, path.name, WORKBOOK, size, kind=FileKind.CSV)]
        note, csvs = _note(infos, limits)
        if not csvs:
            reason = "the zip holds no CSV file" if infos else "the zip holds no file"
            files = [unreadable(display, path.name, reason, size, kind=FileKind.ZIP)]
        else:
            files = [
                _member(archive, info, display, encoding, limits, max_columns) for info in csvs
            ]
    for data in files:
        data.zip_path = display
        data.zip_size = size
        data.facts.zip_csvs = len(csvs) + note.unread
        data.facts.zip_note = note
    return files


def looks_like_zip(path: Path) -> bool:
    """A zip by its name or its central directory (a regular file only)."""
    if path.suffix.lower() in (".zip", ".xlsx", ".xlsm"):
        return True
    try:
        with path.open("rb") as handle:
            return zipfile.is_zipfile(handle)
    except OSError:
        return False
