"""Two more benchmark file shapes, the kind users have near Zoho's limits.

- "wide-text": 25,000 × 200 — 24 Leads-like typed columns (generate.TYPES) and 176
  free-text columns of up to 255 characters: pseudo-words drawn from a large
  vocabulary (Zipf-like frequencies), cut at a random length, so there is little
  repetition for deflate to find. About 99 MB, zipping to about 25 MB: right at the
  upload limit, where the zipped-size check (BW203) has to decide.
- "unique-keys": 1,000,000 × 24 Leads columns with a unique Email and a unique
  External_Id (a text field marked unique in the metadata); the bad records are of
  ten kinds, two of them duplicates of a unique key.

In both, a `bad` share of the records (chosen at random, seeded) hold a bad value.
Everything is vectorised (numpy + polars) and seeded; nothing is copied from a real file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
from generate import TYPES, column_values, field_meta, schema

DEFAULTS = {"wide-text": (25_000, 200), "unique-keys": (1_000_000, 24)}
TYPED = 24  # Leads-like typed columns of the wide-text shape
TEXT_LENGTH = 255
# English letter frequencies (a–z), so pseudo-words have a text-like byte distribution
LETTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
FREQ = np.array(
    [8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4,
     6.7, 7.5, 1.9, 0.095, 6.0, 6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074]
)  # fmt: skip


class Words:
    """A seeded vocabulary of pseudo-words with Zipf-like frequencies."""

    def __init__(self, rng: np.random.Generator, size: int = 2000, exponent: float = 1.74):
        # frequent words are short, as in real text; +1: the space after the word
        lengths = np.sort(rng.integers(2, 11, size)) + 1
        letters = rng.choice(LETTERS, int(lengths.sum()), p=FREQ / FREQ.sum())
        ends = np.cumsum(lengths)
        letters[ends - 1] = ord(" ")
        self.buffer, self.starts, self.lengths = letters, ends - lengths, lengths
        weights = 1.0 / np.arange(1, size + 1) ** exponent
        self.cdf = np.cumsum(weights) / weights.sum()
        self.mean = float((weights * lengths).sum() / weights.sum())

    def stream(self, rng: np.random.Generator, nbytes: int) -> np.ndarray:
        """At least `nbytes` bytes of running text."""
        count = int(nbytes / self.mean * 1.05) + 64
        ids = np.minimum(np.searchsorted(self.cdf, rng.random(count)), len(self.cdf) - 1)
        sizes = self.lengths[ids]
        out_starts = np.cumsum(sizes) - sizes
        source = np.repeat(self.starts[ids] - out_starts, sizes) + np.arange(int(sizes.sum()))
        text = self.buffer[source]
        if text.size < nbytes:
            text = np.concatenate([text, self.stream(rng, nbytes - text.size)])
        return text


def cut(stream: np.ndarray, lengths: np.ndarray, width: int) -> pl.Series:
    """Consecutive pieces of `stream`, one of each length (0: an empty cell, null)."""
    rows, total = lengths.size, int(lengths.sum())
    cells = np.zeros((rows, width), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    row = np.repeat(np.arange(rows), lengths)
    cells[row, np.arange(total) - np.repeat(starts, lengths)] = stream[:total]
    values = pl.Series(cells.view(f"S{width}").ravel()).cast(pl.String)
    return pl.select(pl.when(pl.Series(lengths > 0)).then(values)).to_series()


def text_lengths(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Cell lengths: 5 % empty, the rest log-normal (median ~13), at most 255."""
    lengths = np.clip(rng.lognormal(2.78, 0.75, rows).astype(np.int64), 1, TEXT_LENGTH)
    lengths[rng.random(rows) < 0.05] = 0
    return lengths


def spoil(frame: pl.DataFrame, rows: np.ndarray, column: str, values: pl.Series) -> pl.DataFrame:
    """`frame` with `values` written into `column` at `rows`."""
    series = frame.get_column(column).clone().scatter(rows, values)
    return frame.with_columns(series)


def bad_records(rng: np.random.Generator, rows: int, share: float) -> np.ndarray:
    """The (sorted) records that get a bad value."""
    return np.sort(rng.choice(rows, round(rows * share), replace=False))


