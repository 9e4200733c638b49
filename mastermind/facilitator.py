"""The bot as the group's facilitator: opens and closes meetings, keeps time in the call, runs the hot seat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from mastermind.clock import Clock
from mastermind.errors import Refusal
from mastermind.hotseat import hot_seat_order, turn_sends
from storage import Store
from storage.models import Commitment, Group, HotSeatTurn, Meeting, SendKind, SendPlan

# A meeting nobody ends closes on its own after this long, so attendance and the summary always happen.
AUTO_END_AFTER = timedelta(hours=3)


@dataclass(frozen=True)
class Agenda:
    order: list[int]  # the rotation; members in the call will go first when the round starts
    turn_minutes: int
    due: dict[int, list[Commitment]]  # each member's commitments from the last meeting


class Facilitator:
    def __init__(self, store: Store, clock: Clock, *, rearm: Callable[[], Awaitable[None]]) -> None:
        self._store = store
        self._clock = clock
        self._rearm = rearm

    # ---------------------------------------------------------------- opening and closing

    async def open_meeting(
        self, group: Group, *, starts_at: datetime | None, in_call: Collection[int]
    ) -> tuple[Meeting, bool]:
        """Open the group's meeting (at its scheduled start, or now): (meeting, whether this call opened it)."""
        now = self._clock.now()
        starts_at = starts_at or now
        auto_end = SendPlan(
            group_id=group.id,
            guild_id=group.guild_id,
            meeting_at=starts_at,
            kind=SendKind.AUTO_END,
            due_at=now + AUTO_END_AFTER,
        )
        meeting, opened = await self._store.meetings.open(
            guild_id=group.guild_id, group_id=group.id, starts_at=starts_at, now=now, in_call=in_call, sends=[auto_end]
        )
        if opened:
            await self._rearm()
        return meeting, opened

    async def close_meeting(self, group: Group, meeting: Meeting) -> bool:
        """Close the meeting and plan its summary; False when it was already closed."""
        now = self._clock.now()
        summary = SendPlan(
            group_id=group.id, guild_id=group.guild_id, meeting_at=meeting.starts_at, kind=SendKind.SUMMARY, due_at=now
        )
        closed = await self._store.meetings.close(
            meeting, now=now, attendance_minutes=group.attendance_minutes, sends=[summary]
        )
        if closed:
            await self._rearm()
        return closed

    async def require_open(self, group: Group) -> Meeting:
        meeting = await self._store.meetings.current(group.guild_id, group.id)
        if meeting is None:
            raise Refusal("meeting.none_open", name=group.name)
        return meeting

    async def agenda(self, group: Group, meeting: Meeting) -> Agenda:
        rotation = await self._store.meetings.rotation(group.guild_id, group.id, meeting)
        due: dict[int, list[Commitment]] = {}
        for commitment in await self._store.commitments.due_at(group.guild_id, meeting.id):
            due.setdefault(commitment.user_id, []).append(commitment)
        order = hot_seat_order(rotation.members, rotation.previous, present=())
        return Agenda(order=order, turn_minutes=group.turn_minutes, due=due)

    # ---------------------------------------------------------------- time in the call

    async def joined_call(self, meeting: Meeting, user_id: int) -> bool:
        return await self._store.meetings.joined_call(meeting, user_id, now=self._clock.now())

    async def left_call(self, meeting: Meeting, user_id: int) -> bool:
        return await self._store.meetings.left_call(meeting, user_id, now=self._clock.now())

    async def reconcile_call(self, group: Group, meeting: Meeting, in_channel: Collection[int]) -> None:
        """After a restart, count exactly the members who are in the call now. Someone who left while the bot
        was down is counted until now (the bot can't know when they left); someone who joined is counted from now."""
        members = {m.user_id for m in await self._store.groups.members(group.guild_id, group.id)}
        counted = await self._store.meetings.in_call(meeting.id)
        for user_id in counted - set(in_channel):
            await self.left_call(meeting, user_id)
        for user_id in (set(in_channel) & members) - counted:
            await self.joined_call(meeting, user_id)

    # ---------------------------------------------------------------- the hot seat

    async def start_round(self, group: Group, meeting: Meeting, in_call: Collection[int]) -> HotSeatTurn:
        """Seat the first member: those who have been in the call go first, in the rotating order."""
        if meeting.round_status == "running":
            raise Refusal("hotseat.already_running")
        if meeting.round_status == "finished":
            raise Refusal("hotseat.already_finished")
        rotation = await self._store.meetings.rotation(group.guild_id, group.id, meeting)
        if not rotation.members:
            raise Refusal("hotseat.no_members", name=group.name)
        present = (await self._store.meetings.been_in_call(meeting.id)) | set(in_call)
        order = hot_seat_order(rotation.members, rotation.previous, present)
        now = self._clock.now()
        ends_at = now + timedelta(minutes=group.turn_minutes)
        sends = turn_sends(
            group_id=group.id,
            guild_id=group.guild_id,
            meeting_at=meeting.starts_at,
            user_id=order[0],
            ends_at=ends_at,
            now=now,
        )
        started = await self._store.meetings.start_round(
            meeting, [(user_id, user_id in present) for user_id in order], now=now, first_ends_at=ends_at, sends=sends
        )
        if not started:
            raise Refusal("hotseat.already_running")
        await self._rearm()
        first = await self._store.meetings.active_turn(meeting.id)
        assert first is not None
        return first

    async def end_turn(
        self, group: Group, meeting: Meeting, user_id: int, outcome: str
    ) -> tuple[bool, HotSeatTurn | None]:
        """End this member's turn and seat the next: (whether this call ended it, the next turn or None)."""
        now = self._clock.now()
        ends_at = now + timedelta(minutes=group.turn_minutes)
        waiting = [t.user_id for t in await self._store.meetings.turns(meeting.id) if t.status == "waiting"]
        sends = [
            plan
            for member in waiting[:1]
            for plan in turn_sends(
                group_id=group.id,
                guild_id=group.guild_id,
                meeting_at=meeting.starts_at,
                user_id=member,
                ends_at=ends_at,
                now=now,
            )
        ]
        ended, following = await self._store.meetings.end_turn(
            meeting, user_id, outcome, now=now, next_ends_at=ends_at, next_sends=sends
        )
        if ended:
            await self._rearm()
        return ended, following
