"""Derive schemas/fields.schema.json — what `--schema-dir` metadata files are validated
against — from Zoho's OpenAPI description of the Fields Metadata API (fields.json of
Zoho's crm-oas repository, v8.0).

    python scripts/derive_fields_schema.py PATH/TO/fields.json

Only the keys bwlint reads are constrained, with the OAS types: `nullable` becomes a
`null` alternative and an int32 format a range, so `length: true`, `decimal_place: 1e30`
or a string `lookup` are refused with the file, field and key named. Everything else
may be there or not: real responses carry keys the OAS marks required only sometimes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schemas" / "fields.schema.json"
READ = (
    "api_name",
    "data_type",
    "length",
    "decimal_place",
    "operation_type",
    "system_mandatory",
    "unique",
    "read_only",
    "field_read_only",
    "pick_list_values",
    "lookup",
    "textarea",
    "display_label",
    "field_label",
)
INT32 = 2**31 - 1


def _lenient(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """The OAS schema as JSON Schema: refs resolved (two levels), nullable as null,
    int32 as a range, nothing required and extra keys allowed."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if not schema["$ref"].startswith("#") or depth > 1 or name not in schemas:
            return {"type": "object"}
        schema = schemas[name]
    kind = schema.get("type")
    result: dict[str, Any] = {}
    if kind is not None:
        result["type"] = [kind, "null"] if schema.get("nullable") else kind
    if schema.get("format") == "int32":
        result.update(minimum=0, maximum=INT32)
    if "enum" in schema:
        result["enum"] = [*schema["enum"], None] if schema.get("nullable") else schema["enum"]
    if kind == "object" and "properties" in schema and depth < 2:
        result["properties"] = {
            key: _lenient(value, schemas, depth + 1) for key, value in schema["properties"].items()
        }
    if kind == "array" and "items" in schema:
        result["items"] = _lenient(schema["items"], schemas, depth + 1)
    return result


def derive(oas: dict[str, Any]) -> dict[str, Any]:
    schemas = oas["components"]["schemas"]
    field = schemas["fields"]["properties"]
    properties = {key: _lenient(field[key], schemas) for key in READ}
    properties["api_name"]["minLength"] = 1
    properties["unique"]["type"] = ["object", "boolean", "null"]  # older bodies: a boolean
    properties["textarea"]["type"] = ["object", "null"]
    properties["length"]["type"] = ["integer", "null"]
    for key in ("display_label", "field_label", "data_type"):
        properties[key]["type"] = ["string", "null"]
    lookup = properties["lookup"]
    lookup["properties"] = {
        "module": {
            "type": ["object", "null"],
            "properties": {"api_name": {"type": ["string", "null"]}},
        }
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Zoho CRM Fields Metadata response (the keys bwlint reads)",
        "description": "Derived by scripts/derive_fields_schema.py from Zoho's crm-oas v8.0 "
        "fields.json.",
        "type": "object",
        "required": ["fields"],
        "properties": {
            "fields": {
                "type": "array",
                "items": {"type": "object", "required": ["api_name"], "properties": properties},
            }
        },
    }


if __name__ == "__main__":
    source = Path(sys.argv[1])
    OUT.write_text(json.dumps(derive(json.loads(source.read_text())), indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
