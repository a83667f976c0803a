"""File rules about zips (BW203, BW204, BW212–BW215): the upload's size, several zips
for one job, and what a zip holds beside its CSVs — from the reader's facts."""

from __future__ import annotations

from collections.abc import Iterator

from bwlint.domain.enums import FileKind, Severity
from bwlint.domain.finding import Finding, listing
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
