"""Everything a user can set, with Zoho's documented defaults.

The CLI and (later) the configuration file build one `Settings`; rules read it.
Where Zoho's documents disagree, the choice lives here, never in a rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bwlint.domain.enums import Severity
from bwlint.domain.limits import INPUT, InputLimits, Limits
from bwlint.paths import SCHEMAS_DIR

# The v8 reference's defaults (the older Kaizen #13 post says yyyy-MM-dd and ISO 8601).
DEFAULT_DATE_FORMAT = "MM/dd/yyyy"
DEFAULT_DATETIME_FORMAT = "MM/dd/yyyy HH:mm:ss"
# The defaults Zoho's documents name: the v8 reference's, then the Kaizen #13 post's.
DOCUMENTED_DEFAULTS = {
    "date": (DEFAULT_DATE_FORMAT, "yyyy-MM-dd"),
    "datetime": (DEFAULT_DATETIME_FORMAT, "yyyy-MM-dd'T'HH:mm:ssXXX"),
}


@cache
def builtin_formats() -> dict[str, tuple[str, ...]]:
    data = json.loads((SCHEMAS_DIR / "formats.json").read_text(encoding="utf-8"))
    return {"date": tuple(data["date"]), "datetime": tuple(data["datetime"])}


@dataclass
class Settings:
    select: tuple[str, ...] = ("BW",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # code → severity override
    date_format: str = DEFAULT_DATE_FORMAT
    datetime_format: str = DEFAULT_DATETIME_FORMAT
    extra_date_formats: tuple[str, ...] = ()
    extra_datetime_formats: tuple[str, ...] = ()
    # (glob, the configuration's directory, codes): findings in matching files are dropped
    per_file_ignores: tuple[tuple[str, Path, tuple[str, ...]], ...] = ()
    limits: Limits = field(default_factory=Limits)
    # How `bwlint fix` reads what is ambiguous: 03/04/2024 (None: never guessed) and
    # 1,234 (a comma as the decimal mark).
    day_first: bool | None = None
    decimal_comma: bool = False
    input_limits: InputLimits = INPUT  # bwlint's own reading bounds (not Zoho's)
    formula_columns: tuple[str, ...] = ()  # headers / fields where BW416 is off

    def allowed_formats(self, kind: str) -> tuple[str, ...]:
        extra = self.extra_date_formats if kind == "date" else self.extra_datetime_formats
        return builtin_formats()[kind] + extra

    def is_selected(self, code: str) -> bool:
        def named(selectors: tuple[str, ...]) -> int:
            lengths = [len(s) for s in selectors if code.startswith(s)]
            return max(lengths) if lengths else -1

        chosen = max(named(self.select), named(self.extend_select))
        # The most specific selector wins, as in ruff: --ignore BW4 --select BW402
        # keeps BW402.
        return chosen >= 0 and chosen > named(self.ignore)

    def ignored_in(self, code: str, path: str | None) -> bool:
        """True when a per-file-ignores glob matching `path` names `code` (or a prefix)."""
        if path is None or not self.per_file_ignores:
            return False
        from bwlint.project.globs import matches_path

        target = Path(path).resolve()
        for pattern, root, codes in self.per_file_ignores:
            if not any(code.startswith(c) for c in codes):
                continue
            try:
                relative = target.relative_to(root.resolve()).as_posix()
            except ValueError:
                relative = target.as_posix()
            if matches_path(pattern, relative):
                return True
        return False
