"""Who sits on the hot seat when, who may move the round on, and the timed notices of a turn."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Literal

from storage.models import HotSeatTurn, RecentSeat, SendKind, SendPlan

WARNING_BEFORE_END = timedelta(minutes=2)
MIN_TURN_MINUTES = 3  # a turn must outlast its two-minute warning
MAX_TURN_MINUTES = 60

TurnAction = Literal["goals", "carry", "next", "skip"]
TURN_ACTIONS: tuple[TurnAction, ...] = ("goals", "carry", "next", "skip")


def hot_seat_order(members: Sequence[int], previous: Sequence[int], present: Collection[int]) -> list[int]:
    """Members in the call first, absent ones last. Across meetings the order rotates: whoever went first last
    time goes last this time; members new since then join at the end, in the order they joined the group."""
    rotated = [*previous[1:], *previous[:1]]
    base = [m for m in rotated if m in members] + [m for m in members if m not in previous]
    return [m for m in base if m in present] + [m for m in base if m not in present]


def previous_round(recent: Sequence[RecentSeat]) -> list[int]:
    """The order of the last round held before this meeting, from the seats of recent rounds: the meeting
    opened last (the later id when two opened in the same second) holds it."""
    if not recent:
        return []
    latest = max((seat.opened_at, seat.meeting_id) for seat in recent)
    seats = [seat for seat in recent if (seat.opened_at, seat.meeting_id) == latest]
    return [seat.user_id for seat in sorted(seats, key=lambda seat: seat.position)]


def next_seat(turns: Sequence[HotSeatTurn]) -> HotSeatTurn | None:
    """Who is seated when the current turn ends: the first member still waiting, in round order."""
    waiting = [turn for turn in turns if turn.status == "waiting"]
    return min(waiting, key=lambda turn: turn.position) if waiting else None


def active_turn(turns: Sequence[HotSeatTurn]) -> HotSeatTurn | None:
    return next((turn for turn in turns if turn.status == "active"), None)


def may_act_on_turn(
    action: TurnAction, *, actor_id: int, seated_id: int, actor_is_organizer: bool, seated_in_call: bool
) -> bool:
    """The member on the seat runs their own turn, or an organizer does. So that the round never stalls on
    someone who isn't there, any member of the group may skip a seat whose member is not in the call."""
    if actor_id == seated_id or actor_is_organizer:
        return True
    return action == "skip" and not seated_in_call


def turn_sends(
    *, group_id: int, guild_id: int, meeting_at: datetime, user_id: int, ends_at: datetime, now: datetime
) -> list[SendPlan]:
    """The two-minutes-left notice (unless that moment has passed) and the time-up notice of one turn."""

    def notice(kind: SendKind, due_at: datetime) -> SendPlan:
        return SendPlan(
            group_id=group_id, guild_id=guild_id, meeting_at=meeting_at, kind=kind, detail=user_id, due_at=due_at
        )

    warning_at = ends_at - WARNING_BEFORE_END
    warning = [notice(SendKind.TURN_WARNING, warning_at)] if warning_at > now else []
    return [*warning, notice(SendKind.TURN_END, ends_at)]
