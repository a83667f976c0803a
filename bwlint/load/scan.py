"""The byte scan that proves polars' parse exact: every line break of a CSV's bytes
with the quote parity before it, the quotes, and the quotes that open a cell — counted
in 2 MB steps, in a thread, while polars parses (both release the GIL)."""

from __future__ import annotations

import mmap
import threading

import polars as pl


def _scan(
    body: bytes | mmap.mmap, start: int, delimiter: str
) -> tuple[pl.DataFrame, int, int, bool, bool, int]:
    """Every line break after `start` (position, byte before, whether an even number
    of quotes comes before it), the number of quotes and of quotes that open a cell
    (those after a separator or a line break with an even number of quotes before
    them) — plus whether there is a CR, whether every CR is part of a CRLF, and the
    offset of a NUL byte (or -1).

    The bytes are scanned in chunks; a mapped file's pages are released after each
    chunk, so the scan adds one chunk, not the file, to the peak memory. It runs in
    the background while polars parses the records, in eager steps: a lazy query
    would wait for polars' thread pool, which the parse keeps busy.
    """
    size = len(body)
    page = mmap.PAGESIZE
    parts = []
    crlf, has_cr = True, False
    quotes = opened = 0
    openers = [ord(delimiter), ord("\n")]
    step = chunk_size(size - start)
    index = pl.int_range(0, min(step, max(size - start, 0)), eager=True, dtype=pl.UInt32)
    for lo in range(start, size, step):
        hi = min(lo + step, size)
        first, last = lo - 1, min(hi + 1, size)  # a byte of context on each side
        window = _bytes(body, first, last)
        chunk = window.slice(1, hi - lo)
        if chunk.min() == 0:
            return pl.DataFrame(), 0, 0, False, False, lo + int((chunk == 0).arg_true()[0])
        marked = (chunk == ord('"')) | (chunk == ord("\n"))
        # filtering a ready index is cheaper than arg_true and gathers
        at = index.slice(0, hi - lo).filter(marked)
        byte, prev = chunk.filter(marked), window.head(hi - lo).filter(marked)
        quote = byte == ord('"')
        # an odd number of quotes up to and with each marked byte (earlier chunks'
        # included): before a line break, odd; before a quote, even
        odd = ((quote.cum_sum() + (quotes & 1)) & 1).cast(pl.Boolean)
        quotes += int(quote.sum())
        opened += int((quote & odd & ((prev == openers[0]) | (prev == openers[1]))).sum())
        newline = ~quote
        parts.append(
            pl.DataFrame(
                {
                    "at": at.filter(newline).cast(pl.Int64) + lo,
                    "prev": prev.filter(newline),
                    "even": ~odd.filter(newline),
                }
            )
        )
        at_cr = (chunk == ord("\r")).arg_true() if body.find(b"\r", lo, hi) != -1 else None
        if at_cr is not None and at_cr.len():
            has_cr = True
            after = window.gather((at_cr.cast(pl.Int64) + 2).clip(None, window.len() - 1))
            crlf = crlf and bool((after == ord("\n")).all()) and (hi < size or chunk[-1] != 13)
        del window, chunk
        if isinstance(body, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):  # not on Windows
            aligned = (first // page) * page
            body.madvise(mmap.MADV_DONTNEED, aligned, hi - aligned)
    breaks = pl.concat(parts) if parts else pl.DataFrame(schema=_BREAKS)
    return breaks, quotes, opened, has_cr, crlf, -1


# Bytes per step of the scan: small chunks are cheap to copy into polars, and the
# many small operations cost less than a few large ones (measured: 2 MB beat 32 MB
# by ~25 % on 64 MB and 300 MB files, and 1 MB and 512 KB by 40 % and 80 % on 58 MB).
CHUNK = 1 << 21
# A small file is scanned in 16 steps, down to 256 KB: a step's buffers (the index
# alone is 4 bytes a byte) weigh on a small file's peak memory (+19 MiB on a 7 MB file
# with 2 MB steps, +8 MiB in 16 steps), not on its time.
SMALL_STEP = 1 << 18


def chunk_size(length: int) -> int:
    """The scan's step for `length` bytes: CHUNK, or less for a file under 32 MB."""
    return min(CHUNK, max(SMALL_STEP, -(-length // 16)))


_BREAKS = {"at": pl.Int64, "prev": pl.UInt8, "even": pl.Boolean}
Scan = tuple[pl.DataFrame, int, int, bool, bool, int]


class Background(threading.Thread):
    """The byte scan, run while polars parses (both release the GIL)."""

    def __init__(self, body: bytes | mmap.mmap, start: int, delimiter: str) -> None:
        super().__init__(daemon=True)
        self.body, self.start_at, self.delimiter = body, start, delimiter
        self.result: Scan | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _scan(self.body, self.start_at, self.delimiter)
        except BaseException as exc:  # handed to the caller by outcome()
            self.error = exc

    def outcome(self) -> Scan:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _bytes(body: bytes | mmap.mmap, first: int, last: int) -> pl.Series:
    """body[first:last] as a UInt8 series (a copy of one small chunk).

    polars has no zero-copy constructor from a buffer; numpy's would cost ~0.1 s to
    import, more than copying the chunks of a 300 MB file takes.
    """
    binary = pl.Series("b", [bytes(body[first:last])], dtype=pl.Binary)
    return binary.cast(pl.List(pl.UInt8)).list.explode()
