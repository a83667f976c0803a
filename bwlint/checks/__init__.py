"""The code behind rules/: one module per rule family, each registering its checks."""

from bwlint.checks import cells, file, job, parentchild, records  # noqa: F401
