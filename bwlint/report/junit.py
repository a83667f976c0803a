"""`--format junit`: JUnit XML for CI dashboards — one testcase per checked file.

Each data file (a CSV inside a ZIP as `<zip>/<member>`) and each job JSON is a
testcase; every error-severity finding in it is a `<failure>` (type = rule code), and
warnings and notes are listed in the testcase's `<system-out>`. As in the text format,
one rule in one column of one file shows its first few findings and then one line with
the count of the rest; every finding is in `--format json`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.results import RunResult
from bwlint.report.escape import visible
from bwlint.report.groups import grouped, plural
from bwlint.report.text import location

SHOWN_PER_GROUP = 5


def _line(finding: Finding) -> str:
    place = location(finding)
    zoho = f" [{finding.zoho_code}]" if finding.zoho_code else ""
    return f"{place}: {finding.code}{zoho} {finding.severity}: {visible(finding.message)}"


def _case_of(finding: Finding) -> str:
    return finding.location.subject or "<job>"


def render(report: RunResult, _colour: bool = False) -> str:
    cases: dict[str, list[list[Finding]]] = defaultdict(list)
    jobs = [job.path for job in report.jobs if job.path is not None]
    names = [*jobs, *(f.display for f in report.files)]
    for members in grouped(report.findings):
        name = _case_of(members[0])
        cases[name].append(members)
        if name not in names:
            names.append(name)
    names = list(dict.fromkeys(names))
    suites = ET.Element("testsuites", name="bwlint")
    suite = ET.SubElement(suites, "testsuite", name="bwlint")
    failed = 0
    for name in names:
        shown = visible(name)
        case = ET.SubElement(suite, "testcase", classname="bwlint", name=shown, file=shown)
        out: list[str] = []
        errors = 0
        for members in cases.get(name, []):
            for finding in members[:SHOWN_PER_GROUP]:
                if finding.severity == Severity.ERROR:
                    errors += 1
                    failure = ET.SubElement(
                        case, "failure", message=visible(finding.message), type=finding.code
                    )
                    failure.text = _line(finding)
                else:
                    out.append(_line(finding))
            hidden = members[SHOWN_PER_GROUP:]
            if hidden:
                first = hidden[0]
                note = (
                    f"… and {plural(len(hidden), 'more ' + first.code)} in column "
                    f"'{visible(first.column or '')}' (all are in --format json)"
                )
                if first.severity == Severity.ERROR:
                    failure = ET.SubElement(case, "failure", message=note, type=first.code)
                    failure.text = note
                else:
                    out.append(note)
        if out:
            ET.SubElement(case, "system-out").text = "\n".join(out)
        failed += 1 if errors else 0
    for element in (suites, suite):
        element.set("tests", str(len(names)))
        element.set("failures", str(failed))
        element.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
