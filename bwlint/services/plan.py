"""What every command that reads jobs shares: the configuration, the selection of rules,
and the jobs the user named — resolved once into a `Plan`.

Precedence: an option on the command line beats the configuration file, which beats
the defaults. As in ruff, `--select` starts a new selection (the file's `select`,
`ignore` and `extend-select` no longer apply); without it, `--ignore` and
`--extend-select` add to the file's lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bwlint.domain.enums import Severity
from bwlint.domain.results import ExitPolicy
from bwlint.project.config import Config, load_config
from bwlint.project.discovery import JobSpec, resolve
from bwlint.services.inputs import ConfigChoice, Inputs, Selection
from bwlint.settings import Settings


@dataclass(frozen=True)
class Plan:
    """The jobs to run and everything that says how."""

    config: Config
    settings: Settings
    schema_dir: Path | str | None
    specs: list[JobSpec] = field(default_factory=list)

    def exit_policy(self, fail_on: str | None = None, exit_zero: bool = False) -> ExitPolicy:
        return ExitPolicy(Severity(fail_on or self.config.fail_on), exit_zero)


def make_plan(
    inputs: Inputs,
    selection: Selection | None = None,
    config_choice: ConfigChoice | None = None,
) -> Plan:
    selection = selection or Selection()
    config_choice = config_choice or ConfigChoice()
    config = load_config(
        config_choice.path,
        isolated=config_choice.isolated,
        allow_outside=config_choice.allow_outside,
    )
    settings = selection.applied_to(config.settings)
    specs = resolve(
        list(inputs.paths),
        config,
        job=inputs.job,
        module=inputs.module,
        operation=inputs.operation,
        find_by=inputs.find_by,
        ignore_empty=inputs.ignore_empty,
        character_encoding=inputs.character_encoding,
    )
    schema_dir = inputs.schema_dir if inputs.schema_dir is not None else config.schema_dir
    return Plan(config, settings, schema_dir, specs)
