"""File rules (BW2xx): the bytes and structure of each data file, from the reader's facts.

The reader (bwlint/load/parse.py) notes what it met on `DataFile.facts`; these checks
only decide what the facts mean. Locations: `record` and `line` as everywhere; a fact
about a line that is no record (a blank line) carries the line alone, and a fact about
a zip carries the zip's path as its file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from bwlint.checks.file_encoding import encoding_not_utf8, undecodable_bytes
from bwlint.checks.file_zip import (
    several_zips,
    zip_entries_skipped,
    zip_member_not_csv,
    zip_member_too_large,
    zip_several_csvs,
    zip_too_large,
)
from bwlint.domain.enums import FileKind
from bwlint.domain.finding import Finding
from bwlint.domain.fix import FileEdit, Fix
from bwlint.engine import Context, check
from bwlint.load.data import DataFile


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


def trailing_unnamed(header: list[str]) -> range:
    """The unnamed columns at the end of the header row (`""`, the first column aside):
    the only cells BW206 reads (split keeps no other, see services/split.py)."""
    last = len(header)
    while last > 1 and header[last - 1] == "":
        last -= 1
    return range(last, len(header))


def _droppable(ctx: Context, data: DataFile) -> set[int]:
    """The trailing columns with no name (`""`) and no value in any record, that no
    mapping names: Excel's empty cells at the end of the header row. One polars select."""
    import polars as pl

    if not data.readable or data.facts.ragged or data.facts.unterminated or data.records == 0:
        return set()
    tail = trailing_unnamed(data.header)
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


@check("BW211")
def blank_line(ctx: Context) -> Iterator[Finding]:
    for data in ctx.files:
        for line in data.facts.blank_lines:
            yield ctx.finding(
                "BW211",
                f"line {line} is blank: not counted as a record (Zoho skips it)",
                location=ctx.at_data(data, line=line),
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
