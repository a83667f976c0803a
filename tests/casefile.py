"""Rule cases as data: tests/cases/<CODE>.toml, one file per rule, sqlfluff-style.

A case names its inputs (a job JSON, data files, options) and the exact findings
expected. Every key an expectation names is compared for every finding, and the
number of findings must match: a finding nobody expected fails the case. A key
that one expectation names and another leaves out is null in the latter (TOML has no
null: leave `zoho_code` out where Zoho has no code).

`fix` is the value a finding's fix writes (for a cell fix; null when the finding has
no fix), `fix_applicability` its kind ("safe" or "unsafe").
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint._compat import tomllib
from bwlint.domain.limits import InputLimits, Limits
from bwlint.services.check import check
from bwlint.settings import Settings

CASES_DIR = Path(__file__).parent / "cases"
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Case:
    source: str
    name: str
    spec: dict[str, Any]
    expect: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.source}: {self.name}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for spec in data.get("case", []):
            cases.append(Case(path.stem, spec["name"], spec, spec.get("expect", [])))
    return cases


def materialise(case: Case, tmp: Path) -> dict[str, Any]:
    """Write the case's files under tmp; return the arguments for api.check()."""
    spec = case.spec
    paths: list[str] = []
    for name, text in spec.get("files", {}).items():
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode(spec.get("encoding", "utf-8")))
        paths.append(str(target))
    for zip_name, members in spec.get("zips", {}).items():
        target = tmp / zip_name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, text in members.items():
                archive.writestr(member, text)
        paths.append(str(target))
    kwargs: dict[str, Any] = {"paths": paths}
    if "job" in spec:
        job = tmp / "job.json"
        job.write_text(spec["job"], encoding="utf-8")
        kwargs["job"] = str(job)
    for key in ("module", "operation", "find_by", "ignore_empty", "character_encoding"):
        if key in spec:
            kwargs[key] = spec[key]
    if "schema_dir" in spec:
        kwargs["schema_dir"] = str(FIXTURES / spec["schema_dir"])
    settings = Settings()
    if "select" in spec:
        settings.select = tuple(spec["select"].split(","))
    for key, value in spec.get("settings", {}).items():
        setattr(settings, key, tuple(value) if isinstance(value, list) else value)
    if "limits" in spec:
        settings.limits = Limits(**spec["limits"])
    if "limits_input" in spec:  # bwlint's own reading bounds, made small for a case
        settings.input_limits = InputLimits(**spec["limits_input"])
    kwargs["settings"] = settings
    return kwargs


def _expected_key(finding, key: str) -> Any:
    fix = finding.fix
    if key == "fix":
        return None if fix is None else fix.edits[0].new
    if key == "fix_applicability":
        return None if fix is None else str(fix.applicability)
    return getattr(finding, key)


def run_case(case: Case, tmp: Path) -> tuple[list[tuple], list[tuple]]:
    """(found, expected) as comparable lists, paths made relative to tmp."""
    report = check(**materialise(case, tmp))
    keys = sorted({key for entry in case.expect for key in entry}) or ["code"]
    prefix = str(tmp) + "/"

    def project(finding) -> tuple:
        values = []
        for key in keys:
            value = _expected_key(finding, key)
            if isinstance(value, str) and value.startswith(prefix):
                value = value[len(prefix) :]
            values.append(value)
        return tuple(values)

    found = sorted((project(f) for f in report.findings), key=repr)
    expected = sorted((tuple(entry.get(k) for k in keys) for entry in case.expect), key=repr)
    return found, expected
