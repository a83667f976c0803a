"""Follow a job until it ends: polls at growing intervals, within a time limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bwlint.errors import UsageError
from bwlint.zoho.jobs import JobState, shown_status

if TYPE_CHECKING:
    from bwlint.zoho.bulk import ZohoClient


@dataclass(frozen=True)
class PollSettings:
    first: float = 2.0  # seconds before the second look (`--poll-interval`)
    factor: float = 1.5  # each wait this much longer …
    longest: float = 30.0  # … up to this
    timeout: float = 3600.0  # give up following after this (`--wait-timeout`)


def follow(
    client: ZohoClient,
    job_id: str,
    poll: PollSettings,
    on_state: Callable[[JobState, float], None],
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> JobState:
    """The job's state once COMPLETED or FAILED; a usage error past the time limit
    (the job goes on at Zoho: `bwlint result JOB_ID` picks it up)."""
    started = clock()
    interval = max(0.0, poll.first)
    while True:
        state = client.job(job_id)
        elapsed = clock() - started
        on_state(state, elapsed)
        if state.done:
            return state
        if elapsed + interval > poll.timeout:
            raise UsageError(
                f"job {job_id} is still {shown_status(state.status)} after {elapsed:.0f} s; "
                f"'bwlint result {job_id}' picks it up later"
            )
        sleep(interval)
        interval = min(poll.longest, interval * poll.factor) if interval else 0.0
