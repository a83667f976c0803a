"""`bwlint fix`: repairs with one right answer, a byte-exact rewrite, the change log,
and an input that is never modified unless asked (and then atomically)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from hostile import leads_job
from runner import ROOT, bwlint

CELLS = str(ROOT / "tests/fixtures/cells")
MODULE = ("--module", "Leads", "--schema-dir", CELLS)

# CRLF line ends, quoted cells, a quoted cell to repair, a multi-line value.
FAILING = (
    b"Last_Name,Company,Birth_Date,Opt_Out,Revenue,Notes\r\n"
    b'Novak,Bolt,2024-03-17,yes,"$1,200.50",plain\r\n'
    b'"Ito, Jr",Kumo,03/17/2024,"N",12,"two\r\nlines"\r\n'
    b"Ono,Acme,17.03.2024,true,,\r\n"
)
REPAIRED = (
    b"Last_Name,Company,Birth_Date,Opt_Out,Revenue,Notes\r\n"
    b'Novak,Bolt,03/17/2024,true,"1200.50",plain\r\n'
    b'"Ito, Jr",Kumo,03/17/2024,"false",12,"two\r\nlines"\r\n'
    b"Ono,Acme,03/17/2024,true,,\r\n"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fix_makes_a_failing_file_pass_and_keeps_every_other_byte(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_bytes(FAILING)
    assert bwlint("check", *MODULE, str(source)).returncode == 1
    result = bwlint("fix", *MODULE, str(source), "--out", str(tmp_path / "fixed"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "fixed/leads.csv").read_bytes() == REPAIRED
    assert source.read_bytes() == FAILING  # never modified without --in-place
    assert "All checks passed (1 file, 3 records)." in result.stdout
    assert bwlint("check", *MODULE, str(tmp_path / "fixed/leads.csv")).returncode == 0


def test_the_change_log_is_exact(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_bytes(FAILING)
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["summary"] == {"errors": 0, "warnings": 0, "files": 1, "records": 3}
    assert report["findings"] == []
    fix = report["fix"]
    assert fix["dry_run"] is False
    assert fix["files"] == [{"input": "leads.csv", "output": "fixed/leads.csv"}]
    assert fix["not_applied"] == []
    picked = [
        (c["code"], c["file"], c["record"], c["line"], c["column"], c["old"], c["new"])
        for c in fix["changes"]
    ]
    assert picked == [
        ("BW406", "leads.csv", 1, 2, "Birth_Date", "2024-03-17", "03/17/2024"),
        ("BW409", "leads.csv", 1, 2, "Opt_Out", "yes", "true"),
        ("BW408", "leads.csv", 1, 2, "Revenue", "$1,200.50", "1200.50"),
        ("BW409", "leads.csv", 2, 3, "Opt_Out", "N", "false"),
        ("BW406", "leads.csv", 3, 5, "Birth_Date", "17.03.2024", "03/17/2024"),
    ]
    first = fix["changes"][0]
    assert first["applicability"] == "safe"
    assert first["field"] == "Birth_Date"
    assert first["output"] == "fixed/leads.csv"
    assert first["why"]


def test_an_ambiguous_date_is_left_alone_with_its_finding(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Last_Name,Company,Birth_Date\nNovak,Bolt,03-04-2024\nIto,Kumo,2024-03-17\n")
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(c["record"], c["new"]) for c in report["fix"]["changes"]] == [(2, "03/17/2024")]
    [left] = report["findings"]
    assert (left["code"], left["record"], left["value"]) == ("BW406", 1, "03-04-2024")
    assert left["file"] == "fixed/leads.csv"
    assert (tmp_path / "fixed/leads.csv").read_text().splitlines()[1] == "Novak,Bolt,03-04-2024"
    # told which comes first, it is repaired
    told = bwlint("fix", *MODULE, "leads.csv", "--out", "dayfirst", "--day-first", cwd=tmp_path)
    assert told.returncode == 0, told.stdout
    assert (tmp_path / "dayfirst/leads.csv").read_text().splitlines()[1] == "Novak,Bolt,04/03/2024"


def test_unsafe_fixes_only_when_asked(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Last_Name,Company,Phone\nNovak,Bolt,+44 (20) 7946-0958\n")
    safe = bwlint("fix", *MODULE, "leads.csv", "--out", "a", cwd=tmp_path)
    assert "1 unsafe fix not applied (--unsafe-fixes applies them)." in safe.stdout
    assert (tmp_path / "a/leads.csv").read_bytes() == source.read_bytes()
    unsafe = bwlint("fix", *MODULE, "leads.csv", "--out", "b", "--unsafe-fixes", cwd=tmp_path)
    assert unsafe.returncode == 0
    assert (
        tmp_path / "b/leads.csv"
    ).read_text() == "Last_Name,Company,Phone\nNovak,Bolt,+442079460958\n"


def test_multi_select_values_separated_by_commas_are_rejoined_only_when_unsafe(tmp_path):
    """`CRM,Bulk API` (each part in the list) becomes `CRM;Bulk API` with
    --unsafe-fixes only: a comma may belong to a value; a part not in the list, or a
    cell that already uses `;`, is left as it is."""
    rows = (
        "Last_Name,Company,Interests\n"
        'Novak,Bolt,"CRM,Bulk API"\n'
        "Ito,Kumo,CRM|Reports\n"
        'Ono,Acme,"CRM,Gardening"\n'
    )
    (tmp_path / "leads.csv").write_text(rows)
    safe = bwlint("fix", *MODULE, "leads.csv", "--out", "a", cwd=tmp_path)
    assert "2 unsafe fixes not applied (--unsafe-fixes applies them)." in safe.stdout
    assert (tmp_path / "a/leads.csv").read_text() == rows
    unsafe = bwlint("fix", *MODULE, "leads.csv", "--out", "b", "--unsafe-fixes", cwd=tmp_path)
    assert (tmp_path / "b/leads.csv").read_text() == (
        "Last_Name,Company,Interests\n"
        'Novak,Bolt,"CRM;Bulk API"\n'
        "Ito,Kumo,CRM;Reports\n"
        'Ono,Acme,"CRM,Gardening"\n'
    )
    assert "BW405" in unsafe.stdout and "Gardening" in unsafe.stdout  # still reported


def test_dry_run_writes_nothing_and_reports_at_the_input(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_bytes(FAILING)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = bwlint("fix", *MODULE, "leads.csv", "--dry-run", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["fix"]["dry_run"] is True
    assert len(report["fix"]["changes"]) == 5
    assert {c["output"] for c in report["fix"]["changes"]} == {None}
    assert source.read_bytes() == FAILING
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_in_place_and_a_zip(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("leads.csv", FAILING)
    result = bwlint("fix", *MODULE, "upload.zip", "--in-place", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.namelist() == ["leads.csv"]
        assert zipped.read("leads.csv") == REPAIRED
    assert [p.name for p in tmp_path.iterdir()] == ["upload.zip"]  # no temporary left


def test_out_must_not_be_the_input_folder(tmp_path):
    (tmp_path / "leads.csv").write_bytes(FAILING)
    result = bwlint("fix", *MODULE, "leads.csv", "--out", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "--in-place" in result.stderr
    assert bwlint("fix", *MODULE, "leads.csv", cwd=tmp_path).returncode == 2
    assert (tmp_path / "leads.csv").read_bytes() == FAILING


# Runs `bwlint ARGS` in a child that kills itself (SIGKILL, no clean-up of any kind)
# while it writes the temporary file of an in-place fix: at the first write after bytes
# of that file have reached the disk, so that the file is neither empty nor complete.
# Deterministic, whatever the machine's speed: no race between a poll and the write.
KILLED_WHILE_WRITING = r"""
import os, runpy, signal, sys
suffix = f".bwlint-{os.getpid()}.tmp"
temporary = None

