"""File rules about character encodings (BW210, BW219): bytes the declared charset
cannot decode, and a file that is not UTF-8, re-encoded by its fix."""

from __future__ import annotations

from collections.abc import Iterator

from bwlint.domain.finding import Finding
from bwlint.domain.fix import FileEdit, Fix, JsonEdit
from bwlint.engine import Context, check
from bwlint.load.data import DataFile

# Charsets whose bytes are already UTF-8's: nothing to re-encode.
_UTF8_ALREADY = ("utf-8", "ascii")
_BOM_NAMES = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
# BW219's fix with --module --character-encoding: no job JSON to set UTF-8 in
NO_OPTION = "from now on, check it without --character-encoding (or [[jobs]] character-encoding)"


def encoding_advice(ctx: Context) -> str:
    """Where to give the file's charset: the job's key, or the --module option."""
    where = (
        "--character-encoding (character-encoding in [[jobs]])"
        if ctx.job.path is None
        else "the job's character_encoding"
    )
    if ctx.job.character_encoding is not None:
        return f"the file is not {ctx.job.character_encoding}: give its charset in {where}"
    return f"give its charset (e.g. windows-1252) in {where}"


@check("BW210")
def undecodable_bytes(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        for line, offset, byte, count in data.facts.bad_bytes:
            more = f" (and {count - 1} more on the line)" if count > 1 else ""
            record = data.record_of_line(line)
            yield ctx.finding(
                "BW210",
                f"line {line}, byte offset {offset}: byte {byte:#04x} is not valid "
                f"{data.encoding}{more}; {encoding_advice(ctx)} or save the file as UTF-8",
                location=ctx.at_data(data, record, line=None if record else line),
            )


def not_utf8(data: DataFile) -> bool:
    """Read in a charset whose bytes are not UTF-8's (BW219)."""
    return data.readable and data.encoding not in _UTF8_ALREADY


def charset_shown(ctx: Context, data: DataFile) -> str:
    """The file's charset as the user gave it (the job's name), or as detected."""
    bom = _BOM_NAMES.get(data.facts.bom or "")
    declared = ctx.job.character_encoding
    if declared is not None and (bom is None or declared.lower().startswith("utf-16")):
        return declared
    return bom or data.encoding


def _encoding_fix(ctx: Context, data: DataFile, charset: str) -> Fix:
    edits: tuple[FileEdit | JsonEdit, ...] = (
        FileEdit(data.display, "encoding", charset, None, "UTF-8"),
    )
    why = "the file written in UTF-8, every character kept, without a byte-order mark"
    raw = ctx.job.raw
    if ctx.job.path is not None and isinstance(raw, dict):
        edits += (JsonEdit("/character_encoding", raw.get("character_encoding"), "UTF-8"),)
        why += "; the job's character_encoding set to UTF-8 with it"
    elif ctx.job.character_encoding is not None:
        why += f"; {NO_OPTION}"
    return Fix(edits, why)


@check("BW219")
def encoding_not_utf8(ctx: Context) -> Iterator[Finding]:
    """A file read in another charset than UTF-8 (declared, or UTF-16 by its BOM) whose
    bytes all decode: re-encodable. The job's charset is one for all its files, so the
    fix is offered only when every such file of the job decodes (BW210 says which not)."""
    others = [d for d in ctx.files if not_utf8(d)]
    whole = all(not d.facts.bad_bytes for d in others)
    for data in others:
        if data.facts.bad_bytes:
            continue  # BW210's: re-encoding would lose the undecodable bytes
        charset = charset_shown(ctx, data)
        if ctx.job.character_encoding is not None:
            how = (
                "the job's character_encoding"
                if ctx.job.path is not None
                else "--character-encoding, or character-encoding in [[jobs]]"
            )
            said = f"the file is {charset} ({how}); Zoho reads it so"
        else:
            none = "the job names no character_encoding" if ctx.job.path else "no charset is given"
            said = (
                f"the file is {charset} (by its byte-order mark) and {none}; Zoho "
                "detects the charset, by a method its documents do not give"
            )
        if whole:
            hint = "bwlint fix writes it in UTF-8"
            if ctx.job.path is not None:
                hint += " and sets character_encoding to UTF-8"
            elif ctx.job.character_encoding is not None:
                hint += " (then give no charset for it)"
        else:
            hint = "save it as UTF-8 once the job's undecodable bytes (BW210) are mended"
        yield ctx.finding(
            "BW219",
            f"{said}, but UTF-8 is the charset every tool reads alike: {hint}",
            data=data,
            fix=_encoding_fix(ctx, data, charset) if whole else None,
        )
