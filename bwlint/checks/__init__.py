"""The code behind rules/: one module per rule family, each registering its checks."""

from bwlint.checks import file, job  # noqa: F401
