"""The org's metadata as the emulator serves it: from `--schema-dir`, else bundled.

- fields: `DIR/<Module>.json` (a Fields Metadata body), else bwlint's bundled file;
- layouts: `DIR/<Module>.layouts.json`, else one default layout "Standard" made from
  the fields: `required` where the field is system-mandatory, plus the layout-required
  fields a live org was seen to enforce (Leads.Company, Deals.Account_Name);
- modules: `DIR/modules.json`, else one entry per module bwlint knows, line items as
  `subform` children of their parent, plus a few modules the API cannot use.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bwlint.paths import MODULES_DIR

# Fields a default layout requires beyond the system-mandatory ones (zoho-facts §11).
LAYOUT_REQUIRED = {"Leads": ("Company",), "Deals": ("Account_Name",)}
LINE_ITEMS = {
    "Quoted_Items": "Quotes",
    "Ordered_Items": "Sales_Orders",
    "Invoiced_Items": "Invoices",
    "Purchased_Items": "Purchase_Orders",
}
NOT_API_SUPPORTED = ("Home", "Reports", "Analytics", "Feeds", "Documents", "Forecasts")


def stable_id(*parts: str) -> str:
    """An 18-digit id that stays the same for the same name."""
    digest = int(hashlib.sha256("/".join(parts).encode()).hexdigest(), 16)
    return f"5{digest % 10**17:017d}"


class Metadata:
    def __init__(self, schema_dir: Path | None) -> None:
        self.schema_dir = schema_dir

    def _read(self, name: str) -> dict[str, Any] | None:
        for folder in (self.schema_dir, MODULES_DIR):
            if folder is None:
                continue
            path = folder / name
            if path.is_file():
                return json.loads(path.read_text(encoding="utf-8-sig"))
        return None

    def module_names(self) -> list[str]:
        names = {p.stem for p in MODULES_DIR.glob("*.json")}
        if self.schema_dir is not None:
            names |= {
                p.name[: -len(".json")]
                for p in self.schema_dir.glob("*.json")
                if not p.name.endswith(".layouts.json") and p.name != "modules.json"
            }
        return sorted(names)

    def fields(self, module: str) -> dict[str, Any] | None:
        if module not in self.module_names():
            return None
        return self._read(f"{module}.json")

    def layouts(self, module: str) -> dict[str, Any] | None:
        if self.schema_dir is not None and (self.schema_dir / f"{module}.layouts.json").is_file():
            return self._read(f"{module}.layouts.json")
        fields = self.fields(module)
        if fields is None:
            return None
        return {"layouts": [default_layout(module, fields.get("fields") or [])]}

    def modules(self) -> dict[str, Any]:
        if self.schema_dir is not None and (self.schema_dir / "modules.json").is_file():
            return self._read("modules.json") or {"modules": []}
        rows = [module_entry(name) for name in self.module_names()]
        rows += [module_entry(name, api_supported=False) for name in NOT_API_SUPPORTED]
        return {"modules": rows}


def module_entry(name: str, api_supported: bool = True) -> dict[str, Any]:
    parent = LINE_ITEMS.get(name)
    return {
        "id": stable_id("module", name),
        "api_name": name,
        "module_name": name,
        "singular_label": name.replace("_", " "),
        "plural_label": name.replace("_", " "),
        "generated_type": "subform" if parent else "default",
        "api_supported": api_supported,
        "creatable": api_supported and parent is None,
        "editable": api_supported,
        "viewable": True,
        "deletable": api_supported,
        "show_as_tab": parent is None,
        "visibility": 1,
        "status": "visible",
        "parent_module": {"api_name": parent, "id": stable_id("module", parent)} if parent else {},
    }


def default_layout(module: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    extra = LAYOUT_REQUIRED.get(module, ())
    rows = []
    for number, raw in enumerate(fields, start=1):
        name = raw.get("api_name")
        if not isinstance(name, str):
            continue
        rows.append(
            {
                "api_name": name,
                "id": raw.get("id") or stable_id("field", module, name),
                "display_label": raw.get("display_label") or name,
                "data_type": raw.get("data_type"),
                "json_type": raw.get("json_type"),
                "length": raw.get("length"),
                "required": bool(raw.get("system_mandatory")) or name in extra,
                "sequence_number": number,
            }
        )
    section = {
        "api_name": f"{module}_Information",
        "display_label": "Information",
        "name": "Information",
        "id": stable_id("section", module),
        "sequence_number": 1,
        "column_count": 2,
        "generated_type": "default",
        "type": "used",
        "isSubformSection": False,
        "tab_traversal": "left_to_right",
        "fields": rows,
    }
    return {
        "id": stable_id("layout", module),
        "name": "Standard",
        "api_name": "Standard",
        "display_label": "Standard",
        "status": "active",
        "visible": True,
        "source": "crm",
        "generated_type": "default",
        "profiles": [
            {"id": stable_id("profile", "Administrator"), "name": "Administrator", "default": True}
        ],
        "sections": [section],
    }
