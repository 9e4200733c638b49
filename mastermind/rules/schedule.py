"""When a group meets: a local wall-clock time in an IANA zone, every N weeks, with one-off skips and moves.

Occurrences are always computed from the stored local time with zoneinfo, never stored as UTC, so a group that
meets at 18:00 in New York meets at 18:00 New York time on both sides of a daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mastermind.errors import Refusal
from mastermind.rules import timezones
from storage.models import Schedule, ScheduleOverride

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIN_REMINDER = 5  # minutes
MAX_REMINDER = 7 * 24 * 60
MAX_REMINDERS = 4
# A meeting's reminders are planned when the meeting before it kicks off, which may be up to half an hour late,
# and a change of clocks can bring the next meeting an hour closer: a reminder must come later than both.
REMINDER_CLEARANCE = timedelta(hours=2)

_TIME = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")
_WHEN = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+([01]?\d|2[0-3]):([0-5]\d)\s*$")
_OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_NO_REMINDERS = frozenset({"none", "off", "0"})


@dataclass(frozen=True)
class Occurrence:
    """One meeting: the date it regularly falls on (its identity for skips and moves) and when it starts."""

    regular_date: date
    starts_at: datetime
    moved: bool = False


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local time. In a spring-forward gap: the first valid instant after the gap.
    When clocks fall back and the time happens twice: the first of the two."""
    wall = datetime.combine(day, at, tzinfo=zone)  # fold=0 reads an ambiguous time as its first occurrence
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    # The wall time does not exist. Read with the offset after the change it lands before the transition,
    # read with the offset before it lands after: the transition lies between, to the second.
    before, after = wall.replace(fold=1).astimezone(UTC), instant
    new_offset = after.astimezone(zone).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(zone).utcoffset() == new_offset:
            after = middle
        else:
            before = middle
    return after.replace(microsecond=0)


def first_meeting_date(weekday: int, at: time, zone: ZoneInfo, now: datetime) -> date:
    """The next day with that weekday whose meeting time is still ahead (today counts if it is)."""
    today = now.astimezone(zone).date()
    candidate = today + timedelta(days=(weekday - today.weekday()) % 7)
    if local_instant(candidate, at, zone) <= now:
        candidate += timedelta(weeks=1)
    return candidate


def new_schedule(
    *, group_id: int, guild_id: int, weekday: int, at: time, zone_name: str, every_weeks: int, now: datetime
) -> Schedule:
    """A schedule anchored on its first meeting: the next such weekday whose meeting time is still ahead."""
    return Schedule(
        group_id=group_id,
        guild_id=guild_id,
        weekday=weekday,
        local_time=at,
        timezone=zone_name,
        every_weeks=every_weeks,
        anchor_date=first_meeting_date(weekday, at, timezones.zone(zone_name), now),
    )


# A meeting moves within the coming year; a date beyond that is a typo, and the ends of the calendar can't even
# be computed in every zone.
MOVE_HORIZON = timedelta(days=366)


def moved_start(day: date, at: time, zone_name: str, *, now: datetime) -> datetime:
    """The instant a meeting moves to, from a local date and time: from now up to a year ahead. Dates outside that
    are refused before any instant is computed (the ends of the calendar can't be, in every zone)."""
    zone = timezones.zone(zone_name)
    today = now.astimezone(zone).date()
    if day < today:
        raise Refusal("schedule.move_past", zone=zone_name)
    if day > today + MOVE_HORIZON:
        raise Refusal(
            "schedule.move_out_of_range",
            first=today.isoformat(),
            last=(today + MOVE_HORIZON).isoformat(),
            zone=zone_name,
        )
    return local_instant(day, at, zone)


def check_move(moved_to: datetime, *, now: datetime, upcoming: Sequence[Occurrence], zone_name: str) -> None:
    """A meeting may move to any time still ahead, up to (not including) the start of the meeting after it."""
    if moved_to <= now:
        raise Refusal("schedule.move_past", zone=zone_name)
    if len(upcoming) > 1 and moved_to >= upcoming[1].starts_at:
        raise Refusal("schedule.move_past_following", following=upcoming[1].starts_at)


