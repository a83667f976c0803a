"""Runs every case of tests/cases/*.toml: inputs in, exactly the expected findings out."""

from __future__ import annotations

import pytest
from casefile import load_cases, run_case
from test_day_one import COVERED_RULES as COVERED_BY_DAY_ONE_TESTS
from test_limits import COVERED_RULES as COVERED_BY_LIMIT_TESTS

from bwlint.catalogue import load_catalogue

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, tmp_path):
    found, expected = run_case(case, tmp_path)
    assert found == expected


def test_every_rule_has_a_failing_and_a_passing_case():
    failing = {entry["code"] for case in CASES for entry in case.expect}
    passing = {
        case.source
        for case in CASES
        if not any(entry["code"] == case.source for entry in case.expect)
    }
    covered = (failing & passing) | set(COVERED_BY_LIMIT_TESTS) | set(COVERED_BY_DAY_ONE_TESTS)
    missing = [code for code in load_catalogue() if code not in covered]
    assert missing == [], "rules without both a failing and a passing case"
