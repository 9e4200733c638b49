"""Members' usual free hours: what they type, the weekly value it means, and how it reads back.

Hours are kept as local weekdays and minutes of the day in the member's own zone, never as UTC: someone free
07:00-09:00 in Berlin stays free 07:00-09:00 Berlin time on both sides of a change of clocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mastermind.errors import Refusal
from mastermind.rules import timezones
from mastermind.rules.text import clean_text

DAY_MINUTES = 24 * 60
MAX_HOURS_TEXT = 500
MINUTE_STEPS = frozenset({0, 15, 30, 45})

_DAY_NAMES = {
    **{name: day for day, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: day
        for day, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_DAY_WORDS = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekday": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "weekend": (5, 6),
    "daily": (0, 1, 2, 3, 4, 5, 6),
}
_HOUR_RANGE = re.compile(r"(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?")
_DAY_TERM = re.compile(r"[a-z]+(?:-[a-z]+)?:?")
# People type "mon - fri", "07–09" (a dash from their keyboard's autocorrect) or "mon,wed".
_DASHES = re.compile(r"\s*[-‐‑‒–—−]\s*")
_SEPARATORS = re.compile(r"[\s,]+")

Range = tuple[int, int]  # minutes after local midnight: start inclusive, end exclusive (1440 = midnight after)


@dataclass(frozen=True)
class WeeklyHours:
    """Free time in a usual week, in local time: for each weekday (0 = Monday) its ranges of minutes, sorted,
    neither overlapping nor touching."""

    days: tuple[tuple[Range, ...], ...]

    @classmethod
    def of(cls, ranges: Iterable[tuple[int, int, int]]) -> WeeklyHours:
        """From (weekday, start minute, end minute) ranges in any order; overlapping or touching ones merge."""
        by_day: list[list[Range]] = [[] for _ in range(7)]
        for weekday, start, end in ranges:
            if not (0 <= weekday < 7 and 0 <= start < end <= DAY_MINUTES):
                raise ValueError(f"not a range of a day: {weekday} {start}-{end}")
            by_day[weekday].append((start, end))
        return cls(tuple(_merged(day) for day in by_day))

    def ranges(self) -> Iterator[tuple[int, int, int]]:
        """Every range as (weekday, start minute, end minute), Monday first."""
        for weekday, day in enumerate(self.days):
            for start, end in day:
                yield weekday, start, end

    @property
    def is_empty(self) -> bool:
        return not any(self.days)


def _merged(ranges: list[Range]) -> tuple[Range, ...]:
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


# ---------------------------------------------------------------------- what members type


def parse_hours(text: str) -> WeeklyHours:
    """Hours like "mon-fri 07-09, 18:30-21; sat 10-13": day terms (mon..sun, mon-fri, weekdays, weekends, daily),
    then one or more ranges HH[:MM]-HH[:MM] in 24-hour time (24 as an end, minutes :00, :15, :30 or :45); groups
    separated by ";". A refusal quotes the part that could not be read."""
    cleaned = clean_text(text)
    if not cleaned:
        raise Refusal("availability.empty")
    if len(cleaned) > MAX_HOURS_TEXT:
        raise Refusal("availability.too_long", length=len(cleaned), max=MAX_HOURS_TEXT)
    ranges: list[tuple[int, int, int]] = []
    for group in cleaned.split(";"):
        ranges += _parse_group(group.strip())
    if not ranges:
        raise Refusal("availability.empty")
    return WeeklyHours.of(ranges)


def _parse_group(group: str) -> list[tuple[int, int, int]]:
    """One group: days, then hours. A day term after hours starts the next group, for who forgot the ";"."""
    tokens = [token for token in _SEPARATORS.split(_DASHES.sub("-", group.casefold())) if token]
    ranges: list[tuple[int, int, int]] = []
    days: list[int] = []
    hours: list[Range] = []
    start = 0  # index of the token the current days began at, to quote the whole group when it lacks hours
    for index, token in enumerate(tokens):
        hour_range = _HOUR_RANGE.fullmatch(token)
        if hour_range is not None:
            if not days:
                raise Refusal("availability.no_days", part=" ".join(tokens[index:]))
            hours.append(_hours_of(token, hour_range))
            continue
        if _DAY_TERM.fullmatch(token) is None:
            raise Refusal("availability.unreadable", part=token)
        if hours:
            ranges += [(day, begin, end) for day in days for begin, end in hours]
            days, hours, start = [], [], index
        days += _days_of(token)
    if days and not hours:
        raise Refusal("availability.no_hours", part=" ".join(tokens[start:]))
    ranges += [(day, begin, end) for day in days for begin, end in hours]
    return ranges


def _days_of(token: str) -> tuple[int, ...]:
    word = token.removesuffix(":")
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    first, _, last = word.partition("-")
    if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
        raise Refusal("availability.unknown_day", part=word)
    if not last:
        return (_DAY_NAMES[first],)
    begin, end = _DAY_NAMES[first], _DAY_NAMES[last]
    return tuple((begin + offset) % 7 for offset in range((end - begin) % 7 + 1))  # fri-mon wraps the weekend


def _hours_of(token: str, match: re.Match[str]) -> Range:
    start_hour, start_minute, end_hour, end_minute = (int(part or 0) for part in match.groups())
    if start_hour > 23 or end_hour > 24 or (end_hour == 24 and end_minute):
        raise Refusal("availability.bad_hour", part=token)
    if start_minute not in MINUTE_STEPS or end_minute not in MINUTE_STEPS:
        raise Refusal("availability.bad_minutes", part=token)
    start, end = start_hour * 60 + start_minute, end_hour * 60 + end_minute
    if end <= start:
        raise Refusal("availability.backwards", part=token)
    return start, end


def zone_for_hours(typed: str | None, *, remembered: str | None, server: str | None) -> str:
    """The zone hours are read in: the one typed now, else the member's from before, else the server's default
    from /setup; with none of those, the member is asked for it."""
    if typed and typed.strip():
        return timezones.parse_zone(typed)
    if remembered:
        return remembered
    if server:
        return server
    raise Refusal("availability.which_zone")


# ---------------------------------------------------------------------- how they read back


@dataclass(frozen=True)
class DayRun:
    """Consecutive weekdays with the same hours: how "Mon–Fri 07:00–09:00" is said."""

    first: int
    last: int
    ranges: tuple[Range, ...]


def day_runs(hours: WeeklyHours) -> list[DayRun]:
    """The week as runs of consecutive days (Monday to Sunday) sharing the same hours; free days are left out."""
    runs: list[DayRun] = []
    for weekday, ranges in enumerate(hours.days):
        if not ranges:
            continue
        if runs and runs[-1].last == weekday - 1 and runs[-1].ranges == ranges:
            runs[-1] = DayRun(runs[-1].first, weekday, ranges)
        else:
            runs.append(DayRun(weekday, weekday, ranges))
    return runs


def clock_text(minute: int) -> str:
    """07:00, 18:30, and 24:00 for the end of the day."""
    return f"{minute // 60:02d}:{minute % 60:02d}"
