"""The report of `bwlint split`: the parts written, then the input's findings other than
the size findings the split answers (BW203, BW205).

- text: one line per part (`DIR/part-001.zip: leads.csv records 1–25,000 …`), a
  summary line, then `check`'s text report;
- json: `check`'s JSON report with a `split` object (the manifest) after
  `bwlint_version` (README, "The JSON of fix and split");
- sarif, github, junit: `check`'s report; the summary line on standard error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bwlint.report import REPORTERS
from bwlint.report.fixes import with_section

if TYPE_CHECKING:
    from bwlint.services.split import SplitOutcome


def _ranges(records: list[list[int]]) -> str:
    if not records:
        return "no records"
    if len(records) == 1:
        first, last = records[0]
        return f"record {first:,}" if first == last else f"records {first:,}–{last:,}"
    return f"records {records[0][0]:,}–{records[-1][1]:,} in {len(records):,} runs"


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1_000:.1f} kB"


def _rows(count: int) -> str:
    return f"{count:,} row{'' if count == 1 else 's'}"


def part_lines(outcome: SplitOutcome) -> list[str]:
    lines = []
    for part in outcome.manifest["parts"]:
        files = "; ".join(
            f"{f['name']} {_ranges(f['records'])} ({_rows(f['rows'])})" for f in part["files"]
        )
        where = Path(outcome.folder) / part["zip"]
        lines.append(f"{where}: {files}, {_size(part['zip_bytes'])} zipped")
    return lines


# split runs the job, file and parent-child rules only: its "All checks passed" must
# not read as a verdict on the values
VALUES_NOTE = "Values are not checked by split (BW4xx, BW5xx): bwlint check the parts for them."


def summary_line(outcome: SplitOutcome) -> str:
    count = len(outcome.parts)
    manifest = Path(outcome.folder) / "manifest.json"
    return f"Wrote {count:,} part{'s' if count != 1 else ''} to {outcome.folder} ({manifest})."


def render(outcome: SplitOutcome, fmt: str, colour: bool) -> tuple[str, str]:
    check_report = REPORTERS[fmt](outcome.result, colour)
    if fmt == "text":
        head = "\n".join([*part_lines(outcome), summary_line(outcome), VALUES_NOTE])
        return head + "\n\n" + check_report, ""
    if fmt == "json":
        return with_section(check_report, "split", outcome.manifest), ""
    return check_report, summary_line(outcome) + "\n"
