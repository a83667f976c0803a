"""A small client of Zoho CRM's bulk write and metadata APIs (no click, no printing)."""
