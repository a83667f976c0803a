"""Masking what must not reach a CI log: values that look like Zoho OAuth credentials.

A cell or a JSON value can hold a pasted access or refresh token (`1000.<hex>.<hex>`), a
client id (`1000.<upper-case letters and digits>`) or a client secret (42 hex digits);
bwlint echoes offending values in messages, and reports end up in CI logs, SARIF
uploads and annotations. Every finding's message and value is masked here, once, before
any reporter sees it; so are the credentials of the environment (ZOHO_CLIENT_SECRET …),
whatever their form.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import polars as pl

MASK = "[masked]"
_PATTERNS = re.compile(
    r"1000\.[0-9a-fA-F]{16,}(?:\.[0-9a-fA-F]*)?"  # access / refresh token (or its start)
    r"|1000\.[0-9A-Z]{20,}"  # client id
    r"|(?<![0-9A-Za-z])[0-9a-f]{42}(?![0-9A-Za-z])"  # client secret
)
_ENVIRONMENT = ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN", "ZOHO_ACCESS_TOKEN")
_QUICK = re.compile(r"1000\.|[0-9a-f]{42}")


def _environment_secrets() -> list[str]:
    values = (os.environ.get(name, "") for name in _ENVIRONMENT)
    return [value for value in values if len(value) >= 8]


def redact(text: str) -> str:
    """`text` with every credential-like value replaced by `[masked]`."""
    if _QUICK.search(text) is not None:
        text = _PATTERNS.sub(MASK, text)
    for secret in _environment_secrets():
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redacted(cells: Sequence[str | None] | pl.Series) -> Sequence[str | None] | pl.Series:
    """`cells` (messages or values of many findings) with `redact` applied to each: only
    the cells a quick screen flags go through Python (a column of 100,000s of
    findings is screened by polars at once). Nothing to mask: `cells` itself."""
    secrets = _environment_secrets()
    if not isinstance(cells, pl.Series) and len(cells) < 1_000:
        present = [cell for cell in cells if cell is not None]
        joined = "\n".join(present)  # a credential never spans a line break
        if _QUICK.search(joined) is None and not any(s in joined for s in secrets):
            return cells
        return [None if cell is None else redact(cell) for cell in cells]
    column = pl.Series(cells, dtype=pl.String) if not isinstance(cells, pl.Series) else cells
    column = column.cast(pl.String)
    flagged = column.str.contains(_QUICK.pattern)
    for secret in secrets:
        flagged = flagged | column.str.contains(secret, literal=True)
    rows = flagged.fill_null(False).arg_true()
    if rows.is_empty():
        return cells
    masked = [redact(cell) for cell in column.gather(rows).to_list()]
    return column.clone().scatter(rows, pl.Series(masked, dtype=pl.String))
