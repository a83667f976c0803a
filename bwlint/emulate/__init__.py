"""`bwlint emulate`: a local server that speaks Zoho's bulk write API as Zoho's SDK calls it."""
