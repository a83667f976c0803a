"""The code behind rules/: one module per rule family, each registering its checks."""

from bwlint.checks import job, parentchild  # noqa: F401
