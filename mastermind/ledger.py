"""The goal ledger's rules: how goals are typed, how much each outcome is worth, what carries over."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mastermind.clock import Clock
from mastermind.errors import Refusal
from storage import Store
from storage.models import Commitment, CommitmentStatus, Group

MAX_GOALS = 5
MAX_GOAL_LENGTH = 200
CHECK_STATUSES: tuple[CommitmentStatus, ...] = ("done", "partial", "missed")
# Kept commitments count in halves, so "partly done" is exact: done 2, partly 1, missed or unreported 0.
HALVES: dict[CommitmentStatus, int] = {"done": 2, "partial": 1, "missed": 0, "unreported": 0}

_SEPARATORS = re.compile(r"[\n;]")
# People paste lists: "- goal", "• goal", "1. goal", "2) goal". The marker is not part of the goal.
_LIST_MARKER = re.compile(r"^(?:[-*•·]|\d{1,2}[.)])(?:\s+|$)")


def parse_goals(text: str) -> list[str]:
    """Goals separated by new lines or semicolons: 1 to 5 of them, each 1 to 200 characters."""
    goals = [_LIST_MARKER.sub("", part.strip()).strip() for part in _SEPARATORS.split(text)]
    goals = [" ".join(goal.split()) for goal in goals if goal]
    if not goals:
        raise Refusal("goals.empty", max=MAX_GOALS, length=MAX_GOAL_LENGTH)
    check_goals(goals)
    return goals


def check_goals(goals: Sequence[str]) -> None:
    if len(goals) > MAX_GOALS:
        raise Refusal("goals.too_many", count=len(goals), max=MAX_GOALS)
    for number, goal in enumerate(goals, start=1):
        if len(goal) > MAX_GOAL_LENGTH:
            raise Refusal("goals.too_long", number=number, length=len(goal), max=MAX_GOAL_LENGTH)


def with_carried(
    goals: Sequence[tuple[str, int | None]], unfinished: Sequence[Commitment]
) -> list[tuple[str, int | None]]:
    """Goals as (text, carried from), followed by the unfinished commitments not among them yet (each once)."""
    combined = list(goals)
    known = {text.casefold() for text, _ in goals}
    for commitment in unfinished:
        if commitment.text.casefold() not in known:
            combined.append((commitment.text, commitment.id))
            known.add(commitment.text.casefold())
    check_goals([text for text, _ in combined])
    return combined


def is_unfinished(commitment: Commitment) -> bool:
    return commitment.status != "done"


class Ledger:
    """Sets, checks and carries over members' commitments."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def set_goals(
        self, group: Group, user_id: int, goals: Sequence[str], *, carry_over: bool = False
    ) -> list[Commitment]:
        """The member's commitments for the next meeting, replacing any set earlier in this cycle."""
        carried = await self.unfinished(group, user_id) if carry_over else []
        return await self._store.commitments.replace_upcoming(
            guild_id=group.guild_id,
            group_id=group.id,
            user_id=user_id,
            goals=with_carried([(goal, None) for goal in goals], carried),
            now=self._clock.now(),
        )

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
        return await self._store.commitments.replace_upcoming(
            guild_id=group.guild_id, group_id=group.id, user_id=user_id, goals=combined, now=self._clock.now()
        )

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
            due = await self._store.commitments.due_at(group.guild_id, meeting.id, user_id)
            return [c for c in due if c.status != "unreported"]
        return await self._store.commitments.upcoming(group.guild_id, group.id, user_id)

    async def check(
        self, group: Group, owner_id: int, commitment_id: int, status: CommitmentStatus, note: str | None = None
    ) -> Commitment:
        """Mark one of the owner's commitments done, partly done or missed; checking again changes it."""
        commitment = await self._store.commitments.get(group.guild_id, commitment_id)
        if commitment is None or commitment.group_id != group.id:
            raise Refusal("goals.unknown")
        if commitment.user_id != owner_id:
            raise Refusal("goals.not_yours")
        if commitment.id not in {c.id for c in await self.checkable(group, owner_id)}:
            raise Refusal("goals.not_checkable")
        if note is not None and len(note) > MAX_GOAL_LENGTH:
            raise Refusal("goals.note_too_long", length=len(note), max=MAX_GOAL_LENGTH)
        await self._store.commitments.check(group.guild_id, commitment_id, status, note=note, now=self._clock.now())
        checked = await self._store.commitments.get(group.guild_id, commitment_id)
        assert checked is not None
        return checked
