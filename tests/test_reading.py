"""The reading layer: bytes in, exact strings and exact lines out, whatever the dialect."""

from __future__ import annotations

import base64
import os
import zipfile
from pathlib import Path

import polars as pl
import pytest
from runner import Result, bwlint

from bwlint.load.data import DataFile, read_data
from bwlint.load.exact import exact_read
from bwlint.load.parse import _header_end, parse
from bwlint.services.check import check
from bwlint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def read(text: str | bytes, encoding: str | None = None) -> DataFile:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse(raw, "t.csv", "t.csv", encoding)


def lines(data: DataFile) -> list[int]:
    return [data.line_of(r) for r in range(1, data.records + 1)]


def rows(data: DataFile) -> list[tuple]:
    return data.frame.rows()


# --- record and line ------------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_record_and_line_differ_after_a_multi_line_cell(eol):
    text = eol.join(["Last_Name,Note", 'Ono,"one', "two", 'three"', "Ito,x", "Novak,y", ""])
    data = read(text)
    assert not data.facts.exact_path  # the fast path handles quoted line breaks
    assert lines(data) == [2, 5, 6]
    assert data.frame.select(data.lines_expr().alias("l")).to_series().to_list() == [2, 5, 6]
    assert rows(data)[0] == ("Ono", f"one{eol}two{eol}three")
    assert data.record_of_line(4) == 1
    assert data.record_of_line(5) == 2


def test_lines_count_a_multi_line_header_a_bom_and_blank_lines():
    text = '\ufeff"Last\nName",Note\r\nOno,"a\r\nb"\r\n\r\nIto,c\r\n'
    data = read(text)
    assert data.header == ["Last\nName", "Note"]
    assert data.header_lines == 2
    assert data.facts.bom == "utf-8"
    assert data.facts.blank_lines == [5]
    assert lines(data) == [3, 6]
    assert rows(data) == [("Ono", "a\r\nb"), ("Ito", "c")]


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_blank_lines_are_skipped_on_the_fast_path(eol):
    text = eol.join(["", "Last_Name,Company", "Ono,Acme", "", 'Ito,"Ku', 'mo"', "", ""])[len(eol) :]
    data = read(text)
    assert not data.facts.exact_path
    assert data.facts.blank_lines == [3, 6]
    assert rows(data) == [("Ono", "Acme"), ("Ito", f"Ku{eol}mo")]
    assert lines(data) == [2, 4]


def test_a_row_of_empty_cells_is_a_record_not_a_blank_line():
    data = read("a,b\n,\n\n1,2\n")
    assert data.facts.blank_lines == [3]
    assert rows(data) == [(None, None), ("1", "2")]
    assert lines(data) == [2, 4]


def test_bare_cr_line_ends():
    data = read("Last_Name,Company\rOno,Acme\rIto,Kumo\r")
    assert data.header == ["Last_Name", "Company"]
    assert rows(data) == [("Ono", "Acme"), ("Ito", "Kumo")]
    assert lines(data) == [2, 3]


def test_plain_file_has_no_line_map():
    data = read("Last_Name\nOno\nIto")  # no final line break
    assert data.record_lines is None
    assert lines(data) == [2, 3]


# --- the fast path's verification -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ragged"),
    [
        # a short record among records whose last cell is empty: polars pads it silently
        ("a,b,c\n1,2,\n3,4\n5,,\n", [(2, 3, 2)]),
        ("a,b,c\n1,2,3,4\n", [(1, 2, 4)]),
        ('a,b\n"x\ny",1\n2\n', [(2, 4, 1)]),
        ("a;b\n1;2;3\n4;5\n", [(1, 2, 3)]),
    ],
)
def test_ragged_records_are_found_with_their_lines(text, ragged):
    data = read(text)
    assert data.facts.ragged == ragged
    assert data.facts.exact_path


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\n1,"x, y",\n"",,"q ""quoted"" ,\n"\n',
        'a,b\r\n"multi\r\nline, with comma",2\r\n3,""\r\n',
        'a|b\n"p|q"|"r\n"\n',
        'a,b\n",",","\n"\n",x\n',
    ],
)
@pytest.mark.parametrize("chunk", [1 << 25, 3], ids=["one-chunk", "3-byte-chunks"])
def test_fast_path_agrees_with_the_exact_reader(text, chunk, monkeypatch):
    monkeypatch.setattr("bwlint.load.scan.CHUNK", chunk)  # chunk edges mid-token
    fast = read(text)
    assert not fast.facts.exact_path, "a regular file should not need the exact reader"
    body = text.encode()
    exact = DataFile("t.csv", "t.csv", fast.header, pl.DataFrame(), delimiter=fast.delimiter)
    exact.header_lines = fast.header_lines
    exact_read(exact, body, _header_end(body, 0)[0], True, [])
    assert exact.facts.ragged == [] and exact.facts.blank_lines == []
    assert fast.frame.fill_null("").equals(exact.frame.fill_null(""))
    assert lines(fast) == lines(exact)


