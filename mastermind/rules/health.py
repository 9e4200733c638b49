"""How a group is doing, for the organizers' health view: flags, the trend of its attendance, and which groups
need attention first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from mastermind.rules.keeping import is_drifting
from mastermind.rules.ledger import HALVES
from mastermind.rules.schedule import next_occurrence
from mastermind.rules.stats import percent
from storage.models import Group, GroupHealthRecord, MeetingTally, MemberStanding

NO_SCHEDULE_FLAG_AFTER = timedelta(days=14)
QUORUM = 2  # fewer members present than this is a meeting below quorum
BELOW_QUORUM_MEETINGS = 2  # ...and this many of the latest in a row flag the group
PAGE_SIZE = 6

FlagReason = Literal["no_schedule", "below_quorum"]
Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class Flag:
    """Why a group needs an organizer's attention: weeks without a schedule, or meetings below quorum in a row."""

    reason: FlagReason
    amount: int


@dataclass(frozen=True)
class GroupHealth:
    group: Group
    last_held: datetime | None
    next_meeting: datetime | None
    attendance: tuple[tuple[int, int], ...]  # (present, counted) of the latest meetings, oldest first
    trend: Trend | None
    kept: int | None  # % of the commitments due at those meetings that were kept
    drifting: tuple[MemberStanding, ...] = ()
    paused: tuple[MemberStanding, ...] = ()
    flags: tuple[Flag, ...] = field(default_factory=tuple)


def flags(*, now: datetime, unscheduled_since: datetime | None, latest: Sequence[MeetingTally]) -> tuple[Flag, ...]:
    """No schedule for 14 days (since the group was created or its schedule cleared), or the latest two meetings
    (newest first) each had fewer than two members present."""
    found: list[Flag] = []
    if unscheduled_since is not None and now - unscheduled_since >= NO_SCHEDULE_FLAG_AFTER:
        found.append(Flag("no_schedule", (now - unscheduled_since).days // 7))
    recent = latest[:BELOW_QUORUM_MEETINGS]
    if len(recent) == BELOW_QUORUM_MEETINGS and all(meeting.present < QUORUM for meeting in recent):
        found.append(Flag("below_quorum", BELOW_QUORUM_MEETINGS))
    return tuple(found)


def trend(attendance: Sequence[tuple[int, int]]) -> Trend | None:
    """Whether attendance (oldest first) went up or down from the first of these meetings to the last; None with
    fewer than two to compare."""
    shares = [present / counted for present, counted in attendance if counted]
    if len(shares) < 2:
        return None
    if shares[-1] > shares[0]:
        return "up"
    return "down" if shares[-1] < shares[0] else "flat"


def kept_share(latest: Sequence[MeetingTally]) -> int | None:
    """Commitments kept at these meetings, as a whole percentage: done counts whole, partly done half."""
    halves = sum(HALVES["done"] * m.done + HALVES["partial"] * m.partial + HALVES["missed"] * m.missed for m in latest)
    checked = sum(m.done + m.partial + m.missed + m.unreported for m in latest)
    return percent(halves, 2 * checked)


def assess(record: GroupHealthRecord, now: datetime) -> GroupHealth:
    group = record.group
    upcoming = next_occurrence(record.schedule, record.overrides, after=now) if record.schedule else None
    latest = record.meetings  # newest first
    attendance = tuple((m.present, m.counted) for m in reversed(latest))
    return GroupHealth(
        group=group,
        last_held=latest[0].starts_at if latest else None,
        next_meeting=upcoming.starts_at if upcoming else None,
        attendance=attendance,
        trend=trend(attendance),
        kept=kept_share(latest),
        drifting=tuple(m for m in record.members if m.paused_for == 0 and is_drifting(m.absent_run, group.drift_after)),
        paused=tuple(m for m in record.members if m.paused_for > 0),
        flags=flags(now=now, unscheduled_since=group.unscheduled_since, latest=latest),
    )


def _latest_share(health: GroupHealth) -> float:
    present, counted = health.attendance[-1] if health.attendance else (1, 1)
    return present / counted if counted else 1.0


def worst_first(groups: Sequence[GroupHealth]) -> list[GroupHealth]:
    """Flagged groups first (more flags first), then those with more members drifting away, then lower attendance
    at the latest meeting, then more members paused; by name among equals."""
    return sorted(
        groups,
        key=lambda h: (-len(h.flags), -len(h.drifting), _latest_share(h), -len(h.paused), h.group.name.casefold()),
    )


def page_of(count: int, page: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """The page to show (asked for, kept within the pages there are) and how many pages there are."""
    pages = max(1, -(-count // size))
    return min(max(page, 0), pages - 1), pages
