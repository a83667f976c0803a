"""The `[zoho]` table of the configuration (`[tool.bwlint.zoho]` in pyproject.toml).

It says where to connect and which environment variables hold the credentials; it
never holds a secret itself:

    [zoho]
    data-centre = "eu"               # us eu in au jp ca sa cn
    environment = "sandbox"          # production sandbox developer
    org = "123456789"                # the zgid; else GET /crm/v8/org
    client-id-env = "ACME_ZOHO_ID"   # default ZOHO_CLIENT_ID
    client-secret-env = "ACME_ZOHO_SECRET"
    refresh-token-env = "ACME_ZOHO_REFRESH"
    journal = ".bwlint/journal"      # relative to the configuration file
    # base-url, accounts-url, api-url, upload-url: host overrides
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwlint.errors import UsageError

STRING_KEYS = (
    "data-centre",
    "environment",
    "org",
    "base-url",
    "accounts-url",
    "api-url",
    "upload-url",
    "client-id-env",
    "client-secret-env",
    "refresh-token-env",
    "journal",
)
SECRET_KEYS = ("client-id", "client-secret", "refresh-token", "access-token", "token")


@dataclass(frozen=True)
class ZohoSettings:
    """What the `[zoho]` table says; None where it says nothing."""

    data_centre: str | None = None
    environment: str | None = None
    org: str | None = None
    base_url: str | None = None
    accounts_url: str | None = None
    api_url: str | None = None
    upload_url: str | None = None
    client_id_env: str = "ZOHO_CLIENT_ID"
    client_secret_env: str = "ZOHO_CLIENT_SECRET"
    refresh_token_env: str = "ZOHO_REFRESH_TOKEN"
    journal: Path | None = None

    @property
    def env_names(self) -> tuple[str, str, str]:
        return (self.client_id_env, self.client_secret_env, self.refresh_token_env)


def parse_zoho(where: str, table: Any, root: Path) -> ZohoSettings:
    """Validate the table; a secret written into it is refused, by name only."""
    if not isinstance(table, dict):
        raise UsageError(f"{where} 'zoho' must be a table ([zoho])")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in SECRET_KEYS:
            raise UsageError(
                f"{where} zoho.{key}: secrets never go in the configuration; name the "
                f"environment variable that holds it with '{key}-env'"
                if key != "access-token" and key != "token"
                else f"{where} zoho.{key}: bwlint gets access tokens itself; remove it"
            )
        if key not in STRING_KEYS:
            raise UsageError(
                f"{where} zoho: unknown key '{key}' (known keys: {', '.join(STRING_KEYS)})"
            )
        if not isinstance(value, str) or not value:
            raise UsageError(f"{where} zoho.{key} must be a non-empty string, not {value!r}")
        values[key.replace("-", "_")] = value
    if "journal" in values:
        values["journal"] = root / values["journal"]
    return ZohoSettings(**values)
