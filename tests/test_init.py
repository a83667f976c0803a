"""`bwlint init`: a job JSON for a raw export, matched header by header."""

from __future__ import annotations

import json
import shutil

from runner import ROOT, bwlint

EXPORTS = ROOT / "tests/fixtures/exports"
CELLS = str(ROOT / "tests/fixtures/cells")


def mappings(job: dict) -> dict[str, dict]:
    return {m["api_name"]: m for m in job["resource"][0]["field_mappings"]}


def test_a_salesforce_export(tmp_path):
    shutil.copy(EXPORTS / "salesforce-leads.csv", tmp_path / "leads.csv")
    result = bwlint("init", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["operation"] == "insert"
    mapped = mappings(job)
    assert mapped["Owner"] == {"api_name": "Owner", "index": 19, "find_by": "email"}
    assert mapped["Designation"]["index"] == 3  # "Title" is the field_label of Designation
    assert mapped["No_of_Employees"]["index"] == 11
    assert mapped["Zip_Code"]["index"] == 16  # "Zip/Postal Code", by similarity
    assert mapped["State"]["index"] == 15
    assert "id" not in mapped  # Salesforce's Lead ID is not a Zoho id
    table = result.stderr
    assert "Lead Owner" in table and "field_label" in table
    assert "Left out (no confident match): 'Lead ID', 'Created Date'." in table
    assert "Layout: not mapped" in table
    assert table.rstrip().endswith("All checks passed (1 file, 3 records).")
    written = bwlint("init", "--module", "Leads", "leads.csv", "--out", "job.json", cwd=tmp_path)
    assert json.loads((tmp_path / "job.json").read_text()) == job
    assert "All checks passed" in written.stdout
    assert bwlint("check", "job.json", "leads.csv", cwd=tmp_path).returncode == 0


def test_a_hubspot_export_passes_after_the_listed_renames(tmp_path):
    source = (EXPORTS / "hubspot-leads.csv").read_text()
    (tmp_path / "leads.csv").write_text(source)
    first = bwlint("init", "--module", "Leads", "leads.csv", cwd=tmp_path)
    assert first.returncode == 0
    assert mappings(json.loads(first.stdout))["Last_Name"]["index"] == 2  # "lastname"
    listed = "'Record ID', 'mobilephone', 'jobtitle', 'numemployees', 'lifecyclestage'"
    assert listed in first.stderr
    assert "closest: No_of_Employees" in first.stderr
    header, rest = source.split("\n", 1)
    renamed = header.replace("mobilephone", "Mobile").replace("jobtitle", "Title")
    renamed = renamed.replace("numemployees", "No_of_Employees")
    (tmp_path / "leads.csv").write_text(renamed + "\n" + rest)
    second = bwlint("init", "--module", "Leads", "leads.csv", "--out", "job.json", cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    mapped = mappings(json.loads((tmp_path / "job.json").read_text()))
    assert {"Mobile", "Designation", "No_of_Employees"} <= set(mapped)
    assert bwlint("check", "job.json", "leads.csv", cwd=tmp_path).returncode == 0


DATED = (
    "Last_Name,Company,Birth_Date,Meeting_Time,Account_Name,Opt_Out\n"
    "Novak,Bolt,17.03.2024,2024-03-17 10:00:00,Bolt d.o.o.,true\n"
    "Ito,Kumo,01.12.1990,2024-03-18 09:30:00,Kumo KK,false\n"
)


def test_date_formats_and_lookups_are_read_from_the_values(tmp_path):
    (tmp_path / "leads.csv").write_text(DATED)
    result = bwlint("init", "--module", "Leads", "--schema-dir", CELLS, "leads.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    mapped = mappings(json.loads(result.stdout))
    assert mapped["Birth_Date"]["format"] == "dd.MM.yyyy"
    assert mapped["Meeting_Time"]["format"] == "yyyy-MM-dd HH:mm:ss"
    assert mapped["Account_Name"]["find_by"] == "Account_Name"
    ids = DATED.replace("Bolt d.o.o.", "111111000000012345").replace(
        "Kumo KK", "111111000000067890"
    )
    (tmp_path / "leads.csv").write_text(ids)
    result = bwlint("init", "--module", "Leads", "--schema-dir", CELLS, "leads.csv", cwd=tmp_path)
    assert mappings(json.loads(result.stdout))["Account_Name"]["find_by"] == "id"


def test_an_ambiguous_day_and_month_is_never_guessed(tmp_path):
    (tmp_path / "leads.csv").write_text(
        "Last_Name,Company,Birth_Date\nNovak,Bolt,03/04/2024\nIto,Kumo,05/06/2024\n"
    )
    args = ("init", "--module", "Leads", "--schema-dir", CELLS, "leads.csv")
    result = bwlint(*args, cwd=tmp_path)
    assert "format" not in mappings(json.loads(result.stdout))["Birth_Date"]
    assert "day/month ambiguous (MM/dd/yyyy or dd/MM/yyyy)" in result.stderr
    assert "--day-first or --month-first" in result.stderr
    told = bwlint(*args, "--day-first", cwd=tmp_path)
    assert mappings(json.loads(told.stdout))["Birth_Date"]["format"] == "dd/MM/yyyy"
    told = bwlint(*args, "--month-first", cwd=tmp_path)
    assert mappings(json.loads(told.stdout))["Birth_Date"]["format"] == "MM/dd/yyyy"


def test_mandatory_fields_the_file_lacks_are_named(tmp_path):
    (tmp_path / "leads.csv").write_text("First Name,Email\nAna,ana@bolt.example\n")
    result = bwlint("init", "--module", "Leads", "--schema-dir", CELLS, "leads.csv", cwd=tmp_path)
    assert "mandatory fields the file lacks: Last_Name, Company" in result.stderr
    assert result.returncode == 1  # the check of the job it wrote: BW170
    assert "BW170" in result.stderr


def test_an_unknown_module_is_a_usage_error(tmp_path):
    (tmp_path / "leads.csv").write_text("Last_Name\nA\n")
    result = bwlint("init", "--module", "Nope", "leads.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "no metadata for module 'Nope'" in result.stderr


def test_on_a_terminal_the_user_is_asked(tmp_path):
    """The question init asks when the values fit several patterns (on a terminal)."""
    from bwlint.services.init import init_job
    from bwlint.settings import Settings

    (tmp_path / "leads.csv").write_text("Last_Name,Company,Birth_Date\nNovak,Bolt,03/04/2024\n")
    asked = []

    def ask(header: str, fitting: tuple[str, ...]) -> str:
        asked.append((header, fitting))
        return fitting[1]

    outcome = init_job(
        str(tmp_path / "leads.csv"), "Leads", operation=None, find_by=None,
        settings=Settings(), schema_dir=CELLS, ask=ask,
    )  # fmt: skip
    assert asked == [("Birth_Date", ("MM/dd/yyyy", "dd/MM/yyyy"))]
    assert mappings(outcome.body)["Birth_Date"]["format"] == "dd/MM/yyyy"


def test_a_header_that_is_the_api_name_wins_over_a_label(tmp_path):
    # HubSpot's "Record ID" is the field_label of Zoho's id; the "id" column holds Zoho's.
    (tmp_path / "leads.csv").write_text(
        "Record ID,Last Name,id\n1001,Novak,5725767000000400001\n1002,Ito,5725767000000400002\n"
    )
    args = ("--module", "Leads", "--operation", "update", "--find-by", "id", "leads.csv")
    result = bwlint("init", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert mappings(json.loads(result.stdout))["id"]["index"] == 2
    assert "id, taken by 'id'" in result.stderr
    # the summary says why it was left out: not a doubt, a field another column holds
    assert "Left out (no confident match)" not in result.stderr
    assert (
        "Left out (their field is mapped from another header): 'Record ID' (column 0: "
        "'id' has its field)." in result.stderr
    )
