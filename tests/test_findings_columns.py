"""Findings kept as columns (FindingRows, Findings) read exactly as the objects they
stand for: the same findings in the same order, the same JSON records and SARIF cap."""

from __future__ import annotations

import json
import random

import polars as pl
import pytest
from synthetic import run_of

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.findings import AS_COLUMNS_FROM, FindingRows, Findings
from bwlint.domain.fix import Fix
from bwlint.domain.location import Location
from bwlint.domain.results import JobResult, RunResult
from bwlint.report import json_report, sarif
from bwlint.report.json_rows import escaped

ODD = [
    "",
    "a\\b",
    'say "hi"',
    "tab\there",
    "line\nbreak\r\n",
    "\x00\x01\x1f\x7f",
    "é…😀",
    "x" * 250,
]


def _rows(code: str, file: str, column: str, number: int, rows: list[int], **kw) -> FindingRows:
    severity = kw.get("severity", Severity.ERROR)
    template = Finding(
        code,
        "INVALID_DATA",
        severity,
        "",
        Location(file, None, None, None, column, number, None, "job.json", None, None, "job.json"),
        column,
    )
    values = [ODD[r % len(ODD)] if r % 7 else None for r in rows]
    messages = [f"{column}: '{v}' is bad" for v in values]
    lines = kw.get("lines", [r + 2 for r in rows])
    fixes = [
        Fix.cell(file, r + 1, number - 1, "a", "b", "why") if r % 5 == 0 else None for r in rows
    ]
    return FindingRows(template, rows, lines, values, messages, fixes)


def _found() -> list:
    random.seed(12)
    found: list = []
    for number, column in enumerate(["Email", "Phone", "Date_1"], start=1):
        rows = sorted(random.sample(range(5000), 900))
        series = number == 2  # lists or polars Series: both are read the same
        severity = Severity.WARNING if number == 3 else Severity.ERROR
        part = _rows(
            f"BW40{number}",
            "b.csv" if number < 3 else "a.csv",
            column,
            number,
            rows,
            severity=severity,
        )
        if series:
            part.rows, part.values = pl.Series(part.rows), pl.Series(part.values, dtype=pl.String)
        found.append(part)
        at = Location(
            "a.csv",
            None,
            rows[0] + 1,
            rows[0] + 2,
            column,
            number,
            None,
            "job.json",
            None,
            None,
            "job.json",
        )
        found.append(Finding("BW501", None, Severity.ERROR, "empty", at, column, ""))
    job = Location(None, None, None, None, None, None, "/resource/0", "job.json", 3, 5, "job.json")
    found.append(Finding("BW120", None, Severity.WARNING, "unknown", job, "X"))
    return found  # fmt: skip


def _objects(found: list) -> list[Finding]:
    return [
        f for item in found for f in (item.findings() if isinstance(item, FindingRows) else [item])
    ]


def test_findings_as_columns_are_the_objects_in_report_order():
    found = _found()
    findings = Findings.of(found)
    expected = sorted(_objects(found), key=Finding.sort_key)
    assert len(findings) == len(expected) >= AS_COLUMNS_FROM
    assert findings._order is not None  # kept as columns
    assert list(findings) == expected
    assert [f.fix for f in findings] == [f.fix for f in expected]
    assert findings.severities() == {s: sum(f.severity == s for f in expected) for s in Severity}
    fresh = Findings.of(found)
    places = [0, 5, len(expected) - 1, 17, 900, 1800]
    assert fresh.take(places) == [expected[p] for p in places]
    assert fresh._objects is None  # only those were made
    with_fixes = [f for f in expected if f.fix is not None]
    assert 0 < len(with_fixes) < len(expected)
    assert fresh.with_fixes() == with_fixes  # fix's first pass: the same, in the same order
    assert fresh._objects is None
    assert Findings.of(found, sort=False).with_fixes() == [
        f for f in _objects(found) if f.fix is not None
    ]


def test_json_report_from_columns_is_the_json_of_the_objects():
    found = _found()
    objects = run_of(sorted(_objects(found), key=Finding.sort_key))
    columns = RunResult([JobResult("job.json", objects.jobs[0].job, [], [], Findings.of(found))])
    assert json_report.render(columns) == json_report.render(objects)


@pytest.mark.parametrize("limit", [3, 700, 2000, 2700])
def test_sarif_cap_from_columns_keeps_what_it_keeps_of_the_objects(limit):
    found = _found()
    columns = sarif.within_limit(Findings.of(found), limit)
    objects = sarif.within_limit(sorted(_objects(found), key=Finding.sort_key), limit)
    assert list(columns) == list(objects)


@pytest.mark.parametrize("repeats", [1, 3], ids=["distinct", "repeated"])
def test_json_strings_as_json_dumps_writes_them(repeats):
    """Distinct strings are screened one by one; repeated ones (most messages and bad
    values) by their distinct values first."""
    random.seed(5)
    alphabet = [chr(i) for i in range(0x80)] + ["é", "…", "\u2028", "😀", "\ufeff", "\u0085"]
    values = ["".join(random.choices(alphabet, k=random.randint(0, 20))) for _ in range(5000)]
    values = (values + ODD) * repeats
    written = escaped(pl.Series(values, dtype=pl.String)).to_list()
    assert [f'"{text}"' for text in written] == [json.dumps(v, ensure_ascii=False) for v in values]
    plain = pl.Series(["ana@x", "bob@y"] * 50, dtype=pl.String)
    assert escaped(plain).to_list() == plain.to_list()


def test_report_order_beyond_the_packed_keys_is_the_same(monkeypatch):
    from bwlint.domain import findings as module

    parts = Findings.of(_found()).parts
    packed = module._report_order(parts)
    real = module._packed
    monkeypatch.setattr(module, "_packed", lambda keys, _strings: real(keys, 1 << 21))
    assert module._report_order(parts).equals(packed)


def test_a_check_never_makes_the_fixes_that_fix_reads(tmp_path, monkeypatch):
    """The fixes of bad cells kept as columns (2,200 findings) are made when read:
    `check` reads none (a Fix object per bad cell cost ~0.5 s on 250,000 findings); a
    reader of the findings as objects, as `fix` is, gets them all."""
    from bwlint.checks import cells
    from bwlint.domain.findings import Deferred
    from bwlint.services.check import check

    csv = tmp_path / "leads.csv"
    csv.write_text(
        "Last_Name,Company,Annual_Revenue,Email_Opt_Out\n"
        + "".join(f"Doe{n},Acme,$1200,yes\n" for n in range(1_100))
    )
    made: list[int] = []
    real = cells._fixes

    def counted(*args):
        made.append(1)
        return real(*args)

    monkeypatch.setattr(cells, "_fixes", counted)
    result = check([str(csv)], module="Leads")
    parts = [p for p in result.findings.parts if isinstance(p, FindingRows)]
    assert {p.code for p in parts} >= {"BW408", "BW409"}
    assert all(isinstance(p.fixes, Deferred) for p in parts) and not made
    fixed = [f for f in result.findings if f.code in ("BW408", "BW409")]
    assert made and all(f.fix is not None for f in fixed)
    assert {f.fix.edits[0].new for f in fixed} == {"1200", "true"}  # type: ignore[union-attr]
