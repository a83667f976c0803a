"""File rules (BW2xx): the bytes and structure of each data file, from the reader's facts.

The reader (bwlint/load/parse.py) notes what it met on `DataFile.facts`; these checks
only decide what the facts mean. Locations: `record` and `line` as everywhere; a fact
about a line that is no record (a blank line) carries the line alone, and a fact about
a zip carries the zip's path as its file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from bwlint.domain.enums import FileKind, Severity
from bwlint.domain.finding import Finding, listing
from bwlint.domain.fix import FileEdit, Fix, JsonEdit
from bwlint.engine import Context, check
from bwlint.load.data import DataFile
from bwlint.load.facts import ZipNote


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _zips(ctx: Context) -> dict[str, list[DataFile]]:
    """The zips given, each with the data files read from it, in command-line order."""
    zips: dict[str, list[DataFile]] = {}
    for data in ctx.files:
        if data.zip_path is not None:
            zips.setdefault(data.zip_path, []).append(data)
    return zips


def _unreadable(ctx: Context) -> Iterator[tuple[DataFile, str]]:
    for data in ctx.files:
        if data.facts.unreadable is not None:
            yield data, data.facts.unreadable


@check("BW201")
def file_empty(ctx: Context) -> Iterator[Finding]:
    for data, reason in _unreadable(ctx):
        if data.facts.empty:
            yield ctx.finding("BW201", f"{reason}: Zoho needs a header row", data=data)


@check("BW202")
def not_a_csv(ctx: Context) -> Iterator[Finding]:
    for data, reason in _unreadable(ctx):
        if data.facts.empty or data.facts.too_large or data.facts.too_wide:
            continue  # BW201, BW213 and BW161 say why
        if data.facts.kind == FileKind.ZIP:
            yield ctx.finding(
                "BW202",
                f"{reason}: Zoho's upload takes a zip of CSVs",
                location=ctx.at_path(data.zip_path or data.display),
            )
        else:
            yield ctx.finding("BW202", f"{reason}: bwlint cannot check it", data=data)


@check("BW203")
def zip_too_large(ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.limits.zip_bytes
    for path, members in _zips(ctx).items():
        size = members[0].zip_size or 0
        if size > limit:
            yield ctx.finding(
                "BW203",
                f"the zip is {_mb(size)}; Zoho's upload takes at most {_mb(limit)} "
                "(FILE_TOO_LARGE): split the records over several jobs",
                location=ctx.at_path(path),
            )
    for data in ctx.files:
        zipped = data.facts.settled().zipped
        if data.zip_path is not None or zipped is None or zipped.high <= limit:
            continue  # clearly under the limit (a zip given is measured above)
        about = "" if zipped.exact else "about "
        how = "by zip tool and level" + ("" if zipped.exact else ", estimated from samples")
        sized = (
            f"the CSV is {_mb(data.size)} and zips to {about}{zipped.size / 1e6:.2f} MB "
            f"({zipped.low / 1e6:.2f}–{zipped.high / 1e6:.2f} MB {how})"
        )
        if zipped.low > limit:  # over, however it is zipped
            yield ctx.finding(
                "BW203",
                f"{sized}; Zoho's upload takes at most {_mb(limit)}: split the records "
                "over several jobs",
                data=data,
            )
        else:  # the range straddles the limit
            yield ctx.finding(
                "BW203",
                f"{sized}: near Zoho's upload limit of {_mb(limit)}; zip it and check the "
                "zip (bwlint measures a zip exactly), or split the records over several jobs",
                severity=Severity.WARNING,
                data=data,
            )


@check("BW204")
def several_zips(ctx: Context) -> Iterator[Finding]:
    zips = list(_zips(ctx))
    for path in zips[1:]:
        yield ctx.finding(
            "BW204",
            f"a second zip for one job (the first is {zips[0]}): a job reads one uploaded zip",
            location=ctx.at_path(path),
        )


@check("BW212")
def zip_several_csvs(ctx: Context) -> Iterator[Finding]:
    if len(ctx.job.resources) > 1:
        return  # parent-child: one CSV per resource
    for path, members in _zips(ctx).items():
        csvs = [m for m in members if m.facts.kind == FileKind.CSV]
        count = max(len(csvs), members[0].facts.zip_csvs)
        if count > 1:
            names = listing([m.name for m in csvs], total=count)
            yield ctx.finding(
                "BW212",
                f"the zip holds {count:,} CSV files ({names}); a single-module job "
                "takes exactly one",
                location=ctx.at_path(path),
            )


@check("BW205")
def record_limit(ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.limits.records
    for data in ctx.files:
        if data.records > limit:
            yield ctx.finding(
                "BW205",
                f"{data.records:,} records; Zoho takes at most {limit:,} per job: "
                "split the file (every record is still checked here)",
                data=data,
            )


def _explicitly_mapped(ctx: Context) -> Iterator[DataFile]:
    """Data files whose headers are not field names: with auto-mapping, BW150 says
    a repeated header about the field."""
    auto = {id(b.data) for b in ctx.bindings if b.data is not None and b.auto_mapped}
    return (data for data in ctx.files if id(data) not in auto)


def _mapped_indexes(ctx: Context) -> set[int]:
    """Every column index a mapping of the job names (`index`, `parent_column_index`)."""
    return {
        index
        for binding in ctx.bindings
        for mapping in binding.mappings
        for index in (mapping.index, mapping.parent_column_index)
        if index is not None
    }


def _droppable(ctx: Context, data: DataFile) -> set[int]:
    """The trailing columns with no name (`""`) and no value in any record, that no
    mapping names: Excel's empty cells at the end of the header row. One polars select."""
    import polars as pl

    if not data.readable or data.facts.ragged or data.facts.unterminated or data.records == 0:
        return set()
    last = len(data.header)
    while last > 1 and data.header[last - 1] == "":
        last -= 1
    tail = range(last, len(data.header))
    if not tail:
        return set()
    empty = data.frame.select(
        (pl.col(str(i)).is_null() | (pl.col(str(i)) == "")).all().alias(str(i)) for i in tail
    ).row(0)
    mapped = _mapped_indexes(ctx)
    kept = set()
    for index, blank in zip(reversed(tail), reversed(empty), strict=True):
        if not blank or index in mapped:
            break
        kept.add(index)
    return kept


