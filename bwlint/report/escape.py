"""What a human format may print of a value anyone wrote: no control characters.

A CSV cell or a header can hold a line break (a second report line that looks like
`::error file=README.md::…`, a GitHub workflow command), an ESC or OSC sequence (that
re-titles, recolours or hides a terminal's text), bidirectional overrides, or bytes XML
cannot hold. The text and JUnit formats show each as a visible escape (`\\n`, `\\x1b`,
`\\u202e`); the JSON and SARIF formats are JSON, which escapes them itself.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, line and paragraph separators, bidirectional controls,
# and what XML 1.0 cannot hold (lone surrogates, U+FFFE, U+FFFF).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, every control character shown as an escape."""
    return _UNSAFE.sub(_escape, text)
