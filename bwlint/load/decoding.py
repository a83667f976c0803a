"""Text helpers the reader's two paths share: decoding that notes undecodable bytes,
and the all-strings schema every frame is read with."""

from __future__ import annotations

import codecs

import polars as pl


def decode(data: bytes, codec: str, base: int, bad: list[tuple[int, int]]) -> str:
    """Decode, replacing each undecodable byte with U+FFFD and noting (offset, byte)."""
    try:
        return data.decode(codec)
    except UnicodeError:  # UnicodeDecodeError, or a codec's own complaint
        pass
    try:
        return _resumed(data, codec, base, bad)
    except (UnicodeError, ValueError, TypeError):  # a codec that cannot resume
        bad.extend((base + offset, data[offset]) for offset in range(len(data)))
        return "\ufffd" * len(data)


def _resumed(data: bytes, codec: str, base: int, bad: list[tuple[int, int]]) -> str:
    """Decode past each undecodable run, resuming after it."""
    parts = []
    position = 0
    decoder = codecs.getincrementaldecoder(codec)()
    while position < len(data):
        try:
            parts.append(decoder.decode(data[position:], final=True))
            break
        except UnicodeDecodeError as exc:
            start = position + exc.start
            parts.append(decoder.decode(data[position:start], final=True))
            decoder.reset()
            for offset in range(start, position + exc.end):
                bad.append((base + offset, data[offset]))
            parts.append("\ufffd")
            position += exc.end
        except UnicodeError:  # e.g. a BOM-less UTF-16 fragment: the rest is undecodable
            bad.extend((base + offset, data[offset]) for offset in range(position, len(data)))
            parts.append("\ufffd")
            break
    return "".join(parts)


def string_schema(width: int) -> dict[str, pl.DataType]:
    return {str(i): pl.String() for i in range(width)}