@check("BW206")
def header_name_empty(ctx: Context) -> Iterator[Finding]:
    auto = {id(b.data) for b in ctx.bindings if b.data is not None and b.auto_mapped}
    for data in ctx.files:
        droppable = _droppable(ctx, data)
        for index, name in enumerate(data.header):
            if not name.strip():
                what = " (auto-mapping: no field takes its cells)" if id(data) in auto else ""
                fix = None
                if index in droppable:
                    edit = FileEdit(data.display, "column", f"column {index + 1}", index)
                    fix = Fix((edit,), "an unnamed column with no value at the end of the rows")
                yield ctx.finding(
                    "BW206",
                    f"column {index + 1} of the header row has no name{what}",
                    data=data,
                    column_index=index,
                    fix=fix,
                )


@check("BW207")
def header_name_duplicated(ctx: Context) -> Iterator[Finding]:
    for data in _explicitly_mapped(ctx):
        seen: Counter[str] = Counter()
        for index, name in enumerate(data.header):
            label = name.strip()
            if not label:
                continue
            seen[label] += 1
            if seen[label] == 2:
                first = next(i for i, n in enumerate(data.header) if n.strip() == label)
                yield ctx.finding(
                    "BW207",
                    f"header name '{label}' is repeated (columns {first + 1} and {index + 1})",
                    data=data,
                    column_index=index,
                )


