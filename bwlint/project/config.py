"""The configuration file: find it, read it, validate every key, build `Settings` + jobs.

Discovery, as ruff does it: from the working directory up to the file system root, the
first directory holding `.bwlint.toml`, `bwlint.toml` or a `pyproject.toml` with a
`[tool.bwlint]` table wins (in that order within one directory). `--config FILE`
replaces discovery. Paths in the file are relative to the file's directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwlint._compat import tomllib
from bwlint.domain.enums import Operation, Severity
from bwlint.domain.limits import INPUT
from bwlint.errors import UsageError
from bwlint.load.files import read_regular
from bwlint.project import globs
from bwlint.settings import Settings
from bwlint.suggest import closest
from bwlint.zoho.settings import ZohoSettings, parse_zoho

CONFIG_NAMES = (".bwlint.toml", "bwlint.toml", "pyproject.toml")
SEVERITIES = tuple(Severity)
FAIL_ON = (Severity.ERROR, Severity.WARNING)
OPERATIONS = tuple(Operation)
CODE_RE = re.compile(r"^BW\d{0,3}$")

TOP_KEYS = (
    "schema-dir",
    "select",
    "ignore",
    "extend-select",
    "severity",
    "date-format",
    "datetime-format",
    "extra-date-formats",
    "extra-datetime-formats",
    "per-file-ignores",
    "fail-on",
    "jobs",
    "zoho",
    "allow-formulas-in",
)
JOB_KEYS = (
    "name",
    "job",
    "module",
    "operation",
    "find-by",
    "ignore-empty",
    "character-encoding",
    "data",
)
MODULE_KEYS = ("operation", "find-by", "ignore-empty", "character-encoding")


@dataclass(frozen=True)
class DeclaredJob:
    """A `[[jobs]]` entry: a job JSON (or a module) and the globs of its data files."""

    name: str
    root: Path  # the configuration file's directory: globs are relative to it
    job: Path | None = None
    module: str | None = None
    operation: str | None = None
    find_by: str | None = None
    data: tuple[str, ...] = ()
    ignore_empty: bool | None = None
    character_encoding: str | None = None

    where: str = ""  # "bwlint.toml jobs[1]:", for messages
    inside_only: bool = False  # refuse a match that leaves `root` (through a link)

    def data_files(self) -> list[Path]:
        """The files the globs match today, sorted, each once; none is an error."""
        found = globs.expand(self.data, self.root)
        if self.inside_only:
            for path in found:
                if not _is_inside(path, self.root):
                    raise UsageError(
                        f"{self.where} 'data': {path} is outside the configuration's folder "
                        "(through a link); bwlint reads only files inside it "
                        "(--allow-outside-paths allows more)"
                    )
        if not found:
            raise UsageError(f"{self.where} 'data' ({', '.join(self.data)}) matches no file")
        return found

    def owns(self, path: Path) -> bool:
        """True when `path` (a data file) is one the globs name."""
        return globs.names(self.data, path, self.root)


@dataclass
class Config:
    """What the configuration file says (or the defaults when there is none)."""

    path: Path | None = None
    settings: Settings = field(default_factory=Settings)
    schema_dir: Path | None = None
    fail_on: Severity = Severity.ERROR
    jobs: list[DeclaredJob] = field(default_factory=list)
    zoho: ZohoSettings = field(default_factory=ZohoSettings)  # where submit connects

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()


def discover(start: Path | None = None) -> Path | None:
    """The configuration file that applies to `start` (default: the working directory)."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and _tool(_read(candidate)) is None:
                continue  # no [tool.bwlint]: not bwlint's file
            return candidate
    return None


def _tool(data: dict[str, Any]) -> Any:
    """`[tool.bwlint]` of a pyproject.toml, or None (also when `tool` is no table)."""
    tool = data.get("tool")
    return tool.get("bwlint") if isinstance(tool, dict) else None


