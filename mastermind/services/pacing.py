"""Spacing out requests so a burst of sends never runs into Discord's global rate limit."""

from __future__ import annotations

import asyncio
import time


class Pacer:
    """Hands out request slots at a steady rate: the first goes at once, each next one an interval later.

    Discord allows a bot about 50 requests a second across all routes; pacing below that, with room left for the
    requests commands make, means a burst of 1,000 meetings starting together never meets a storm of 429s.
    """

    def __init__(self, requests_per_second: float) -> None:
        self._interval = 1.0 / requests_per_second
        self._next_free = 0.0

    async def wait(self, requests: int = 1) -> None:
        # Read and reserve with no await between them, so concurrent callers each get their own slot.
        now = time.monotonic()
        start = max(now, self._next_free)
        self._next_free = start + requests * self._interval
        if start > now:
            await asyncio.sleep(start - now)