@check("BW208")
def field_count(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        width = len(data.header)
        for record, line, fields in data.facts.ragged:
            if data.facts.unterminated is not None and data.facts.unterminated[0] == record:
                continue  # BW209 says why
            what = "more" if fields > width else "fewer"
            yield ctx.finding(
                "BW208",
                f"line {line}: the record has {fields} field{'s' if fields != 1 else ''}, "
                f"{what} than the header's "
                f"{width}" + (": the missing cells are read as empty" if fields < width else ""),
                data=data,
                record=record,
            )


@check("BW209")
def unterminated_quote(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        if data.facts.unterminated is None:
            continue
        record, line = data.facts.unterminated
        where = "the header row" if record == 0 else f"the record on line {line}"
        yield ctx.finding(
            "BW209",
            f"a quote opened in {where} is never closed: the rest of the file is read as one value",
            location=ctx.at_data(data, record or None, line=line),
        )


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


@check("BW211")
def blank_line(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        for line in data.facts.blank_lines:
            yield ctx.finding(
                "BW211",
                f"line {line} is blank: not counted as a record (Zoho skips it)",
                location=ctx.at_data(data, line=line),
            )


@check("BW213")
def zip_member_too_large(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        if data.facts.too_large:
            yield ctx.finding(
                "BW213",
                f"{data.facts.unreadable}; not checked (a zip bomb?): unzip it and check "
                "the CSV itself, or split it",
                data=data,
            )


def _notes(ctx: Context) -> Iterator[tuple[str, ZipNote]]:
    for path, members in _zips(ctx).items():
        note = members[0].facts.zip_note
        if note is not None:
            yield path, note


@check("BW214")
def zip_member_not_csv(ctx: Context) -> Iterator[Finding]:
    for path, note in _notes(ctx):
        if note.others:
            count = len(note.others)
            yield ctx.finding(
                "BW214",
                f"the zip holds {count:,} file{'s' if count > 1 else ''} that "
                f"{'are' if count > 1 else 'is'} not CSV: {listing(note.others)}; Zoho's "
                "upload takes CSV files only: zip the CSV files alone",
                location=ctx.at_path(path),
            )


@check("BW215")
def zip_entries_skipped(ctx: Context) -> Iterator[Finding]:
    for path, note in _notes(ctx):
        parts = []
        if note.resource_forks:
            parts.append(f"{note.resource_forks:,} __MACOSX/ entries (macOS metadata, not data)")
        if note.folders:
            parts.append(f"{note.folders:,} folder entries (the CSVs in folders are read)")
        if parts:
            yield ctx.finding(
                "BW215",
                f"skipped {' and '.join(parts)}; zipping the CSV files themselves, not "
                "their folder, leaves none",
                location=ctx.at_path(path),
            )


@check("BW216")
def tab_delimited(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        if data.facts.tab_delimited:
            yield ctx.finding(
                "BW216",
                "the header row is separated by tabs (Excel's 'Unicode Text'); Zoho's "
                "delimiters are comma, semicolon, colon and pipe, so it reads one column: "
                "save it from Excel as 'CSV UTF-8 (Comma delimited)'",
                data=data,
            )


@check("BW217")
def excel_sep_line(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        if data.facts.sep_line is not None:
            yield ctx.finding(
                "BW217",
                f"line 1 is Excel's '{data.facts.sep_line}' line, not the header row: Zoho "
                "reads it as the header; delete the line (the header is line 2)",
                location=ctx.at_data(data, line=1),
                fix=Fix(
                    (FileEdit(data.display, "line", data.facts.sep_line),),
                    "Excel's sep= line removed: the header row is line 1",
                ),
            )


@check("BW218")
def line_ends_mixed(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        if data.facts.line_ends is None:
            continue
        crlf, lf = data.facts.line_ends
        to = "CRLF" if crlf >= lf else "LF"
        edit = FileEdit(data.display, "line-ends", f"{crlf:,} CRLF, {lf:,} LF", None, to)
        yield ctx.finding(
            "BW218",
            f"the rows end with CRLF ({crlf:,}) and with LF ({lf:,}): a file joined from "
            f"several sources, or edited by several tools; write every row end as {to}",
            data=data,
            fix=Fix((edit,), f"every row ended with {to}, as most were"),
        )


# Charsets whose bytes are already UTF-8's: nothing to re-encode.
_UTF8_ALREADY = ("utf-8", "ascii")
_BOM_NAMES = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}
# BW219's fix with --module --character-encoding: no job JSON to set UTF-8 in
NO_OPTION = "from now on, check it without --character-encoding (or [[jobs]] character-encoding)"


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


@check("BW220")
def no_records(ctx: Context) -> Iterator[Finding]:
    operation = ctx.job.operation
    done = {"update": "updates", "upsert": "writes"}.get(str(operation), "adds")
    for data in ctx.files:
        if data.readable and data.header and data.records == 0:
            yield ctx.finding(
                "BW220",
                f"{data.name} has a header row and no record: the job {done} nothing from "
                "it, and still costs its 500 API credits",
                data=data,
            )


UNCLAIMED = "unclaimed"  # Context.memo key: the data paths no job of the run reads


@check("BW221")
def file_unclaimed(ctx: Context) -> Iterator[Finding]:
    """Only in the run's own context of files no job claims (services/check.py)."""
    for path in ctx.memo.get(UNCLAIMED, ()):
        yield ctx.finding(
            "BW221",
            "no job reads this file, so it was not checked: put it beside a job.json, "
            "name it NAME.csv or NAME.zip beside NAME.job.json, or declare it in a "
            "[[jobs]] entry's data",
            location=ctx.at_path(path),
        )


CHECKS = (
    file_empty,
    not_a_csv,
    zip_too_large,
    several_zips,
    record_limit,
    header_name_empty,
    header_name_duplicated,
    field_count,
    unterminated_quote,
    undecodable_bytes,
    blank_line,
    zip_several_csvs,
    zip_member_too_large,
    zip_member_not_csv,
    zip_entries_skipped,
    tab_delimited,
    excel_sep_line,
    line_ends_mixed,
    encoding_not_utf8,
    no_records,
    file_unclaimed,
)
