"""Every example output of the README is what bwlint prints.

An output block (a code fence without a language that shows a report) is preceded by
a marker that says how to make it, invisible on GitHub:

    <!-- example: ARGS [| SRC as DST] [| from line N] [| against the emulator]
                  [| with stderr] -->

ARGS are bwlint's arguments, run from the repository's root (`check` without any
configuration file; OUT stands for a scratch file). `with stderr`: the block shows
standard error, then standard output. `SRC as DST`: run in a scratch folder holding a copy of SRC at
DST. `from line N`: the block's first N-1 lines are another program's (pre-commit's).
`against the emulator`: EMULATOR in ARGS is the URL of a fresh `bwlint emulate`, in a
scratch copy of examples/. In a block, a line `…` stands for any number of lines.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from emulator import running
from runner import bwlint

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKER = re.compile(r"<!-- example: (.+?) -->\n```\n(.*?)```\n", re.S)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
REPORT_LINE = re.compile(r"^(Found .* \(|All checks passed \()|agree on all")


def examples() -> list[tuple[str, str]]:
    return MARKER.findall(README.read_text(encoding="utf-8"))


def matches(expected: list[str], actual: list[str]) -> bool:
    """`expected` equals `actual`, where a line `…` in `expected` matches any run of
    lines."""
    if not expected:
        return not actual
    if expected[0] == "…":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def run(spec: str, tmp_path: Path) -> str:
    parts = [part.strip() for part in spec.split("|")]
    args = shlex.split(parts[0])
    cwd = ROOT
    for option in parts[1:]:
        copy = re.fullmatch(r"(\S+) as (\S+)", option)
        if copy:
            cwd = tmp_path
            shutil.copytree(ROOT / copy[1], tmp_path / copy[2])
    if args[0] == "check":
        args.insert(1, "--isolated")
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in args]
    if "against the emulator" in parts:
        shutil.copytree(ROOT / "examples", tmp_path / "examples")
        secrets = {name: "demo" for name in ("CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN")}
        env = {f"ZOHO_{k}": v for k, v in secrets.items()} | {"XDG_STATE_HOME": str(tmp_path)}
        with running() as emulator:
            args = [emulator.url if arg == "EMULATOR" else arg for arg in args]
            return bwlint(*args, "--poll-interval", "0.05", cwd=tmp_path, **env).stdout
    result = bwlint(*args, cwd=cwd)
    return result.stderr + result.stdout if "with stderr" in parts else result.stdout


@pytest.mark.parametrize("spec, block", examples(), ids=[spec for spec, _ in examples()])
def test_each_example_output_is_what_bwlint_prints(spec, block, tmp_path):
    start = re.search(r"from line (\d+)", spec)
    expected = block.splitlines()[int(start[1]) - 1 if start else 0 :]
    actual = run(spec, tmp_path).splitlines()
    assert matches(expected, actual), "\n".join(actual)


def test_every_output_block_has_its_marker():
    text = README.read_text(encoding="utf-8")
    marked = {block for _, block in examples()}
    for language, block in FENCE.findall(text):
        shows_a_report = any(REPORT_LINE.search(line) for line in block.splitlines())
        if not language and shows_a_report:
            assert block in marked, f"an output block without its example marker:\n{block}"
    assert len(marked) >= 4


def test_the_wildcard_line():
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…", "d"], ["a", "d"])
    assert not matches(["a", "…", "d"], ["a", "b"])
