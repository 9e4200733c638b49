"""The bot as the group's facilitator: opens and closes meetings, keeps time in the call, runs the hot seat."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mastermind.clock import Clock
from mastermind.errors import Refusal
from mastermind.rules.hotseat import hot_seat_order, next_seat, previous_round, turn_sends
from mastermind.rules.keeping import is_drifting, presence, taking_part
from mastermind.rules.meetings import AUTO_END_AFTER, Agenda, agenda, is_present
from mastermind.rules.stats import after_meeting
from storage import Store
from storage.models import (
    Attendance,
    CommitmentStatus,
    Group,
    HotSeatTurn,
    Meeting,
    RoundState,
    SendKind,
    SendPlan,
)


@dataclass(frozen=True)
class TurnEnded:
    """What one press of Next or Skip decided: the turn as it ended, and the member seated after it (None: the
    round is over). Both as they now stand, so the messages are redrawn without reading them again."""

    ended: HotSeatTurn
    seated: HotSeatTurn | None


class Facilitator:
    def __init__(self, store: Store, clock: Clock, *, expect: Callable[[Iterable[datetime]], None]) -> None:
        self._store = store
        self._clock = clock
        self._expect = expect

    # ---------------------------------------------------------------- opening and closing

    async def open_meeting(
        self, group: Group, *, in_call: Collection[int], scheduled_at: datetime | None = None, by: int | None = None
    ) -> tuple[Meeting, bool]:
        """Open the group's meeting: at its scheduled start (the kickoff), or now by a member's hand.
        Returns (meeting, whether this call opened it)."""
        now = self._clock.now()
        starts_at = scheduled_at or now
        auto_end = SendPlan(
            group_id=group.id,
            guild_id=group.guild_id,
            meeting_at=starts_at,
            kind=SendKind.AUTO_END,
            due_at=now + AUTO_END_AFTER,
        )
        meeting, opened = await self._store.meetings.open(
            guild_id=group.guild_id,
            group_id=group.id,
            starts_at=starts_at,
            now=now,
            in_call=in_call,
            sends=[auto_end],
            opened_by=by,
        )
        if opened:
            self._expect([auto_end.due_at])
        return meeting, opened

    async def close_meeting(self, group: Group, meeting: Meeting) -> bool:
        """Close the meeting, all in one transaction: end the voice time, record who was present (and who was
        paused), mark what nobody checked unreported, add the meeting to each member's record, count pauses down,
        plan one check-in for each member newly drifting away, finish the round and plan the summary. False when
        it was already closed."""
        now = self._clock.now()
        summary = SendPlan(
            group_id=group.id, guild_id=group.guild_id, meeting_at=meeting.starts_at, kind=SendKind.SUMMARY, due_at=now
        )
        async with self._store.atomic() as tx:
            await tx.lock(group.id)  # a member's /privacy delete waits, and doesn't see half a close
            if not await tx.meetings.mark_closed(meeting, now=now):
                return False
            attendance = []
            for user_id, seconds, paused in await tx.meetings.end_calls(meeting, now=now):
                present = is_present(seconds, group.attendance_minutes)
                attendance.append(
                    Attendance(
                        meeting_id=meeting.id,
                        user_id=user_id,
                        seconds=seconds,
                        present=present,
                        paused=presence(present=present, paused=paused, excused=False) == "paused",
                    )
                )
            await tx.meetings.record_attendance(meeting, attendance)
            outcomes: dict[int, list[CommitmentStatus]] = {}
            for commitment in await tx.commitments.close_out(meeting.guild_id, meeting.id):
                outcomes.setdefault(commitment.user_id, []).append(commitment.status)
            excused = {
                rsvp.user_id
                for rsvp in await tx.rsvps.for_meeting(group.guild_id, group.id, meeting.starts_at)
                if rsvp.choice == "no"
            }
            records = await tx.stats.records(group.id, [a.user_id for a in attendance])
            updated = [
                after_meeting(
                    records.get(a.user_id),
                    a.user_id,
                    present=a.present,
                    paused=a.paused,
                    excused=a.user_id in excused,
                    outcomes=outcomes.get(a.user_id, ()),
                    meeting_id=meeting.id,
                )
                for a in attendance
            ]
            await tx.stats.save(group.guild_id, group.id, updated)
            await tx.meetings.count_down_pauses(meeting)
            check_ins = []
            for record in updated:
                if record.absent_since is None or not is_drifting(record.absent_run, group.drift_after):
                    continue
                asked = await tx.check_ins.ask(
                    guild_id=group.guild_id,
                    group_id=group.id,
                    user_id=record.user_id,
                    first_meeting_id=record.absent_since,
                    last_meeting_id=meeting.id,
                    meetings=record.absent_run,
                    now=now,
                )
                if asked is not None:  # a run of absences is asked about once, however long it grows
                    check_ins.append(summary.model_copy(update={"kind": SendKind.CHECK_IN, "detail": record.user_id}))
            await tx.meetings.finish_round(meeting, now=now)
            await tx.sends.insert([summary, *check_ins], now=now)
        self._expect([summary.due_at])
        return True

    async def require_open(self, group: Group) -> Meeting:
        meeting = await self._store.meetings.current(group.guild_id, group.id)
        if meeting is None:
            raise Refusal("meeting.none_open", name=group.name)
        return meeting

    async def agenda(self, group: Group, meeting: Meeting) -> Agenda:
        rotation = await self._store.meetings.rotation(group.guild_id, group.id, meeting)
        due = await self._store.commitments.due_at(group.guild_id, meeting.id)
        members = taking_part(rotation.members, rotation.paused, present=())
        return agenda(members, previous_round(rotation.recent), due, turn_minutes=group.turn_minutes)

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
        members = taking_part(rotation.members, rotation.paused, present)
        if not members:
            raise Refusal("hotseat.everyone_paused", name=group.name)
        order = hot_seat_order(members, previous_round(rotation.recent), present)
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
        self._expect(plan.due_at for plan in sends)
        return HotSeatTurn(
            meeting_id=meeting.id,
            guild_id=meeting.guild_id,
            user_id=order[0],
            position=0,
            present=order[0] in present,
            status="active",
            started_at=now,
            ends_at=ends_at,
        )

    async def end_turn(self, state: RoundState, user_id: int, outcome: str) -> TurnEnded | None:
        """End this member's turn and seat the next in the round; None when the turn was no longer running
        (someone else moved the round on first)."""
        group, meeting = state.group, state.meeting
        ending = state.turn_of(user_id)
        if ending is None or ending.status != "active":
            return None
        now = self._clock.now()
        ends_at = now + timedelta(minutes=group.turn_minutes)
        following = next_seat(state.turns)
        sends = (
            turn_sends(
                group_id=group.id,
                guild_id=group.guild_id,
                meeting_at=meeting.starts_at,
                user_id=following.user_id,
                ends_at=ends_at,
                now=now,
            )
            if following is not None
            else []
        )
        ended = await self._store.meetings.end_turn(
            meeting,
            user_id,
            outcome,
            seat=following.user_id if following else None,
            now=now,
            ends_at=ends_at,
            sends=sends,
        )
        if not ended:
            return None
        self._expect(plan.due_at for plan in sends)
        return TurnEnded(
            ended=ending.model_copy(update={"status": outcome}),
            seated=following.model_copy(update={"status": "active", "started_at": now, "ends_at": ends_at})
            if following
            else None,
        )
