"""`bwlint fix` and BW219: a data file not in UTF-8 re-encoded (streamed, every character
kept, no byte-order mark) together with the job's character_encoding, all or nothing;
the cell repairs of the same run made on the UTF-8 bytes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hostile import leads_job
from runner import ROOT, bwlint

from bwlint.services import fix_encoding

CELLS = str(ROOT / "tests/fixtures/cells")
MODULE = ("--module", "Leads", "--schema-dir", CELLS)

JOB = leads_job(
    {"api_name": "Last_Name", "index": 0},
    {"api_name": "Company", "index": 1},
    {"api_name": "Opt_Out", "index": 2},
    character_encoding="windows-1252",
)

# CRLF, a quoted multi-line value, curly quotes (windows-1252 only), a cell to repair.
TEXT = 'Last_Name,Company,Opt_Out\r\nNovák,“Bolt”,yes\r\n"Ito\r\nJr",Kümo,false\r\n'
REPAIRED = TEXT.replace(",yes\r\n", ",true\r\n").encode("utf-8")


def _job(tmp_path, job=JOB):
    (tmp_path / "job.json").write_text(json.dumps(job), encoding="utf-8")


def test_windows_1252_is_re_encoded_with_the_job_and_its_cells_repaired(tmp_path):
    _job(tmp_path)
    source = tmp_path / "leads.csv"
    source.write_bytes(TEXT.encode("cp1252"))
    args = ("fix", "--schema-dir", CELLS, "job.json", "leads.csv", "--out", "fixed")
    result = bwlint(*args, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert (tmp_path / "fixed/leads.csv").read_bytes() == REPAIRED  # no BOM
    assert source.read_bytes() == TEXT.encode("cp1252")  # never modified without --in-place
    assert json.loads((tmp_path / "job.json").read_text()) == JOB
    written = json.loads((tmp_path / "fixed/job.json").read_text())
    assert written == {**JOB, "character_encoding": "UTF-8"}
    fix = report["fix"]
    picked = [
        (
            c["code"],
            c["file"],
            c["record"],
            c["column"],
            c["pointer"],
            c["old"],
            c["new"],
            c["output"],
        )
        for c in fix["changes"]
    ]
    assert picked == [
        ("BW219", "leads.csv", None, None, None, "windows-1252", "UTF-8", "fixed/leads.csv"),
        ("BW409", "leads.csv", 1, "Opt_Out", None, "yes", "true", "fixed/leads.csv"),
        ("BW219", "job.json", None, None, "/character_encoding", "windows-1252", "UTF-8",
         "fixed/job.json"),
    ]  # fmt: skip
    assert fix["changes"][0]["why"] == (
        "the file written in UTF-8, every character kept, without a byte-order mark; "
        "the job's character_encoding set to UTF-8 with it"
    )
    assert fix["not_applied"] == []
    assert report["findings"] == []
    assert report["summary"]["records"] == 2
    again = bwlint(
        "check", "--schema-dir", CELLS, "fixed/job.json", "fixed/leads.csv", cwd=tmp_path
    )
    assert again.returncode == 0 and "All checks passed" in again.stdout, again.stdout
    text = bwlint(*args[:-1], "text", cwd=tmp_path).stdout
    assert text.splitlines()[:4] == [
        "leads.csv: BW219 re-encoded the file from windows-1252 to UTF-8 (no byte-order mark)",
        "leads.csv:2:3: BW409 fixed 'yes' → 'true'",
        'job.json: BW219 set /character_encoding to "UTF-8"',
        "Fixed 1 cell, the encoding of 1 file and 1 job JSON value in 2 files; "
        "wrote text/job.json, text/leads.csv.",
    ]


@pytest.mark.parametrize("zipped", [False, True], ids=["csv", "zip"])
def test_utf16_is_re_encoded_and_its_cells_repaired_in_the_same_run(tmp_path, zipped):
    """A UTF-16 file's cells could not be edited (bwlint edits bytes); re-encoded, they are."""
    data = TEXT.encode("utf-16")  # with its BOM: detected, no character_encoding needed
    job = {k: v for k, v in JOB.items() if k != "character_encoding"}
    _job(tmp_path, job)
    name = "upload.zip" if zipped else "leads.csv"
    if zipped:
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.writestr("leads.csv", data)
    else:
        (tmp_path / name).write_bytes(data)
    args = ("fix", "--schema-dir", CELLS, "job.json", name, "--in-place", "--format", "json")
    result = bwlint(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    if zipped:
        with zipfile.ZipFile(tmp_path / name) as archive:
            assert archive.namelist() == ["leads.csv"]
            assert archive.read("leads.csv") == REPAIRED
    else:
        assert (tmp_path / name).read_bytes() == REPAIRED
    shown = f"{name}/leads.csv" if zipped else name
    assert [(c["code"], c["file"], c["old"], c["new"]) for c in report["fix"]["changes"]] == [
        ("BW219", shown, "UTF-16LE", "UTF-8"),
        ("BW409", shown, "yes", "true"),
        ("BW219", "job.json", None, "UTF-8"),  # the key was absent: set, not left to detection
    ]
    assert json.loads((tmp_path / "job.json").read_text())["character_encoding"] == "UTF-8"
    assert report["findings"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["job.json", name])
    assert bwlint("check", "--schema-dir", CELLS, "job.json", name, cwd=tmp_path).returncode == 0


def test_without_a_job_json_the_file_alone_is_re_encoded(tmp_path):
    (tmp_path / "leads.csv").write_bytes(TEXT.encode("latin-1", "replace"))
    args = ("fix", *MODULE, "--character-encoding", "ISO-8859-1", "leads.csv", "--out", "fixed")
    result = bwlint(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[0] == (
        "leads.csv: BW219 re-encoded the file from ISO-8859-1 to UTF-8 (no byte-order mark); "
        "from now on, check it without --character-encoding (or [[jobs]] character-encoding)"
    )
    written = (tmp_path / "fixed/leads.csv").read_bytes()
    assert written == TEXT.encode("latin-1", "replace").decode("latin-1").replace(
        ",yes\r\n", ",true\r\n"
    ).encode("utf-8")
    assert "All checks passed" in result.stdout  # the result read as UTF-8
    assert bwlint("check", *MODULE, "fixed/leads.csv", cwd=tmp_path).returncode == 0


def test_all_or_nothing_a_file_that_cannot_be_re_encoded_keeps_the_job_json(tmp_path):
    """A job JSON used for two uploads: one file has a byte windows-1252 cannot decode
    (BW210), so neither is re-encoded and character_encoding stays; the cells are
    still repaired, in windows-1252 bytes as before."""
    _job(tmp_path)
    (tmp_path / "a.csv").write_bytes(TEXT.encode("cp1252"))
    (tmp_path / "b.csv").write_bytes(b"Last_Name,Company,Opt_Out\r\nIto,K\x81mo,true\r\n")
    args = ("fix", "--schema-dir", CELLS, "job.json", "a.csv", "b.csv", "--out", "fixed")
    report = json.loads(bwlint(*args, "--format", "json", cwd=tmp_path).stdout)
    assert not (tmp_path / "fixed/job.json").exists()
    assert report["fix"]["files"] == [
        {"input": "a.csv", "output": "fixed/a.csv"},
        {"input": "b.csv", "output": "fixed/b.csv"},
    ]
    assert (tmp_path / "fixed/a.csv").read_bytes() == TEXT.replace(",yes", ",true").encode("cp1252")
    assert (tmp_path / "fixed/b.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert [(c["code"], c["new"]) for c in report["fix"]["changes"]] == [("BW409", "true")]
    assert [(n["code"], n["file"], n["reason"]) for n in report["fix"]["not_applied"]] == [
        ("BW219", "a.csv", "b.csv has bytes its charset cannot decode (BW210) and stays as it "
         "is, and the job's character_encoding is one for all its files; no file re-encoded"),
    ]  # fmt: skip
    assert [f["code"] for f in report["findings"]] == ["BW219", "BW210"]


def test_a_file_changed_since_it_was_read_is_not_re_encoded(tmp_path, monkeypatch):
    """The UTF-8 copies are made before anything is written: one that fails leaves every
    file and the job JSON as they were."""
    _job(tmp_path)
    (tmp_path / "leads.csv").write_bytes(TEXT.encode("cp1252"))
    real = fix_encoding.transcode

    def changed(source, codec, skip, target):
        real(io.BytesIO(b"Last_Name\r\nK\x81mo\r\n"), codec, skip, target)

    monkeypatch.setattr(fix_encoding, "transcode", changed)
    args = ("fix", "--schema-dir", CELLS, "job.json", "leads.csv", "--out", "fixed")
    report = json.loads(bwlint(*args, "--format", "json", cwd=tmp_path).stdout)
    assert not (tmp_path / "fixed/job.json").exists()
    [left] = report["fix"]["not_applied"]
    assert left["reason"].startswith("leads.csv: not valid cp1252 any more (")
    assert left["reason"].endswith("; no file re-encoded")
    assert [c["code"] for c in report["fix"]["changes"]] == ["BW409"]


def test_transcode_streams_a_character_split_between_two_steps(monkeypatch):
    """Decoded step by step (bounded memory): a UTF-16 surrogate pair or a multi-byte
    character cut by a step boundary is kept whole."""
    monkeypatch.setattr(fix_encoding, "STEP", 3)
    text = "Ωx😀,é\r\n" * 5
    for codec, skip, data in (
        ("utf-16-le", 2, "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")),
        ("utf-16-be", 0, text.encode("utf-16-be")),
        ("cp1252", 0, "Zürich “x”\r\n".encode("cp1252")),
    ):
        out = io.BytesIO()
        fix_encoding.transcode(io.BytesIO(data), codec, skip, out)
        assert out.getvalue().decode("utf-8") == data[skip:].decode(codec)
    with pytest.raises(UnicodeError):
        fix_encoding.transcode(io.BytesIO(b"a\x81b"), "cp1252", 0, io.BytesIO())


def test_the_report_is_the_check_of_the_written_files(tmp_path):
    _job(tmp_path)
    (tmp_path / "leads.csv").write_bytes(
        "Last_Name,Company,Opt_Out\r\nNovák,,maybe\r\n".encode("cp1252")
    )
    args = ("--schema-dir", CELLS, "--format", "json")
    fixed = json.loads(
        bwlint("fix", "job.json", "leads.csv", "--out", "out", *args, cwd=tmp_path).stdout
    )
    again = json.loads(bwlint("check", "out/job.json", "out/leads.csv", *args, cwd=tmp_path).stdout)
    assert fixed["findings"] == again["findings"]
    assert [f["code"] for f in again["findings"]] == ["BW501", "BW409"]
