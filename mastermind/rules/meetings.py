"""A meeting's own rules: how long it stays open, who counts as there, what the kickoff says, who may RSVP when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mastermind.rules.hotseat import hot_seat_order
from storage.models import Attendance, Commitment, Meeting

# A meeting nobody ends closes on its own after this long, so attendance and the summary always happen.
AUTO_END_AFTER = timedelta(hours=3)
# How long after its start a meeting still takes RSVPs ("running late" makes sense until it is over).
RSVP_OPEN_AFTER_START = timedelta(hours=3)


def is_present(seconds_in_call: int, attendance_minutes: int) -> bool:
    """Present means at least the group's attendance minutes in the call, in total over every visit."""
    return seconds_in_call >= attendance_minutes * 60


def rsvp_open(meeting_at: datetime, now: datetime) -> bool:
    return now <= meeting_at + RSVP_OPEN_AFTER_START


def opened_by_hand(meeting: Meeting) -> bool:
    """A meeting a member opened stands for the scheduled one that comes next: its kickoff says it is already
    under way, and a reminder that would say "starts soon" is not sent. One the kickoff opened does not, even when
    a member's start landed in the same second, and its own retry is still the kickoff."""
    return meeting.opened_by is not None


@dataclass(frozen=True)
class Roll:
    """Who was there, by the time in the call: everyone counted, and the present, the absent and the paused (away
    and neither present nor absent) among them, each in the order of the attendance."""

    everyone: list[int]
    present: list[int]
    absent: list[int]
    paused: list[int] = field(default_factory=list)


def roll_call(attendance: Sequence[Attendance]) -> Roll:
    return Roll(
        everyone=[a.user_id for a in attendance],
        present=[a.user_id for a in attendance if a.present],
        absent=[a.user_id for a in attendance if not a.present and not a.paused],
        paused=[a.user_id for a in attendance if a.paused],
    )


@dataclass(frozen=True)
class Agenda:
    order: list[int]  # the rotation; members in the call will go first when the round starts
    turn_minutes: int
    due: dict[int, list[Commitment]]  # each member's commitments from the last meeting


def agenda(members: Sequence[int], previous: Sequence[int], due: Sequence[Commitment], *, turn_minutes: int) -> Agenda:
    """What the kickoff shows: the hot-seat order as it stands before anyone joins, and what each member owes."""
    by_member: dict[int, list[Commitment]] = {}
    for commitment in due:
        by_member.setdefault(commitment.user_id, []).append(commitment)
    return Agenda(order=hot_seat_order(members, previous, present=()), turn_minutes=turn_minutes, due=by_member)