@pytest.mark.parametrize(
    "raw",
    [
        b'\xef\xbb\xbfa,b\r\n1,"x\r\ny"\r\n\r\n2\r\n3,4,5\r\n6,7\r\n',
        b'a,b\n1,"x\ny"\n\n2\n3,4,5\n6,\xe9\n',  # an undecodable byte: not streamed
    ],
)
def test_exact_reader_from_a_file_matches_the_reader_from_bytes(tmp_path, raw):
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    (on_disk,) = read_data(str(path))
    in_memory = read(raw)
    assert on_disk.facts.exact_path and in_memory.facts.exact_path
    assert on_disk.facts.ragged == in_memory.facts.ragged == [(2, 5, 1), (3, 6, 3)]
    assert on_disk.facts.blank_lines == in_memory.facts.blank_lines == [4]
    assert lines(on_disk) == lines(in_memory) == [2, 5, 6, 7]
    assert rows(on_disk) == rows(in_memory)
    assert rows(on_disk)[:3] == [
        ("1", "x\r\ny" if b"\r" in raw else "x\ny"),
        ("2", None),
        ("3", "4"),
    ]


def test_unterminated_quote_keeps_earlier_records():
    data = read('a,b\n1,2\n3,"open\n4,5\n')
    assert data.facts.unterminated == (2, 3)
    assert rows(data)[0] == ("1", "2")
    assert data.records == 2


def test_unterminated_quote_in_the_header():
    data = read('a,"b\n1,2\n')
    assert data.facts.unterminated == (0, 1)


# --- dialect --------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", ":", "|"])
def test_delimiter_detected_from_the_header(sep):
    data = read(f"Last_Name{sep}Email{sep}Phone\nOno{sep}o@x.example{sep}1\n")
    assert data.delimiter == sep
    assert data.header == ["Last_Name", "Email", "Phone"]
    assert rows(data) == [("Ono", "o@x.example", "1")]


def test_quoted_header_name_holding_a_comma_does_not_decide_the_delimiter():
    data = read('"Name, full";Email\n"Ono, Yoko";y@x.example\n')
    assert data.delimiter == ";"
    assert data.header == ["Name, full", "Email"]
    assert rows(data) == [("Ono, Yoko", "y@x.example")]


def test_values_are_never_altered():
    values = ["007", " spaces ", "1e5", "NA", "null", "true", "NaN", "1,000", "-0", "2024-01-31"]
    header = ",".join(f"c{i}" for i in range(len(values)))
    line = ",".join(f'"{v}"' if "," in v else v for v in values)
    data = read(f"{header}\n{line}\n")
    assert rows(data) == [tuple(values)]
    assert all(dtype == pl.String for dtype in data.frame.dtypes)


# --- encodings ------------------------------------------------------------------------


def test_utf8_bom_is_not_part_of_the_first_header_name():
    data = read(b"\xef\xbb\xbfLast_Name,City\nOno,Z\xc3\xbcrich\n")
    assert data.header == ["Last_Name", "City"]
    assert rows(data) == [("Ono", "Zürich")]
    assert data.facts.bom == "utf-8"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    data = read(bom + "Last_Name,City\r\nOno,Zürich\r\n".encode(codec))
    assert data.header == ["Last_Name", "City"]
    assert rows(data) == [("Ono", "Zürich")]
    assert data.facts.bom == codec


