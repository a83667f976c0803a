"""bwlint: check Zoho CRM Bulk Write jobs (job JSON + CSV/ZIP) before you upload them.

import bwlint
result = bwlint.check(["leads.csv"], job="job.json")
for finding in result.findings: ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # `bwlint.check` is imported on first use: `bwlint --version` needs no polars.
    if name == "check":
        from bwlint.services.check import check

        return check
    raise AttributeError(f"module 'bwlint' has no attribute {name!r}")
