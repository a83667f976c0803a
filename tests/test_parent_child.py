"""Parent-child jobs end to end: Zoho's own sample, and a realistic generated job.

The rule-by-rule cases are in tests/cases/BW6*.toml; here are the whole jobs.
"""

from __future__ import annotations

import copy
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from bwlint.checks.parentchild_rows import child_of_skipped_parent
from bwlint.domain.enums import Severity
from bwlint.domain.finding import Finding
from bwlint.domain.location import Location
from bwlint.engine import CheckContractError, Context, run
from bwlint.engine import check as make_check
from bwlint.load.metadata import ModuleCatalog
from bwlint.paths import REPORT_SCHEMA
from bwlint.report import json_report, text
from bwlint.services.check import check
from bwlint.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
ORG = FIXTURES / "doc-parent-child"  # the sample's org: Leads, Secondary, Lead_Contact_Lookup
SAMPLE = FIXTURES / "zoho-docs" / "parent-child-sample.json"


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def project(report, *keys: str) -> list[tuple]:
    return [tuple(getattr(f, key) for key in keys) for f in report.findings]


# --- Zoho's documented sample --------------------------------------------------------

# The CSVs the sample's file_names name, as its mappings read them: leads (Last_Name,
# Company, Email, User), subform rows (Secondary_Email, Secondary_Phone, then the lead's
# Last_Name: parent_column_index 0), linking rows (the lead's Last_Name, a Contacts id).
SAMPLE_CSVS = {
    "bulk_write_leads.csv": (
        "Last_Name,Company,Email,User\n"
        "Boyle,Zylker,patricia.boyle@zylker.example,admin@zylker.example\n"
        "Ono,Acme,kenji.ono@acme.example,admin@zylker.example\n"
        "Diaz,Initech,rosa.diaz@initech.example,sales@zylker.example\n"
    ),
    "bulk_write_subform.csv": (
        "Secondary_Email,Secondary_Phone,Lead\n"
        "pb@home.example,5550100,Boyle\n"
        "kenji@home.example,5550101,Ono\n"
        "k.ono@home.example,5550102,Ono\n"
    ),
    "LeadsMultiLookUp.csv": ("Lead,Contact\nBoyle,3652397000000411001\nDiaz,3652397000000411002\n"),
}


def sample_zip(tmp_path: Path) -> Path:
    return write_zip(tmp_path / "upload.zip", SAMPLE_CSVS)


def test_documented_sample_is_one_finding_naming_the_nested_resource(tmp_path):
    report = check([str(sample_zip(tmp_path))], job=str(SAMPLE), schema_dir=ORG)
    assert project(report, "code", "severity", "pointer", "file", "record") == [
        ("BW614", "error", "/resource/1/field_mappings/3", None, None)
    ]
    finding = report.findings[0]
    # The nested object starts on line 64, column 17 of the sample as Zoho prints it.
    assert finding.location.anchor == (str(SAMPLE), 64, 17)
    assert "'Lead_Contact_Lookup'" in finding.message
    assert "LeadsMultiLookUp.csv" in finding.message
    assert "move it to the top-level resource array" in finding.message
    assert "file_id '3652397000014524001'" in finding.message  # the sample's second mistake
    # No schema noise about the nested object's keys (BW101 api_name, BW103 type, …),
    # and its CSV is not reported again as unread (BW605): BW614 says it.
    assert report.exit_status() == 1


def moved(job: dict) -> dict:
    """The sample with its nested resource moved to the top level."""
    fixed = copy.deepcopy(job)
    nested = fixed["resource"][1]["field_mappings"].pop(3)
    fixed["resource"].append(nested)
    return fixed


def test_documented_sample_moved_up_still_has_another_file_id(tmp_path):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(moved(json.loads(SAMPLE.read_text())), indent=2))
    report = check([str(sample_zip(tmp_path))], job=str(path), schema_dir=ORG)
    assert project(report, "code", "pointer") == [("BW602", "/resource/2/file_id")]


