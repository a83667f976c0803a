"""The matching table `bwlint init` prints on standard error: each header, the field it
was matched to, how (API name, label, similarity) and the score, then the headers left
out and what the file lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bwlint.services.init import InitOutcome


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def table(outcome: InitOutcome) -> str:
    rows = [["index", "header", "field", "matched by", "score", "note"]]
    for mapped in outcome.mapped:
        match = mapped.match
        extra = []
        for key in ("find_by", "format"):
            if key in mapped.mapping:
                extra.append(f"{key} {mapped.mapping[key]}")
        note = "; ".join([*extra, mapped.note] if mapped.note else extra)
        rows.append(
            [str(match.index), match.header, mapped.mapping["api_name"], match.how,
             f"{match.score:.0f}", note]
        )  # fmt: skip
    for match in outcome.unmatched:
        rows.append([str(match.index), match.header, "–", "not mapped", f"{match.score:.0f}",
                     match.how])  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [_row(r, widths) for r in rows]
    count, left = len(outcome.mapped), len(outcome.unmatched)
    lines.append(f"{count} column{'s' if count != 1 else ''} mapped, {left} left out.")
    unsure = [m for m in outcome.unmatched if m.taken_by is None]
    taken = [m for m in outcome.unmatched if m.taken_by is not None]
    if unsure:
        names = ", ".join(f"'{m.header}'" for m in unsure)
        lines.append(
            f"Left out (no confident match): {names}. Rename a header to its field's API "
            "name, or add the mapping by hand."
        )
    if taken:
        names = ", ".join(
            f"'{m.header}' (column {m.index}: '{m.taken_by}' has its field)" for m in taken
        )
        lines.append(
            f"Left out (their field is mapped from another header): {names}. A field takes "
            "one column: drop the other, or map it to another field by hand."
        )
    lines.extend(outcome.notes)
    return "\n".join(lines) + "\n"
