"""Who sits on the hot seat when, and the timed notices of a turn."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from storage.models import SendKind, SendPlan

WARNING_BEFORE_END = timedelta(minutes=2)
MIN_TURN_MINUTES = 3  # a turn must outlast its two-minute warning
MAX_TURN_MINUTES = 60


def hot_seat_order(members: Sequence[int], previous: Sequence[int], present: Collection[int]) -> list[int]:
    """Members in the call first, absent ones last. Across meetings the order rotates: whoever went first last
    time goes last this time; members new since then join at the end, in the order they joined the group."""
    rotated = [*previous[1:], *previous[:1]]
    base = [m for m in rotated if m in members] + [m for m in members if m not in previous]
    return [m for m in base if m in present] + [m for m in base if m not in present]


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
