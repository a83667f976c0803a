"""Which field a name that is not an API name meant: exports head their columns with
the CRM's labels (`Title`, `No. of Employees`, `Lead Owner`) or with another system's
names (`lastname`, `Zip/Postal Code`), and a mapping may name a label. BW120 uses this
to name the field for each unknown header or mapping.

A name matches a field when, lower-cased and stripped of everything but letters and
digits, it equals the field's API name, its `field_label` or its `display_label`;
else the field whose name holds all the words of the other (`Zip/Postal Code` and
`Zip Code`), else the closest name (difflib) at least `FUZZY` alike, offered with a `?`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bwlint.domain.model import UNSUPPORTED_TYPES, Field, Module

FUZZY = 0.8
_NOT_ALNUM = re.compile(r"[\W_]+")


def squashed(name: str) -> str:
    """`No. of Employees` → `noofemployees`: how a name is compared."""
    return _NOT_ALNUM.sub("", name.lower())


@dataclass(frozen=True)
class Guess:
    """The field a name most likely meant, and how bwlint knows."""

    field: Field
    header: str  # what to write instead (`Owner.id` for a lookup)
    via: str | None  # "label" or "display label" when a label matched, else None
    sure: bool  # an exact match (but for case and punctuation), not a close one

    def question(self, name: str) -> str:
        """`; did you mean 'No_of_Employees'? ('No. of Employees' is its label)`."""
        label = f" ('{name}' is its {self.via})" if self.via and self.sure else ""
        return f"; did you mean '{self.header}'?{label}"

    def describe(self, name: str) -> str:
        """`'Title' → Designation (its label)`, `'Zip/Postal Code' → Zip_Code?`."""
        notes = []
        if self.via is not None:
            notes.append(f"its {self.via}")
        if self.field.is_lookup and "." not in name:
            notes.append("a lookup, found by id")
        note = f" ({'; '.join(notes)})" if notes else ""
        return f"'{name}' → {self.header}{'' if self.sure else '?'}{note}"


def _fields(module: Module) -> list[Field]:
    """The fields worth suggesting: those a bulk write can set, and `id`."""
    return [
        field
        for field in module.fields.values()
        if field.api_name == "id"
        or ((field.api_create or field.api_update) and field.data_type not in UNSUPPORTED_TYPES)
    ]


def _names(field: Field) -> list[tuple[str, str | None]]:
    """(name, which label it is) of every name a field is known by."""
    names: list[tuple[str, str | None]] = [(field.api_name, None)]
    for key, what in (("field_label", "label"), ("display_label", "display label")):
        label = field.raw.get(key)
        if isinstance(label, str) and label and label not in (n for n, _ in names):
            names.append((label, what))
    return names


def _index(module: Module) -> dict[str, tuple[Field, str | None]]:
    """Every squashed name of the module's fields → (field, which label); API names
    first, so an API name wins over another field's label."""
    index: dict[str, tuple[Field, str | None]] = {}
    for rank in (0, 1, 2):
        for field in _fields(module):
            names = _names(field)
            if rank < len(names):
                name, what = names[rank]
                index.setdefault(squashed(name), (field, what))
    return index


def _words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", name.lower()))


def _by_words(name: str, module: Module) -> tuple[Field, str | None] | None:
    """The field whose name has the most words in common with `name`, when one holds
    all the words of the other (`Zip/Postal Code` and `Zip Code`) and no other field
    does as well."""
    words = _words(name)
    # (share of words in common, matched by its API name rather than a label)
    scored: dict[str, tuple[tuple[float, bool], Field, str | None]] = {}
    for field in _fields(module):
        for label, what in _names(field):
            other = _words(label.replace("_", " "))
            if words and other and (words <= other or other <= words):
                score = (len(words & other) / len(words | other), what is None)
                if score > scored.get(field.api_name, ((0.0, False), field, what))[0]:
                    scored[field.api_name] = (score, field, what)
    ranked = sorted(scored.values(), key=lambda item: item[0], reverse=True)
    if not ranked or ranked[0][0][0] < 0.5 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1], ranked[0][2]


def _lookup(name: str, module: Module) -> tuple[tuple[Field, str | None], bool] | None:
    """(the field, which label), and whether the match is exact but for case and
    punctuation."""
    index = _index(module)
    if squashed(name) in index:
        return index[squashed(name)], True
    found = _by_words(name, module)
    if found is not None:
        return found, False
    close = difflib.get_close_matches(squashed(name), list(index), n=1, cutoff=FUZZY)
    return (index[close[0]], False) if close else None


def guess_field(name: str, module: Module) -> Guess | None:
    """The field `name` (a header or a mapping's api_name) most likely means. A dot
    is tried as part of the name (`No. of Employees`), then as a lookup's
    `Field.target` (`Account.id`)."""
    name = name.strip()
    base, dot, target = name.partition(".")
    index = _index(module)
    if squashed(name) in index or not dot:
        found, dot = _lookup(name, module), ""
    else:
        found = _lookup(base, module)
    if found is None:
        return None
    (field, via), sure = found
    if dot and field.is_lookup:
        header = f"{field.api_name}.{target}"
    elif field.is_lookup:
        header = f"{field.api_name}.id"
    else:
        header = field.api_name
    return Guess(field, header, via, sure)