def test_utf16_with_bom_read_as_a_declared_utf8_says_so():
    data = read(b"\xff\xfe" + "Last_Name\r\nOno\r\n".encode("utf-16-le"), "UTF-8")
    assert data.facts.unreadable is not None
    assert "UTF-16 text by its byte-order mark" in data.facts.unreadable
    assert "save it with a BOM" not in data.facts.unreadable
    nul = read("Last_Name\r\nOno\r\n".encode("utf-16-le")).facts.unreadable
    assert nul is not None and nul.endswith("(if it is UTF-16 text, save it with a BOM)")


@pytest.mark.parametrize("declared", ["windows-1252", "ISO-8859-1", "latin-1"])
def test_declared_encoding(declared):
    data = read("Last_Name,City\nOno,Zürich\nDupré,Köln\n".encode("latin-1"), declared)
    assert rows(data) == [("Ono", "Zürich"), ("Dupré", "Köln")]
    assert data.facts.bad_bytes == []


def test_undecodable_bytes_name_line_and_offset():
    data = read(b"Last_Name,City\nOno,Z\xfcrich\n\n\xe9\xe9,x\n")
    assert data.facts.bad_bytes == [(2, 20, 0xFC, 1), (4, 27, 0xE9, 2)]
    assert rows(data)[0] == ("Ono", "Z\ufffdrich")


# --- files and zips -------------------------------------------------------------------


def test_zip_with_a_csv_member(tmp_path):
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/leads.csv", "Last_Name\n007\n")
        archive.writestr("__MACOSX/._leads.csv", "junk")
    (data,) = read_data(str(path))
    assert data.display == f"{path}/data/leads.csv"
    assert data.name == "leads.csv"
    assert data.zip_path == str(path)
    assert data.zip_size == path.stat().st_size
    assert data.facts.zip_csvs == 1
    assert rows(data) == [("007",)]


def test_plain_csv_that_would_zip_over_25_mb(tmp_path):
    cells = base64.b64encode(os.urandom(27_000_000)).decode()  # incompressible text
    width = 1_800
    body = "\n".join(cells[i : i + width] for i in range(0, len(cells), width))
    path = tmp_path / "big.csv"
    path.write_text("Description\n" + body + "\n")
    report = check([str(path)], module="Leads", settings=Settings(select=("BW203",)))
    assert [(f.code, f.zoho_code, f.file, f.record) for f in report.findings] == [
        ("BW203", "FILE_TOO_LARGE", str(path), None)
    ]
    assert "the CSV is 36.0 MB and zips to about" in report.findings[0].message
    assert report.findings[0].severity == "error"  # over, however it is zipped


# --- the command line -----------------------------------------------------------------


def check_leads(*args: str, cwd: Path) -> Result:
    return bwlint("check", "--module", "Leads", *args, cwd=cwd)


@pytest.mark.parametrize(
    ("name", "content", "first_line"),
    [
        ("upload.zip", b"Last_Name\nOno\n", "upload.zip: BW202 [INVALID_FILE_FORMAT] not a zip"),
        ("leads.csv", b"", "leads.csv: BW201 the file is empty"),
        ("sheet.csv", b"PK\x03\x04\x00\x00", "sheet.csv: BW202 [INVALID_FILE_FORMAT] binary"),
    ],
)
def test_unreadable_files_are_one_finding(tmp_path, name, content, first_line):
    (tmp_path / name).write_bytes(content)
    result = check_leads(name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(first_line)
    assert result.stderr == ""


def test_missing_file_is_exit_2_one_line(tmp_path):
    result = check_leads("nowhere.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["bwlint: error: nowhere.csv: no such file"]
    assert result.stdout == ""


def test_a_small_file_is_scanned_in_small_steps():
    """Peak memory: a 7 MB file in 16 steps of 437,500 bytes, not 4 of 2 MB; from 32 MB on,
    2 MB steps (the fastest); never under 256 KB."""
    from bwlint.load.scan import CHUNK, SMALL_STEP, chunk_size

    assert chunk_size(7_000_000) == 437_500
    assert chunk_size(100_000) == SMALL_STEP
    assert chunk_size(32 << 20) == chunk_size(300_000_000) == CHUNK
