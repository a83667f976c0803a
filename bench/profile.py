"""Where bwlint's time goes on one bench file: per stage, per check, per rule and column type.

    python bench/profile.py [--file wide-text:25000x200] [--repeat 3] [--bad SHARE]

In one process (imports done first, so they are not counted; `python -X importtime -m
bwlint --help` measures them): the bare polars read, bwlint's read of the file (parse,
byte scan, verification), the zipped-size estimate on its own (it runs in the
background of the checks), each registered check (its findings consumed), and the
JSON report. Then the cell rules' screens (the masks of `bad_rows`) once more, one
(rule, column type) group at a time, each alone: their sum is more than the shared
select costs (that runs them in parallel), but their order is where the time goes.
Each figure is the median of `--repeat` runs, in seconds of wall time.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import polars as pl  # noqa: E402
from generate import generate  # noqa: E402
from run import prepare  # noqa: E402

from bwlint.checks import REGISTRY, cells, columns  # noqa: E402
from bwlint.load import parse, scan  # noqa: E402
from bwlint.load.zipsize import estimate_zipped  # noqa: E402
from bwlint.report import json_report  # noqa: E402
from bwlint.services import check as service  # noqa: E402
from bwlint.services.check import check  # noqa: E402
from bwlint.settings import Settings  # noqa: E402

NOW = time.perf_counter  # --cpu: time.process_time (every thread's CPU time)


class Clock:
    """Seconds per label, over repeated runs."""

    def __init__(self) -> None:
        self.runs: dict[str, list[float]] = defaultdict(list)
        self.current: dict[str, float] = defaultdict(float)  # this run: summed per label

    def timed(self, label: str, function, *args, **kwargs):
        start = NOW()
        result = function(*args, **kwargs)
        if hasattr(result, "__next__"):  # a check: consume its findings
            result = list(result)
        self.current[label] += NOW() - start
        return result

    def close(self) -> None:
        """End one run: its sums become one sample of each label."""
        for label, seconds in self.current.items():
            self.runs[label].append(seconds)
        self.current.clear()

    def median(self, label: str) -> float:
        return statistics.median(self.runs[label])


def instrument(clock: Clock, masks: list) -> None:
    """Time bwlint's stages where they are called (the checks, the read, bad_rows)."""
    batches: dict[int, object] = {}
    units = []
    for unit in REGISTRY:
        if unit.run is not None:
            label = f"check {unit.code} {unit.name}"
            timed = lambda ctx, f=unit.run, label=label: clock.timed(label, f, ctx)  # noqa: E731
            units.append(dataclasses.replace(unit, run=timed))
            continue
        batch = unit.batch
        if id(batch) not in batches:  # one wrapper per batch: the engine groups by it
            label = f"check batch {batch.__module__.rsplit('.', 1)[-1]}.{batch.__name__}"
            batches[id(batch)] = lambda ctx, group, f=batch, label=label: clock.timed(
                label, f, ctx, group
            )
        units.append(dataclasses.replace(unit, batch=batches[id(batch)]))
    service._registry = lambda: tuple(units)
    read = service.read_data
    service.read_data = lambda *a, **k: clock.timed("bwlint read (parse + verify)", read, *a, **k)
    real_bad_rows = columns.bad_rows

    def bad_rows(frame, found):
        masks[:] = [(frame, found)]  # the last call's (the cell rules'), not every run's
        return clock.timed(
            "  cells: bad_rows, the screens' one select", real_bad_rows, frame, found
        )

    cells.bad_rows = bad_rows
    wrap(clock, cells, "cells_at", "  cells: cells_at, the candidates' values")
    wrap(clock, cells, "confirm", "  cells: confirm, the exact tests on the candidates")
    wrap(clock, cells, "findings_at", "  cells: findings_at, Finding objects")
    wrap(clock, scan, "_scan", "  read: byte scan (background thread, overlaps the parse)")
    wrap(clock, parse, "_fast_read", "  read: polars parse + scan + verification")
    wrap(clock, parse, "_line_map", "  read: line map (multi-line cells)")


def wrap(clock: Clock, module, name: str, label: str) -> None:
    """Time every call of module.name under `label` (summed per run by `Clock.close`)."""
    real = getattr(module, name)

    def timed(*args, **kwargs):
        return clock.timed(label, real, *args, **kwargs)

    setattr(module, name, timed)


def screens_by_type(clock: Clock, frame: pl.DataFrame, masks: dict, types: list[str]) -> None:
    """Each (rule, column type) group of cell-rule screens, alone."""
    groups: dict[str, dict] = defaultdict(dict)
    for key, mask in masks.items():
        code, index = key.split(":")
        groups[f"screen {code} on {types[int(index)]} columns"][key] = mask
    for label, group in groups.items():
        clock.timed(f"{label} (×{len(group)})", columns.bad_rows, frame, group)


def profile(folder: Path, repeat: int) -> Clock:
    clock, masks = Clock(), []
    instrument(clock, masks)
    csv = str(folder / "leads.csv")
    fields = {
        f["api_name"]: f["data_type"]
        for f in json.loads((folder / "Leads.json").read_text())["fields"]
    }
    for _ in range(repeat):
        clock.timed("bare polars.read_csv", pl.read_csv, csv, infer_schema=False)
        raw = Path(csv).read_bytes()
        clock.timed("zipped-size estimate (alone)", estimate_zipped, raw)
        del raw
        report = clock.timed(
            "bwlint check() in all", check, [csv], module="Leads", schema_dir=folder,
            settings=Settings(),
        )  # fmt: skip
        clock.timed("JSON report", lambda r=report: io.StringIO().write(json_report.render(r)))
        header = report.files[0].header
        frame, found = masks[-1]
        screens_by_type(clock, frame, found, [fields.get(name, "?") for name in header])
        del report, frame, found
        masks.clear()
        clock.close()
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="wide-text:25000x200", help="SHAPE:ROWSxCOLS")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU seconds of the process (all threads) instead of wall time: steadier on a "
        "loaded machine, but a background thread's time counts in the stage it overlaps",
    )
    parser.add_argument(
        "--no-estimate", action="store_true", help="skip the zipped-size estimate (its cost)"
    )
    parser.add_argument(
        "--bad",
        type=float,
        help="typed shape: a bad value in this share of every column's cells (0.054: the "
        "many-findings file, 254,700 findings on 25000x200), as bench/snapshot.py makes it",
    )
    args = parser.parse_args()
    if args.cpu:
        global NOW
        NOW = time.process_time
    if args.no_estimate:
        from bwlint.load import zipsize

        zipsize.estimate_zipped = lambda _raw: None
    shape, size = args.file.split(":")
    if args.bad is not None:
        rows, cols = (int(n) for n in size.split("x"))
        folder = generate(rows, cols, args.bad, 7, HERE / "out" / f"cells-{args.bad}")
    else:
        folder = prepare(shape, size, 0.01, 7)
    clock = profile(folder, args.repeat)
    unit = "CPU seconds, all threads" if args.cpu else "seconds (wall)"
    print(f"{args.file}: median of {args.repeat} runs, {unit}")
    for label in sorted(clock.runs, key=clock.median, reverse=True):
        print(f"{clock.median(label):8.3f}  {label}")


if __name__ == "__main__":
    main()