def wide_text(rng: np.random.Generator, rows: int, cols: int, share: float):
    """(fields, frame) of the wide-text shape."""
    typed = schema(min(TYPED, cols))
    fields = [
        field_meta(name, TYPES[kind][0], TYPES[kind][1], mandatory=(name == "Last_Name"))
        for name, kind in typed
    ]
    columns = {name: column_values(rng, rows, kind, 0.0, i) for i, (name, kind) in enumerate(typed)}
    words = Words(rng)
    for i in range(cols - len(typed)):
        name = f"Note_{i + 1}"
        fields.append(field_meta(name, "text", {"length": TEXT_LENGTH}))
        lengths = text_lengths(rng, rows)
        columns[name] = cut(words.stream(rng, int(lengths.sum())), lengths, TEXT_LENGTH)
    frame = pl.DataFrame(columns).with_columns(pl.col("Last_Name").fill_null("Doe"))
    # each bad record: one cell, in a random column, that its field rejects
    spoilt = bad_records(rng, rows, share)
    where = rng.integers(0, cols, spoilt.size)
    kinds = dict(typed)
    for index in np.unique(where):
        at = spoilt[where == index]
        name = frame.columns[index]
        if name in kinds:
            wrong = TYPES[kinds[name]][3]
            values = pl.Series(wrong).gather(rng.integers(0, len(wrong), at.size))
        else:
            long = np.full(at.size, TEXT_LENGTH + 1) + rng.integers(0, 40, at.size)
            values = cut(words.stream(rng, int(long.sum())), long, TEXT_LENGTH + 40)
        frame = spoil(frame, at, name, values)
    return fields, frame


KEYS = [
    ("Last_Name", "text", {"length": 80}),
    ("Email", "email", {"length": 100, "unique": {"casesensitive": False}}),
    ("External_Id", "text", {"length": 40, "unique": {"casesensitive": False}}),
]

# the ten kinds of bad record: (column, bad values; None = a duplicate of another key)
BAD_KINDS: list[tuple[str, list[str] | None]] = [
    ("Email", ["ana@", "bob at example.com", "x@@example.com"]),
    ("Email", None),
    ("External_Id", None),
    ("Last_Name", [""]),
    ("Text_1", ["x" * 81]),
    ("Picklist_1", ["Billboard", "Radio"]),
    ("Date_1", ["2024-13-45", "31/01", "02/30/2024"]),
    ("Integer_1", ["12a", "1234567890"]),
    ("Boolean_1", ["yes", "1"]),
    ("Website_1", ["not a url", "http//acme"]),
]


def unique_keys(rng: np.random.Generator, rows: int, cols: int, share: float):
    """(fields, frame) of the unique-keys shape."""
    fields = [field_meta(n, t, extra, mandatory=(n == "Last_Name")) for n, t, extra in KEYS]
    typed = [(name, kind) for name, kind in schema(cols + 8)[1:] if TYPES[kind][0] != "email"]
    typed = typed[: cols - len(KEYS)]
    fields += [field_meta(name, TYPES[kind][0], TYPES[kind][1]) for name, kind in typed]
    ids = pl.Series(rng.permutation(rows) + 10_000_000).cast(pl.String)
    serial = pl.Series(rng.choice(36**7, rows, replace=False))
    columns = {
        "Last_Name": column_values(rng, rows, 0, 0.0, 0).fill_null("Doe"),
        "Email": "lead" + ids + "@example.com",
        "External_Id": "EXT-" + serial.cast(pl.String).str.zfill(11),
    }
    for i, (name, kind) in enumerate(typed):
        columns[name] = column_values(rng, rows, kind, 0.0, i)
    frame = pl.DataFrame(columns)
    groups = np.array_split(rng.permutation(bad_records(rng, rows, share)), len(BAD_KINDS))
    for (name, wrong), at in zip(BAD_KINDS, groups, strict=True):
        if name not in frame.columns:
            continue
        if wrong is None:  # pairs of records: the second repeats the first's key
            first, second = at[: at.size // 2], at[at.size // 2 : 2 * (at.size // 2)]
            at, values = second, frame.get_column(name).gather(first)
        else:
            values = pl.Series(wrong).gather(rng.integers(0, len(wrong), at.size))
        frame = spoil(frame, at, name, values)
    return fields, frame


def generate_shape(shape: str, rows: int, cols: int, bad: float, seed: int, out: Path) -> Path:
    """Write the metadata and CSV under out/<shape>-<rows>x<cols>; return that directory."""
    target = out / f"{shape}-{rows}x{cols}"
    target.mkdir(parents=True, exist_ok=True)
    stamp = target / "params.json"
    params = {"shape": shape, "rows": rows, "cols": cols, "bad_records": bad, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return target
    rng = np.random.default_rng(seed)
    build = {"wide-text": wide_text, "unique-keys": unique_keys}[shape]
    fields, frame = build(rng, rows, cols, bad)
    (target / "Leads.json").write_text(json.dumps({"fields": fields}, indent=1))
    frame.write_csv(target / "leads.csv")
    stamp.write_text(json.dumps(params))
    return target
