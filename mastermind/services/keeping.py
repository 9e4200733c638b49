"""Keeping groups alive: members pause and resume, answer their check-ins, and organizers see how every group is
doing; the charts read their history here too."""

from __future__ import annotations

from mastermind.clock import Clock
from mastermind.errors import Person, Refusal
from mastermind.rules.health import GroupHealth, assess, worst_first
from mastermind.rules.keeping import DEFAULT_PAUSE, check_pause, may_answer_check_in
from mastermind.rules.stats import ChartData, chart_data
from storage import Store
from storage.models import CheckIn, CheckInAnswer, Group

# The chart shows up to two years of biweekly meetings.
CHART_MEETINGS = 52


class Keeper:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    # ---------------------------------------------------------------- pauses

    async def pause(self, group: Group, user_id: int, meetings: int) -> int:
        """Pause the member for 1 to 6 meetings (pausing again sets a new count); returns the count."""
        check_pause(meetings)
        if not await self._store.groups.set_paused(group.guild_id, group.id, user_id, meetings):
            raise Refusal("group.you_are_not_a_member", name=group.name)
        return meetings

    async def resume(self, group: Group, user_id: int) -> None:
        member = await self._store.groups.member(group.guild_id, group.id, user_id)
        if member is None:
            raise Refusal("group.you_are_not_a_member", name=group.name)
        if not member.is_paused:
            raise Refusal("pause.not_paused", name=group.name)
        await self._store.groups.set_paused(group.guild_id, group.id, user_id, 0)

    # ---------------------------------------------------------------- check-ins

    async def check_in_for(self, guild_id: int, check_in_id: int, *, actor_id: int) -> tuple[CheckIn, Group]:
        """The check-in a button belongs to, with its group: refused to anyone but its member, once answered,
        and when they are no longer in a group that still meets."""
        check_in = await self._store.check_ins.get(guild_id, check_in_id)
        if check_in is None:
            raise Refusal("check_in.unknown")
        if not may_answer_check_in(actor_id, check_in.user_id):
            raise Refusal("check_in.not_yours", member=Person(check_in.user_id))
        group = await self._store.groups.get(guild_id, check_in.group_id)
        if group is None or not group.is_active:
            raise Refusal("check_in.group_archived")
        if check_in.answer is not None:
            raise Refusal("check_in.answered", name=group.name)
        if not await self._store.groups.is_member(guild_id, group.id, actor_id):
            raise Refusal("group.you_are_not_a_member", name=group.name)
        return check_in, group

    async def answer(self, check_in: CheckIn, group: Group, answer: CheckInAnswer) -> None:
        """Record the answer (the first one stands); "Pause me for a while" pauses them in the same transaction.
        Leaving the group is the caller's to do first, since it changes who may see the channels."""
        async with self._store.atomic() as tx:
            if not await tx.check_ins.answer(check_in, answer, now=self._clock.now()):
                raise Refusal("check_in.answered", name=group.name)
            if answer == "pause":
                await tx.groups.set_paused(group.guild_id, group.id, check_in.user_id, DEFAULT_PAUSE)

    # ---------------------------------------------------------------- what organizers and members see

    async def health(self, guild_id: int) -> list[GroupHealth]:
        """Every active group of the server, worst first: one query, however many groups."""
        now = self._clock.now()
        return worst_first([assess(record, now) for record in await self._store.health.active_groups(guild_id)])

    async def chart(self, group: Group, only: int | None = None) -> ChartData:
        history = await self._store.stats.chart_history(group.guild_id, group.id, meetings=CHART_MEETINGS)
        return chart_data(history, only)
