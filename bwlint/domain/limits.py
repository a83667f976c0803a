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


@dataclass(frozen=True)
class InputLimits:
    """bwlint's own bounds on what it reads, so that no input (a zip bomb, a huge JSON,
    a million columns) can make a run unbounded in memory or time. Not Zoho's limits:
    each is well beyond anything Zoho accepts, and passing one is a finding or one
    `bwlint: error:` line, never a crash. Documented in the README ("Bounds")."""

    json_bytes: int = 64_000_000  # a job JSON or a metadata file
    config_bytes: int = 4_000_000  # bwlint.toml / pyproject.toml
    json_depth: int = 64  # nesting of a JSON document (a job is 5 levels deep)
    # A zip member is inflated in a stream, and given up on past either bound:
    zip_inflated_bytes: int = 512_000_000  # per member, uncompressed
    zip_ratio: int = 200  # uncompressed / compressed size, for members past ratio_floor
    zip_ratio_floor: int = 32_000_000  # inflated bytes below which no ratio applies
    zip_members: int = 100  # CSV members read from one zip; the rest are counted only
    listed: int = 10  # names listed in one message ("and 9,990 more")


INPUT = InputLimits()
