"""How child rows link to parent rows in a parent-child job, as polars frames.

A child resource's mapping with `parent_column_index` says: the child CSV's column
`index` holds values of the parent CSV's column `parent_column_index`. The parent-child
rules (bwlint/checks/parentchild.py) and the report's per-parent counts both read the
links from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from bwlint.project.binding import Binding


@dataclass(frozen=True)
class Link:
    """A child binding whose parent key and child key columns both exist."""

    parent: Binding
    child: Binding
    parent_column: int  # the parent CSV's column holding the key
    child_column: int  # the child CSV's column holding it

    def parent_keys(self) -> pl.DataFrame:
        """`record` (1-based) and `key` of every parent row."""
        assert self.parent.data is not None
        frame = self.parent.data.frame.select(pl.col(str(self.parent_column)).alias("key"))
        return frame.with_row_index("record", offset=1)

    def child_keys(self) -> pl.DataFrame:
        """`record` (1-based) and `key` of every child row."""
        assert self.child.data is not None
        frame = self.child.data.frame.select(pl.col(str(self.child_column)).alias("key"))
        return frame.with_row_index("record", offset=1)

    def matched(self) -> pl.DataFrame:
        """Child rows whose key is some parent row's key: `record`, `key`."""
        parents = self.parent_keys().select("key")
        return self.child_keys().join(parents, on="key", how="semi")

    def orphans(self) -> pl.DataFrame:
        """Child rows whose key is empty or no parent row's key: `record`, `key`, and
        `near`, a parent key equal to it but for case and surrounding spaces (or null)."""
        parents = self.parent_keys().select("key")
        lost = self.child_keys().join(parents, on="key", how="anti").sort("record")
        norm = pl.col("key").str.strip_chars().str.to_lowercase()
        lost = lost.with_columns(norm.alias("norm"))
        wanted = lost.get_column("norm").drop_nulls()
        near = (
            parents.filter(pl.col("key").is_not_null())
            .with_columns(norm.alias("norm"))
            .filter(pl.col("norm").is_in(wanted.implode()))
            .unique("norm", keep="first", maintain_order=True)
            .rename({"key": "near"})
        )
        return lost.join(near, on="norm", how="left", maintain_order="left").select(
            "record", "key", "near"
        )


def link_of(child: Binding) -> Link | None:
    """The link of a child binding, or None where a column or the data is missing."""
    parent = child.parent
    key = child.parent_key
    if parent is None or key is None or parent.data is None or child.data is None:
        return None
    parent_column = key.parent_column_index
    if parent_column is None or not 0 <= parent_column < parent.data.frame.width:
        return None
    if key.index is None or not 0 <= key.index < child.data.frame.width:
        return None
    return Link(parent, child, parent_column, key.index)


@dataclass(frozen=True)
class ChildCounts:
    """Per child module: how its rows spread over the parent rows."""

    module: str
    parent: str
    file: str
    children: int  # child rows
    parents: int  # parent rows in the parent CSV
    parents_with_children: int
    max_per_parent: int
    orphans: int  # child rows that match no parent row

    def to_json(self) -> dict:
        return {
            "module": self.module,
            "parent": self.parent,
            "file": self.file,
            "children": self.children,
            "parents": self.parents,
            "parents_with_children": self.parents_with_children,
            "max_per_parent": self.max_per_parent,
            "orphans": self.orphans,
        }


def child_counts(bindings: list[Binding]) -> list[ChildCounts]:
    counts = []
    for binding in bindings:
        link = link_of(binding)
        if link is None:
            continue
        matched = link.matched()
        per_parent = matched.group_by("key").len()
        largest = per_parent.get_column("len").max() if per_parent.height else 0
        assert largest is None or isinstance(largest, int)
        assert link.child.data is not None and link.parent.data is not None
        counts.append(
            ChildCounts(
                module=binding.resource.module or "?",
                parent=link.parent.resource.module or "?",
                file=link.child.data.display,
                children=link.child.data.records,
                parents=link.parent.data.records,
                parents_with_children=per_parent.height,
                max_per_parent=int(largest or 0),
                orphans=link.child.data.records - matched.height,
            )
        )
    return counts
