"""Re-encoding data files to UTF-8 (BW219's fix), before anything is written.

Each data file of a job to re-encode is decoded, strictly and in 1 MiB steps (bounded
memory, whatever its size), into a UTF-8 copy in a scratch folder: no byte-order mark
(a UTF-16 file's is dropped: it belongs to UTF-16). Only when every one of the job's
files decodes are the copies used: the rewriter then makes the other repairs (cells,
lines, columns, row ends) on the UTF-8 bytes and writes the result, and the job JSON's
`character_encoding` is set with them. The job's charset is one for all its files, so
they are re-encoded together or not at all: a file that no longer decodes (changed
since it was read) leaves every file and the job JSON as they were.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bwlint.load.archive import member_of
from bwlint.load.data import DataFile

if TYPE_CHECKING:
    from bwlint.services.fix import FileChanges

STEP = 1 << 20
ENCODING = "encoding"  # FileEdit.kind of a re-encoding


def transcode(source: BinaryIO, codec: str, skip: int, target: BinaryIO) -> None:
    """`source` decoded strictly from `codec` (after `skip` BOM bytes), written to
    `target` as UTF-8, one step at a time; UnicodeError on a byte `codec` cannot read."""
    source.read(skip)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    while chunk := source.read(STEP):
        target.write(decoder.decode(chunk).encode("utf-8"))
    target.write(decoder.decode(b"", final=True).encode("utf-8"))


def bom_bytes(data: DataFile) -> int:
    """The BOM bytes the reader skipped before decoding (a UTF-16 BOM); a UTF-8 BOM is
    no concern here: the file is UTF-8 already."""
    return 2 if data.facts.bom in ("utf-16-le", "utf-16-be") else 0


def _copy(data: DataFile, target: Path) -> None:
    with target.open("wb") as out:
        if data.zip_path is None:
            with open(data.display, "rb") as source:
                transcode(source, data.encoding, bom_bytes(data), out)
        else:
            with (
                zipfile.ZipFile(data.zip_path) as archive,
                archive.open(member_of(archive, data)) as member,
            ):
                transcode(member, data.encoding, bom_bytes(data), out)  # type: ignore[arg-type]


def to_re_encode(whole: FileChanges) -> list[str]:
    """The data files (as findings name them) with a re-encoding among their edits."""
    return [
        display
        for display, changes in whole.items()
        if any(getattr(c.edit, "kind", None) == ENCODING for c in changes)
    ]


def utf8_copies(
    whole: FileChanges, files: dict[str, DataFile], scratch: Path
) -> tuple[dict[str, Path], str | None]:
    """(data file → its UTF-8 copy, None) for every file to re-encode; ({}, why) when
    one of them cannot be decoded or read: then none is re-encoded."""
    from bwlint.checks.file_encoding import not_utf8

    wanted = to_re_encode(whole)
    kept = [d for d, data in files.items() if not_utf8(data) and d not in wanted]
    if wanted and kept:  # e.g. a template job's other upload, with undecodable bytes
        return {}, (
            f"{kept[0]} has bytes its charset cannot decode (BW210) and stays as it is, "
            "and the job's character_encoding is one for all its files"
        )
    copies: dict[str, Path] = {}
    for number, display in enumerate(wanted):
        data = files[display]
        target = scratch / f"{number}.csv"
        try:
            _copy(data, target)
        except UnicodeError as exc:
            return {}, f"{display}: not valid {data.encoding} any more ({exc})"
        except Exception as exc:  # the file or zip gone or damaged since it was read
            return {}, f"{display}: cannot be read again to re-encode it ({exc})"
        copies[display] = target
    return copies, None