def test_documented_sample_corrected_is_clean_and_counts_children(tmp_path):
    job = moved(json.loads(SAMPLE.read_text()))
    job["resource"][2]["file_id"] = job["resource"][0]["file_id"]
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2))
    report = check([str(sample_zip(tmp_path))], job=str(path), schema_dir=ORG)
    assert report.findings == []
    counts = [
        (c.module, c.children, c.parents_with_children, c.max_per_parent, c.orphans)
        for c in report.children
    ]
    assert counts == [("Secondary", 3, 2, 2, 0), ("Lead_Contact_Lookup", 2, 2, 1, 0)]
    assert text.render(report).splitlines() == [
        "Secondary: 3 rows under 2 of 3 Leads rows (at most 2 per parent).",
        "Lead_Contact_Lookup: 2 rows under 2 of 3 Leads rows (at most 1 per parent).",
        "All checks passed (3 files, 8 records).",
    ]


# --- A realistic generated job ------------------------------------------------------

PARENT_JOB = {
    "operation": "insert",
    "ignore_empty": True,
    "resource": [
        {
            "type": "data",
            "module": {"api_name": "Leads"},
            "file_id": "3652397000014524001",
            "file_names": ["leads.csv"],
            "field_mappings": [
                {"api_name": "Last_Name", "index": 1},
                {"api_name": "First_Name", "index": 2},
                {"api_name": "Company", "index": 3},
                {"api_name": "Email", "index": 4},
            ],
        },
        {
            "type": "data",
            "module": {"api_name": "Secondary"},
            "file_id": "3652397000014524001",
            "file_names": ["secondary.csv"],
            "field_mappings": [
                {"api_name": "Parent_Id", "parent_column_index": 0, "index": 0},
                {"api_name": "Secondary_Email", "index": 1},
                {"api_name": "Secondary_Phone", "index": 2},
            ],
        },
        {
            "type": "data",
            "module": {"api_name": "Lead_Contact_Lookup"},
            "file_id": "3652397000014524001",
            "file_names": ["lead_contacts.csv"],
            "field_mappings": [
                {"api_name": "Leads", "parent_column_index": 0, "index": 0},
                {"api_name": "Contacts", "find_by": "id", "index": 1},
            ],
        },
    ],
}


@dataclass
class Generated:
    csvs: dict[str, list[list[str]]]
    children: dict[str, list[int]] = field(default_factory=dict)  # module → count per lead


def generate(seed: int = 20261123, parents: int = 100) -> Generated:
    """100 leads; each has 0–5 subform rows and 0–5 linked contacts, rows shuffled."""
    rng = random.Random(seed)
    leads = [["Ref", "Last_Name", "First_Name", "Company", "Email"]]
    secondary: list[list[str]] = []
    links: list[list[str]] = []
    counts: dict[str, list[int]] = {"Secondary": [], "Lead_Contact_Lookup": []}
    for number in range(1, parents + 1):
        ref = f"LEAD-{number:04d}"
        last = rng.choice(["Boyle", "Ono", "Diaz", "Novak", "Okafor", "Lindqvist"])
        leads.append([ref, last, f"Ann{number}", f"Company {number % 17}", f"a{number}@x.example"])
        subforms = rng.randint(0, 5)
        counts["Secondary"].append(subforms)
        for row in range(subforms):
            secondary.append([ref, f"alt{number}.{row}@home.example", f"555{number:04d}{row}"])
        contacts = rng.sample(range(1, 400), rng.randint(0, 5))
        counts["Lead_Contact_Lookup"].append(len(contacts))
        links.extend([ref, f"3652397000000{c:06d}"] for c in contacts)
    rng.shuffle(secondary)
    rng.shuffle(links)
    return Generated(
        {
            "leads.csv": leads,
            "secondary.csv": [["Lead_Ref", "Secondary_Email", "Secondary_Phone"], *secondary],
            "lead_contacts.csv": [["Lead_Ref", "Contact_Id"], *links],
        },
        counts,
    )


