"""Where Zoho answers: the accounts, API and upload hosts of each data centre.

The table follows Zoho's own SDK for API v8 (its `dc/*_data_center.py`): every data
centre has an accounts server (the token grant), an API domain per environment
(production `www.`, sandbox `sandbox.`, developer `developer.`) and an upload host
(`content.zohoapis.*`, except Canada `upload.zohocloud.ca` and Saudi Arabia
`files.zoho.sa`). Every host can be overridden, and `base_url` sends all three to one
server (`bwlint emulate`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bwlint.errors import UsageError

# data centre -> (accounts server, API domain suffix, upload host)
DATA_CENTRES: dict[str, tuple[str, str, str]] = {
    "us": ("https://accounts.zoho.com", "zohoapis.com", "https://content.zohoapis.com"),
    "eu": ("https://accounts.zoho.eu", "zohoapis.eu", "https://content.zohoapis.eu"),
    "in": ("https://accounts.zoho.in", "zohoapis.in", "https://content.zohoapis.in"),
    "au": ("https://accounts.zoho.com.au", "zohoapis.com.au", "https://content.zohoapis.com.au"),
    "jp": ("https://accounts.zoho.jp", "zohoapis.jp", "https://content.zohoapis.jp"),
    "ca": ("https://accounts.zohocloud.ca", "zohoapis.ca", "https://upload.zohocloud.ca"),
    "sa": ("https://accounts.zoho.sa", "zohoapis.sa", "https://files.zoho.sa"),
    "cn": ("https://accounts.zoho.com.cn", "zohoapis.com.cn", "https://content.zohoapis.com.cn"),
}
ENVIRONMENTS = {"production": "www", "sandbox": "sandbox", "developer": "developer"}


@dataclass(frozen=True)
class Hosts:
    """The three base URLs a bulk write needs (no trailing slash)."""

    accounts: str
    api: str
    upload: str

    @property
    def token_url(self) -> str:
        return f"{self.accounts}/oauth/v2/token"


def _clean(url: str, what: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{what} must start with http:// or https://, not '{url}'")
    return url


def resolve_hosts(
    data_centre: str = "us",
    environment: str = "production",
    *,
    base_url: str | None = None,
    accounts_url: str | None = None,
    api_url: str | None = None,
    upload_url: str | None = None,
) -> Hosts:
    """The hosts for a data centre and environment; `base_url` or a host given beats it."""
    dc = data_centre.lower()
    if dc not in DATA_CENTRES:
        raise UsageError(f"unknown data centre '{data_centre}' (one of {', '.join(DATA_CENTRES)})")
    env = environment.lower()
    if env not in ENVIRONMENTS:
        raise UsageError(f"unknown environment '{environment}' (one of {', '.join(ENVIRONMENTS)})")
    accounts, suffix, upload = DATA_CENTRES[dc]
    api = f"https://{ENVIRONMENTS[env]}.{suffix}"
    if base_url:
        accounts = api = upload = _clean(base_url, "--base-url")
    return Hosts(
        accounts=_clean(accounts_url, "--accounts-url") if accounts_url else accounts,
        api=_clean(api_url, "--api-url") if api_url else api,
        upload=_clean(upload_url, "--upload-url") if upload_url else upload,
    )
