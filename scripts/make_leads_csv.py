"""Make a large Leads CSV and matching metadata to time bwlint (not part of the tests).

    python scripts/make_leads_csv.py ROWS COLUMNS OUT_DIR [--bad 0.01]

Writes OUT_DIR/leads.csv (ROWS records, COLUMNS columns of every cell type, about
`--bad` of the records with one bad cell) and OUT_DIR/schema/Leads.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import polars as pl

TYPES = [
    ("text", "Hello world {}", "x" * 300),
    ("email", "user{}@example.com", "user@"),
    ("phone", "+1555{:07d}", "555-CALL"),
    ("picklist", "Option {}", "Optoin 1"),
    ("multiselectpicklist", "Option 1;Option {}", "Option 1;Nope"),
    ("date", "03/{:02d}/2024", "2024-03-17"),
    ("datetime", "03/17/2024 10:{:02d}:00", "17/03/2024 10:00"),
    ("integer", "{}", "12.5"),
    ("bigint", "{}000000000", "x1"),
    ("currency", "{}.50", "$12"),
    ("double", "{}.25", "1,5"),
    ("percent", "{}", "123456"),
    ("boolean", "true", "yes"),
    ("website", "https://site{}.example/page", "not a url"),
    ("textarea", "Some longer text {} with words", "y" * 2001),
]


def field(name: str, kind: str) -> dict:
    raw = {"api_name": name, "data_type": kind, "unique": {}, "system_mandatory": False}
    raw["operation_type"] = {"api_create": True, "api_update": True}
    if kind in ("picklist", "multiselectpicklist"):
        raw["pick_list_values"] = [
            {"display_value": f"Option {i}", "actual_value": f"Option {i}"} for i in range(10)
        ]
    if kind == "textarea":
        raw["length"] = 2000
        raw["textarea"] = {"type": "small"}
    if kind in ("currency", "double", "percent"):
        raw["decimal_place"] = 2
    return raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("columns", type=int)
    parser.add_argument("out")
    parser.add_argument("--bad", type=float, default=0.01)
    args = parser.parse_args()
    out = Path(args.out)
    (out / "schema").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    fields = [{**field("Last_Name", "text"), "system_mandatory": True, "length": 80}]
    data: dict[str, pl.Series] = {"Last_Name": pl.Series([f"Name {i}" for i in range(args.rows)])}
    for n in range(1, args.columns):
        kind, good, _ = TYPES[(n - 1) % len(TYPES)]
        name = f"{kind.title()}_{n}" if n > len(TYPES) else f"Field_{kind}"
        top = 10 if "picklist" in kind else 29  # picklists: Option 0-9; dates: days 1-28
        fill = rng.integers(1, top, size=args.rows)
        values = [good.format(int(v)) for v in fill]
        data[name] = pl.Series(name, values)
        fields.append(field(name, kind))
    frame = pl.DataFrame(data)
    # ~`bad` of the records get one bad cell, in a random column.
    bad_rows = rng.choice(args.rows, size=int(args.rows * args.bad), replace=False)
    bad_cols = rng.integers(1, args.columns, size=len(bad_rows))
    columns = frame.columns
    for col in set(bad_cols.tolist()):
        rows = bad_rows[bad_cols == col]
        kind = fields[col]["data_type"]
        bad_value = next(b for k, _, b in TYPES if k == kind)
        series = frame.get_column(columns[col]).scatter(rows.tolist(), bad_value)
        frame = frame.with_columns(series)
    frame.write_csv(out / "leads.csv")
    (out / "schema" / "Leads.json").write_text(json.dumps({"fields": fields}), encoding="utf-8")
    print(f"{out / 'leads.csv'}: {args.rows} x {args.columns}, {len(bad_rows)} bad cells")


if __name__ == "__main__":
    main()
