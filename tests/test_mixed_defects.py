"""A file mixing many defects gives exactly the findings expected — no more, no less —
and a file of valid values in every form gives none: a false positive is a bug."""

from __future__ import annotations

from pathlib import Path

from bwlint.services.check import check

FIXTURES = Path(__file__).parent / "fixtures"
CELLS = FIXTURES / "cells"
MIXED = FIXTURES / "mixed"

E, W = "error", "warning"
INVALID, MANDATORY, DUPLICATE = "INVALID_DATA", "MANDATORY_NOT_FOUND", "DUPLICATE_DATA"


def test_mixed_defects_give_exactly_the_expected_findings():
    report = check([str(MIXED / "leads.csv")], job=str(MIXED / "job.json"), schema_dir=CELLS)
    found = sorted(
        (f.code, f.zoho_code, f.severity, f.record, f.line, f.column, f.value)
        for f in report.findings
    )
    # Record 1 spans lines 2-3 (a quoted line break), so record 2 is on line 4.
    assert found == sorted(
        [
            ("BW501", MANDATORY, E, 2, 4, "Last_Name", ""),
            ("BW402", INVALID, E, 2, 4, "Email", "ana@"),
            ("BW403", INVALID, E, 2, 4, "Phone", "555-CALL-NOW"),
            ("BW405", None, W, 2, 4, "Lead_Source", "web download"),
            ("BW406", INVALID, E, 2, 4, "Birth_Date", "2024-03-17"),
            ("BW407", INVALID, E, 2, 4, "Score", "1.5"),
            ("BW408", INVALID, E, 2, 4, "Revenue", "$5"),
            ("BW409", INVALID, E, 2, 4, "Opt_Out", "yes"),
            ("BW410", INVALID, E, 2, 4, "Website", "kumo"),
            ("BW411", INVALID, E, 2, 4, "Account_Name", "Kumo KK"),
            ("BW501", MANDATORY, E, 3, 5, "Company", ""),
            ("BW503", DUPLICATE, E, 3, 5, "Email", "ANA@BOLT.example"),
            ("BW404", None, W, 3, 5, "Phone", "+1 555 0100"),
            ("BW406", INVALID, E, 3, 5, "Birth_Date", "02/30/2024"),
            ("BW407", INVALID, E, 3, 5, "Score", "1234567890"),
            ("BW408", INVALID, E, 3, 5, "Revenue", "1.234"),
        ]
    )
    assert report.exit_status() == 1


VALID = """\
Last_Name,Company,Email,Phone,Code,Birth_Date,Meeting_Time,Account_Name.id,Lead_Source,\
Interests,Score,Big_Score,Revenue,Ratio,Share,Opt_Out,Website,Notes
O'Leary,"Bolt, Nut & Co",o'neil@x.co,+15550100,A1,03/17/2024,03/17/2024 10:00:00,\
111111000000056001,Web Download,CRM,0,0,0,0,0,true,https://acme.example,"two
lines"
Müller,Kumo KK,ä@ü.de,5550100,a1,3/7/2024,12/31/1999 23:59:59,5725767000002086022,\
Houston,CRM;Bulk API,-42,999999999999999999,1234567890123456,0.123456789,99999.99,FALSE,\
www.bolt.example,
Ito,Acme,a+b@sub.example.museum,,B-2,02/29/2024,,,Houston Showroom, Reports ;CRM,999999999,\
+7,.5,-3,12.5,True,http://kumo.co.jp/path?q=1&r=2,plain
 Novak ,Ono,first.last@EXAMPLE.COM,  +442079460958  ,,12/31/1999,01/01/2000 00:00:00,,\
-None-,,,,250000.50,5.,0,,ftp://files.example.org,
Lee,Lee Inc,kenji_ito-2@mail.kumo.co.jp,,,,,,Trade Show,,+5, 0042 ,+1.0,1,100,false,münchen.de,
Kim,Kim Co,,,,,,,,,,,,,,,,
"""


def test_valid_values_in_every_form_give_no_finding(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(VALID, encoding="utf-8")
    report = check([str(path)], module="Leads", schema_dir=CELLS)
    # valid for every type rule; only the whitespace around three of them is said (BW417)
    assert [(f.code, f.record, f.column, f.value) for f in report.findings] == [
        ("BW417", 3, "Interests", " Reports ;CRM"),
        ("BW417", 4, "Phone", "  +442079460958  "),
        ("BW417", 5, "Big_Score", " 0042 "),
    ]


def test_valid_values_on_update_give_no_finding(tmp_path):
    path = tmp_path / "leads.csv"
    rows = ["id,Last_Name,Email,Code"]
    rows += [f"11111100000005600{i},Name {i},user{i}@example.com,C{i}" for i in range(10)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = check([str(path)], module="Leads", operation="update", find_by="id", schema_dir=CELLS)
    assert [(f.code, f.record, f.column, f.value) for f in report.findings] == []
