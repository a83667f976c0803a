"""CSV headers matched to a module's fields, each match with its reason and score.

In order: the field's API name (exactly, then ignoring case), its `field_label`, its
`display_label` (both compared without case, spaces or punctuation, so `No. of
Employees`, `no_of_employees` and `lastname` find their fields), then similarity:
the better of RapidFuzz's token-set ratio over the words (`Zip/Postal Code` is like
`Zip Code`) and its plain ratio over the squeezed names (`numemployees` is like
`No of Employees`), against the API name and both labels. Partial ratios are not used:
a short label inside a long header (`Tag` in `lifecyclestage`) is no match. A header
with the word `id` is never matched by similarity: ids belong to the system that
exported them (`Lead ID`, `hubspot_owner_id`); Zoho's own are `id` and `Field.id`.
A similar match counts only at `CONFIDENT` or above and when no other field scores
within `MARGIN`; two headers that find one field leave it to the better (the higher
score, then the earlier kind of exact match above), and the other is listed as unmatched.
Only fields the operation may write are candidates (never `id` on insert).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bwlint.domain.enums import Operation
from bwlint.domain.model import UNSUPPORTED_TYPES, Field, Module

CONFIDENT = 86.0
MARGIN = 4.0
EXACT = 100.0

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def squeezed(text: str) -> str:
    """Lower case, letters and digits only: `No. of Employees` → `noofemployees`."""
    return _NOT_WORD.sub("", text.lower())


def spaced(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower().replace("_", " ")).strip()


@dataclass(frozen=True)
class Match:
    header: str
    index: int
    field: Field | None  # None: no confident match
    how: str  # "api_name", "field_label", "display_label", "similar", or why not
    score: float
    target: str | None = None  # a `Lookup.field` header's target field
    taken_by: str | None = None  # left out: the header that holds its field

    @property
    def confident(self) -> bool:
        return self.field is not None


def candidates(module: Module, operation: Operation) -> list[Field]:
    return [
        field
        for field in module.fields.values()
        if field.data_type not in UNSUPPORTED_TYPES
        and field.data_type != "layout"
        and (field.writable_by(operation) or (field.api_name == "id" and operation.updates))
        and not (field.api_name == "id" and operation is Operation.INSERT)
    ]


def _labels(field: Field) -> dict[str, str]:
    raw = field.raw
    return {
        "field_label": str(raw.get("field_label") or ""),
        "display_label": str(raw.get("display_label") or ""),
    }


def _exact(name: str, fields: list[Field]) -> tuple[Field, str] | None:
    for field in fields:
        if field.api_name == name:
            return field, "api_name"
    for field in fields:
        if field.api_name.lower() == name.lower():
            return field, "api_name (case)"
    key = squeezed(name)
    for kind in ("field_label", "display_label"):
        for field in fields:
            label = _labels(field)[kind]
            if label and squeezed(label) == key:
                return field, kind
    for field in fields:
        if squeezed(field.api_name) == key:
            return field, "api_name (spelling)"
    return None


def similarity(a: str, b: str, **_: object) -> float:
    """0–100: how alike two spaced names are (words, or letters once squeezed)."""
    return max(fuzz.token_set_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


def _similar(name: str, fields: list[Field]) -> tuple[Field | None, str, float]:
    choices: dict[str, Field] = {}
    for field in fields:
        for text in (field.api_name, *_labels(field).values()):
            if text:
                choices.setdefault(spaced(text), field)
    keys = list(choices)
    ranked = process.extract(spaced(name), keys, scorer=similarity, limit=8)
    best: dict[str, tuple[Field, float]] = {}
    for text, score, _ in ranked:
        field = choices[text]
        if field.api_name not in best:
            best[field.api_name] = (field, float(score))
    scores = sorted(best.values(), key=lambda pair: -pair[1])
    if not scores:
        return None, "no field is like it", 0.0
    field, score = scores[0]
    if score < CONFIDENT:
        return None, f"closest: {field.api_name} ({score:.0f})", score
    if len(scores) > 1 and score - scores[1][1] < MARGIN:
        other = scores[1][0].api_name
        return None, f"{field.api_name} or {other}? ({score:.0f})", score
    return field, "similar", score


def match_header(header: str, index: int, fields: list[Field]) -> Match:
    name = header.strip()
    base, dot, target = name.partition(".")
    if dot and base:
        found = _exact(base, fields)
        if found is not None and found[0].is_lookup:
            return Match(header, index, found[0], found[1], EXACT, target or None)
    found = _exact(name, fields)
    if found is not None:
        return Match(header, index, found[0], found[1], EXACT)
    if "id" in spaced(name).split():
        return Match(header, index, None, "an id of the exporting system? map it by hand", 0.0)
    field, how, score = _similar(name, fields)
    return Match(header, index, field, how, score)


# Exact matches in the order they are tried: a header that is the API name beats one
# that is the field's label (`id` and `Record ID` on update: the first is Zoho's id).
_EXACT_ORDER = (
    "api_name",
    "api_name (case)",
    "field_label",
    "display_label",
    "api_name (spelling)",
)


def _rank(match: Match) -> tuple[float, int]:
    order = _EXACT_ORDER.index(match.how) if match.how in _EXACT_ORDER else len(_EXACT_ORDER)
    return match.score, -order


def match_headers(headers: list[str], module: Module, operation: Operation) -> list[Match]:
    """One match per header; a field found twice goes to the better match."""
    fields = candidates(module, operation)
    matches = [match_header(h, i, fields) for i, h in enumerate(headers) if h.strip()]
    owner: dict[str, Match] = {}
    for match in matches:
        if match.field is None:
            continue
        held = owner.get(match.field.api_name)
        if held is None or _rank(match) > _rank(held):
            owner[match.field.api_name] = match
    result = []
    for match in matches:
        if match.field is not None and owner[match.field.api_name] is not match:
            taken = owner[match.field.api_name].header
            match = Match(match.header, match.index, None, f"{match.field.api_name}, taken by "
                          f"'{taken}'", match.score, taken_by=taken)  # fmt: skip
        result.append(match)
    return result
