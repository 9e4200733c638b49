"""Which timed messages a meeting needs, and what to do with ones that came due while the bot was down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mastermind.rules.retention import NOTICE_BEFORE
from mastermind.rules.schedule import Occurrence, next_occurrence
from storage.models import PlannedSchedule, PlannedSend, SendKind, SendPlan

# How late each kind of send is still worth sending; kinds not listed are never too late (closing a meeting,
# posting its summary, deleting data whose time is up). A reminder is worth sending until its meeting starts.
GRACE = {
    SendKind.KICKOFF: timedelta(minutes=30),  # later, the call is mostly over
    SendKind.NUDGE: timedelta(hours=12),
    SendKind.TURN_WARNING: timedelta(minutes=1),
    SendKind.TURN_END: timedelta(minutes=2),
    SendKind.RETENTION_NOTICE: NOTICE_BEFORE,  # until the data it announces is deleted
}

# The kinds that follow from a group's schedule; planning a group replaces exactly these.
SCHEDULE_KINDS = (SendKind.REMINDER, SendKind.KICKOFF, SendKind.NUDGE)


def meeting_sends(
    *,
    group_id: int,
    guild_id: int,
    meeting_at: datetime,
    reminder_minutes: Sequence[int],
    every_weeks: int,
    now: datetime,
) -> list[SendPlan]:
    """The reminders still ahead, the kickoff, and the nudge halfway through the cycle before it."""
    plans = [
        SendPlan(
            group_id=group_id,
            guild_id=guild_id,
            meeting_at=meeting_at,
            kind=SendKind.REMINDER,
            detail=minutes,
            due_at=meeting_at - timedelta(minutes=minutes),
        )
        for minutes in reminder_minutes
        # A reminder whose moment passed before the meeting was planned was never owed.
        if meeting_at - timedelta(minutes=minutes) > now
    ]
    plans.append(
        SendPlan(group_id=group_id, guild_id=guild_id, meeting_at=meeting_at, kind=SendKind.KICKOFF, due_at=meeting_at)
    )
    nudge_at = meeting_at - timedelta(weeks=every_weeks) / 2
    if nudge_at > now:
        plans.append(
            SendPlan(group_id=group_id, guild_id=guild_id, meeting_at=meeting_at, kind=SendKind.NUDGE, due_at=nudge_at)
        )
    return plans


def next_meeting_sends(
    planned: PlannedSchedule | None, reminder_minutes: Sequence[int], now: datetime
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


def deadline(send: PlannedSend) -> datetime | None:
    """From this moment on a send is no longer worth sending; None when it is never too late."""
    if send.kind == SendKind.REMINDER:
        return send.meeting_at
    grace = GRACE.get(send.kind)
    return send.due_at + grace if grace is not None else None


@dataclass
class Triage:
    deliver: list[PlannedSend] = field(default_factory=list)
    skip: list[tuple[PlannedSend, str]] = field(default_factory=list)


def triage(due: Sequence[PlannedSend], now: datetime) -> Triage:
    """Sort sends that are due into those to deliver and those to skip, with the reason.

    Too late: past its deadline (the bot was down). Superseded: several reminders for one meeting came due at
    once (after downtime), so only the one closest to the meeting goes out.
    """
    result = Triage()
    latest_reminder: dict[tuple[int, datetime], PlannedSend] = {}
    for send in due:
        too_late = deadline(send)
        if too_late is not None and now >= too_late:
            result.skip.append((send, "offline"))
        elif send.kind == SendKind.REMINDER:
            key = (send.group_id, send.meeting_at)
            earlier = latest_reminder.get(key)
            if earlier is None or send.due_at > earlier.due_at:
                if earlier is not None:
                    result.skip.append((earlier, "superseded"))
                latest_reminder[key] = send
            else:
                result.skip.append((send, "superseded"))
        else:
            result.deliver.append(send)
    result.deliver.extend(latest_reminder.values())
    result.deliver.sort(key=lambda send: (send.due_at, send.id))
    return result
