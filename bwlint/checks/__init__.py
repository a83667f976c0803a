"""The code behind rules/: one module per rule family, each registering its checks."""

from bwlint.checks import cells, job, records  # noqa: F401
