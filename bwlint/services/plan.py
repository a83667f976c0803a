"""What every command that reads jobs shares: the configuration, the selection of rules,
and the jobs the user named — resolved once into a `Plan`.

Precedence: an option on the command line beats the configuration file, which beats
the defaults. As in ruff, `--select` starts a new selection (the file's `select`,
`ignore` and `extend-select` no longer apply); without it, `--ignore` and
`--extend-select` add to the file's lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from bwlint.domain.enums import Severity
from bwlint.domain.results import ExitPolicy
from bwlint.project.config import Config, load_config
from bwlint.project.discovery import JobSpec, resolve
from bwlint.settings import Settings


@dataclass(frozen=True)
class Inputs:
    """The jobs as the user named them: paths, and a job JSON or a module with the
    options that stand for its job JSON."""

    paths: tuple[str, ...] = ()
    job: str | None = None
    module: str | None = None
    operation: str | None = None
    find_by: str | None = None
    ignore_empty: bool | None = None
    character_encoding: str | None = None
    schema_dir: str | None = None


@dataclass(frozen=True)
class Selection:
    """`--select`, `--ignore`, `--extend-select`: rule codes or prefixes."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def applied_to(self, base: Settings) -> Settings:
        if self.select:  # a new selection: the file's lists are dropped
            return replace(
                base, select=self.select, ignore=self.ignore, extend_select=self.extend_select
            )
        return replace(
            base,
            ignore=base.ignore + self.ignore,
            extend_select=base.extend_select + self.extend_select,
        )


@dataclass(frozen=True)
class ConfigChoice:
    """`--config FILE` / `--isolated`: which configuration file applies."""

    path: str | None = None
    isolated: bool = False


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
    selection: Selection = Selection(),
    config_choice: ConfigChoice = ConfigChoice(),
) -> Plan:
    config = load_config(config_choice.path, isolated=config_choice.isolated)
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
