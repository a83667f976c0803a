"""Rewrite the README's generated blocks from their sources; `--check` only compares.

    python scripts/update_readme.py          # rewrite
    python scripts/update_readme.py --check  # exit 1 if the README is out of date

Blocks: `<!-- rules:start -->` … `<!-- rules:end -->`, the rule table from the catalogue
(rules/*.toml), as `bwlint rules --format markdown` prints it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bwlint.catalogue import load_catalogue  # noqa: E402
from bwlint.cli.rules import markdown_table  # noqa: E402

README = ROOT / "README.md"


def with_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + body + end + tail


def updated(text: str) -> str:
    return with_block(text, "rules", markdown_table(load_catalogue()))


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print("README.md is out of date: run python scripts/update_readme.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
