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
from bwlint.errors import UsageError
from bwlint.project.config import Config, load_config
from bwlint.project.discovery import JobSpec, resolve, shown, unclaimed
from bwlint.services.inputs import ConfigChoice, Inputs, Selection
from bwlint.settings import Settings


@dataclass(frozen=True)
class Plan:
    """The jobs to run and everything that says how."""

    config: Config
    settings: Settings
    schema_dir: Path | str | None
    specs: list[JobSpec] = field(default_factory=list)
    # data files under the directories given that no job reads (rule BW221)
    unclaimed: list[str] = field(default_factory=list)

    def exit_policy(self, fail_on: str | None = None, exit_zero: bool = False) -> ExitPolicy:
        return ExitPolicy(Severity(fail_on or self.config.fail_on), exit_zero)


def unknown_selectors(codes: tuple[str, ...], where: str) -> None:
    """Stop (exit 2) on a code or prefix that selects no rule: `--select BW9` would
    otherwise turn every rule off, and `--ignore BW50l` ignore nothing, in silence."""
    from bwlint.catalogue import load_catalogue
    from bwlint.suggest import did_you_mean

    catalogue = load_catalogue()
    for code in codes:
        if any(rule.startswith(code) for rule in catalogue):
            continue
        digits = code.translate(LOOKALIKES)  # BW50l: a letter l for the digit 1
        if digits != code and any(rule.startswith(digits) for rule in catalogue):
            hint = f"; did you mean '{digits}'?"
        else:
            hint = did_you_mean(code, catalogue, 0.7) if len(code) == 5 else ""
        raise UsageError(f"{where}: '{code}' matches no rule{hint} (bwlint rules lists them)")


LOOKALIKES = str.maketrans({"L": "1", "I": "1", "O": "0"})


def _check_selection(selection: Selection, config: Config) -> None:
    for option, codes in (
        ("--select", selection.select),
        ("--ignore", selection.ignore),
        ("--extend-select", selection.extend_select),
    ):
        unknown_selectors(codes, option)
    if config.path is None:
        return
    where = shown(config.path)
    settings = config.settings
    for key, codes in (
        ("select", settings.select),
        ("ignore", settings.ignore),
        ("extend-select", settings.extend_select),
    ):
        unknown_selectors(codes, f"{where} '{key}'")
    for pattern, _root, codes in settings.per_file_ignores:
        unknown_selectors(codes, f"{where} 'per-file-ignores' \"{pattern}\"")


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
    _check_selection(selection, config)
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
    left = [] if inputs.job or inputs.module else unclaimed(list(inputs.paths), specs)
    return Plan(config, settings, schema_dir, specs, left)
