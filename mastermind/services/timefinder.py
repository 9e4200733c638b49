"""Finds the weekly time that suits a group's members best over the coming year, and keeps what it proposed so
that any member can take one of the times later (after restarts too)."""

from __future__ import annotations

from dataclasses import dataclass

from mastermind.clock import Clock
from mastermind.errors import People, Refusal
from mastermind.rules.schedule import check_reminders_fit
from mastermind.rules.slots import Attendee, Candidate, attendee, find_slots
from storage import Store
from storage.models import Group, ProposedSlot, ScheduleProposal

PROPOSED = 3


@dataclass(frozen=True)
class Proposal:
    """What /schedule find worked out: the stored proposal (what its buttons stand for), the candidates best
    first, the people they were judged for, and the members left out for giving no hours."""

    proposal: ScheduleProposal
    candidates: tuple[Candidate, ...]
    people: tuple[Attendee, ...]
    without_hours: tuple[int, ...]


class TimeFinder:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def propose(self, group: Group, *, length: int, every_weeks: int, by: int) -> Proposal:
        """The best times for the group's members who gave their hours; refused with fewer than two of them."""
        check_reminders_fit(group.name, group.reminder_minutes, every_weeks)
        members = [member.user_id for member in await self._store.groups.members(group.guild_id, group.id)]
        known = {
            hours.user_id: hours
            for hours in await self._store.availability.of_users(group.guild_id, members)
            if hours.ranges
        }
        people = tuple(attendee(known[user_id]) for user_id in members if user_id in known)
        without_hours = tuple(user_id for user_id in members if user_id not in known)
        if len(people) < 2:
            if without_hours:
                raise Refusal("find.needs_hours", members=People(without_hours))
            raise Refusal("find.needs_members", name=group.name)
        now = self._clock.now()
        candidates = find_slots(people, length=length, every_weeks=every_weeks, after=now, top=PROPOSED)
        if not candidates:
            raise Refusal("find.nothing_fits", length=length)
        proposal = await self._store.proposals.create(
            guild_id=group.guild_id,
            group_id=group.id,
            length_minutes=length,
            every_weeks=every_weeks,
            created_by=by,
            slots=[
                ProposedSlot(
                    rank=rank,
                    weekday=candidate.slot.weekday,
                    local_time=candidate.slot.at,
                    timezone=candidate.slot.zone,
                )
                for rank, candidate in enumerate(candidates, start=1)
            ],
            now=now,
        )
        return Proposal(proposal, tuple(candidates), people, without_hours)
