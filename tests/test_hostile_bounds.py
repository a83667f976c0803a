"""Issue 13: no input makes bwlint unbounded in memory or time — zip bombs, huge
headers, huge JSON strings, endless files, exponential globs — each is a finding or
one line, in bounded memory (measured in a real process)."""

from __future__ import annotations

import bz2
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from hostile import ROOT, example, one_error_line
from runner import bwlint

MB = 1_000_000


# Runs bwlint in the child and writes the child's own peak resident size (VmHWM of the
# process as it is after exec) to a file as it exits. wait4's ru_maxrss is not that on
# Linux: a child inherits the high-water mark of the process it was forked from (here a
# pytest worker that may have grown to hundreds of MB in an earlier test).
MEASURED = """
import os, runpy, sys
def _peak():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0
_exit = os._exit
def _reporting_exit(code):
    with open(os.environ['BWLINT_PEAK_FILE'], 'w') as out:
        out.write(str(_peak()))
    _exit(code)
os._exit = _reporting_exit
sys.argv = ['bwlint', *sys.argv[1:]]
try:
    runpy.run_module('bwlint', run_name='__main__', alter_sys=True)
except SystemExit as exc:
    _reporting_exit(exc.code if isinstance(exc.code, int) else 1)
_reporting_exit(0)
"""


def run_measured(*args: str, cwd: Path, timeout: float = 120) -> tuple[int, str, str, int]:
    """(exit status, stdout, stderr, peak resident bytes) of `bwlint ARGS` in a child:
    its own peak, as /proc reports it for the process after exec."""
    peak_file = cwd / ".peak"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "BWLINT_PEAK_FILE": str(peak_file),
    }
    with open(cwd / ".out", "w+b") as out, open(cwd / ".err", "w+b") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", MEASURED, *args], cwd=cwd, env=env, stdout=out, stderr=err
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError(f"bwlint {args} ran over {timeout} s") from None
        out.seek(0)
        err.seek(0)
        peak = int(peak_file.read_text()) if peak_file.exists() else 0
        assert peak, "the child did not report its peak"
        return process.returncode, out.read().decode(), err.read().decode(), peak


def _patch_sizes(path: Path, declared: int) -> None:
    """Make a one-member zip declare `declared` uncompressed bytes (a lying zip)."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    path.write_bytes(bytes(data))


def _zip_stream(path: Path, name: str, method: int, compressed: bytes, size: int, crc: int) -> None:
    """A zip whose one member holds `compressed` (made by the caller, in bounded time)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = method
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, b"placeholder")
    # rewrite with the real compressed bytes: header sizes and CRC set by hand
    name_bytes = name.encode()
    local = struct.pack(
        "<4s5H3I2H",
        b"PK\x03\x04",
        20 if method != zipfile.ZIP_BZIP2 else 46,
        0,
        method,
        0,
        0x5821,
        crc,
        len(compressed),
        size,
        len(name_bytes),
        0,
    )
    central = struct.pack(
        "<4s6H3I5H2I",
        b"PK\x01\x02",
        20,
        20 if method != zipfile.ZIP_BZIP2 else 46,
        0,
        method,
        0,
        0x5821,
        crc,
        len(compressed),
        size,
        len(name_bytes),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + name_bytes + compressed
    directory = central + name_bytes
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)