def load_config(
    path: str | Path | None = None, *, isolated: bool = False, allow_outside: bool = False
) -> Config:
    """Read `path` (from `--config`), else the discovered file, else the defaults.
    Paths in the file must stay inside its folder unless `allow_outside`."""
    if isolated:
        return Config()
    if path is not None:
        config_path = Path(path)
        if not config_path.exists():
            raise UsageError(f"{path}: configuration file not found")
    else:
        found = discover()
        if found is None:
            return Config()
        config_path = found
    data = _read(config_path)
    if config_path.name == "pyproject.toml":
        table = _tool(data)
        table = {} if table is None else table
        where = f"{_shown(config_path)}: [tool.bwlint]"
    else:
        table = data
        where = _shown(config_path)
    return _build(config_path, table, where, Inside(config_path.parent, allow_outside))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read(path: Path) -> dict[str, Any]:
    """The TOML of a configuration file: a regular UTF-8 file of bounded size and depth;
    anything else is one line naming it."""
    shown = _shown(path)
    data = read_regular(path, "configuration file", INPUT.config_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{shown}: not UTF-8 text (byte offset {exc.start}: {data[exc.start]:#04x}); "
            "TOML files are UTF-8: save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: not valid TOML: {exc}") from None
    except RecursionError:
        raise UsageError(f"{shown}: not valid TOML: nested too deeply") from None
    except ValueError:  # an integer of thousands of digits
        raise UsageError(f"{shown}: not valid TOML: a number too long to read") from None


class Inside:
    """Paths the configuration names stay inside its folder: a pull request that edits
    the file must not make bwlint read (and echo) files elsewhere on the runner.
    `--allow-outside-paths` lifts this."""

    def __init__(self, root: Path, allow: bool = False) -> None:
        self.root, self.allow = root, allow

    def path(self, where: str, key: str, value: str) -> Path:
        """`value` (relative to the root) as a path, refused when it leaves the root."""
        return self.check(where, key, self.root / value, value)

    def check(self, where: str, key: str, path: Path, said: str | None = None) -> Path:
        if not self.allow and not _is_inside(path, self.root):
            raise UsageError(
                f"{where} '{key}': {said or path} is outside the configuration's folder; "
                "bwlint reads only files inside it (--allow-outside-paths allows more)"
            )
        return path

    def pattern(self, where: str, key: str, pattern: str) -> str:
        if not self.allow and (Path(pattern).is_absolute() or ".." in Path(pattern).parts):
            raise UsageError(
                f"{where} '{key}': {pattern} is outside the configuration's folder; "
                "bwlint reads only files inside it (--allow-outside-paths allows more)"
            )
        return pattern


def _is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, links resolved, lies inside `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def _unknown(where: str, key: str, known: tuple[str, ...]) -> UsageError:
    close = closest(key, known, cutoff=0.6)
    hint = f" (did you mean '{close}'?)" if close else f" (known keys: {', '.join(known)})"
    return UsageError(f"{where} unknown key '{key}'{hint}")


def _string(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise UsageError(f"{where} '{key}' must be a non-empty string, not {value!r}")
    return value


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list):
        raise UsageError(f"{where} '{key}' must be a list of strings, not {value!r}")
    for item in value:
        if not isinstance(item, str) or not item:
            raise UsageError(f"{where} '{key}' must be a list of strings, not {value!r}")
    return tuple(value)


def _codes(where: str, key: str, value: Any) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in _strings(where, key, value))
    for code in codes:
        if not CODE_RE.match(code):
            raise UsageError(
                f"{where} '{key}': '{code}' is not a rule code or prefix (e.g. BW4, BW402)"
            )
    return codes


def _boolean(where: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{where} '{key}' must be true or false, not {value!r}")
    return value


def _choice(where: str, key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UsageError(f"{where} '{key}' must be one of {', '.join(choices)}, not {value!r}")
    return value


# Keys that set one Settings attribute through one parser: (attribute, parser).
SETTING_KEYS = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "date-format": ("date_format", _string),
    "datetime-format": ("datetime_format", _string),
    "extra-date-formats": ("extra_date_formats", _strings),
    "extra-datetime-formats": ("extra_datetime_formats", _strings),
    "allow-formulas-in": ("formula_columns", _strings),
}


def _build(path: Path, table: Any, where: str, inside: Inside) -> Config:
    if not isinstance(table, dict):
        raise UsageError(f"{where} must be a table")
    root = path.parent
    config = Config(path=path)
    settings = config.settings
    for key, value in table.items():
        if key not in TOP_KEYS:
            raise _unknown(where, key, TOP_KEYS)
        if key in SETTING_KEYS:
            attribute, parse = SETTING_KEYS[key]
            setattr(settings, attribute, parse(where, key, value))
        elif key == "schema-dir":
            config.schema_dir = inside.path(where, key, _string(where, key, value))
        elif key == "severity":
            settings.severity = _severity(where, value)
        elif key == "per-file-ignores":
            settings.per_file_ignores = _per_file_ignores(where, value, root)
        elif key == "fail-on":
            config.fail_on = Severity(_choice(where, key, value, FAIL_ON))
        elif key == "jobs":
            config.jobs = _jobs(where, value, inside)
        elif key == "zoho":
            config.zoho = parse_zoho(where, value, root)
            journal = config.zoho.journal
            if journal is not None:  # written by submit: inside the folder too
                inside.check(where, "zoho.journal", journal)
    return config


def _severity(where: str, value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise UsageError(f"{where} 'severity' must be a table of CODE = \"error|warning|info\"")
    from bwlint.catalogue import load_catalogue

    catalogue = load_catalogue()
    result: dict[str, Severity] = {}
    for code, level in value.items():
        if code.upper() not in catalogue:
            close = closest(code.upper(), catalogue, cutoff=0.6)
            hint = f" (did you mean '{close}'?)" if close else " (see 'bwlint rules')"
            raise UsageError(f"{where} 'severity': unknown rule code '{code}'{hint}")
        result[code.upper()] = Severity(_choice(where, f"severity.{code}", level, SEVERITIES))
    return result


def _per_file_ignores(where: str, value: Any, root: Path) -> tuple:
    if not isinstance(value, dict):
        raise UsageError(f"{where} 'per-file-ignores' must be a table of \"glob\" = [codes]")
    return tuple(
        (pattern, root, _codes(where, f"per-file-ignores.{pattern}", codes))
        for pattern, codes in value.items()
    )


def _jobs(where: str, value: Any, inside: Inside) -> list[DeclaredJob]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise UsageError(f"{where} 'jobs' must be an array of tables ([[jobs]])")
    return [_job(f"{where} jobs[{n}]:", entry, inside) for n, entry in enumerate(value, start=1)]


def _job(here: str, entry: dict[str, Any], inside: Inside) -> DeclaredJob:
    """One `[[jobs]]` entry, every key checked."""
    for key in entry:
        if key in TOP_KEYS:
            raise UsageError(
                f"{here} unknown key '{key}' (top-level keys go before the first "
                "[[jobs]], else TOML puts them in that job)"
            )
        if key not in JOB_KEYS:
            raise _unknown(here, key, JOB_KEYS)
    job, module = entry.get("job"), entry.get("module")
    if (job is None) == (module is None):
        raise UsageError(f"{here} give either 'job' (a job JSON) or 'module', not both")
    if "data" not in entry:
        raise UsageError(f"{here} 'data' (the globs of its CSV/ZIP files) is missing")
    if job is not None and any(key in entry for key in MODULE_KEYS):
        raise UsageError(f"{here} {', '.join(map(repr, MODULE_KEYS))} go with 'module'")
    root = inside.root
    job_path = inside.path(here, "job", _string(here, "job", job)) if job is not None else None
    if job_path is not None and not job_path.is_file():
        raise UsageError(f"{here} 'job': {_shown(job_path)}: no such file")

    def optional(key: str, parse: Any, *args: Any) -> Any:
        return parse(here, key, entry[key], *args) if key in entry else None

    return DeclaredJob(
        name=_string(here, "name", entry.get("name", job or module)),
        root=root,
        job=job_path,
        module=optional("module", _string),
        operation=optional("operation", _choice, OPERATIONS),
        find_by=optional("find-by", _string),
        ignore_empty=optional("ignore-empty", _boolean),
        character_encoding=optional("character-encoding", _string),
        data=tuple(inside.pattern(here, "data", p) for p in _strings(here, "data", entry["data"])),
        where=here,
        inside_only=not inside.allow,
    )
