"""Where `split` cuts: the records of each part, for a single-module job and for a
parent-child job (every child row in the part of its parent).

A part is a list of record runs per data file (0-based, end exclusive, in the input's
order). Parents are taken in order while the part holds at most `records` parent rows
and at most `records` rows of each child module; a parent whose own children exceed
that is an error naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from bwlint.errors import UsageError
from bwlint.project.binding import Binding
from bwlint.project.relations import link_of

Runs = list[tuple[int, int]]  # [start, end) record runs, 0-based


@dataclass
class Part:
    runs: dict[str, Runs] = field(default_factory=dict)  # by the file's display

    def rows(self, display: str) -> int:
        return sum(end - start for start, end in self.runs.get(display, []))


def single_parts(display: str, records: int, size: int) -> list[Part]:
    """Consecutive runs of at most `size` records (a file with none: one empty part)."""
    if records == 0:
        return [Part({display: []})]
    return [Part({display: [(lo, min(lo + size, records))]}) for lo in range(0, records, size)]


def runs_of(rows: pl.Series) -> Runs:
    """Sorted 0-based rows → [start, end) runs of consecutive rows."""
    if rows.len() == 0:
        return []
    frame = pl.DataFrame({"row": rows.cast(pl.Int64)}).with_columns(
        (pl.col("row") - pl.int_range(pl.len(), dtype=pl.Int64)).alias("run")
    )
    grouped = frame.group_by("run", maintain_order=True).agg(
        pl.col("row").min().alias("start"), (pl.col("row").max() + 1).alias("end")
    )
    return list(zip(grouped.get_column("start"), grouped.get_column("end"), strict=True))


def _child_parts(children: list[Binding]) -> list[tuple[str, pl.DataFrame]]:
    """Per child file: its rows' parent row (0-based; null for an orphan)."""
    assigned = []
    for child in children:
        link = link_of(child)
        if link is None:
            raise UsageError(
                f"{child.resource.module}: its rows cannot be matched to their parents "
                "(no usable parent_column_index): run bwlint check"
            )
        first = (
            link.parent_keys()
            .filter(pl.col("key").is_not_null())
            .unique("key", keep="first", maintain_order=True)
            .select("key", (pl.col("record") - 1).alias("parent"))
        )
        rows = link.child_keys().join(first, on="key", how="left", maintain_order="left")
        assert child.data is not None
        assigned.append((child.data.display, rows.select("parent")))
    return assigned


def _counts(parents: int, assigned: list[tuple[str, pl.DataFrame]]) -> list[list[int]]:
    """Per child file, the number of its rows under each parent row."""
    counts = []
    for _, rows in assigned:
        per = rows.drop_nulls().group_by("parent").len()
        full = [0] * parents
        for parent, number in per.iter_rows():
            full[parent] = number
        counts.append(full)
    return counts


def _cuts(parents: int, counts: list[list[int]], size: int, names: list[str]) -> list[int]:
    """Parent rows where each part starts (greedy, in order)."""
    cuts, held, taken = [0], [0] * len(counts), 0
    for parent in range(parents):
        needs = [per[parent] for per in counts]
        for name, need in zip(names, needs, strict=True):
            if need > size:
                raise UsageError(
                    f"parent record {parent + 1} has {need:,} {name} rows; a part holds at "
                    f"most {size:,}: it cannot be split to fit"
                )
        if taken + 1 > size or any(h + n > size for h, n in zip(held, needs, strict=True)):
            cuts.append(parent)
            held, taken = [0] * len(counts), 0
        held = [h + n for h, n in zip(held, needs, strict=True)]
        taken += 1
    return cuts


def parent_child_parts(parent: Binding, children: list[Binding], size: int) -> list[Part]:
    assert parent.data is not None
    parents = parent.data.records
    assigned = _child_parts(children)
    names = [c.resource.module or "child" for c in children]
    cuts = _cuts(parents, _counts(parents, assigned), size, names)
    bounds = list(zip(cuts, [*cuts[1:], parents], strict=True))
    parts = [Part({parent.data.display: [(lo, hi)]}) for lo, hi in bounds if hi > lo] or [
        Part({parent.data.display: []})
    ]
    starts = pl.Series([lo for lo, _ in bounds], dtype=pl.Int64)
    for display, rows in assigned:
        # a child row goes to its parent's part; an orphan (no parent) to the first
        parent_of = rows.get_column("parent").fill_null(0).cast(pl.Int64)
        index = starts.search_sorted(parent_of, side="right") - 1
        table = pl.DataFrame({"row": pl.int_range(rows.height, eager=True), "part": index})
        grouped = table.group_by("part").agg("row")
        for number, chosen in grouped.iter_rows():
            parts[number].runs[display] = runs_of(pl.Series(chosen))
        for part in parts:
            part.runs.setdefault(display, [])
    return parts
