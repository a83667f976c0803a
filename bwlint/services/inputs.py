"""What every command that reads jobs is given, as values: the jobs the user named
(`Inputs`), the rules chosen (`Selection`) and the configuration file (`ConfigChoice`).
Light to import: the command line builds them before anything heavy is loaded."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    allow_outside: bool = False  # paths in the file may leave its folder
