"""bwlint: find what Zoho CRM's Bulk Write API would reject, before you upload."""

__version__ = "0.1.0"
