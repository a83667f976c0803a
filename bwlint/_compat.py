"""What differs between the Python versions bwlint runs on (3.10 and later), in one place."""

from __future__ import annotations

import sys
from enum import Enum

if sys.version_info >= (3, 11):
    from enum import StrEnum

    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

    class StrEnum(str, Enum):
        """enum.StrEnum of Python 3.11: members are their string values."""

        def __str__(self) -> str:
            return str.__str__(self)

        def __format__(self, spec: str) -> str:
            return str.__format__(self, spec)


__all__ = ["StrEnum", "tomllib"]
