"""Bytes to objects: job JSON, module metadata and data files."""
