"""Fault injection: make the emulator misbehave on purpose, for tests.

A rule is `KIND:ENDPOINT[:N]`. KIND is an HTTP status (`429`, `500`, `502`, `503`,
`504`), `slow` (answer after `slow_seconds`), `drop` (close the connection before
doing anything), `drop-after` (do the work, then close the connection instead of
answering: the client cannot know it happened) or `expire` (forget every access token
first, so the request gets 401 `INVALID_TOKEN`). ENDPOINT is `token`, `users`, `org`,
`modules`, `fields`, `layouts`, `upload`, `create`, `status`, `download` or `any`. N is
how many matching requests the rule hits (default 1), or, below 1, the share of them
it hits at random (`503:any:0.2`).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from bwlint.errors import UsageError

ENDPOINTS = (
    "token",
    "users",
    "org",
    "modules",
    "fields",
    "layouts",
    "upload",
    "create",
    "status",
    "download",
    "any",
)
KINDS = ("429", "500", "502", "503", "504", "slow", "drop", "drop-after", "expire")


@dataclass
class Fault:
    kind: str
    endpoint: str
    count: int | None = 1  # hits left; None: a share
    share: float = 0.0

    def matches(self, endpoint: str) -> bool:
        return self.endpoint in ("any", endpoint)


def parse_fault(text: str) -> Fault:
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or parts[0] not in KINDS or parts[1] not in ENDPOINTS:
        raise UsageError(
            f"fault '{text}': write KIND:ENDPOINT[:N], KIND one of {', '.join(KINDS)}, "
            f"ENDPOINT one of {', '.join(ENDPOINTS)}"
        )
    if len(parts) == 2:
        return Fault(parts[0], parts[1])
    try:
        amount = float(parts[2])
    except ValueError:
        raise UsageError(f"fault '{text}': N must be a count or a share below 1") from None
    if 0 < amount < 1:
        return Fault(parts[0], parts[1], count=None, share=amount)
    return Fault(parts[0], parts[1], count=max(0, int(amount)))


class Faults:
    """The rules in force; `pick` says which one hits a request, if any."""

    def __init__(self, rules: list[str] | None = None, seed: int | None = None) -> None:
        self._rules = [parse_fault(rule) for rule in rules or []]
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def add(self, rules: list[str]) -> None:
        parsed = [parse_fault(rule) for rule in rules]
        with self._lock:
            self._rules.extend(parsed)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def pick(self, endpoint: str) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if not rule.matches(endpoint):
                    continue
                if rule.count is None:
                    if self._random.random() < rule.share:
                        return rule
                elif rule.count > 0:
                    rule.count -= 1
                    return rule
        return None
