"""The code behind rules/: one check per rule code, by family.

`REGISTRY` is every check, in the order they run; `bwlint.engine` runs the ones it is
given. Adding a rule: its catalogue entry in rules/, its check in the family's module
(listed in that module's `CHECKS`), its case file in tests/cases/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bwlint.checks import (
    cells,
    file,
    formula,
    job_document,
    job_fields,
    job_mandatory,
    job_modules,
    job_values,
    parentchild_rows,
    parentchild_structure,
    records,
)
from bwlint.engine import Check

REGISTRY: tuple[Check, ...] = (
    *job_document.CHECKS,
    *job_modules.CHECKS,
    *job_fields.CHECKS,
    *job_mandatory.CHECKS,
    *job_values.CHECKS,
    *file.CHECKS,
    *cells.CHECKS,
    *formula.CHECKS,
    *records.CHECKS,
    *parentchild_structure.CHECKS,
    *parentchild_rows.CHECKS,
)


def select(wanted: Callable[[str], bool], among: Iterable[Check] = REGISTRY) -> list[Check]:
    """The checks whose code `wanted` accepts (e.g. `Settings.is_selected`), in order."""
    return [unit for unit in among if wanted(unit.code)]
