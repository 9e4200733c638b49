"""Keeps every group's next meeting planned as rows of sends; the rows, not the timers, are the truth."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time

from mastermind.clock import Clock
from mastermind.errors import Person, Refusal
from mastermind.rules.schedule import Occurrence, check_reminders_fit, new_schedule, occurrences
from mastermind.rules.timed_sends import SCHEDULE_KINDS, next_meeting_sends
from mastermind.services.events import Events, NextMeetingChanged
from storage import Store
from storage.models import Group, PlannedSchedule, Schedule, ScheduleOverride, SendKind, SendPlan, Shards

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProposalUse:
    """A time proposed by /schedule find being used: only the first use of a proposal sets the schedule."""

    proposal_id: int
    rank: int
    user_id: int


class Planner:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        events: Events,
        *,
        expect: Callable[[Iterable[datetime]], None],
        shards: Shards | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._events = events
        self._expect = expect
        self._shards = shards  # start-up planning covers these shards' servers only

    async def upcoming(self, group: Group, count: int) -> list[Occurrence]:
        """The group's next meetings, as the schedule and its skips and moves make them."""
        if not group.is_active:
            return []
        planned = await self._store.schedules.planned(group.guild_id, group.id)
        if planned is None:
            return []
        return occurrences(planned.schedule, planned.overrides, after=self._clock.now(), count=count)

    async def next_meeting(self, group: Group) -> Occurrence | None:
        upcoming = await self.upcoming(group, 1)
        return upcoming[0] if upcoming else None

    async def set_schedule(
        self,
        group: Group,
        *,
        weekday: int,
        at: time,
        zone_name: str,
        every_weeks: int,
        proposal: ProposalUse | None = None,
    ) -> tuple[Schedule, Occurrence]:
        """Meet on this weekday at this local time every few weeks, from the next such day still ahead: what
        /schedule set does, and a proposal's "Use this time" (which also marks the proposal used, in the same
        transaction, so that of two presses only one sets the schedule)."""
        check_reminders_fit(group.name, group.reminder_minutes, every_weeks)
        now = self._clock.now()
        schedule = new_schedule(
            group_id=group.id,
            guild_id=group.guild_id,
            weekday=weekday,
            at=at,
            zone_name=zone_name,
            every_weeks=every_weeks,
            now=now,
        )
        async with self._store.atomic() as tx:
            if proposal is not None and not await tx.proposals.use(
                group.guild_id, proposal.proposal_id, rank=proposal.rank, user_id=proposal.user_id, now=now
            ):
                used = await tx.proposals.get(group.guild_id, proposal.proposal_id)
                if used is None or used.used_by is None:
                    raise Refusal("find.gone")
                raise Refusal("find.already_used", who=Person(used.used_by), rank=used.used_rank)
            await tx.schedules.save(schedule, now=now)
        upcoming = await self.replan(group)
        assert upcoming is not None  # a schedule just set always has a meeting ahead
        return schedule, upcoming

    async def replan(self, group: Group) -> Occurrence | None:
        """Plan the reminders and kickoff of the group's next meeting, cancelling whatever no longer fits, and
        tell whoever follows the next meeting (the scheduled event)."""
        now = self._clock.now()
        planned = await self._store.schedules.planned(group.guild_id, group.id) if group.is_active else None
        upcoming, plans = next_meeting_sends(planned, group.reminder_minutes, now)
        planned_reminders = {plan.detail for plan in plans if plan.kind == SendKind.REMINDER}
        passed = [minutes for minutes in group.reminder_minutes if minutes not in planned_reminders]
        if upcoming is not None and passed:
            # A moved or newly set meeting can be nearer than its earliest reminders: those were never owed.
            log.info(
                "Group %s: reminders %s before the meeting of %s had passed when it was planned",
                group.id,
                passed,
                upcoming.starts_at,
            )
        await self._store.sends.plan([group.id], plans, kinds=SCHEDULE_KINDS, now=now)
        self._expect(plan.due_at for plan in plans)
        await self._events.publish(NextMeetingChanged(group=group, upcoming=upcoming))
        return upcoming

    async def replan_all(self) -> int:
        """Re-plan every group at start-up in one pass (a handful of queries, however many groups)."""
        now = self._clock.now()
        overrides: dict[int, list[ScheduleOverride]] = defaultdict(list)
        for override in await self._store.schedules.all_overrides(self._shards):
            overrides[override.group_id].append(override)
        plans: list[SendPlan] = []
        scheduled = await self._store.schedules.all_active(self._shards)
        for item in scheduled:
            planned = PlannedSchedule(schedule=item.schedule, overrides=tuple(overrides[item.schedule.group_id]))
            _, group_plans = next_meeting_sends(planned, item.reminder_minutes, now)
            plans.extend(group_plans)
        await self._store.sends.plan(None, plans, kinds=SCHEDULE_KINDS, now=now)
        return len(scheduled)
