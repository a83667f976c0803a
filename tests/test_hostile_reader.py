"""Issue 13: data files anyone can write never crash the reader: each is a finding or
one line."""

from __future__ import annotations

import json
import os
import struct
import zipfile

import pytest
from hostile import example, one_error_line
from runner import bwlint, bwlint_process


def _json(result) -> dict:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_utf16_without_bom_and_of_odd_length_is_bw210(tmp_path):
    (tmp_path / "u.csv").write_bytes("Last_Name,Company\nOno,X\n".encode("utf-16-be") + b"a")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "--character-encoding",
        "UTF-16",
        "u.csv",
        "--format",
        "json",
        cwd=tmp_path,
    )
    codes = [f["code"] for f in _json(result)["findings"]]
    assert "BW210" in codes
    assert result.returncode == 1


@pytest.mark.parametrize(
    "data",
    [
        b'Last_Name,Company\rOno,X\r"Bad,Y\r',
        b'Last_Name,Company\rOno,X\r"Bad,Y',
        b'Last_Name\r"Ono"\r"',
        b'Last_Name,Company\rOno,"X"\r"Bad\r\r',
    ],
)
def test_a_cr_only_file_with_an_unterminated_quote_is_bw209(tmp_path, data):
    (tmp_path / "cr.csv").write_bytes(data)
    result = bwlint(
        "check", "--isolated", "--module", "Leads", "cr.csv", "--format", "json", cwd=tmp_path
    )
    assert "BW209" in [f["code"] for f in _json(result)["findings"]]


def test_a_csv_whose_name_is_not_utf8_is_read(tmp_path):
    _, csv = example(tmp_path)
    name = os.fsencode(tmp_path) + b"/bad\xff.csv"
    os.rename(csv, name)
    args = ("check", "--isolated", "--module", "Leads", os.fsdecode(name), "--format")
    for fmt in ("text", "json", "sarif", "github", "junit"):
        result = bwlint(*args, fmt, cwd=tmp_path)  # streams that encode as a process's
        assert result.returncode == 0, (fmt, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    real = bwlint_process(*args, "text", cwd=tmp_path)  # the name through a real argv
    assert real.returncode == 0, real.stderr
    assert "Traceback" not in real.stderr and "internal error" not in real.stderr


def _zip_with_raw_name(path, raw_name: bytes, data: bytes) -> None:
    """A stored zip member whose name bytes are `raw_name`, as written."""
    import zlib

    crc = zlib.crc32(data)
    local = struct.pack(
        "<4s5H3I2H",
        b"PK\x03\x04",
        20,
        0,
        0,
        0,
        0x21,
        crc,
        len(data),
        len(data),
        len(raw_name),
        0,
    )
    central = struct.pack(
        "<4s6H3I5H2I",
        b"PK\x01\x02",
        20,
        20,
        0,
        0,
        0,
        0x21,
        crc,
        len(data),
        len(data),
        len(raw_name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + raw_name + data
    directory = central + raw_name
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)


ODD_NAMES = [b"\x00leads.csv", b"\x00", b"le\xffads.csv", b"/"]


@pytest.mark.parametrize("raw_name", ODD_NAMES)
def test_odd_zip_member_names_are_findings(tmp_path, raw_name):
    _zip_with_raw_name(tmp_path / "upload.zip", raw_name, b"Last_Name\nOno\n")
    for fmt in ("text", "json", "junit"):
        result = bwlint(
            "check",
            "--isolated",
            "--module",
            "Leads",
            "upload.zip",
            "--format",
            fmt,
            cwd=tmp_path,
        )
        assert result.returncode in (0, 1), result.stderr
        assert "ZipInfo" not in result.stdout


def test_odd_zip_member_names_in_a_real_process(tmp_path):
    """All of them in one real run: the entry point and the real standard streams."""
    zips = [f"upload{number}.zip" for number in range(len(ODD_NAMES))]
    for zip_name, raw_name in zip(zips, ODD_NAMES, strict=True):
        _zip_with_raw_name(tmp_path / zip_name, raw_name, b"Last_Name\nOno\n")
    real = bwlint_process("check", "--isolated", "--module", "Leads", *zips, cwd=tmp_path)
    assert real.returncode in (0, 1) and "Traceback" not in real.stderr, real.stderr
    assert "internal error" not in real.stderr
    assert "(4 files, 1 record)" in real.stdout, real.stdout  # every zip was read


def test_a_300_character_module_name_in_a_job_is_no_crash(tmp_path):
    example(tmp_path)
    (tmp_path / "org").mkdir()
    body = json.loads((tmp_path / "job.json").read_text())
    body["resource"][0]["module"]["api_name"] = "A" * 300
    (tmp_path / "job.json").write_text(json.dumps(body))
    result = bwlint(
        "check",
        "--isolated",
        "--job",
        "job.json",
        "leads.csv",
        "--schema-dir",
        "org",
        cwd=tmp_path,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "File name too long" not in result.stdout + result.stderr


def test_an_xlsx_given_directly_is_one_finding(tmp_path):
    path = tmp_path / "leads.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "docProps/app.xml"):
            archive.writestr(name, "<x/>")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "leads.xlsx",
        "--format",
        "json",
        cwd=tmp_path,
    )
    findings = _json(result)["findings"]
    assert [f["code"] for f in findings] == ["BW202"]
    assert "Excel workbook" in findings[0]["message"]


@pytest.mark.parametrize("codec", ["punycode", "idna", "utf-16", "undefined", "utf-7"])
def test_decoding_never_raises_whatever_the_codec(codec):
    from bwlint.load.decoding import decode

    bad: list[tuple[int, int]] = []
    text = decode(b"Last_Name\nOn\xe9_\\u12\x00\xff", codec, 0, bad)
    assert isinstance(text, str)


@pytest.mark.parametrize(
    "args",
    [
        ["--module", "Leads", "{long}.csv"],
        ["{long}.csv"],
        ["{long}.json"],
        ["--job", "{long}.json", "leads.csv"],
        ["--schema-dir", "{long}", "--module", "Leads", "leads.csv"],
        ["--module", "Leads", "leads.csv", "--output", "{long}"],
        ["--module", "Leads", "leads.csv", "--result-preview", "{long}"],
    ],
)
def test_a_path_too_long_for_the_system_is_one_short_line(tmp_path, args):
    example(tmp_path)
    long = "a" * 5000
    result = bwlint("check", "--isolated", *(a.replace("{long}", long) for a in args), cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert len(line) < 1_100