def materialise(tmp_path: Path, generated: Generated) -> tuple[Path, Path]:
    members = {
        name: "".join(",".join(row) + "\n" for row in rows) for name, rows in generated.csvs.items()
    }
    job = tmp_path / "job.json"
    job.write_text(json.dumps(PARENT_JOB, indent=2))
    return job, write_zip(tmp_path / "upload.zip", members)


def test_realistic_job_passes_and_counts_per_parent(tmp_path):
    generated = generate()
    job, upload = materialise(tmp_path, generated)
    report = check([str(upload)], job=str(job), schema_dir=ORG)
    assert report.findings == []
    assert report.exit_status() == 0
    expected = []
    for module, per_lead in generated.children.items():
        assert 0 in per_lead and 5 in per_lead  # the seed gives both extremes
        expected.append(
            (module, sum(per_lead), sum(1 for n in per_lead if n), max(per_lead), 0, 100)
        )
    counts = [
        (c.module, c.children, c.parents_with_children, c.max_per_parent, c.orphans, c.parents)
        for c in report.children
    ]
    assert counts == expected
    document = json.loads(json_report.render(report))
    Draft202012Validator(json.loads(REPORT_SCHEMA.read_text())).validate(document)
    assert [c["module"] for c in document["summary"]["children"]] == list(generated.children)


def test_realistic_job_with_orphans_and_a_bad_child_key(tmp_path):
    generated = generate()
    secondary = generated.csvs["secondary.csv"]
    links = generated.csvs["lead_contacts.csv"]
    # Orphans: subform records 7 and 40 name leads the parent CSV does not have.
    secondary[7][0] = "LEAD-0101"
    secondary[40][0] = "LEAD-9999"
    # A bad child value: linking record 12 names its lead in lower case.
    good_key = links[12][0]
    links[12][0] = good_key.lower()
    job, upload = materialise(tmp_path, generated)
    # BW1 and BW6 only: once the cell rules (BW4xx) are merged they check these CSVs too,
    # and this data is valid for them, but the test is about the parent-child findings.
    settings = Settings(select=("BW1", "BW6"))
    report = check([str(upload)], job=str(job), schema_dir=ORG, settings=settings)
    zip_path = str(upload)
    keys = ("code", "severity", "file", "record", "line", "column", "field", "value")
    assert sorted(project(report, *keys)) == [
        (
            "BW620",
            "error",
            f"{zip_path}/lead_contacts.csv",
            12,
            13,
            "Lead_Ref",
            "Leads",
            good_key.lower(),
        ),
        ("BW620", "error", f"{zip_path}/secondary.csv", 7, 8, "Lead_Ref", "Parent_Id", "LEAD-0101"),
        (
            "BW620",
            "error",
            f"{zip_path}/secondary.csv",
            40,
            41,
            "Lead_Ref",
            "Parent_Id",
            "LEAD-9999",
        ),
    ]
    near = next(f for f in report.findings if f.value == good_key.lower())
    assert f"did you mean '{good_key}'?" in near.message
    assert "Lead_Contact_Lookup record 12" in near.message
    orphans = {c.module: c.orphans for c in report.children}
    assert orphans == {"Secondary": 2, "Lead_Contact_Lookup": 1}
    assert text.render(report).splitlines()[-3:-1] == [
        f"Secondary: {len(secondary) - 1:,} rows under "
        f"{report.children[0].parents_with_children} of 100 Leads rows "
        f"(at most {report.children[0].max_per_parent} per parent), 2 with no parent.",
        f"Lead_Contact_Lookup: {len(links) - 1:,} rows under "
        f"{report.children[1].parents_with_children} of 100 Leads rows "
        f"(at most {report.children[1].max_per_parent} per parent), 1 with no parent.",
    ]


# --- The relations phase ------------------------------------------------------------


