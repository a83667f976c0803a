"""How big a CSV's zip will be, estimated from samples in bounded time.

The size a user's zip has depends on the zip tool and its level, so an exact figure at
one level would be false precision; compressing a 100 MB file to get it took seconds.
Instead the file is cut into `STRATA` equal strata and one sample of `SAMPLE` bytes is
deflated from a seeded position in each (a stratified sample: a file whose content
changes along its length is still sampled evenly). Each sample is compressed with the
32 KB before it as the preset dictionary, the window a compressor of the whole file has
there: a sample starts as warm as the stream it stands for (without it, 64 KB samples
overestimated a text file's zip by 3.5 %; with it, by 0.1–0.3 %).

- The estimate is the mean ratio at deflate level 6 (the default of Info-ZIP's zip,
  Python, Java, .NET and the macOS archiver) times the file's size.
- Its sampling error comes from the spread of the per-sample ratios (successive
  differences, as for a systematic sample) with the finite-population correction; the
  range takes `Z` standard errors each way, plus `MODEL_ERROR` for what a sample cannot
  show (the block boundaries of the stream, another zlib build).
- Tools that compress harder make a smaller zip. Level 9 (zlib's best, slow on some
  text: ~1 MB/s) is measured against level 6 on the first `PAIR` bytes of every
  `PAIR_EVERY`-th sample. 7-Zip's deflate (optimal parsing) gained up to about twice
  what level 9 gained on the bench files (bench/zipsize.py: 12 % against 7 % on wide
  text; on the others it made larger zips than level 6), so the low end of the range
  is the estimate less `HARDER` times level 9's gain, less `GAIN_ERROR` for what so
  small a sample misses, less the sampling error.

At most `STRATA * SAMPLE` bytes are compressed at level 6 and `2 * PAIR * STRATA /
PAIR_EVERY` more for the level-9 gain, whatever the file's size, spread over threads
(zlib releases the GIL). A file no larger than the samples is compressed whole at
level 6 and 9: both sizes are exact.
"""

from __future__ import annotations

import itertools
import math
import mmap
import random
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

Buffer = bytes | mmap.mmap | memoryview  # what the reader hands over: mapped or in memory

STRATA = 16
SAMPLE = 1 << 16  # bytes per sample
WINDOW = 1 << 15  # deflate's window: the preset dictionary of a sample
Z = 3.0  # standard errors each way: "clearly" over or under
MODEL_ERROR = 0.005  # share of the estimate: sample vs stream, zlib builds
PAIR, PAIR_EVERY = 1 << 13, 4  # level 9 against level 6: 8 KB of every 4th sample
GAIN_ERROR = 0.015  # the gain of 4 samples of 8 KB was within 1.5 % of 16 of 64 KB
HARDER = 2.0  # 7-Zip's gain over level 6, at most, in multiples of level 9's
THREADS = 2


@dataclass(frozen=True)
class ZipEstimate:
    """The deflated size of some bytes, and the range a user's zip of them may have."""

    size: int  # at deflate level 6, estimated (or exact)
    low: int  # the smallest likely: harder-compressing tools, sampling error
    high: int  # the largest likely at the usual level: sampling error
    exact: bool = False  # `size` is measured, not estimated
    compressed: int = 0  # bytes handed to the compressor (bounded: see the module doc)


def _deflated(raw: Buffer, start: int, stop: int, level: int = 6) -> int:
    """Deflated size of raw[start:stop], the 32 KB before it as the dictionary."""
    before = raw[max(0, start - WINDOW) : start]
    if len(before):
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=before)
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(compressor.compress(raw[start:stop])) + len(compressor.flush())


def _starts(size: int) -> list[int]:
    """One sample's start in each stratum, at a position seeded by the size."""
    chooser = random.Random(size)
    width = size / STRATA
    return [int(i * width + chooser.random() * (width - SAMPLE)) for i in range(STRATA)]


def _standard_error(ratios: list[float], fraction: float) -> float:
    """Of the mean ratio: successive differences, finite-population correction."""
    count = len(ratios)
    squares = sum((b - a) ** 2 for a, b in itertools.pairwise(ratios))
    variance = squares / (2 * (count - 1))
    return math.sqrt(variance / count * max(0.0, 1 - fraction))


def estimate_zipped(raw: Buffer) -> ZipEstimate:
    """The zipped size of `raw` (a CSV's bytes): estimated from samples, or exact if small."""
    size = len(raw)
    if size <= STRATA * SAMPLE:
        six, nine = _deflated(raw, 0, size), _deflated(raw, 0, size, 9)
        low = round(six * (1 - HARDER * max(0.0, 1 - nine / six))) if six else 0
        return ZipEstimate(six, low, six, exact=True, compressed=2 * size)
    starts = _starts(size)
    jobs = [(start, start + SAMPLE, 6) for start in starts]
    for start in starts[::PAIR_EVERY]:
        jobs += [(start, start + PAIR, 6), (start, start + PAIR, 9)]
    with ThreadPoolExecutor(THREADS) as pool:
        packed = list(pool.map(lambda job: _deflated(raw, *job), jobs))
    ratios = [each / SAMPLE for each in packed[:STRATA]]
    gain = sum(packed[STRATA + 1 :: 2]) / sum(packed[STRATA::2])
    ratio = sum(ratios) / STRATA
    margin = Z * _standard_error(ratios, STRATA * SAMPLE / size) + MODEL_ERROR * ratio
    return ZipEstimate(
        size=round(ratio * size),
        low=round(max(0.0, ratio * (1 - HARDER * max(0.0, 1 - gain) - GAIN_ERROR) - margin) * size),
        high=round((ratio + margin) * size),
        compressed=sum(stop - start for start, stop, _ in jobs),
    )