def occurrences(
    schedule: Schedule, overrides: Iterable[ScheduleOverride], *, after: datetime, count: int
) -> list[Occurrence]:
    """The next `count` meetings starting strictly after `after`, with skips left out and moves applied."""
    local_zone = timezones.zone(schedule.timezone)
    by_date = {override.regular_date: override for override in overrides}
    step = timedelta(weeks=schedule.every_weeks)
    # Start one step before `after`, or earlier still where a meeting was moved from there to after `after`.
    first = (after.astimezone(local_zone).date() - schedule.anchor_date).days // step.days - 1
    for moved in by_date.values():
        if moved.moved_to is not None and moved.moved_to > after:
            first = min(first, (moved.regular_date - schedule.anchor_date).days // step.days)
    found: list[Occurrence] = []
    # Each skip hides one candidate and each move may reorder one, so this many always suffice.
    for index in range(max(0, first), max(0, first) + count + 2 * len(by_date) + 3):
        regular = schedule.anchor_date + index * step
        override = by_date.get(regular)
        if override is not None and override.action == "skip":
            continue
        if override is not None and override.moved_to is not None:
            occurrence = Occurrence(regular, override.moved_to, moved=True)
        else:
            occurrence = Occurrence(regular, local_instant(regular, schedule.local_time, local_zone))
        if occurrence.starts_at > after:
            found.append(occurrence)
    found.sort(key=lambda occurrence: occurrence.starts_at)
    return found[:count]


def next_occurrence(
    schedule: Schedule | None, overrides: Iterable[ScheduleOverride], *, after: datetime
) -> Occurrence | None:
    if schedule is None:
        return None
    upcoming = occurrences(schedule, overrides, after=after, count=1)
    return upcoming[0] if upcoming else None


# ---------------------------------------------------------------------- what members type


def parse_time_of_day(text: str) -> time:
    match = _TIME.match(text)
    if match is None:
        raise Refusal("schedule.bad_time", value=text.strip())
    return time(int(match.group(1)), int(match.group(2)))


def parse_when(text: str) -> tuple[date, time]:
    """A local date and time typed as YYYY-MM-DD HH:MM."""
    match = _WHEN.match(text)
    if match is None:
        raise Refusal("schedule.bad_when", value=text.strip())
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        return date(year, month, day), time(hour, minute)
    except ValueError as error:
        raise Refusal("schedule.bad_when", value=text.strip()) from error


def parse_offsets(text: str) -> tuple[int, ...]:
    """Reminder offsets like "24h, 15m" (also "2d", "1h30m", "none") as minutes, largest first."""
    cleaned = text.strip().lower()
    if cleaned in _NO_REMINDERS:
        return ()
    minutes: set[int] = set()
    for part in (part.strip().replace(" ", "") for part in cleaned.split(",")):
        match = _OFFSET.match(part)
        if not part or match is None or not any(match.groups()):
            raise Refusal("schedule.bad_before", value=part or text.strip())
        days, hours, mins = (int(group or 0) for group in match.groups())
        total = days * 24 * 60 + hours * 60 + mins
        if not MIN_REMINDER <= total <= MAX_REMINDER:
            raise Refusal("schedule.before_out_of_range", value=part)
        minutes.add(total)
    if len(minutes) > MAX_REMINDERS:
        raise Refusal("schedule.too_many_reminders", count=len(minutes), max=MAX_REMINDERS)
    return tuple(sorted(minutes, reverse=True))


def latest_reminder(every_weeks: int) -> int:
    """The earliest a reminder can come, in minutes before the meeting, for this cadence (7d suits every
    cadence of two weeks or more; a weekly group's reminders come at most 6d22h before)."""
    return min(MAX_REMINDER, int((timedelta(weeks=every_weeks) - REMINDER_CLEARANCE).total_seconds() // 60))


def too_early_reminder(minutes: Iterable[int], every_weeks: int) -> int | None:
    """The earliest of these reminders that could not be kept for this cadence, if any: it would fall before
    the previous meeting had kicked off, when nothing plans it yet."""
    too_early = [offset for offset in minutes if offset > latest_reminder(every_weeks)]
    return max(too_early) if too_early else None


def check_reminders_fit(group_name: str, reminder_minutes: Iterable[int], every_weeks: int) -> None:
    """A cadence is refused while the group's reminders include one it could not keep; they are changed first."""
    too_early = too_early_reminder(reminder_minutes, every_weeks)
    if too_early is not None:
        raise Refusal(
            "schedule.reminders_dont_fit",
            name=group_name,
            value=format_offset(too_early),
            weeks=every_weeks,
            latest=format_offset(latest_reminder(every_weeks)),
        )


def format_offset(minutes: int) -> str:
    """24h, 15m, 1h30m, 2d, 6d22h: the way members type them (in days from two days on)."""
    days, rest = divmod(minutes, 24 * 60) if minutes >= 2 * 24 * 60 else (0, minutes)
    hours, mins = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (mins, "m")]
    return "".join(f"{amount}{unit}" for amount, unit in parts if amount) or "0m"
