"""A declared charset → Python's codec for it, or None when it names no text encoding.

`codecs.lookup` also knows bytes-to-bytes and str-to-str codecs (`base64`, `hex`, `zlib`,
`bz2`, `uu`, `rot13`) and a few text codecs that are no charset (`punycode`, `idna`,
`unicode_escape`, `undefined`): decoding with them raises. Zoho's `character_encoding` is a
Java charset name, so only charsets count.
"""

from __future__ import annotations

import codecs

# Python text codecs that are no charset (a Java charset name would never mean them).
NOT_CHARSETS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "palmos"}
)


def text_codec(name: str | None) -> str | None:
    """Python's name for the charset `name`; None when unknown or not a text encoding."""
    if not name or "\x00" in name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_CHARSETS:
        return None
    return info.name
