"""Where the rule catalogue and the schemas live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # inside a built wheel
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # a source checkout or editable install


RULES_DIR = _data_dir("rules")
SCHEMAS_DIR = _data_dir("schemas")
MODULES_DIR = SCHEMAS_DIR / "modules"
JOB_SCHEMA = SCHEMAS_DIR / "job.schema.json"
REPORT_SCHEMA = SCHEMAS_DIR / "report.schema.json"
FIELDS_SCHEMA = SCHEMAS_DIR / "fields.schema.json"  # the Fields Metadata body
