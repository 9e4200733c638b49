"""How long the bot keeps data once a group is archived or a member has left, and the timed work that follows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from mastermind.errors import Refusal
from storage.models import PlannedSend, SendKind, SendPlan

MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
NOTICE_BEFORE = timedelta(days=7)  # an archived group's members hear this long before its data is deleted
RETENTION_KINDS = (SendKind.RETENTION_NOTICE, SendKind.GROUP_PURGE, SendKind.MEMBER_PURGE)
# The bot's own messages that quote members' goals (turn messages quote them too, and are found by their turn).
QUOTING_KINDS = (SendKind.KICKOFF, SendKind.NUDGE, SendKind.SUMMARY)


def check_retention(days: int) -> int:
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise Refusal("setup.retention_out_of_range", value=days, min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS)
    return days


def purge_at(since: datetime, days: int) -> datetime:
    """When data kept since this moment (the group archived, the member gone) is deleted."""
    return since + timedelta(days=days)


def due_after_retention(kind: SendKind, since: datetime, days: int, now: datetime) -> datetime:
    """When a retention send falls due, counted from the moment its time runs from. An archived group's members
    always get their week's notice: when the period ends sooner than a week from now (a group archived long before
    retention existed, a period shortened), its history is deleted a week from now instead, the notice going out
    now. A departed member's data goes at the end of the period."""
    if kind == SendKind.MEMBER_PURGE:
        return purge_at(since, days)
    deleted = max(purge_at(since, days), now + NOTICE_BEFORE)
    return deleted - NOTICE_BEFORE if kind == SendKind.RETENTION_NOTICE else deleted


def deleted_after_notice(notice_due: datetime) -> datetime:
    """When the history a notice announces is deleted."""
    return notice_due + NOTICE_BEFORE


def group_retention_sends(
    *, group_id: int, guild_id: int, archived_at: datetime, days: int, now: datetime
) -> list[SendPlan]:
    """An archived group's notice to its members and the purge of its history."""
    return [
        SendPlan(
            group_id=group_id,
            guild_id=guild_id,
            meeting_at=archived_at,
            kind=kind,
            due_at=due_after_retention(kind, archived_at, days, now),
        )
        for kind in (SendKind.RETENTION_NOTICE, SendKind.GROUP_PURGE)
    ]


def member_purge(*, home_group_id: int, guild_id: int, user_id: int, left_at: datetime, days: int) -> SendPlan:
    """The purge of a departed member's data. A planned send belongs to a group: this one to a group their data
    is in (any will do, since the purge covers the whole server); the member is its detail."""
    return SendPlan(
        group_id=home_group_id,
        guild_id=guild_id,
        meeting_at=left_at,
        kind=SendKind.MEMBER_PURGE,
        detail=user_id,
        due_at=purge_at(left_at, days),
    )


def retimed(pending: Sequence[PlannedSend], days: int, now: datetime) -> list[tuple[int, datetime]]:
    """The retention period changed: each pending retention send's new due time, as (send id, due at), for those
    that move."""
    changes = []
    for send in pending:
        due = due_after_retention(send.kind, send.meeting_at, days, now)
        if due != send.due_at:
            changes.append((send.id, due))
    return changes
