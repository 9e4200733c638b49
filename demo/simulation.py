"""Running the real bot in simcord's virtual time, shared by the demo, the benchmarks and the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import time_machine

# simcord's virtual clock starts at this instant; datetime.now() must start there too.
SIMCORD_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@contextmanager
def simcord_time() -> Iterator[time_machine.Traveller]:
    """Freeze datetime.now() at simcord's epoch; follow_simcord_clock() then moves it with simcord."""
    with time_machine.travel(SIMCORD_EPOCH, tick=False) as traveller:
        yield traveller


def follow_simcord_clock(env, traveller: time_machine.Traveller) -> Callable[[], None]:
    """Make every step of simcord's clock move datetime.now() too, so APScheduler and the bot see the same time
    as simcord's timers. Returns a function that undoes it."""
    backend = env.backend
    if env.now() != SIMCORD_EPOCH:
        raise RuntimeError(f"simcord's clock is at {env.now()}, expected {SIMCORD_EPOCH}")
    advance_clock = backend.advance_clock

    def advance_both(seconds: float) -> None:
        advance_clock(seconds)
        # Absolute, not traveller.shift(): many small float steps would drift datetime.now() off simcord's clock.
        traveller.move_to(env.now())

    backend.advance_clock = advance_both

    def undo() -> None:
        backend.advance_clock = advance_clock

    return undo


async def advance_to(env, moment: datetime) -> None:
    """Move virtual time to just past `moment` (1 ms), so timers due at that instant have fired: APScheduler's
    float arithmetic can place a timer a few nanoseconds after its instant."""
    await env.advance_time(max(0.0, (moment + timedelta(milliseconds=1) - env.now()).total_seconds()))
