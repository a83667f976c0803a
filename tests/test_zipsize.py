"""The zipped-size estimate (bwlint/load/zipsize.py) and what BW203 makes of it.

Seeded data of known compressibility: the true level-6 size must fall inside the
reported range, and the work must be bounded (counted in bytes compressed, never timed).
"""

from __future__ import annotations

import base64
import functools
import random
import threading
import zlib

import pytest

from bwlint.domain.limits import Limits
from bwlint.load import zipsize
from bwlint.load.zipsize import ZipEstimate, estimate_zipped
from bwlint.services.check import check
from bwlint.settings import Settings

MB = 1 << 20


def noise(size: int, seed: int = 1) -> bytes:
    """Incompressible bytes, as base64 text."""
    return base64.b64encode(random.Random(seed).randbytes(size))[:size]


@functools.cache
def prose(size: int, seed: int = 2, vocabulary: int = 500) -> bytes:
    """Text-like CSV rows: 8 cells of 6 words from a small vocabulary (~3-4 to 1)."""
    chooser = random.Random(seed)
    words = ["".join(chooser.choices("etaoinshrdlucmfw", k=chooser.randint(2, 9)))
             for _ in range(vocabulary)]  # fmt: skip
    weights = [1 / (rank + 1) for rank in range(vocabulary)]
    drawn = chooser.choices(words, weights, k=size // 5)  # words of ~5.5 bytes with a gap
    cells = [" ".join(drawn[i : i + 6]) for i in range(0, len(drawn), 6)]
    rows = [",".join(cells[i : i + 8]) for i in range(0, len(cells), 8)]
    text = ("\n".join(rows) + "\n").encode()
    assert len(text) >= size
    return text[: text.rfind(b"\n", 0, size) + 1]


def level(raw: bytes, level: int) -> int:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(compressor.compress(raw)) + len(compressor.flush())


SHAPES = {
    "incompressible": lambda: noise(6 * MB),
    "text": lambda: prose(6 * MB),
    # compressibility that changes along the file: stratified samples see both halves
    "half repetitive, half noise": lambda: b"Ono,Acme,o@x.example\n" * 150_000 + noise(3 * MB),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_true_sizes_fall_inside_the_range(shape):
    raw = SHAPES[shape]()
    estimate = estimate_zipped(raw)
    six, nine = level(raw, 6), level(raw, 9)
    assert not estimate.exact
    assert estimate.low <= six <= estimate.high
    assert estimate.low <= nine
    assert abs(estimate.size - six) / six < 0.02


def test_a_range_is_tight_on_a_uniform_file():
    estimate = estimate_zipped(noise(6 * MB))
    assert (estimate.high - estimate.low) / estimate.size < 0.05  # level 9 gains nothing


COMPRESSOBJ = zlib.compressobj


class Counting:
    """zlib's compressobj, counting the bytes handed to it (from any thread)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        inner, counter = COMPRESSOBJ(*args, **kwargs), self

        class Compressor:
            def compress(self, data) -> bytes:
                with counter.lock:
                    counter.bytes += len(data)
                return inner.compress(data)

            def flush(self) -> bytes:
                return inner.flush()

        return Compressor()


@pytest.mark.parametrize("size", [4 * MB, 64 * MB, 256 * MB])
def test_the_work_is_bounded_whatever_the_size(monkeypatch, size):
    counting = Counting()
    monkeypatch.setattr(zipsize.zlib, "compressobj", counting)
    estimate = estimate_zipped(memoryview(bytes(size)))
    pairs = zipsize.STRATA // zipsize.PAIR_EVERY
    bound = zipsize.STRATA * zipsize.SAMPLE + 2 * zipsize.PAIR * pairs
    assert counting.bytes == estimate.compressed == bound  # not proportional to the size


def test_a_small_input_is_compressed_whole_and_exact():
    raw = prose(200_000)
    estimate = estimate_zipped(raw)
    assert estimate.exact
    assert estimate.size == estimate.high == level(raw, 6)
    six, nine = level(raw, 6), level(raw, 9)
    assert estimate.low == round(six * (1 - 2 * (1 - nine / six)))  # 7-Zip: 2x level 9's gain


def test_the_same_bytes_give_the_same_estimate():
    raw = prose(3 * MB)
    assert estimate_zipped(raw) == estimate_zipped(raw)


# --- BW203 on a CSV given unzipped ------------------------------------------------------


def bw203(tmp_path, monkeypatch, limit: int) -> tuple[list, ZipEstimate]:
    """BW203's findings on a 6 MB text CSV, estimated above 1 MB (not 25) against `limit`."""
    raw = b"Last_Name,Description\n" + prose(6 * MB)
    path = tmp_path / "big.csv"
    path.write_bytes(raw)
    settings = Settings(select=("BW203",), limits=Limits(zip_bytes=limit))
    report = check([str(path)], module="Leads", settings=settings)
    return report.findings, estimate_zipped(raw)


def test_clearly_over_is_an_error(tmp_path, monkeypatch):
    estimate = estimate_zipped(b"Last_Name,Description\n" + prose(6 * MB))
    (finding,), estimate = bw203(tmp_path, monkeypatch, estimate.low - 1)
    assert (finding.code, finding.severity, finding.zoho_code) == (
        "BW203",
        "error",
        "FILE_TOO_LARGE",
    )
    assert finding.message == (
        f"the CSV is 6.3 MB and zips to about {estimate.size / 1e6:.2f} MB "
        f"({estimate.low / 1e6:.2f}–{estimate.high / 1e6:.2f} MB by zip tool and level, "
        f"estimated from samples); Zoho's upload takes at most {(estimate.low - 1) / 1e6:.1f} "
        "MB: split the records over several jobs"
    )


def test_near_is_a_warning_naming_the_range(tmp_path, monkeypatch):
    estimate = estimate_zipped(b"Last_Name,Description\n" + prose(6 * MB))
    (finding,), estimate = bw203(tmp_path, monkeypatch, estimate.size)
    assert (finding.code, finding.severity) == ("BW203", "warning")
    assert finding.message == (
        f"the CSV is 6.3 MB and zips to about {estimate.size / 1e6:.2f} MB "
        f"({estimate.low / 1e6:.2f}–{estimate.high / 1e6:.2f} MB by zip tool and level, "
        f"estimated from samples): near Zoho's upload limit of {estimate.size / 1e6:.1f} MB; "
        "zip it and check the zip (bwlint measures a zip exactly), or split the records "
        "over several jobs"
    )


def test_clearly_under_says_nothing(tmp_path, monkeypatch):
    estimate = estimate_zipped(b"Last_Name,Description\n" + prose(6 * MB))
    findings, _ = bw203(tmp_path, monkeypatch, estimate.high)
    assert findings == []
