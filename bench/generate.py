"""Seeded generator of Zoho-like bulk write CSVs, with the module metadata they match.

    python bench/generate.py --rows 25000 --cols 200 --bad 0.01 --seed 7 --out bench/out
    python bench/generate.py --shape wide-text      # 25,000 x 200, ~99 MB, zips to ~25 MB
    python bench/generate.py --shape unique-keys    # 1,000,000 x 24, unique Email, External_Id

The default shape ("typed") writes `OUT/<rows>x<cols>/Leads.json` (a Fields Metadata API
body: every data type bulk write accepts, repeated to fill `cols` columns) and
`OUT/<rows>x<cols>/leads.csv` whose header row names those fields (Zoho's auto-mapping).
A `bad` share of the cells (chosen at random, seeded) hold a value the field's type
rejects. The other shapes (bench/shapes.py) go to `OUT/<shape>-<rows>x<cols>/`, with
`bad` read as a share of records. Generation is vectorised (numpy + polars), so a
million records take seconds.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import polars as pl

PICKS = ["Advertisement", "Cold Call", "Employee Referral", "Partner", "Trade Show", "Web"]
MULTI = ["Alpha", "Beta", "Gamma", "Delta"]

# data_type, extra metadata, a pool of good values, a pool of bad values
TYPES: list[tuple[str, dict, list[str], list[str]]] = [
    ("text", {"length": 80}, ["Acme Ltd", "Bolt, Nut & Co", "O'Leary", "Müller GmbH"], ["x" * 81]),
    ("email", {"length": 100}, [], ["ana@", "bob at example.com"]),
    # digits and a leading + (Kaizen #13); spaced forms are BW404 warnings by design
    ("phone", {"length": 30}, ["+15550100", "+442079460958", "02079460000"], ["call me"]),
    ("picklist", {"length": 120}, PICKS, ["Billboard"]),
    ("multiselectpicklist", {"length": 2000}, ["Alpha;Beta", "Gamma", "Beta;Delta"], ["Omega"]),
    ("date", {"length": 20}, ["01/31/2024", "12/01/2023", "06/15/2025"], ["2024-13-45", "31/01"]),
    ("datetime", {"length": 30}, ["01/31/2024 10:15:00", "12/01/2023 23:59:59"], ["yesterday"]),
    ("integer", {"length": 9}, ["0", "42", "120", "999999999"], ["12a", "1234567890"]),
    ("bigint", {"length": 18}, ["123456789012", "7"], ["1.5", "x"]),
    ("double", {"length": 16, "decimal_place": 2}, ["3.14", "0.5", "100"], ["abc"]),
    ("currency", {"length": 16, "decimal_place": 2}, ["250000.50", "1200000", "0"], ["$12"]),
    ("percent", {"length": 5}, ["12.5", "100", "0"], ["120%"]),
    ("boolean", {"length": 5}, ["true", "false"], ["yes", "1"]),
    ("website", {"length": 255}, ["https://acme.example", "www.bolt.example"], ["not a url"]),
    (
        "textarea",
        {"length": 2000, "textarea": {"type": "small"}},
        ["Met at the fair.", "Call back\nnext week", 'Said: "send a quote"'],
        ["y" * 2001],
    ),
    (
        "lookup",
        {"length": 120, "lookup": {"module": {"api_name": "Accounts"}}},
        ["111111000000012345", "111111000000067890"],
        ["Acme"],
    ),
]


def field_meta(api_name: str, data_type: str, extra: dict, mandatory: bool = False) -> dict:
    meta = {
        "api_name": api_name,
        "field_label": api_name.replace("_", " "),
        "display_label": api_name.replace("_", " "),
        "data_type": data_type,
        "system_mandatory": mandatory,
        "read_only": False,
        "field_read_only": False,
        "custom_field": not mandatory,
        "unique": {},
        "operation_type": {"api_create": True, "api_update": True},
        "pick_list_values": [],
        "lookup": {},
        "decimal_place": None,
        "textarea": None,
        "visible": True,
    }
    meta.update(extra)
    if data_type == "picklist":
        meta["pick_list_values"] = [{"actual_value": v, "display_value": v} for v in PICKS]
    if data_type == "multiselectpicklist":
        meta["pick_list_values"] = [{"actual_value": v, "display_value": v} for v in MULTI]
    return meta


def schema(cols: int) -> list[tuple[str, int]]:
    """(api name, index into TYPES) for each column: Last_Name first, then every type."""
    columns = [("Last_Name", 0)]
    i = 0
    while len(columns) < cols:
        kind = i % len(TYPES)
        columns.append((f"{TYPES[kind][0].title()}_{i // len(TYPES) + 1}", kind))
        i += 1
    return columns


def column_values(
    rng: np.random.Generator, rows: int, kind: int, bad: float, offset: int
) -> pl.Series:
    data_type, _, good, wrong = TYPES[kind]
    if data_type == "email":
        ids = pl.int_range(0, rows, eager=True).cast(pl.String)
        values = f"user{offset}." + ids + "@example.com"
    else:
        pool = pl.Series(good)
        values = pool.gather(rng.integers(0, len(good), rows))
    empty = rng.random(rows) < 0.05
    values = pl.select(pl.when(pl.Series(empty)).then(None).otherwise(values)).to_series()
    broken = rng.random(rows) < bad
    wrong_values = pl.Series(wrong).gather(rng.integers(0, len(wrong), rows))
    return pl.select(pl.when(pl.Series(broken)).then(wrong_values).otherwise(values)).to_series()


def generate(rows: int, cols: int, bad: float, seed: int, out: Path) -> Path:
    """Write the metadata and CSV under out/<rows>x<cols>; return that directory."""
    target = out / f"{rows}x{cols}"
    target.mkdir(parents=True, exist_ok=True)
    stamp = target / "params.json"
    params = {"rows": rows, "cols": cols, "bad": bad, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return target
    rng = np.random.default_rng(seed)
    columns = schema(cols)
    fields = [
        field_meta(name, TYPES[kind][0], TYPES[kind][1], mandatory=(name == "Last_Name"))
        for name, kind in columns
    ]
    (target / "Leads.json").write_text(json.dumps({"fields": fields}, indent=1))
    frame = pl.DataFrame(
        {
            name: column_values(rng, rows, kind, bad, index)
            for index, (name, kind) in enumerate(columns)
        }
    )
    # Last_Name is mandatory: keep it filled (5 % of every column is left empty).
    frame = frame.with_columns(pl.col("Last_Name").fill_null("Doe"))
    frame.write_csv(target / "leads.csv")
    stamp.write_text(json.dumps(params))
    return target


def main() -> None:
    from shapes import DEFAULTS, generate_shape

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=["typed", *DEFAULTS], default="typed")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--cols", type=int)
    parser.add_argument(
        "--bad", type=float, default=0.01, help="share of bad cells (typed) or records (0..1)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    rows, cols = DEFAULTS.get(args.shape, (25_000, 24))
    args.rows, args.cols = args.rows or rows, args.cols or cols
    if args.shape == "typed":
        target = generate(args.rows, args.cols, args.bad, args.seed, args.out)
    else:
        target = generate_shape(args.shape, args.rows, args.cols, args.bad, args.seed, args.out)
    size = (target / "leads.csv").stat().st_size
    print(f"{target / 'leads.csv'}: {args.rows} records x {args.cols} columns, {size:,} bytes")


if __name__ == "__main__":
    main()