def profile(frame, event, arg):
    if event != "c_call" or getattr(arg, "__name__", "") != "write":
        return
    handle = getattr(arg, "__self__", None)
    if str(getattr(handle, "name", "")) == temporary and os.stat(temporary).st_size > 0:
        os.kill(os.getpid(), signal.SIGKILL)

def audit(event, args):
    global temporary
    if event == "open" and temporary is None and str(args[0]).endswith(suffix):
        temporary = str(args[0])
        sys.setprofile(profile)

sys.addaudithook(audit)
sys.argv = ["bwlint", *sys.argv[1:]]
runpy.run_module("bwlint", run_name="__main__", alter_sys=True)
"""


def test_in_place_interrupted_leaves_the_original_intact(tmp_path):
    """A real process, killed while it writes: the original stays as it was."""
    source = tmp_path / "leads.csv"
    # many write buffers' worth (a buffer is st_blksize bytes; rows are ~10 bytes)
    count = max(5_000, 4 * os.stat(tmp_path).st_blksize // 8)
    rows = b"".join(b"N%d,C,yes\n" % n for n in range(count))
    source.write_bytes(b"Last_Name,Company,Opt_Out\n" + rows)
    before = digest(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_WRITING, "fix", *MODULE, "--in-place", str(source)],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    (temporary,) = tmp_path.glob(".leads.csv.bwlint-*.tmp")  # left half-written
    assert 0 < temporary.stat().st_size < source.stat().st_size
    assert digest(source) == before
    # run to the end, it repairs the file
    done = bwlint("fix", *MODULE, "--in-place", str(source))
    assert done.returncode == 0, done.stderr
    assert source.read_bytes().splitlines()[1] == b"N0,C,true"
    assert source.read_bytes().count(b",true\n") == count


JOB = {
    "operation": "update",
    "resource": [
        {
            "type": "data",
            "module": {"api_name": "Leads"},
            "file_id": "1",
            "find_by": "id",
            "field_mappings": [
                {"api_name": "id", "index": 0},
                {"api_name": "Last_Name", "index": 1, "ignore_empty": True},
                {"api_name": "Birth_Date", "index": 2},
            ],
        }
    ],
}


def test_the_job_json_is_repaired_too(tmp_path):
    (tmp_path / "job.json").write_text(json.dumps(JOB))
    (tmp_path / "leads.csv").write_text(
        "id,Last_Name,Birth_Date\n111111000000012345,Novak,2024-03-17\n"
        "111111000000012346,,2024-03-18\n"
    )
    args = ("fix", "--schema-dir", CELLS, "job.json", "leads.csv", "--format", "json")
    safe = json.loads(bwlint(*args, "--out", "a", cwd=tmp_path).stdout)
    assert [(c["code"], c["pointer"], c["new"]) for c in safe["fix"]["changes"]] == [
        ("BW406", "/resource/0/field_mappings/2/format", "yyyy-MM-dd")
    ]
    assert safe["fix"]["changes"][0]["file"] == "job.json"
    assert safe["fix"]["changes"][0]["output"] == "a/job.json"
    assert [n["code"] for n in safe["fix"]["not_applied"]] == ["BW103"]
    assert [f["code"] for f in safe["findings"]] == ["BW103", "BW501"]
    assert (tmp_path / "a/leads.csv").read_bytes() == (tmp_path / "leads.csv").read_bytes()
    result = bwlint(*args, "--out", "b", "--unsafe-fixes", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    written = json.loads((tmp_path / "b/job.json").read_text())
    assert written["resource"][0]["ignore_empty"] is True
    assert "ignore_empty" not in written["resource"][0]["field_mappings"][1]
    assert written["resource"][0]["field_mappings"][2]["format"] == "yyyy-MM-dd"
    assert json.loads((tmp_path / "job.json").read_text()) == JOB  # the input untouched


def test_the_report_is_the_check_of_the_written_files(tmp_path):
    """fix checks the repaired frames in memory: the same findings as reading the
    written files again."""
    mixed = ROOT / "tests/fixtures/mixed"
    shutil.copy(mixed / "job.json", tmp_path / "job.json")
    shutil.copy(mixed / "leads.csv", tmp_path / "leads.csv")
    args = ("--schema-dir", CELLS, "--format", "json")
    fixed = bwlint("fix", "job.json", "leads.csv", "--out", "out", "--unsafe-fixes", *args,
                   cwd=tmp_path)  # fmt: skip
    report = json.loads(fixed.stdout)
    assert report["fix"]["changes"], "the mixed fixture has repairs to make"
    job = "out/job.json" if (tmp_path / "out/job.json").exists() else "job.json"
    again = json.loads(bwlint("check", job, "out/leads.csv", *args, cwd=tmp_path).stdout)
    assert report["findings"] == again["findings"]
    assert report["summary"] == again["summary"]


def test_whitespace_around_values_is_trimmed_and_text_keeps_its_spaces(tmp_path):
    """BW417: a padded number, date, list value or address is trimmed (safe); a cell
    another fix rewrites is trimmed by that fix and not listed twice; text is left."""
    source = tmp_path / "leads.csv"
    source.write_bytes(
        b"Last_Name,Company,Score,Opt_Out,Interests,Email\r\n"
        b'Novak , Bolt , 42," yes ","CRM ; Reports",ana@example.com\xc2\xa0\r\n'
        b"Ito,Kumo,7,true,CRM,ito@example.com\r\n"
    )
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["fix"]["not_applied"] == []
    assert [(c["code"], c["column"], c["old"], c["new"]) for c in report["fix"]["changes"]] == [
        ("BW417", "Score", " 42", "42"),
        ("BW409", "Opt_Out", " yes ", "true"),
        ("BW417", "Interests", "CRM ; Reports", "CRM;Reports"),
        ("BW417", "Email", "ana@example.com\u00a0", "ana@example.com"),
    ]
    assert (tmp_path / "fixed/leads.csv").read_bytes() == (
        b"Last_Name,Company,Score,Opt_Out,Interests,Email\r\n"
        b'Novak , Bolt ,42,"true","CRM;Reports",ana@example.com\r\n'
        b"Ito,Kumo,7,true,CRM,ito@example.com\r\n"
    )


def test_excel_sep_line_is_removed_and_the_bom_kept(tmp_path):
    """BW217: the first line goes, byte for byte; a UTF-8 BOM before it stays."""
    body = b'Last_Name;Company;Opt_Out\r\nNovak;Bolt;true\r\n"Ito\r\nJr";Kumo;false\r\n'
    (tmp_path / "leads.csv").write_bytes(b"\xef\xbb\xbfsep=;\r\n" + body)
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert (tmp_path / "fixed/leads.csv").read_bytes() == b"\xef\xbb\xbf" + body
    assert [(c["code"], c["line"], c["old"], c["new"]) for c in report["fix"]["changes"]] == [
        ("BW217", 1, "sep=;", None)
    ]
    assert report["summary"]["records"] == 2  # read again: the header is line 1 now
    text = bwlint("fix", *MODULE, "leads.csv", "--out", "again", cwd=tmp_path).stdout
    assert text.splitlines()[:2] == [
        "leads.csv:1: BW217 removed the line 'sep=;'",
        "Fixed 1 line in 1 file; wrote again/leads.csv.",
    ]


def test_empty_trailing_columns_are_removed_from_every_row(tmp_path):
    """BW206: unnamed columns at the end with no value in any record go, from the header
    and every record (quoted multi-line cells and `""` too); every other byte stays."""
    (tmp_path / "leads.csv").write_bytes(
        b'Last_Name,Company,,,\r\nNovak,Bolt,,,\r\n"Ito\r\nJr",Kumo,,"",\r\n\r\nOno,Acme,,,\r\n'
    )
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0  # the blank line stays, a warning
    report = json.loads(result.stdout)
    assert (tmp_path / "fixed/leads.csv").read_bytes() == (
        b'Last_Name,Company\r\nNovak,Bolt\r\n"Ito\r\nJr",Kumo\r\n\r\nOno,Acme\r\n'
    )
    assert [(c["code"], c["old"]) for c in report["fix"]["changes"]] == [
        ("BW206", "column 3"),
        ("BW206", "column 4"),
        ("BW206", "column 5"),
    ]
    assert [f["code"] for f in report["findings"]] == ["BW211"]


def test_an_unnamed_column_with_a_value_or_a_mapping_stays(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name,,Company,,\nNovak,x,Bolt,,y\nIto,,Kumo,,\n")
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "a", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["fix"]["changes"] == []
    assert (tmp_path / "a/leads.csv").read_bytes() == (tmp_path / "leads.csv").read_bytes()
    job = leads_job({"api_name": "Last_Name", "index": 0}, {"api_name": "Company", "index": 3})
    (tmp_path / "job.json").write_text(json.dumps(job))
    (tmp_path / "b.csv").write_text("Last_Name,Company,,,\nNovak,Bolt,,,\n")
    args = ("fix", "--schema-dir", CELLS, "job.json", "b.csv", "--out", "b", "--format", "json")
    report = json.loads(bwlint(*args, cwd=tmp_path).stdout)
    # column 4 (index 3) is mapped: only column 5 after it goes
    assert [(c["code"], c["old"]) for c in report["fix"]["changes"]] == [("BW206", "column 5")]
    assert (tmp_path / "b/b.csv").read_text() == "Last_Name,Company,,\nNovak,Bolt,,\n"


def test_a_repaired_job_json_keeps_its_keys_as_spelt(tmp_path):
    """Only the repaired values change: `callBack` (the samples' spelling) stays
    `callBack`, and no key is added, removed or renamed."""
    job = leads_job(
        {"api_name": "Last_Name", "index": 0},
        {"api_name": "Company", "index": 1},
        {"api_name": "Birth_Date", "index": 2},
        callBack={"url": "https://example.com/done", "method": "post"},
    )
    (tmp_path / "job.json").write_text(json.dumps(job))
    (tmp_path / "leads.csv").write_text(
        "Last_Name,Company,Birth_Date\nNovak,Bolt,2024-03-17\nIto,Kumo,2024-03-18\n"
    )
    args = ("fix", "--schema-dir", CELLS, "job.json", "leads.csv", "--out", "a")
    assert bwlint(*args, cwd=tmp_path).returncode == 0
    written = json.loads((tmp_path / "a/job.json").read_text())
    job["resource"][0]["field_mappings"][2]["format"] = "yyyy-MM-dd"
    assert written == job
    assert list(written) == ["operation", "callBack", "resource"]


def test_mixed_row_ends_are_written_as_most_are_and_quoted_breaks_kept(tmp_path):
    """BW218: only the rows' ends change; the LF inside a quoted value stays."""
    (tmp_path / "leads.csv").write_bytes(
        b'Last_Name,Company\r\nNovak,Bolt\n"Ito\nJr",Kumo\r\n\nOno,Acme\r\n'
    )
    result = bwlint("fix", *MODULE, "leads.csv", "--out", "fixed", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[:2] == [
        "leads.csv: BW218 ended every row with CRLF (were 3 CRLF, 2 LF)",
        "Fixed the row ends of 1 file in 1 file; wrote fixed/leads.csv.",
    ]
    assert (tmp_path / "fixed/leads.csv").read_bytes() == (
        b'Last_Name,Company\r\nNovak,Bolt\r\n"Ito\nJr",Kumo\r\n\r\nOno,Acme\r\n'
    )
