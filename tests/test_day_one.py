"""Issue 10, "day one with real exports": the behaviours that are no rule case of
tests/cases/ (they need the command line, a directory, a configuration or a preview)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from runner import bwlint

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leads"
COVERED_RULES = ("BW221",)  # tests/test_rule_cases.py counts these as covered


def findings(result) -> list[tuple]:
    report = json.loads(result.stdout)
    return [(f["code"], f["severity"], f["file"], f["job"]) for f in report["findings"]]


def convention_tree(root: Path) -> Path:
    folder = root / "imports" / "leads"
    (folder / "sub").mkdir(parents=True)
    (folder / "results" / "600123").mkdir(parents=True)
    shutil.copy(EXAMPLE / "job.json", folder / "part-001.job.json")
    for target in ("part-001.csv", "extra.csv", "sub/more.csv", "results/600123/Leads-x.csv"):
        shutil.copy(EXAMPLE / "leads.csv", folder / target)
    return folder


def test_a_directory_names_the_csvs_no_job_reads(tmp_path):
    convention_tree(tmp_path)
    result = bwlint("check", "--isolated", "imports", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert findings(result) == [
        ("BW221", "warning", "imports/leads/extra.csv", None),
        ("BW221", "warning", "imports/leads/sub/more.csv", None),
    ]
    text = bwlint("check", "--isolated", "imports", cwd=tmp_path).stdout
    assert text.splitlines()[0] == (
        "imports/leads/extra.csv: BW221 warning: no job reads this file, so it was not "
        "checked: put it beside a job.json, name it NAME.csv or NAME.zip beside "
        "NAME.job.json, or declare it in a [[jobs]] entry's data"
    )


def test_a_declared_job_claims_its_globs_and_nothing_else(tmp_path):
    folder = convention_tree(tmp_path)
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\njob = "imports/leads/part-001.job.json"\ndata = ["imports/leads/*.csv"]\n'
    )
    result = bwlint("check", "imports", "--format", "json", cwd=tmp_path)
    assert [f[2] for f in findings(result)] == ["imports/leads/sub/more.csv"]
    assert folder.is_dir()


def test_files_given_with_job_or_module_are_all_read(tmp_path):
    convention_tree(tmp_path)
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "imports/leads/sub",
        "--select",
        "BW221",
        cwd=tmp_path,
    )
    assert result.stdout == "All checks passed (1 file, 3 records).\n"


def test_a_selector_that_matches_no_rule_stops_the_run(tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("Last_Name\nOno\n")
    cases = {
        (
            "--select",
            "BW9",
        ): "bwlint: error: --select: 'BW9' matches no rule (bwlint rules lists them)\n",
        ("--ignore", "BW50l"): "bwlint: error: --ignore: 'BW50L' matches no rule; did you mean "
        "'BW501'? (bwlint rules lists them)\n",
    }
    for option, message in cases.items():
        result = bwlint("check", "--isolated", "--module", "Leads", str(csv), *option)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_a_selector_in_the_configuration_that_matches_no_rule_stops_the_run(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    for text, message in (
        ('ignore = ["BW9"]\n', "bwlint.toml 'ignore': 'BW9' matches no rule"),
        (
            '[per-file-ignores]\n"old/*" = ["BW88"]\n',
            "bwlint.toml 'per-file-ignores' \"old/*\": 'BW88' matches no rule",
        ),
    ):
        (tmp_path / "bwlint.toml").write_text(text)
        result = bwlint("check", "--module", "Leads", "leads.csv", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith(f"bwlint: error: {message}")


def test_prefixes_that_match_rules_still_run(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "leads.csv",
        "--select",
        "BW4,BW501",
        "--ignore",
        "BW40",
        cwd=tmp_path,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_preview_skips_the_children_of_a_skipped_parent_and_names_missing_line_items(tmp_path):
    shutil.copy(ROOT / "examples" / "parent-child" / "job.json", tmp_path / "job.json")
    (tmp_path / "quotes.csv").write_text(
        "Quote_Ref,Subject,Account_Id,Valid_Till,Stage\n"
        "Q-1,Chairs,111111000000070001,12/31/2026,Draft\n"
        "Q-2,,111111000000070002,12/15/2026,Draft\n"
        "Q-3,Lamps,111111000000070002,12/15/2026,Draft\n"
    )
    (tmp_path / "quoted_items.csv").write_text(
        "Quote_Ref,Product_Id,Quantity,List_Price,Discount\n"
        "Q-1,111111000000090001,40,189.00,10.00\n"
        "Q-2,111111000000090002,40,24.50,0\n"
    )
    result = bwlint(
        "check",
        "--isolated",
        "--job",
        "job.json",
        "quotes.csv",
        "quoted_items.csv",
        "--result-preview",
        "out",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (tmp_path / "out" / "Quoted_Items-quoted_items.csv").read_text() == (
        "Quote_Ref,Product_Id,Quantity,STATUS,RECORD_ID,ERRORS\n"
        "Q-1,111111000000090001,40,added,,\n"
        "Q-2,111111000000090002,40,skipped,,\n"
    )
    assert (tmp_path / "out" / "Quotes-quotes.csv").read_text() == (
        "Subject,Account_Id,Valid_Till,STATUS,RECORD_ID,ERRORS\n"
        "Chairs,111111000000070001,12/31/2026,added,,\n"
        ",111111000000070002,12/15/2026,skipped,,MANDATORY_NOT_FOUND-Subject\n"
        "Lamps,111111000000070002,12/15/2026,skipped,,MANDATORY_NOT_FOUND-Quoted_Items\n"
    )


def test_a_preview_path_ending_in_a_slash_is_a_directory(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nOno\n")
    result = bwlint(
        "check",
        "--isolated",
        "--module",
        "Leads",
        "leads.csv",
        "--result-preview",
        "out/",
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert (tmp_path / "out" / "Leads-leads.csv").read_text() == (
        "Last_Name,STATUS,RECORD_ID,ERRORS\nOno,added,,\n"
    )


def test_date_format_in_the_configuration_that_zoho_does_not_document_is_warned(tmp_path):
    (tmp_path / "bwlint.toml").write_text('date-format = "dd/MM/yyyy"\n')
    (tmp_path / "contacts.csv").write_text("Last_Name,Date_of_Birth\nOno,31/12/1980\n")
    result = bwlint("check", "--module", "Contacts", "contacts.csv", cwd=tmp_path)
    assert result.returncode == 0
    assert "BW194 warning: 'Date_of_Birth' has no format, so bwlint reads it as dd/MM/yyyy" in (
        result.stdout
    )


def test_paths_of_declared_jobs_are_relative_to_the_working_directory_alike(tmp_path):
    for folder in ("imports/a", "other/b"):
        (tmp_path / folder).mkdir(parents=True)
        shutil.copy(EXAMPLE / "job.json", tmp_path / folder / "job.json")
        (tmp_path / folder / "leads.csv").write_text(
            "Last_Name,First_Name,Company,Email\nOno,,,bad@\n"
        )
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\njob = "imports/a/job.json"\ndata = ["imports/a/*.csv"]\n'
        '[[jobs]]\njob = "other/b/job.json"\ndata = ["other/b/*.csv"]\n'
    )
    result = bwlint("check", "--format", "json", "--select", "BW402", cwd=tmp_path / "imports")
    report = json.loads(result.stdout)
    assert [(f["file"], f["job"]) for f in report["findings"]] == [
        ("../other/b/leads.csv", "../other/b/job.json"),
        ("a/leads.csv", "a/job.json"),
    ]


UPDATE_CSV = "id,Last_Name,Phone,City\n111111000000056001,Ono,,Z\xfcrich\n"
NOTED = (
    "leads.csv: BW219 info: the file is ISO-8859-1 (--character-encoding, or "
    "character-encoding in [[jobs]]); Zoho reads it so, but UTF-8 is the charset every tool "
    "reads alike: bwlint fix writes it in UTF-8 (then give no charset for it)\n"
    "Found 1 note (1 file, 1 record).\n"
)  # the options work: no error or warning left, only BW219's note that fix re-encodes


def test_module_mode_advice_names_its_options_and_the_options_work(tmp_path):
    (tmp_path / "leads.csv").write_bytes(UPDATE_CSV.encode("latin-1"))
    base = ("check", "--isolated", "--module", "Leads", "--operation", "update", "--find-by", "id")
    plain = bwlint(*base, "leads.csv", cwd=tmp_path)
    assert "set --ignore-empty (ignore-empty = true in [[jobs]]) to leave them unchanged" in (
        plain.stdout
    )
    assert "give its charset (e.g. windows-1252) in --character-encoding" in plain.stdout
    both = bwlint(
        *base, "--ignore-empty", "--character-encoding", "ISO-8859-1", "leads.csv", cwd=tmp_path
    )
    assert (both.returncode, both.stdout) == (0, NOTED)


def test_the_same_settings_as_jobs_keys(tmp_path):
    (tmp_path / "leads.csv").write_bytes(UPDATE_CSV.encode("latin-1"))
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\nmodule = "Leads"\noperation = "update"\nfind-by = "id"\n'
        'ignore-empty = true\ncharacter-encoding = "ISO-8859-1"\ndata = ["leads.csv"]\n'
    )
    result = bwlint("check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, NOTED)


def test_settings_and_options_named_in_rule_texts_exist():
    import re

    import click

    from bwlint.catalogue import load_catalogue
    from bwlint.cli import cli
    from bwlint.project.config import JOB_KEYS, TOP_KEYS

    def commands(group: click.Group) -> list[click.Command]:
        found: list[click.Command] = []
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            found += commands(command) if isinstance(command, click.Group) else [command]
        return found

    keys = set(TOP_KEYS) | set(JOB_KEYS)
    options = {
        name
        for command in commands(cli)
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }
    # the contract's options of `bwlint fix`, `split` and `init` (issue 11 adds them)
    options |= {"--max-zip-mb", "--max-records", "--out", "--in-place", "--dry-run"}
    setting = re.compile(r"(?<![\w-])((?:extra-)?date(?:time)?-formats?)(?![\w-])")
    json_keys = {"ignore_empty", "character_encoding", "find_by"}  # the job JSON's
    snake = {key.replace("-", "_") for key in keys} - json_keys - set(keys)
    for rule in load_catalogue().values():
        text = f"{rule.why} {rule.fix}"
        for key in snake:
            assert not re.search(rf"(?<![\w-]){key}(?![\w-])", text), (rule.code, key)
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", text):
            assert option in options, (rule.code, option)
        for key in setting.findall(text):
            assert key in keys or f"--{key}" in options, (rule.code, key)


def test_the_readme_names_a_bwlint_commit_that_exists_and_holds_the_hook():
    import re
    import subprocess

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    revs = set(re.findall(r"rev: (\S+)", readme)) | set(re.findall(r"bwlint@(\w+)", readme))
    assert len(revs) == 1, revs
    (rev,) = revs
    assert re.fullmatch(r"[0-9a-f]{40}", rev), "a full commit hash (there is no tag yet)"
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True
    )
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        pytest.skip("no full git history here to look the commit up in")
    hook = subprocess.run(
        ["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    assert hook.returncode == 0 and "id: bwlint" in hook.stdout


def test_a_missing_path_is_named_even_beside_a_job(tmp_path):
    folder = convention_tree(tmp_path)
    shutil.copy(EXAMPLE / "job.json", folder / "job.json")
    for command in ("check", "fix"):
        for missing in ("imports/leads/missing.csv", "imports/leads/missing.zip", "nowhere"):
            extra = ("--out", "fixed") if command == "fix" else ()
            result = bwlint(command, "--isolated", missing, *extra, cwd=tmp_path)
            assert (result.returncode, result.stdout, result.stderr) == (
                2,
                "",
                f"bwlint: error: {missing}: no such file or directory\n",
            )
    assert not (tmp_path / "fixed").exists()


def test_result_csvs_beside_a_declared_jobs_data_are_not_unclaimed(tmp_path):
    data = tmp_path / "imports" / "leads" / "data"
    (data / "results" / "600123400000000002").mkdir(parents=True)
    shutil.copy(EXAMPLE / "job.json", data.parent / "job.json")
    shutil.copy(EXAMPLE / "leads.csv", data / "leads.csv")
    shutil.copy(EXAMPLE / "leads.csv", data / "results" / "600123400000000002" / "Leads-leads.csv")
    (tmp_path / "bwlint.toml").write_text(
        '[[jobs]]\njob = "imports/leads/job.json"\ndata = ["imports/leads/data/*.csv"]\n'
    )
    result = bwlint("check", "imports", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "All checks passed (1 file, 3 records).\n")
