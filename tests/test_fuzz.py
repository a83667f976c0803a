"""Property tests over hostile input (issue 13): whatever the CSV, zip, job JSON,
metadata file or configuration, `bwlint check` exits 0, 1 or 2; on 2 it prints one
`bwlint: error:` line and nothing else; otherwise every format parses (JSON, SARIF,
JUnit XML) or holds no raw control character (text, GitHub); the inputs are unchanged;
and each run is quick.

CI runs a fixed budget of examples per property (a few seconds in all). The long run:

    BWLINT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py -p no:cacheprovider

(five properties: 100,000 inputs, about an hour on two cores). Hypothesis keeps failing
examples in .hypothesis/ and prints a `@reproduce_failure` line for each.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hostile import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runner import bwlint

EXAMPLES = int(os.environ.get("BWLINT_FUZZ_EXAMPLES", "40"))
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # zipfile: duplicate names
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=EXAMPLES <= 100,  # CI: the same inputs every run
    print_blob=True,
)
SECONDS_PER_RUN = 20.0
FORMATS = ("text", "json", "sarif", "github", "junit")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EXAMPLE_JOB = json.loads((ROOT / "examples/leads/job.json").read_text())
LEADS = json.loads((ROOT / "schemas/modules/Leads.json").read_text())

# --- the invariants ---------------------------------------------------------------------


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def run_and_judge(folder: Path, fmt: str, *args: str) -> None:
    """Run `bwlint check ARGS --format FMT` in `folder` and hold it to the invariants."""
    before = _digest(folder)
    started = time.monotonic()
    result = bwlint("check", *args, "--format", fmt, cwd=folder)
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS_PER_RUN, f"{elapsed:.1f} s"
    after = _digest(folder)
    assert {name: after.get(name) for name in before} == before, "an input changed"
    assert result.returncode in (0, 1, 2), result
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if result.returncode == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("bwlint: error: "), result.stderr
        assert CONTROL.search(lines[0]) is None or "\\" in lines[0], lines[0]
        return
    assert result.stderr == "", result.stderr
    _judge_format(fmt, result.stdout)


def _judge_format(fmt: str, out: str) -> None:
    if fmt in ("json", "sarif"):
        document = json.loads(out)
        assert isinstance(document, dict)
        if fmt == "json":
            for finding in document["findings"]:
                assert isinstance(finding["message"], str)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8", "surrogatepass"))
    else:  # text, github: one line per entry, no terminal control
        assert CONTROL.search(out) is None, repr(CONTROL.search(out))
        if fmt == "github":
            for line in out.splitlines():
                assert not line.startswith("::") or re.match(r"::(error|warning|notice) ", line)


# --- strategies -------------------------------------------------------------------------

HEADERS = [
    "Last_Name", "First_Name", "Company", "Email", "Phone", "Lead_Source", "Annual_Revenue",
    "No_of_Employees", "Email_Opt_Out", "Website", "Description", "id", "", "x", "Last Name",
]  # fmt: skip
CELL_CHARS = [*'ab ,;:|"\n\r\t=-+@1.0é\x00\ufeff\u202e\x1b', chr(0xD800)]
cells = st.text(alphabet=st.sampled_from(CELL_CHARS), max_size=10) | st.sampled_from(
    ["ana@x.example", "12/31/2024", "-5", "=HYPERLINK(1)", "true", "9" * 30, "-None-"]
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]


@st.composite
def csv_bytes(draw: Any) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6))
    rows = draw(st.lists(st.lists(cells, max_size=7), max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "|", ":", "\t"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def cell(value: str) -> str:
        if quote or any(c in value for c in f'{delimiter}"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(v) for v in row) for row in [header, *rows]]
    text = ending.join(lines) + draw(st.sampled_from(["", ending, ending * 2]))
    if draw(st.integers(0, 5)) == 0:  # cut anywhere: an unterminated quote, a half record
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, "surrogatepass" if "utf" in encoding else "replace")


def _options(draw: Any) -> list[str]:
    options = ["--isolated", "--module", draw(st.sampled_from(["Leads", "Contacts", "Nope"]))]
    encoding = draw(
        st.sampled_from([None, "UTF-8", "ISO-8859-1", "utf-16", "base64", "x", "punycode", "utf-7"])
    )
    if encoding is not None:
        options += ["--character-encoding", encoding]
    if draw(st.booleans()):
        options += ["--operation", "update", "--find-by", draw(st.sampled_from(["id", "Email"]))]
    return options


@given(data=csv_bytes(), fmt=st.sampled_from(FORMATS), extra=st.data())
@FUZZ
def test_fuzz_reader(tmp_path_factory, data, fmt, extra):
    folder = tmp_path_factory.mktemp("reader")
    name = extra.draw(st.sampled_from(["leads.csv", "Leads-leads.csv", "l\u00e9ads.csv"]))
    (folder / name).write_bytes(data)
    args = _options(extra.draw)
    if extra.draw(st.booleans()):
        args += ["--result-preview", extra.draw(st.sampled_from(["out.csv", ".", name, ""]))]
    run_and_judge(folder, fmt, *args, name)


MEMBER_NAMES = st.sampled_from(
    ["leads.csv", "a/b.csv", "__MACOSX/._leads.csv", ".DS_Store", "README.txt", "x.xlsx",
     "d/", "", "\x00x.csv", "../up.csv", "/abs.csv", "é.csv", "L" * 300 + ".csv"]
)  # fmt: skip


@given(
    members=st.lists(st.tuples(MEMBER_NAMES, csv_bytes()), max_size=4),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
    corrupt=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=3),
    fmt=st.sampled_from(FORMATS),
)
@FUZZ
def test_fuzz_zip(tmp_path_factory, members, method, corrupt, fmt):
    folder = tmp_path_factory.mktemp("zip")
    path = folder / "upload.zip"
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members:
            info = zipfile.ZipInfo("placeholder", date_time=(2024, 1, 1, 0, 0, 0))
            info.filename = name  # as written, NUL and all
            info.compress_type = method
            try:
                archive.writestr(info, data)
            except (ValueError, IndexError):
                continue
    raw = bytearray(path.read_bytes())
    for offset, byte in corrupt:
        if offset < len(raw):
            raw[offset] = byte
    path.write_bytes(bytes(raw))
    run_and_judge(folder, fmt, "--isolated", "--module", "Leads", "upload.zip")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from(CELL_CHARS + list(string.ascii_letters)), max_size=12)
    | st.sampled_from(["insert", "update", "upsert", "Leads", "Last_Name", "id", "UTF-8"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["api_name", "index", "module", "find_by", "resource", "x", "format"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _mutate(draw: Any, value: Any, depth: int = 0) -> Any:
    """`value` with a few of its parts replaced, removed or added."""
    if depth > 6 or not isinstance(value, dict | list) or not value:
        return draw(json_values) if draw(st.integers(0, 3)) == 0 else value
    if isinstance(value, dict):
        result = dict(value)
        key = draw(st.sampled_from(sorted(result)))
        action = draw(st.integers(0, 3))
        if action == 0:
            del result[key]
        elif action == 1:
            result[key] = draw(json_values)
        else:
            result[key] = _mutate(draw, result[key], depth + 1)
        return result
    items = list(value)
    index = draw(st.integers(0, len(items) - 1))
    items[index] = _mutate(draw, items[index], depth + 1)
    return items


def _text_mutation(draw: Any, text: str) -> str:
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        insert = draw(st.sampled_from([",", "}", "]", '"', "\u00a0", "NaN", "//", "\\", "", "{"]))
        cut = draw(st.integers(0, 3))
        text = text[:at] + insert + text[at + cut :]
    return text


@given(extra=st.data(), fmt=st.sampled_from(FORMATS))
@FUZZ
def test_fuzz_job_json(tmp_path_factory, extra, fmt):
    folder = tmp_path_factory.mktemp("job")
    (folder / "leads.csv").write_bytes((ROOT / "examples/leads/leads.csv").read_bytes())
    body = _mutate(extra.draw, EXAMPLE_JOB)
    text = json.dumps(body, ensure_ascii=extra.draw(st.booleans()))
    if extra.draw(st.booleans()):
        text = _text_mutation(extra.draw, text)
    (folder / "job.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    run_and_judge(folder, fmt, "--isolated", "--job", "job.json", "leads.csv")


@given(extra=st.data(), fmt=st.sampled_from(FORMATS))
@FUZZ
def test_fuzz_metadata(tmp_path_factory, extra, fmt):
    folder = tmp_path_factory.mktemp("metadata")
    (folder / "org").mkdir()
    (folder / "leads.csv").write_bytes((ROOT / "examples/leads/leads.csv").read_bytes())
    (folder / "job.json").write_bytes((ROOT / "examples/leads/job.json").read_bytes())
    fields = [f for f in LEADS["fields"] if f["api_name"] in ("Last_Name", "Email", "Company")]
    body = {"fields": [_mutate(extra.draw, f) for f in fields]}
    text = json.dumps(body)
    if extra.draw(st.integers(0, 3)) == 0:
        text = _text_mutation(extra.draw, text)
    name = extra.draw(st.sampled_from(["Leads.json", "leads.json", "modules.json"]))
    (folder / "org" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    run_and_judge(
        folder, fmt, "--isolated", "--job", "job.json", "leads.csv", "--schema-dir", "org"
    )


TOML_VALUES = st.sampled_from(
    ['"BW4"', '["BW4"]', "1", "true", '["../x/*.csv"]', '["/etc/passwd"]', '["**/*.csv"]',
     '["*a*a*a*a*a*a*a*a*a*b"]', '{a = 1}', "[[1]]", '"dd/MM/yyyy"', '["leads.csv"]', "9" * 40,
     '"\\ud800"', "[" * 50 + "]" * 50, '"x"', "[]", '["=x"]']
)  # fmt: skip
TOML_KEYS = st.sampled_from(
    ["select", "ignore", "extend-select", "severity", "date-format", "fail-on", "schema-dir",
     "per-file-ignores", "allow-formulas-in", "extra-date-formats", "zoho", "selct", "tool"]
)  # fmt: skip


@given(
    top=st.lists(st.tuples(TOML_KEYS, TOML_VALUES), max_size=4),
    jobs=st.lists(st.lists(st.tuples(st.sampled_from(
        ["module", "job", "data", "operation", "find-by", "name", "x"]), TOML_VALUES),
        max_size=4), max_size=2),
    name=st.sampled_from(["bwlint.toml", ".bwlint.toml", "pyproject.toml"]),
    junk=st.binary(max_size=20),
    fmt=st.sampled_from(FORMATS),
)  # fmt: skip
@FUZZ
def test_fuzz_configuration(tmp_path_factory, top, jobs, name, junk, fmt):
    folder = tmp_path_factory.mktemp("config")
    (folder / "leads.csv").write_bytes((ROOT / "examples/leads/leads.csv").read_bytes())
    lines = ["[tool.bwlint]"] if name == "pyproject.toml" else []
    lines += [f"{key} = {value}" for key, value in dict(top).items()]
    prefix = "[[tool.bwlint.jobs]]" if name == "pyproject.toml" else "[[jobs]]"
    for entry in jobs:
        lines.append(prefix)
        lines += [f"{key} = {value}" for key, value in dict(entry).items()]
    (folder / name).write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + junk)
    args = ["--module", "Leads", "leads.csv"] if not jobs else []
    run_and_judge(folder, fmt, *args)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_judge_accepts_an_ordinary_run(tmp_path, fmt):
    (tmp_path / "leads.csv").write_bytes((ROOT / "examples/leads/leads.csv").read_bytes())
    run_and_judge(tmp_path, fmt, "--isolated", "--module", "Leads", "leads.csv")
