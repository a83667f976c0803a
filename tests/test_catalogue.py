"""The catalogue and the code agree; the README's table is the catalogue's."""

from __future__ import annotations

import re
from pathlib import Path

from bwlint.catalogue import load_catalogue
from bwlint.checks import REGISTRY
from bwlint.cli.rules import markdown_table

ROOT = Path(__file__).resolve().parent.parent


def test_every_catalogue_rule_has_one_check_and_every_check_a_rule():
    catalogue = set(load_catalogue())
    codes = [unit.code for unit in REGISTRY]
    assert sorted(code for code in set(codes) if codes.count(code) > 1) == []
    assert sorted(catalogue - set(codes)) == []
    assert sorted(set(codes) - catalogue) == []


def test_entries_are_complete():
    for rule in load_catalogue().values():
        assert re.fullmatch(r"BW\d{3}", rule.code)
        assert rule.severity in ("error", "warning", "info")
        assert rule.source.startswith("https://"), rule.code
        assert rule.bad and rule.good and rule.why, rule.code
        assert re.fullmatch(r"[a-z0-9-]+", rule.name), rule.code


def test_names_are_unique():
    names = [rule.name for rule in load_catalogue().values()]
    assert len(names) == len(set(names))


def test_readme_rule_table_is_generated_from_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert block == markdown_table(load_catalogue()), "run: python scripts/update_readme.py"
