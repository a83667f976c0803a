"""Module metadata: Zoho's real sample response and the bundled defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bwlint.errors import UsageError
from bwlint.load.metadata import ModuleCatalog, read_module
from bwlint.paths import MODULES_DIR

SAMPLE = Path(__file__).parent / "fixtures/zoho-sample/Leads.json"

# System-mandatory fields per module, from Zoho's Insert Records reference.
MANDATORY = {
    "Leads": {"Last_Name"},
    "Contacts": {"Last_Name"},
    "Accounts": {"Account_Name"},
    "Deals": {"Deal_Name", "Stage"},
    "Tasks": {"Subject"},
    "Products": {"Product_Name"},
    "Vendors": {"Vendor_Name"},
    "Campaigns": {"Campaign_Name"},
    "Solutions": {"Solution_Title"},
    "Cases": {"Subject", "Status", "Case_Origin"},
    "Price_Books": {"Price_Book_Name", "Pricing_Details"},
}


def test_reads_zohos_own_sample_response_as_it_is():
    module = read_module(SAMPLE, bundled=False)
    assert len(module.fields) == 87
    assert len({f.data_type for f in module.fields.values()}) == 25
    assert [f.api_name for f in module.mandatory()] == ["Last_Name"]
    assert module.get("Email").unique and not module.get("Company").unique
    assert module.get("Last_Name").length == 80
    # operation_type decides writability: Owner is field_read_only yet API-writable
    assert module.get("Owner").api_create
    assert not module.get("Created_Time").api_create
    assert module.get("Converted_Account").lookup_module == "Accounts"
    assert module.get("Annual_Revenue").decimal_place == 2
    assert module.get("Description").textarea_type == "large"
    source = module.get("Lead_Source")
    assert "-None-" in source.picklist


def test_schema_dir_takes_precedence_over_bundled():
    catalog = ModuleCatalog(SAMPLE.parent)
    assert not catalog.get("Leads").bundled
    assert catalog.get("Contacts").bundled
    assert catalog.get("No_Such_Module") is None


@pytest.mark.parametrize("module", sorted(MANDATORY))
def test_bundled_modules_carry_the_documented_mandatory_fields(module):
    loaded = read_module(MODULES_DIR / f"{module}.json", bundled=True)
    assert {f.api_name for f in loaded.mandatory()} == MANDATORY[module]
    assert loaded.get("id") is not None


def test_bad_metadata_file_is_a_usage_error(tmp_path):
    (tmp_path / "Leads.json").write_text(json.dumps({"data": []}))
    with pytest.raises(UsageError, match=r"Leads.json: not a Fields Metadata API response"):
        ModuleCatalog(tmp_path).get("Leads")


def test_missing_schema_dir_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="is not a directory"):
        ModuleCatalog(tmp_path / "nope")
