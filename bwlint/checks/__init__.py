"""The code behind rules/: one module per rule family, each registering its checks."""

from bwlint.checks import job  # noqa: F401
from bwlint.checks import cells  # noqa: F401
from bwlint.checks import records  # noqa: F401
