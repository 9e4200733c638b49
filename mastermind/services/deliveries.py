"""Delivers planned sends on time, at most once, and without losing any across restarts.

The planned_sends table is the truth. APScheduler is only the alarm clock: one job, always set for the earliest
pending row, rebuilt from the table at start-up. When it rings, every due row is claimed with a conditional
UPDATE (only one claimer can win), handed to the handler for its kind, and marked sent or failed. One job for
the whole table keeps start-up and memory flat however many groups there are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from mastermind.clock import Clock
from mastermind.rules.timed_sends import deadline, triage
from storage import Store
from storage.models import PlannedSend, SendKind, Shards

log = logging.getLogger(__name__)

# A passing fault is tried again after this long, up to MAX_ATTEMPTS tries in all, while the send is still timely.
RETRY_DELAY = timedelta(minutes=1)
MAX_ATTEMPTS = 3
# A send cut off by a crash is retried only this soon after: Discord drops a repeated nonce within minutes.
INTERRUPTED_WINDOW = timedelta(minutes=2)
BATCH = 500
# Deliveries in progress at once. With ~100 ms a request this keeps the pacer's rate busy; more would only mean
# more tasks waiting in line for it (10,000 due sends must not become 10,000 tasks).
WORKERS = 8

Handler = Callable[[PlannedSend], Awaitable[int | None]]


class SendOutcome(Exception):
    """A handler's way of saying how a send ended other than sent; the reason is stored with the row. A send made
    of several requests says which message it already posted, so a retry carries on from there instead of
    posting it again."""

    def __init__(self, reason: str, *, message_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


class DeliveryFailed(SendOutcome):
    """The send can't be made and trying again won't help (the channel is gone, a permission is missing)."""


class DeliveryRetry(DeliveryFailed):
    """A passing fault (Discord answered 5xx or 429): worth another try a little later."""


class NothingToSend(SendOutcome):
    """The send is no longer needed (a nudge with no open commitments): marked skipped, with the reason."""


class Deliveries:
    JOB_ID = "planned-sends"

    def __init__(self, store: Store, clock: Clock, *, shards: Shards | None = None) -> None:
        self._store = store
        self._clock = clock
        self._shards = shards  # this process delivers the sends of these shards' servers only
        self._ready: Callable[[], Awaitable[object]] | None = None
        self._handlers: dict[SendKind, Handler] = {}
        self._running: set[asyncio.Task[object]] = set()
        self._alarm: datetime | None = None  # when the timer is set to ring, as far as this process knows
        # Several wake-ups may overlap (a re-arm while one is running): claims keep that safe, so allow it.
        self._scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 50}
        )

    def register(self, kind: SendKind, handler: Handler) -> None:
        """The handler delivers one send of this kind, pacing its own requests (see Pacer)."""
        self._handlers[kind] = handler

    def unregister(self, kind: SendKind) -> None:
        self._handlers.pop(kind, None)

    async def start(self, *, ready: Callable[[], Awaitable[object]] | None = None) -> None:
        """Recover sends a crash cut off, then arm the timer. Deliveries wait for `ready` (the bot's connection,
        so channels are known) before each batch."""
        self._ready = ready
        retried, given_up = await self._store.sends.recover_interrupted(
            now=self._clock.now(), window=INTERRUPTED_WINDOW, shards=self._shards
        )
        if retried or given_up:
            log.warning(
                "%d sends were cut off by the last shutdown: %d will be retried, %d were given up to avoid duplicates",
                retried + given_up,
                retried,
                given_up,
            )
        if not self._scheduler.running:
            self._scheduler.start()
        await self.rearm()

    async def stop(self) -> None:
        """Stop the timer and any delivery in progress; a send cut off here is recovered at the next start."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        for task in list(self._running):
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)

    async def rearm(self) -> None:
        """Set the alarm for the earliest pending send (or clear it when nothing is pending). While a batch is
        being delivered this waits for its end: a thousand kickoffs each planning the next meeting need one
        re-arm, not a thousand."""
        if self._running:
            return  # the batch re-arms when it ends
        due = await self._store.sends.earliest_due(self._shards)
        if due is None:
            self._alarm = None
            with contextlib.suppress(JobLookupError):
                self._scheduler.remove_job(self.JOB_ID)
            return
        self._set_alarm(due)

    def expect(self, due_times: Iterable[datetime]) -> None:
        """Sends were just planned for these times: ring earlier if one is due before the alarm. Needs no trip to
        the database; a send cancelled since only makes the alarm ring for nothing, and it is set again then."""
        earliest = min(due_times, default=None)
        if earliest is None or self._running or not self._scheduler.running:
            return  # a batch re-arms from the table when it ends, and start() arms from it
        earliest = earliest.replace(microsecond=0)  # as the table keeps it: due times are whole seconds
        if self._alarm is None or earliest < self._alarm:
            self._set_alarm(earliest)

    def _set_alarm(self, at: datetime) -> None:
        self._alarm = at
        self._scheduler.add_job(self._wake, "date", run_date=at, id=self.JOB_ID, replace_existing=True)

    async def _wake(self) -> None:
        self._alarm = None
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            if self._ready is not None:
                await self._ready()
            await self.deliver_due()
        finally:
            if task is not None:
                self._running.discard(task)
        if not self._running:
            await self.rearm()

    async def deliver_due(self) -> int:
        """Deliver every send that is due now (they go out concurrently, paced), skip the stale ones; returns
        how many this call delivered. Safe to run in several places at once: each send goes to one claimer."""
        delivered = 0
        while True:
            now = self._clock.now()
            batch = await self._store.sends.due(now, limit=BATCH, shards=self._shards)
            plan = triage(batch, now)
            for send, reason in plan.skip:
                if await self._store.sends.skip(send.id, reason=reason, now=now):
                    log.warning(
                        "Skipped %s %s of group %s due %s: %s", send.kind, send.id, send.group_id, send.due_at, reason
                    )
            deliverable = []
            for send in plan.deliver:
                if send.kind in self._handlers:
                    deliverable.append(send)
                else:
                    log.error("No handler for %s sends; %s stays pending", send.kind, send.id)
            delivered += await self._deliver_all(deliverable)
            if len(batch) < BATCH:
                return delivered

    async def _deliver_all(self, sends: list[PlannedSend]) -> int:
        """Deliver with at most WORKERS in flight; returns how many this process took. Sends are claimed a few at
        a time, just before their turn: a crash leaves at most two handfuls "sending" (the rest stay pending, for
        another process or the next start), and another process serving the same servers shares the work."""
        waiting = deque(sends)
        claimed: deque[PlannedSend] = deque()
        in_flight: set[asyncio.Task[None]] = set()
        taken = 0
        try:
            while waiting or claimed or in_flight:
                if waiting and not claimed:
                    chunk = [waiting.popleft() for _ in range(min(WORKERS, len(waiting)))]
                    won = await self._store.sends.claim([send.id for send in chunk], now=self._clock.now())
                    claimed.extend(send for send in chunk if send.id in won)
                    taken += len(won)
                    continue
                while claimed and len(in_flight) < WORKERS:
                    send = claimed.popleft()
                    in_flight.add(asyncio.create_task(self._deliver(send), name=f"deliver-{send.kind}-{send.id}"))
                if in_flight:
                    _, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # Stopped (shutdown, or cancelled): the sends under way stop too; their rows stay "sending" for the
            # next start to recover, as after a crash.
            for task in in_flight:
                task.cancel()
        return taken

    async def _deliver(self, send: PlannedSend) -> None:
        message_id: int | None = None
        reason: str | None
        try:
            message_id = await self._handlers[send.kind](send)
        except DeliveryRetry as fault:
            if await self._retry(send, fault.reason, fault.message_id):
                return
            status, reason, message_id = "failed", fault.reason, fault.message_id
        except DeliveryFailed as failure:
            status, reason, message_id = "failed", failure.reason, failure.message_id
        except NothingToSend as unneeded:
            status, reason = "skipped", unneeded.reason
        except Exception:
            log.exception("Delivering %s %s of group %s failed", send.kind, send.id, send.group_id)
            status, reason = "failed", "error"
        else:
            status, reason = "sent", None
        if status == "failed":
            log.warning("Could not deliver %s %s of group %s: %s", send.kind, send.id, send.group_id, reason)
        await self._store.sends.finish(send.id, status, now=self._clock.now(), message_id=message_id, reason=reason)

    async def _retry(self, send: PlannedSend, reason: str, message_id: int | None) -> bool:
        now = self._clock.now()
        again = now + RETRY_DELAY
        too_late = deadline(send)
        if send.attempts + 1 >= MAX_ATTEMPTS or (too_late is not None and again >= too_late):
            return False
        if await self._store.sends.retry_at(send.id, again, reason=reason, now=now, message_id=message_id):
            log.info("Discord hiccup delivering %s %s (%s); trying again at %s", send.kind, send.id, reason, again)
            self.expect([again])
        return True