def test_children_of_a_parent_with_errors_get_a_warning(tmp_path):
    """BW622 reads the findings of the earlier phase: here one constructed error on lead 3
    (after the merge, the cell rules' errors on parent rows count the same way)."""
    generated = generate()
    job, upload = materialise(tmp_path, generated)
    report = check([str(upload)], job=str(job), schema_dir=ORG)
    leads = next(f for f in report.files if f.name == "leads.csv")
    bad_lead = Finding(
        "BW402", "INVALID_DATA", Severity.ERROR, "Email: bad", Location(leads.display, record=3)
    )
    a_warning = Finding(
        "BW499", None, Severity.WARNING, "only a warning", Location(leads.display, record=4)
    )
    ctx = Context(
        job=report.jobs[0].job,
        modules=ModuleCatalog(ORG),
        files=report.files,
        settings=Settings(),
        bindings=report.bindings,
        findings=[bad_lead, a_warning],
    )
    found = list(child_of_skipped_parent.run(ctx))
    expected = {
        (name, record)
        for name in ("secondary.csv", "lead_contacts.csv")
        for record, row in enumerate(generated.csvs[name])
        if record and row[0] == "LEAD-0003"
    }
    assert {(f.file.rsplit("/", 1)[1], f.record) for f in found} == expected
    assert expected, "the seed gives lead 3 children"
    assert all(f.code == "BW622" and f.severity == "warning" for f in found)
    assert all("Leads record 3, which has errors (BW402)" in f.message for f in found)


def test_a_check_that_yields_another_rules_code_is_a_bug_the_engine_names(tmp_path):
    generated = generate()
    job, upload = materialise(tmp_path, generated)
    report = check([str(upload)], job=str(job), schema_dir=ORG)

    @make_check("BW621")
    def wrong(ctx):
        yield ctx.finding("BW620", "not mine")

    ctx = Context(
        job=report.jobs[0].job,
        modules=ModuleCatalog(ORG),
        files=report.files,
        settings=Settings(),
        bindings=report.bindings,
    )
    with pytest.raises(CheckContractError, match="wrong yielded BW620; it declares BW621"):
        run(ctx, [wrong])


# --- The bundled example --------------------------------------------------------------


def test_parent_child_example_is_clean_as_zip_and_as_csvs():
    example = Path(__file__).resolve().parent.parent / "examples" / "parent-child"
    job = str(example / "job.json")
    as_zip = check([str(example / "upload.zip")], job=job)
    as_csvs = check([str(example / "quotes.csv"), str(example / "quoted_items.csv")], job=job)
    for report in (as_zip, as_csvs):
        assert report.findings == []
        assert text.render(report) == (
            "Quoted_Items: 6 rows under 3 of 3 Quotes rows (at most 3 per parent).\n"
            "All checks passed (2 files, 9 records).\n"
        )
    with zipfile.ZipFile(example / "upload.zip") as archive:  # the zip is the CSVs, zipped
        for name in ("quotes.csv", "quoted_items.csv"):
            assert archive.read(name) == (example / name).read_bytes()


# --- Job rules in parent-child jobs ---------------------------------------------------


def test_update_without_find_by_is_reported_on_the_parent_even_when_not_first(tmp_path):
    job = {
        "operation": "update",
        "resource": [
            {
                "type": "data",
                "module": {"api_name": "Secondary"},
                "file_id": "7",
                "file_names": ["sub.csv"],
                "field_mappings": [
                    {"api_name": "Parent_Id", "parent_column_index": 0, "index": 0},
                    {"api_name": "Secondary_Email", "index": 1},
                ],
            },
            {
                "type": "data",
                "module": {"api_name": "Leads"},
                "file_id": "7",
                "file_names": ["leads.csv"],
                "field_mappings": [
                    {"api_name": "id", "index": 0},
                    {"api_name": "Last_Name", "index": 1},
                ],
            },
        ],
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    upload = write_zip(
        tmp_path / "upload.zip",
        {
            "leads.csv": "id,Last_Name\n3652397000000611001,Boyle\n",
            "sub.csv": "Lead,Secondary_Email\n3652397000000611001,pb@home.example\n",
        },
    )
    report = check([str(upload)], job=str(path), schema_dir=ORG)
    assert project(report, "code", "pointer") == [
        ("BW601", "/resource/0"),
        ("BW130", "/resource/1"),
    ]
