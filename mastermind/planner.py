"""Keeps every group's next meeting planned as rows of sends; the rows, not the timers, are the truth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime

from mastermind.clock import Clock
from mastermind.planning import SCHEDULE_KINDS, meeting_sends
from mastermind.schedule import Occurrence, next_occurrence, occurrences
from storage import Store
from storage.models import Group, PlannedSchedule, ScheduleOverride, SendPlan


def next_meeting_sends(
    planned: PlannedSchedule | None, reminder_minutes: tuple[int, ...], now: datetime
) -> tuple[Occurrence | None, list[SendPlan]]:
    """A group's next meeting and the sends it needs (none when there is no next meeting)."""
    if planned is None:
        return None, []
    schedule = planned.schedule
    upcoming = next_occurrence(schedule, planned.overrides, after=now)
    if upcoming is None:
        return None, []
    return upcoming, meeting_sends(
        group_id=schedule.group_id,
        guild_id=schedule.guild_id,
        meeting_at=upcoming.starts_at,
        reminder_minutes=reminder_minutes,
        every_weeks=schedule.every_weeks,
        now=now,
    )


class Planner:
    def __init__(self, store: Store, clock: Clock, *, on_planned: Callable[[], Awaitable[None]]) -> None:
        self._store = store
        self._clock = clock
        self._on_planned = on_planned

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

    async def replan(self, group: Group) -> Occurrence | None:
        """Plan the reminders and kickoff of the group's next meeting, cancelling whatever no longer fits."""
        now = self._clock.now()
        planned = await self._store.schedules.planned(group.guild_id, group.id) if group.is_active else None
        upcoming, plans = next_meeting_sends(planned, group.reminder_minutes, now)
        await self._store.sends.plan([group.id], plans, kinds=SCHEDULE_KINDS, now=now)
        await self._on_planned()
        return upcoming

    async def replan_all(self) -> int:
        """Re-plan every group at start-up in one pass (a handful of queries, however many groups)."""
        now = self._clock.now()
        overrides: dict[int, list[ScheduleOverride]] = defaultdict(list)
        for override in await self._store.schedules.all_overrides():
            overrides[override.group_id].append(override)
        plans: list[SendPlan] = []
        scheduled = await self._store.schedules.all_active()
        for item in scheduled:
            planned = PlannedSchedule(schedule=item.schedule, overrides=tuple(overrides[item.schedule.group_id]))
            _, group_plans = next_meeting_sends(planned, item.reminder_minutes, now)
            plans.extend(group_plans)
        await self._store.sends.plan(None, plans, kinds=SCHEDULE_KINDS, now=now)
        await self._on_planned()
        return len(scheduled)
