"""Sets, checks and carries over members' commitments, and tells whoever shows them that they changed."""

from __future__ import annotations

from collections.abc import Sequence

from mastermind.clock import Clock
from mastermind.errors import Refusal
from mastermind.rules.ledger import checkable, is_unfinished, may_check, with_carried
from mastermind.services.events import CommitmentsChanged, Events
from storage import Store
from storage.models import Commitment, CommitmentContext, CommitmentStatus, Group


class Ledger:
    def __init__(self, store: Store, clock: Clock, events: Events) -> None:
        self._store = store
        self._clock = clock
        self._events = events

    async def set_goals(
        self, group: Group, user_id: int, goals: Sequence[str], *, carry_over: bool = False
    ) -> list[Commitment]:
        """The member's commitments for the next meeting, replacing any set earlier in this cycle."""
        carried = await self.unfinished(group, user_id) if carry_over else []
        return await self._replace(group, user_id, with_carried([(goal, None) for goal in goals], carried))

    async def carry_over(self, group: Group, user_id: int) -> list[Commitment]:
        """Add the member's unfinished commitments from the last meeting to those set for the next one."""
        unfinished = await self.unfinished(group, user_id)
        if not unfinished:
            raise Refusal("goals.nothing_to_carry")
        upcoming = [
            (c.text, c.carried_from_id)
            for c in await self._store.commitments.upcoming(group.guild_id, group.id, user_id)
        ]
        combined = with_carried(upcoming, unfinished)
        if combined == upcoming:
            raise Refusal("goals.already_carried")
        return await self._replace(group, user_id, combined)

    async def _replace(self, group: Group, user_id: int, goals: list[tuple[str, int | None]]) -> list[Commitment]:
        saved = await self._store.commitments.replace_upcoming(
            guild_id=group.guild_id, group_id=group.id, user_id=user_id, goals=goals, now=self._clock.now()
        )
        await self._events.publish(CommitmentsChanged(group=group, user_id=user_id, upcoming=tuple(saved)))
        return saved

    async def unfinished(self, group: Group, user_id: int) -> list[Commitment]:
        """The member's commitments from the last meeting that were not done."""
        meeting = await self._store.meetings.latest(group.guild_id, group.id)
        if meeting is None:
            return []
        due = await self._store.commitments.due_at(group.guild_id, meeting.id, user_id)
        return [c for c in due if is_unfinished(c)]

    async def checkable(self, group: Group, user_id: int) -> list[Commitment]:
        """What the member can mark now: during a meeting, what was due at it; between meetings, what is due next."""
        meeting = await self._store.meetings.current(group.guild_id, group.id)
        if meeting is not None:
            return checkable(await self._store.commitments.due_at(group.guild_id, meeting.id, user_id), ())
        return checkable(None, await self._store.commitments.upcoming(group.guild_id, group.id, user_id))

    async def context(self, guild_id: int, commitment_id: int, *, actor_id: int) -> CommitmentContext:
        """The commitment with what marking it depends on; refused when there is no such commitment here."""
        context = await self._store.commitments.context(guild_id, commitment_id, actor_id=actor_id)
        if context is None:
            raise Refusal("goals.unknown")
        return context

    async def mark(self, context: CommitmentContext, status: CommitmentStatus, note: str | None = None) -> Commitment:
        """Record how a commitment turned out (with a note already parsed); marking again changes it. Who may
        mark is the caller's to check."""
        if not may_check(context.commitment, context.open_meeting_id):
            raise Refusal("goals.not_checkable")
        marked = await self._store.commitments.check(
            context.group.guild_id, context.commitment.id, status, note=note, now=self._clock.now()
        )
        if marked is None:
            raise Refusal("goals.not_checkable")  # its meeting closed in the meantime
        await self._events.publish(CommitmentsChanged(group=context.group, user_id=marked.user_id, marked=marked))
        return marked