def _zeros_bz2(total: int) -> tuple[bytes, int]:
    compressor = bz2.BZ2Compressor(9)
    crc, parts, block = 0, [], b"Last_Name\n" + b"0" * (MB - 10)
    for _ in range(total // MB):
        parts.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def _zeros_deflate(total: int) -> tuple[bytes, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc, parts, block = 0, [], b"Last_Name\n" + b"0" * (MB - 10)
    for _ in range(total // MB):
        parts.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


BOUND_RSS = 300 * MB  # bwlint with polars loaded is ~100 MB


def _bomb_run(tmp_path: Path, path: Path) -> tuple[int, str, str, int]:
    return run_measured("check", "--isolated", "--module", "Leads", str(path), cwd=tmp_path)


def test_a_small_bzip2_member_declaring_4_gb_is_refused_before_inflating(tmp_path):
    compressed, crc = _zeros_bz2(8 * MB)
    path = tmp_path / "bomb.zip"
    _zip_stream(path, "leads.csv", zipfile.ZIP_BZIP2, compressed, 8 * MB, crc)
    _patch_sizes(path, 4_000_000_000)  # what a 3 KB bzip2 of 4 GB declares
    assert path.stat().st_size < 5_000
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert status == 1, err
    assert "BW213" in out and "4,000,000,000" in out
    assert peak < BOUND_RSS, peak


def test_a_bzip2_member_lying_about_its_size_is_read_no_further_than_declared(tmp_path):
    """zipfile stops at the declared size, and the CRC then fails: damaged, not a bomb."""
    compressed, crc = _zeros_bz2(16 * MB)  # inflates to 16 MB, declares 1 KB
    path = tmp_path / "liar.zip"
    _zip_stream(path, "leads.csv", zipfile.ZIP_BZIP2, compressed, 1_000, crc)
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert status == 1, err
    assert "BW202" in out and "damaged" in out
    assert peak < BOUND_RSS, peak


def test_the_bounds_are_settings_and_apply_to_small_members_too(tmp_path):
    """The bounds are an InputLimits value: small bounds refuse a small member."""
    from bwlint.domain.limits import InputLimits
    from bwlint.load.archive import read_zip

    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("leads.csv", "Last_Name\n" + "Ono\n" * 10_000)
    bounds = InputLimits(zip_inflated_bytes=1_000_000, zip_ratio_floor=1_000)
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    info_size = info.file_size
    assert info_size < 1_000_000  # declared honestly and small: refused by the ratio
    (data,) = read_zip(path, "upload.zip", None, bounds)
    assert data.facts.too_large


def test_a_deflate_bomb_is_refused_in_bounded_memory(tmp_path):
    compressed, crc = _zeros_deflate(100 * MB)  # ~100 KB inflating to 100 MB
    path = tmp_path / "bomb.zip"
    _zip_stream(path, "leads.csv", zipfile.ZIP_DEFLATED, compressed, 100 * MB, crc)
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert status == 1, err
    assert "BW213" in out
    assert peak < BOUND_RSS, peak
    _zip_stream(path, "leads.csv", zipfile.ZIP_DEFLATED, compressed, 5_000, crc)  # lying
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert status == 1 and "damaged" in out, err
    assert peak < BOUND_RSS, peak


def test_a_half_megabyte_zip_of_a_200_mb_csv_stays_bounded(tmp_path):
    row = b"Ono,Acme Ltd,ono@acme.example,+15550100\n"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = row * (MB // len(row))
    crc, parts, size = 0, [b""], 0
    header = b"Last_Name,Company,Email,Phone\n"
    parts.append(compressor.compress(header))
    crc, size = zlib.crc32(header), len(header)
    for _ in range(200):
        parts.append(compressor.compress(block))
        crc, size = zlib.crc32(block, crc), size + len(block)
    parts.append(compressor.flush())
    compressed = b"".join(parts)
    path = tmp_path / "upload.zip"
    _zip_stream(path, "leads.csv", zipfile.ZIP_DEFLATED, compressed, size, crc)
    assert path.stat().st_size < 600_000
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert status == 1, err
    assert "BW213" in out
    assert peak < BOUND_RSS, peak


def test_an_ordinary_zip_is_still_read_in_full(tmp_path):
    _, csv = example(tmp_path)
    with zipfile.ZipFile(tmp_path / "upload.zip", "w", zipfile.ZIP_BZIP2) as archive:
        archive.write(csv, "leads.csv")
    job = tmp_path / "job.json"
    result = bwlint("check", "--isolated", "--job", str(job), "upload.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 records" in result.stdout


def test_damaged_and_encrypted_members_name_no_python_repr(tmp_path):
    _, csv = example(tmp_path)
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv, "leads.csv")
    data = bytearray(path.read_bytes())
    data[data.find(b"PK\x03\x04") + 6] |= 1  # the "encrypted" flag, in both headers
    data[data.find(b"PK\x01\x02") + 8] |= 1
    path.write_bytes(bytes(data))
    result = bwlint("check", "--isolated", "--module", "Leads", str(path), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert result.returncode == 1
    message = " ".join(f["message"] for f in findings)
    assert "encrypted" in message and "ZipInfo" not in message and "<" not in message


def test_a_header_of_a_million_columns_stops_after_the_header_limit(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "," * 999_999 + "\n")
    started = time.monotonic()
    status, out, err, peak = _bomb_run(tmp_path, path)
    assert time.monotonic() - started < 20
    assert status == 1, err
    assert "BW161" in out and "1,000,000 columns" in out and "not read" in out
    assert out.count("\n") == 2, out[:500]  # the finding and the summary: nothing per column
    assert peak < BOUND_RSS, peak


def test_a_ten_megabyte_string_in_a_job_is_linear_and_shortened(tmp_path):
    _, csv = example(tmp_path)
    body = json.loads((ROOT / "examples/leads/job.json").read_text())
    body["operation"] = "x" * 10_000_000
    body["character_encoding"] = "y" * 1_000_000
    job = tmp_path / "big.json"
    job.write_text(json.dumps(body))
    status, out, err, peak = run_measured(
        "check", "--isolated", "--job", str(job), str(csv), cwd=tmp_path
    )
    assert status == 1, err
    assert "BW102" in out and "BW104" in out
    assert len(out) < 5_000, len(out)
    assert peak < BOUND_RSS, peak


def test_ten_thousand_zip_members_are_bounded_and_listed_briefly(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(10_000):
            archive.writestr(f"part-{number:05}.csv", "Last_Name\nOno\n")
    result = bwlint("check", "--isolated", "--module", "Leads", str(path), "--select", "BW212")
    assert result.returncode == 1
    (line, _) = result.stdout.splitlines()
    assert "10,000 CSV files" in line and "(and 9,990 more)" in line
    assert len(line) < 600


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "link-to-fifo", "link-to-dev-zero"])
@pytest.mark.parametrize("role", ["data", "job", "found-job", "config"])
def test_a_file_that_is_not_regular_is_one_line_never_a_hang(tmp_path, kind, role):
    _, csv = example(tmp_path)
    special = tmp_path / "special"
    if kind == "fifo" or kind == "link-to-fifo":
        os.mkfifo(tmp_path / "pipe")
        target = tmp_path / "pipe"
    else:
        target = Path("/dev/zero")
    if kind.startswith("link"):
        special.symlink_to(target)
    else:
        special = target
    args: list[str]
    if role == "data":
        args = ["--module", "Leads", str(special)]
    elif role == "job":
        args = ["--job", str(special), str(csv)]
    elif role == "config":
        args = ["--config", str(special), "--module", "Leads", str(csv)]
    else:  # a directory holding a `*.job.json` that is a FIFO or a link to /dev/zero
        folder = tmp_path / "imports"
        folder.mkdir()
        (folder / "x.job.json").symlink_to(target)
        args = [str(folder)]
    if role != "config":
        args.insert(0, "--isolated")
    started = time.monotonic()
    status, out, err, _ = run_measured("check", *args, cwd=tmp_path, timeout=30)
    assert time.monotonic() - started < 30
    assert status == 2, (out, err)
    assert "not a regular file" in one_error_line(err)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
@pytest.mark.parametrize("kilobytes", [1_000_000, 600_000])
def test_the_example_runs_under_an_address_space_limit(tmp_path, kilobytes):
    """`ulimit -v 1000000` used to abort inside polars (glibc's per-thread arenas)."""
    import resource

    job, csv = example(tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (kilobytes * 1024, kilobytes * 1024))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("POLARS_MAX_THREADS", None)
    result = subprocess.run(
        [sys.executable, "-m", "bwlint", "check", "--isolated", "--job", str(job), str(csv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        preexec_fn=limit,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "All checks passed (1 file, 3 records).\n"


def test_polars_allocator_returns_freed_memory_unless_the_user_said_otherwise(monkeypatch):
    """The CLI sets jemalloc's decay for polars' allocator before polars loads; keeps a
    decay the user set in `_RJEM_MALLOC_CONF`, and their other options; and replaces
    polars' defaults, which a parent process that imported polars hands down."""
    import bwlint.entry as entry

    def tuned(given: str | None) -> str:
        if given is None:
            monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
        else:
            monkeypatch.setenv("_RJEM_MALLOC_CONF", given)
        entry.tune_allocator()
        return os.environ["_RJEM_MALLOC_CONF"]

    ours = "dirty_decay_ms:200,muzzy_decay_ms:0"
    assert tuned(None) == tuned("") == ours
    assert tuned("dirty_decay_ms:-1") == "dirty_decay_ms:-1"
    assert tuned("thp:always") == f"thp:always,{ours}"
    assert tuned("dirty_decay_ms:500,muzzy_decay_ms:1000") == ours
    with_users = "dirty_decay_ms:500,muzzy_decay_ms:1000,muzzy_decay_ms:5"
    assert tuned(with_users) == with_users
