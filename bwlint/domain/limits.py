"""Zoho's documented per-job limits, in one value every rule and `split` reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bulk Write's limitations page (zoho-bulk-write.md, "Limits"); settable for tests,
    for `split --max-records/--max-zip-mb`, and for plans Zoho may change."""

    records: int = 25_000  # records per job (per CSV)
    zip_bytes: int = 25_000_000  # "25 MB" zipped, read on the safe (decimal) side
    headers: int = 200  # columns of the CSV header row
    mappings: int = 200  # fields mapped by field_mappings (HEADER_LIMIT_EXCEEDED)
    # Subform rows of one parent record (v8 subforms page; zoho-facts.md §11).
    child_rows_per_parent: int = 100
    # How `split` compresses its parts: a deflate level (1 fastest, 9 smallest); 0
    # stores a part's CSVs when they fit `zip_bytes` as they are.
    zip_level: int = 1

    def __post_init__(self) -> None:
        for name in ("records", "zip_bytes", "headers", "mappings", "child_rows_per_parent"):
            if getattr(self, name) < 1:
                raise ValueError(f"limit {name} must be at least 1")


ZOHO = Limits()
