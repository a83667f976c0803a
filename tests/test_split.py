"""`bwlint split`: parts Zoho takes, the header repeated, records in order, every child
row with its parent, and the union of the parts equal to the input record for record."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runner import ROOT, bwlint

from bwlint.domain.limits import Limits
from bwlint.load.metadata import ModuleCatalog
from bwlint.project.discovery import JobSpec
from bwlint.services.split import split_job
from bwlint.settings import Settings

CELLS = str(ROOT / "tests/fixtures/cells")
QUOTES = ROOT / "examples/parent-child"


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def members(folder: Path, name: str) -> list[bytes]:
    """The member `name` of every part's zip, in part order."""
    found = []
    for path in sorted(folder.glob("part-*.zip")):
        with zipfile.ZipFile(path) as archive:
            found.append(archive.read(name))
    return found


def test_a_file_over_the_record_limit_becomes_parts_that_pass(tmp_path):
    lines = ["Last_Name,Company,Opt_Out"] + [f"N{n},C{n},true" for n in range(7)]
    source = tmp_path / "leads.csv"
    source.write_text("\r\n".join(lines) + "\r\n")
    module = ("--module", "Leads", "--schema-dir", CELLS, "--ignore", "BW111")
    over = bwlint("check", *module, "--select", "BW", "leads.csv", cwd=tmp_path)
    assert over.returncode == 0  # 7 records are within Zoho's limit …
    result = bwlint(
        "split", *module, "leads.csv", "--out", "parts", "--max-records", "3", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "parts"
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json",
        "part-001.job.json",
        "part-001.zip",
        "part-002.job.json",
        "part-002.zip",
        "part-003.job.json",
        "part-003.zip",
    ]
    parts = members(folder, "leads.csv")
    assert [rows_of(p)[0] for p in parts] == [lines[0].split(",")] * 3  # the header repeated
    assert (
        b"".join(p.split(b"\r\n", 1)[1] for p in parts) == source.read_bytes().split(b"\r\n", 1)[1]
    )  # the records' bytes, in order, line ends kept
    checked = bwlint("check", "--schema-dir", CELLS, "parts", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert "All checks passed (3 files, 7 records)." in checked.stdout
    assert "parts/part-001.zip: leads.csv records 1–3 (3 rows)" in result.stdout


def test_the_manifest_names_every_part_with_its_hashes(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Last_Name,Company\n" + "".join(f"N{n},C\n" for n in range(5)))
    result = bwlint(
        "split", "--module", "Leads", "leads.csv", "--out", "p", "--max-records", "2",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    report = json.loads(result.stdout)
    manifest = json.loads((tmp_path / "p/manifest.json").read_text())
    assert report["split"] == manifest
    assert manifest["limits"] == {"records": 2, "zip_bytes": 25_000_000, "zip_level": 1}
    assert [p["files"][0]["records"] for p in manifest["parts"]] == [[[1, 2]], [[3, 4]], [[5, 5]]]
    assert [p["files"][0]["rows"] for p in manifest["parts"]] == [2, 2, 1]
    for part in manifest["parts"]:
        for name, digest in part["sha256"].items():
            assert hashlib.sha256((tmp_path / "p" / name).read_bytes()).hexdigest() == digest
        job = json.loads((tmp_path / "p" / part["job"]).read_text())
        assert job["resource"][0]["file_id"] == f"part-{part['part']:03d}"


def _parent_child(tmp_path: Path, items: list[tuple[str, str]]) -> None:
    (tmp_path / "quotes.csv").write_text(
        "Quote_Ref,Subject,Account_Id,Valid_Till,Stage\n"
        + "".join(f"Q{n},S{n},111111000000070001,12/31/2026,Draft\n" for n in range(1, 6))
    )
    (tmp_path / "quoted_items.csv").write_text(
        "Quote_Ref,Product_Id,Quantity,List_Price,Discount\n"
        + "".join(f"{quote},{product},1,2.00,0\n" for quote, product in items)
    )
    (tmp_path / "job.json").write_text((QUOTES / "job.json").read_text())


def test_a_parent_child_split_leaves_no_orphan_in_any_part(tmp_path):
    # child rows out of the parents' order; Q2 has three
    items = [("Q1", "1"), ("Q3", "2"), ("Q2", "3"), ("Q1", "4"), ("Q4", "5"), ("Q2", "6")]
    items += [("Q2", "7"), ("Q3", "8"), ("Q5", "9")]
    _parent_child(tmp_path, items)
    args = ("split", "job.json", "quotes.csv", "quoted_items.csv", "--out", "parts")
    result = bwlint(*args, "--max-records", "3", "--select", "BW6", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "parts"
    checked = bwlint("check", "--select", "BW6", "parts", "--format", "json", cwd=tmp_path)
    assert json.loads(checked.stdout)["findings"] == []
    parents = [rows_of(p)[1:] for p in members(folder, "quotes.csv")]
    children = [rows_of(p)[1:] for p in members(folder, "quoted_items.csv")]
    for quotes, lines in zip(parents, children, strict=True):
        assert {line[0] for line in lines} <= {quote[0] for quote in quotes}
        assert len(quotes) <= 3 and len(lines) <= 3
    union = [line for lines in children for line in lines]
    assert sorted(union, key=lambda line: int(line[1])) == [
        [quote, product, "1", "2.00", "0"] for quote, product in items
    ]
    # records never reordered: within each part, the input's order
    for lines in children:
        assert [int(line[1]) for line in lines] == sorted(int(line[1]) for line in lines)


def test_a_parent_with_more_children_than_fit_is_named(tmp_path):
    _parent_child(tmp_path, [("Q1", "1"), ("Q2", "2"), ("Q2", "3"), ("Q2", "4")])
    args = ("split", "job.json", "quotes.csv", "quoted_items.csv", "--out", "parts")
    result = bwlint(*args, "--max-records", "2", cwd=tmp_path)
    assert result.returncode == 2
    assert "parent record 2 has 3 Quoted_Items rows; a part holds at most 2" in result.stderr
    assert not (tmp_path / "parts").exists() or not any((tmp_path / "parts").iterdir())


def test_the_zip_size_limit_makes_smaller_parts(tmp_path):
    import random

    rng = random.Random(3)
    noise = ["".join(rng.choice("abcdefghij0123456789") for _ in range(200)) for _ in range(400)]
    (tmp_path / "leads.csv").write_text(
        "Last_Name,Description\n" + "".join(f"N{n},{text}\n" for n, text in enumerate(noise))
    )
    result = bwlint(
        "split", "--module", "Leads", "leads.csv", "--out", "p", "--max-zip-mb", "0.02",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    manifest = json.loads(result.stdout)["split"]
    assert len(manifest["parts"]) > 1
    assert all(part["zip_bytes"] <= 20_000 for part in manifest["parts"])
    assert sum(part["files"][0]["rows"] for part in manifest["parts"]) == 400


def test_zip_level_0_stores_the_parts_that_fit(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\n" + "".join(f"N{n}\n" for n in range(6)))
    args = ("split", "--module", "Leads", "leads.csv", "--max-records", "4", "--zip-level", "0")
    assert bwlint(*args, "--out", "p", cwd=tmp_path).returncode == 0
    for path in sorted((tmp_path / "p").glob("part-*.zip")):
        with zipfile.ZipFile(path) as archive:
            assert [i.compress_type for i in archive.infolist()] == [zipfile.ZIP_STORED]
    assert b"".join(members(tmp_path / "p", "leads.csv")) == (
        b"Last_Name\nN0\nN1\nN2\nN3\nLast_Name\nN4\nN5\n"
    )


def test_an_occupied_folder_is_refused(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nA\n")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "old.zip").write_bytes(b"")
    result = bwlint("split", "--module", "Leads", "leads.csv", "--out", "p", cwd=tmp_path)
    assert result.returncode == 2
    assert "not an empty folder" in result.stderr


# Cells with separators, quotes and line breaks (LF or CRLF: split refuses files with
# bare CRs, whose lines bwlint's reader counts another way).
CELL = st.lists(st.sampled_from(["a", "b", " ", ",", '"', "\n", "\r\n", ";", "é"]), max_size=6).map(
    "".join
)


def _csv_bytes(rows: list[list[str]], ending: str) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(st.tuples(CELL, CELL), max_size=25),
    size=st.integers(min_value=1, max_value=7),
    ending=st.sampled_from(["\n", "\r\n"]),
    last_newline=st.booleans(),
)
def test_the_union_of_the_parts_is_the_input(records, size, ending, last_newline):
    header = ["Last_Name", "Description"]
    rows = [header] + [[f"N{n}", a + b] for n, (a, b) in enumerate(records)]
    content = _csv_bytes(rows, ending)
    if not last_newline:
        content = content[: -len(ending)]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "leads.csv"
        source.write_bytes(content)
        split_job(
            JobSpec(module="Leads", data=(str(source),)),
            settings=Settings(limits=Limits(records=size)),
            catalog=ModuleCatalog(),
            folder=folder / "parts",
        )
        parts = members(folder / "parts", "leads.csv")
    assert len(parts) == max(1, -(-len(records) // size))
    parsed = [rows_of(p) for p in parts]
    assert all(p[0] == header for p in parsed)
    assert [row for p in parsed for row in p[1:]] == rows[1:]


def test_one_upload_at_a_time(tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("Last_Name\nA\n")
    result = bwlint("split", "--module", "Leads", "a.csv", "b.csv", "--out", "p", cwd=tmp_path)
    assert result.returncode == 2
    assert "split cuts one at a time" in result.stderr


MESSY = st.lists(
    st.sampled_from(["a", "", ",", '"', '""', "\n", "\r\n", "é", ",,"]), max_size=12
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=MESSY, header=st.sampled_from(["Last_Name,Company", "Last_Name,Company,,", "a,,"]))
def test_the_read_of_split_keeps_fewer_columns_and_proves_the_same(body, header):
    """split reads a single-module CSV holding only BW206's trailing unnamed columns
    (parse's `columns`): every record is still parsed and counted, so the reader's
    verdict, record count, line map and facts are those of the full read."""
    from bwlint.checks.file import trailing_unnamed
    from bwlint.load.parse import parse

    raw = (header + "\n" + body).encode("utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "leads.csv"
        path.write_bytes(raw)
        full = parse(raw, "leads.csv", "leads.csv", path=str(path))
        kept = parse(raw, "leads.csv", "leads.csv", path=str(path), columns=trailing_unnamed)
    assert kept.records == full.records
    assert kept.facts == full.facts
    lines = [None if d.record_lines is None else d.record_lines.to_list() for d in (kept, full)]
    assert lines[0] == lines[1]
    if kept.facts.exact_path:
        return  # the record-by-record reader keeps every column
    wanted = [str(i) for i in trailing_unnamed(full.header)]
    assert kept.frame.columns == wanted
    assert kept.frame.equals(full.frame.drop(c for c in full.frame.columns if c not in wanted))


def test_level_1_parts_are_deflated_by_isal_and_read_back_exactly(tmp_path, monkeypatch):
    """ISA-L's deflate replaces zlib's through zipfile's private `_compressor` (no
    public hook): this fails on a Python that renames it, rather than split quietly
    deflating at zlib's speed; and the zips it writes read back byte for byte."""
    import platform

    from bwlint.services import deflate

    if platform.machine() not in ("x86_64", "AMD64", "aarch64", "arm64"):
        pytest.skip("isal is installed only where it has wheels (pyproject.toml)")
    assert deflate.isal_zlib is not None, "isal is a dependency on this platform"
    with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("a.csv")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            assert hasattr(member, "_compressor")
            assert deflate.use_fast_deflate(member, info, 1)
            assert not deflate.use_fast_deflate(member, info, 6)  # zlib's levels stay
    body = "Last_Name,Company\n" + "".join(f"Name {n},Company {n % 97}\n" for n in range(3000))
    (tmp_path / "leads.csv").write_text(body)
    made: dict[str, bytes] = {}
    for name, fast in (("isal", deflate.isal_zlib), ("zlib", None)):
        monkeypatch.setattr(deflate, "isal_zlib", fast)
        args = ("split", "--module", "Leads", "leads.csv", "--max-records", "1000")
        assert bwlint(*args, "--out", name, cwd=tmp_path).returncode == 0
        made[name] = b"".join(members(tmp_path / name, "leads.csv"))
    # two compressors, two streams: the monkeypatch reached split
    assert (tmp_path / "isal/part-001.zip").read_bytes() != (
        tmp_path / "zlib/part-001.zip"
    ).read_bytes()
    assert (
        made["isal"]
        == made["zlib"]
        == b"".join(
            body.split("\n", 1)[0].encode() + b"\n" + chunk
            for chunk in _chunks(body.split("\n", 1)[1].encode(), 1000)
        )
    )


def _chunks(records: bytes, size: int) -> list[bytes]:
    lines = records.splitlines(keepends=True)
    return [b"".join(lines[i : i + size]) for i in range(0, len(lines), size)]
