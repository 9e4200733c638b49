"""The weekly time that suits a group best over a whole year of meetings, across time zones.

A candidate is a weekday and a local time anchored in one person's zone, like "Tuesdays 08:00 America/Sao_Paulo".
Its meetings are the next N dates at the cadence, computed with zoneinfo exactly as a schedule set to it computes
them; on each date, a person can come when the whole call falls inside their free hours, read in their own zone.
When one zone changes clocks and another does not, a candidate that suits everyone in January can lose someone
from March: counting every date is what finds the time that holds all year.

How it stays fast (every weekday every 30 minutes, anchored in each zone, times 26 dates, times each person):
each person's free time is laid out once as UTC instants over the whole span, on a grid of quarter hours (every
zone's offset is a whole number of quarter hours, so every candidate starts on it). A day without a change of
clocks maps its 48 candidate times onto 48 evenly spaced grid cells, so one slice of bytes per person and date
reads all 48 at once, and the people are added lane by lane inside one integer. Days with a change of clocks, and
anything off the grid, take the exact path through zoneinfo.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from mastermind.rules import timezones
from mastermind.rules.availability import DAY_MINUTES, WeeklyHours
from mastermind.rules.schedule import first_meeting_date, local_instant
from storage.models import MemberHours

DEFAULT_DATES = 26
CANDIDATE_STEP = 30  # minutes between candidate start times
MAX_PEOPLE = 255  # people are counted in byte-wide lanes
GRID = 15 * 60  # seconds
_TIMES = DAY_MINUTES // CANDIDATE_STEP
_STRIDE = CANDIDATE_STEP * 60 // GRID
_DAY = 24 * 3600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Attendee:
    """Someone who would be in the call (a group's member, or an applicant): their free hours in their zone."""

    id: int
    zone: str
    hours: WeeklyHours


def attendee(hours: MemberHours) -> Attendee:
    """A member as the search sees them, from their stored hours."""
    return Attendee(hours.user_id, hours.timezone, WeeklyHours.of(hours.ranges))


@dataclass(frozen=True)
class Slot:
    """A recurring meeting time: a weekday and a local time in a zone, as a schedule stores it."""

    weekday: int  # 0 = Monday
    at: time
    zone: str


@dataclass(frozen=True)
class Candidate:
    """A slot with its next meetings and who misses which. Ranked by `worst` (the fewest people able to come on
    any one date, higher is better), then `total` (attendances over all dates, higher is better), then `edge`
    (attendances where the call starts as someone's free time starts or ends as it ends, lower is better)."""

    slot: Slot
    starts: tuple[datetime, ...]  # the next meetings, UTC
    missed: dict[int, tuple[datetime, ...]]  # per person id, in the order the people were given
    worst: int
    total: int
    edge: int

    @property
    def suits_everyone(self) -> bool:
        """Everyone can come to every one of the meetings."""
        return not any(self.missed.values())


@dataclass(frozen=True)
class MissedRun:
    """Meetings in a row someone misses: from which, how many, and the zones (of the meeting and of the person)
    whose clocks changed since the last meeting they could make."""

    first: datetime
    count: int
    clocks_changed: tuple[str, ...]


# ---------------------------------------------------------------------- the search


def find_slots(
    people: Sequence[Attendee],
    *,
    length: int,
    every_weeks: int,
    after: datetime,
    dates: int = DEFAULT_DATES,
    top: int = 3,
) -> list[Candidate]:
    """The best `top` candidates for a call of `length` minutes every `every_weeks` weeks, judged over the next
    `dates` meetings after the instant `after` (the first on the next such weekday whose time is still ahead, as a
    schedule set at `after` begins). Every weekday every 30 minutes, anchored in each person's zone. Ranked as
    Candidate says; among equals the sooner first meeting comes first. A time that gives the same meetings in two
    zones is proposed once, in the zone more of the people live in. Candidates that nobody could make are never
    proposed, so fewer than `top` may come back."""
    if not people or len(people) > MAX_PEOPLE:
        raise ValueError(f"find_slots needs 1 to {MAX_PEOPLE} people, got {len(people)}")
    if not 1 <= length < DAY_MINUTES or every_weeks < 1 or dates < 1:
        raise ValueError("length, cadence and number of dates must be positive")
    search = _Search(people, length=length, every_weeks=every_weeks, after=after, dates=dates)
    chosen: list[Candidate] = []
    seen: set[tuple[datetime, ...]] = set()
    for _, minus_total, _, _, place, weekday, minute in sorted(search.scores()):
        if len(chosen) == top or minus_total == 0:  # the rest: nobody could make any of their meetings
            break
        candidate = search.candidate(Slot(weekday, time(minute // 60, minute % 60), search.anchors[place]))
        if candidate.starts not in seen:
            seen.add(candidate.starts)
            chosen.append(candidate)
    return chosen


def meeting_starts(slot: Slot, *, every_weeks: int, after: datetime, count: int) -> tuple[datetime, ...]:
    """The next `count` meetings of the slot after `after`, exactly as a schedule set at `after` has them."""
    zone = timezones.zone(slot.zone)
    first = first_meeting_date(slot.weekday, slot.at, zone, after)
    step = timedelta(weeks=every_weeks)
    return tuple(local_instant(first + index * step, slot.at, zone) for index in range(count))


def missed_dates(
    person: Attendee, slot: Slot, *, length: int, every_weeks: int, after: datetime, dates: int = DEFAULT_DATES
) -> tuple[datetime, ...]:
    """Which of the slot's next `dates` meetings the person can't make: the call is not wholly inside their hours."""
    starts = meeting_starts(slot, every_weeks=every_weeks, after=after, count=dates)
    free = _FreeTime(person, _epoch(starts[0]) - _DAY, _epoch(starts[-1]) + length * 60 + _DAY, {})
    return tuple(start for start in starts if not free.attends(_epoch(start), length * 60))


def free_for(
    person: Attendee, slot: Slot, *, length: int, every_weeks: int, after: datetime, dates: int = DEFAULT_DATES
) -> bool:
    """Whether the person can make every one of the slot's next `dates` meetings."""
    return not missed_dates(person, slot, length=length, every_weeks=every_weeks, after=after, dates=dates)


def attends_all(person: Attendee, starts: Sequence[datetime], *, length: int) -> bool:
    """Whether the person can make every one of these meetings (a group's actual next ones, skips and moves
    included): each call wholly inside their free hours."""
    if not starts:
        return True
    instants = sorted(_epoch(start) for start in starts)
    free = _FreeTime(person, instants[0] - _DAY, instants[-1] + length * 60 + _DAY, {})
    return all(free.attends(instant, length * 60) for instant in instants)


def missed_runs(starts: Sequence[datetime], missed: Sequence[datetime], zones: Sequence[str]) -> list[MissedRun]:
    """The missed meetings as runs in a row, each with the zones among `zones` (the meeting's and the person's)
    whose offset changed between the last meeting the person could make and the first of the run."""
    missing = set(missed)
    runs: list[MissedRun] = []
    for is_missed, run in groupby(enumerate(starts), key=lambda item: item[1] in missing):
        meetings = list(run)
        if not is_missed:
            continue
        index, first = meetings[0]
        changed: tuple[str, ...] = ()
        if index > 0:
            before = starts[index - 1]
            changed = tuple(
                name
                for name in dict.fromkeys(zones)
                if before.astimezone(timezones.zone(name)).utcoffset()
                != first.astimezone(timezones.zone(name)).utcoffset()
            )
        runs.append(MissedRun(first, len(meetings), changed))
    return runs


# ---------------------------------------------------------------------- who can make which time, for a crowd

WEEK_CELLS = 7 * DAY_MINUTES // 15  # quarter hours in a week
_BLOCK = 2 * _TIMES  # slot numbers of one anchor's weekday: one every other bit, so a shifted week reads them all
_EVEN = sum(1 << (2 * index) for index in range(_TIMES))
_MONDAY_CELLS = 3 * DAY_MINUTES // 15  # 1970-01-01 was a Thursday


@dataclass(frozen=True)
class SlotTable:
    """Which weekly times each person can make on every one of the next meetings: every weekday every 30 minutes,
    anchored in each of `anchors`, as /schedule find reads them. A time is a slot number; each person's times are
    the bits of one int, so that who shares which times is a matter of ANDing ints."""

    anchors: tuple[str, ...]
    free: dict[int, int]  # person id -> the slot numbers they can make, as bits

    def slot(self, number: int) -> Slot:
        block, rest = divmod(number, _BLOCK)
        place, weekday = divmod(block, 7)
        minute = rest // 2 * CANDIDATE_STEP
        return Slot(weekday, time(minute // 60, minute % 60), self.anchors[place])

    def number(self, slot: Slot) -> int:
        minute = slot.at.hour * 60 + slot.at.minute
        return (self.anchors.index(slot.zone) * 7 + slot.weekday) * _BLOCK + 2 * (minute // CANDIDATE_STEP)

    def anchor_of(self, number: int) -> str:
        return self.anchors[number // _BLOCK // 7]


def slot_numbers(bits: int) -> Iterator[int]:
    """The slot numbers in a set of them, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def free_slots(
    people: Sequence[Attendee],
    *,
    anchors: Sequence[str],
    length: int,
    every_weeks: int,
    after: datetime,
    dates: int = DEFAULT_DATES,
) -> SlotTable:
    """For each person, the slots (every weekday every 30 minutes, anchored in each of `anchors`) whose next `dates`
    meetings after `after` all fall wholly inside their free hours: exactly what free_for says of each, for
    thousands of people at once.

    How: a person's week is one int of quarter hours (bit c: a call starting there fits in their free hours).
    Between two zones' changes of clocks, a slot's 48 times on one date are 48 evenly spaced quarter hours of the
    person's own week, so one shift of that int reads them all, and most of the 26 dates share the shift. Dates
    next to a change of clocks in either zone go through zoneinfo one time at a time, as free_for does."""
    if not 1 <= length < DAY_MINUTES or every_weeks < 1 or dates < 1:
        raise ValueError("length, cadence and number of dates must be positive")
    seconds = length * 60
    days: dict[str, _LocalDays] = {}
    for name in (*anchors, *(person.zone for person in people)):
        if name not in days:
            days[name] = _LocalDays(name)
    rows = [_anchor_rows(days[name], weekday, every_weeks, after, dates) for name in anchors for weekday in range(7)]
    readings = {zone: [_reading(rows_of_block, days[zone], seconds) for rows_of_block in rows] for zone in days}
    weeks: dict[tuple[str, WeeklyHours], int] = {}
    free: dict[int, int] = {}
    for person in people:
        key = (person.zone, person.hours)
        if key not in weeks:
            weeks[key] = _free_bits(person, readings[person.zone], seconds, days)
        free[person.id] = weeks[key]
    return SlotTable(tuple(anchors), free)


# The 48 start instants (UTC epoch seconds) of one date of a slot's series, and which of the 48 times (as even bits)
# take their meetings from that series: a weekday's times already past today meet from next week.
_Row = tuple[tuple[int, ...], int]


def _anchor_rows(local: _LocalDays, weekday: int, every_weeks: int, after: datetime, dates: int) -> list[_Row]:
    start = _epoch(after)
    today = after.astimezone(local.zone).date()
    first_day = today + timedelta(days=(weekday - today.weekday()) % 7)
    later = 0
    if first_day == today:
        later = sum(
            1 << (2 * index) for index in range(_TIMES) if local.instant(today, index * CANDIDATE_STEP) <= start
        )
    rows: list[_Row] = []
    for skip, times in ((0, _EVEN ^ later), (1, later)):
        if not times:
            continue
        for index in range(dates):
            day = first_day + timedelta(weeks=skip + index * every_weeks)
            rows.append((tuple(local.instant(day, minute * CANDIDATE_STEP) for minute in range(_TIMES)), times))
    return rows


@dataclass
class _Reading:
    """How a person of one zone reads one anchor's weekday: for each shift of their week, the times (even bits)
    that read it there on some date; and the (time, instant) pairs that must be read exactly."""

    shifts: dict[int, int]
    exact: list[tuple[int, int]]


def _reading(rows: list[_Row], local: _LocalDays, seconds: int) -> _Reading:
    shifts: defaultdict[int, int] = defaultdict(int)
    exact: list[tuple[int, int]] = []
    for instants, times in rows:
        uniform = all(instant - instants[0] == index * CANDIDATE_STEP * 60 for index, instant in enumerate(instants))
        offset = _steady_between(local, instants[0], instants[-1] + seconds) if uniform else None
        if offset is not None and (instants[0] + offset) % GRID == 0:
            shifts[_week_cell(instants[0] + offset)] |= times
            continue
        for index in range(_TIMES):
            bit = 1 << (2 * index)
            if not times & bit:
                continue
            instant = instants[index]
            offset = _steady_between(local, instant, instant + seconds)
            if offset is not None and (instant + offset) % GRID == 0:
                shifts[(_week_cell(instant + offset) - 2 * index) % WEEK_CELLS] |= bit
            else:
                exact.append((index, instant))
    return _Reading(dict(shifts), exact)


def _steady_between(local: _LocalDays, start: int, end: int) -> int | None:
    """The zone's offset if it holds, without a change of clocks, on every local day from `start` to `end`."""
    first = datetime.fromtimestamp(start, local.zone).date()
    last = datetime.fromtimestamp(end, local.zone).date()
    offset = local.offset(first)
    day = first
    while offset is not None and day < last:
        day += timedelta(days=1)
        if local.offset(day) != offset:
            return None
    return offset


def _week_cell(local_seconds: int) -> int:
    """The quarter hour of the week (0: Monday 00:00) of a local time given as seconds of local-time epoch."""
    return (local_seconds // GRID + _MONDAY_CELLS) % WEEK_CELLS


def _week_fits(hours: WeeklyHours, length: int) -> int:
    """Bit c set: a call of `length` minutes starting at the week's quarter hour c fits inside the free hours
    (the week wraps around, so Sunday night runs into Monday morning)."""
    spans: list[list[int]] = []
    for weekday, start, end in hours.ranges():
        begin, finish = weekday * DAY_MINUTES + start, weekday * DAY_MINUTES + end
        if spans and begin <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], finish)
        else:
            spans.append([begin, finish])
    week = 7 * DAY_MINUTES
    if spans and spans[0][0] == 0 and spans[-1][1] == week:
        if len(spans) == 1:
            return (1 << WEEK_CELLS) - 1
        spans[-1][1] = week + spans.pop(0)[1]
    bits = 0
    for begin, finish in spans:
        first, last = -(-begin // 15), (finish - length) // 15
        if last >= first:
            bits |= ((1 << (last - first + 1)) - 1) << first
    return (bits | bits >> WEEK_CELLS) & ((1 << WEEK_CELLS) - 1)


def _free_bits(person: Attendee, readings: list[_Reading], seconds: int, days: dict[str, _LocalDays]) -> int:
    fits = _week_fits(person.hours, seconds // 60)
    doubled = fits | fits << WEEK_CELLS
    found = 0
    for block, reading in enumerate(readings):
        bits = _EVEN
        for shift, times in reading.shifts.items():
            bits &= ((doubled >> shift) & _EVEN) | (_EVEN ^ times)
        for index, instant in reading.exact:
            if bits >> (2 * index) & 1:
                near = _FreeTime(person, instant - 2 * _DAY, instant + seconds + 2 * _DAY, days)
                if not near.attends(instant, seconds):
                    bits &= ~(1 << (2 * index))
        found |= bits << (block * _BLOCK)
    return found


# ---------------------------------------------------------------------- how


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _midnight(day: date) -> int:
    """Local midnight of the day, as if local time were UTC: add minutes, subtract the offset, get the instant."""
    return (day.toordinal() - _EPOCH_ORDINAL) * _DAY


class _LocalDays:
    """One zone's days: the fixed UTC offset of each day without a change of clocks, so that a local time on it is
    plain arithmetic; a day with a change (or next to one) goes through local_instant instead."""

    def __init__(self, name: str) -> None:
        self.zone = timezones.zone(name)
        self._offsets: dict[date, int | None] = {}

    def offset(self, day: date) -> int | None:
        if day not in self._offsets:
            self._offsets[day] = self._steady_offset(day)
        return self._offsets[day]

    def _steady_offset(self, day: date) -> int | None:
        # The offset at the day's start (as local_instant reads it) must also hold at the UTC instants of its
        # start and of the next day's start: then no change of clocks falls inside the day.
        start = datetime.combine(day, time(0), tzinfo=self.zone).utcoffset()
        assert start is not None
        offset = int(start.total_seconds())
        for edge in (_midnight(day), _midnight(day) + _DAY):
            if datetime.fromtimestamp(edge - offset, self.zone).utcoffset() != start:
                return None
        return offset

    def instant(self, day: date, minute: int) -> int:
        """The UTC instant (epoch seconds) of a local minute of the day (1440: midnight at its end), as
        local_instant gives it."""
        if minute == DAY_MINUTES:
            day, minute = day + timedelta(days=1), 0
        offset = self.offset(day)
        if offset is not None:
            return _midnight(day) + minute * 60 - offset
        return _epoch(local_instant(day, time(minute // 60, minute % 60), self.zone))


class _FreeTime:
    """One person's free time between two instants, as merged UTC intervals (free until midnight and from
    midnight is one stretch)."""

    def __init__(self, person: Attendee, start: int, end: int, days: dict[str, _LocalDays]) -> None:
        self.person = person
        if person.zone not in days:
            days[person.zone] = _LocalDays(person.zone)
        local = days[person.zone]
        first = datetime.fromtimestamp(start, local.zone).date() - timedelta(days=1)
        last = datetime.fromtimestamp(end, local.zone).date() + timedelta(days=1)
        spans: list[tuple[int, int]] = []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            for begin, finish in person.hours.days[day.weekday()]:
                spans.append((local.instant(day, begin), local.instant(day, finish)))
        spans.sort()
        merged: list[list[int]] = []
        for begin, finish in spans:
            if merged and begin <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], finish)
            elif finish > begin:  # a range wholly inside a spring-forward gap is no time at all
                merged.append([begin, finish])
        self.intervals = [(begin, finish) for begin, finish in merged]
        self._starts = [begin for begin, _ in self.intervals]

    def _around(self, instant: int) -> tuple[int, int] | None:
        index = bisect_right(self._starts, instant) - 1
        return self.intervals[index] if index >= 0 else None

    def attends(self, start: int, seconds: int) -> bool:
        interval = self._around(start)
        return interval is not None and start + seconds <= interval[1]

    def at_edge(self, start: int, seconds: int) -> bool:
        interval = self._around(start)
        return interval is not None and start + seconds <= interval[1] and start in (interval[0], interval[1] - seconds)


class _Grid:
    """A person's free time on the quarter-hour grid: byte i of `free` is 1 when a call starting at cell i fits
    inside their free time, and of `edge` when it also starts or ends exactly where that free time does."""

    def __init__(self, free_time: _FreeTime, origin: int, cells: int, seconds: int) -> None:
        self.free = bytearray(cells)
        self.edge = bytearray(cells)
        for begin, finish in free_time.intervals:
            first = max(0, -(-(begin - origin) // GRID))
            last = min(cells - 1, (finish - seconds - origin) // GRID)
            if last >= first:
                self.free[first : last + 1] = b"\x01" * (last - first + 1)
                for cell in {(begin - origin) // GRID, (finish - seconds - origin) // GRID}:
                    starts_at = origin + cell * GRID
                    if first <= cell <= last and starts_at in (begin, finish - seconds):
                        self.edge[cell] = 1


# (-worst, -total, edge, first meeting, anchor's place, weekday, minute of the day): the best sorts first.
_Score = tuple[int, int, int, int, int, int, int]


class _Search:
    def __init__(self, people: Sequence[Attendee], *, length: int, every_weeks: int, after: datetime, dates: int):
        self.seconds = length * 60
        self.every_weeks = every_weeks
        self.after = after
        self.dates = dates
        self._after = _epoch(after)
        # Zones where more of the people live come first: a time two zones share is shown in the more familiar.
        homes = Counter(person.zone for person in people)
        self.anchors = sorted(homes, key=lambda name: (-homes[name], name))
        self._days: dict[str, _LocalDays] = {name: _LocalDays(name) for name in self.anchors}
        # From two days before (a local today may have begun a day earlier in UTC) to past the last meeting.
        self.origin = (self._after - 2 * _DAY) // GRID * GRID
        end = self._after + (every_weeks * (dates + 1) + 2) * 7 * _DAY + self.seconds
        self.cells = (end - self.origin) // GRID + 2 * _TIMES * _STRIDE
        self.free_times = [_FreeTime(person, self.origin, end, self._days) for person in people]
        self.grids = [_Grid(free, self.origin, self.cells, self.seconds) for free in self.free_times]
        self._rows: dict[int, tuple[bytes, bytes]] = {}

    def scores(self) -> list[_Score]:
        scores: list[_Score] = []
        for place, name in enumerate(self.anchors):
            local = self._days[name]
            today = self.after.astimezone(local.zone).date()
            for weekday in range(7):
                first_day = today + timedelta(days=(weekday - today.weekday()) % 7)
                # Today's times that have passed meet first a week later, as a schedule set now would.
                series = [self._series(local, first_day)]
                if first_day == today:
                    series.append(self._series(local, first_day + timedelta(weeks=1)))
                for minute_index in range(_TIMES):
                    minute = minute_index * CANDIDATE_STEP
                    first = local.instant(first_day, minute)
                    later = int(first_day == today and first <= self._after)
                    worst, total, edge = (figures[minute_index] for figures in series[later])
                    if later:
                        first = local.instant(first_day + timedelta(weeks=1), minute)
                    scores.append((-worst, -total, edge, first, place, weekday, minute))
        return scores

    def _series(self, local: _LocalDays, first_day: date) -> tuple[list[int], list[int], list[int]]:
        """For each of the day's 48 times, over the meetings from `first_day` on: the fewest people on one date,
        the attendances, and the attendances at the edge of someone's hours."""
        step = timedelta(weeks=self.every_weeks)
        rows = [self._row(local, first_day + index * step) for index in range(self.dates)]
        free = [row[0] for row in rows]
        edge = [row[1] for row in rows]
        return (
            list(map(min, zip(*free, strict=True))),
            list(map(sum, zip(*free, strict=True))),
            list(map(sum, zip(*edge, strict=True))),
        )

    def _row(self, local: _LocalDays, day: date) -> tuple[bytes, bytes]:
        """How many people can come, and how many of them at the edge of their hours, for each of the day's 48
        candidate times: one byte each."""
        offset = local.offset(day)
        base = _midnight(day) - (offset or 0) - self.origin
        if offset is None or base % GRID or base < 0:
            return self._exact_row(local, day)
        cell = base // GRID
        if cell not in self._rows:  # the same instants from another zone's anchor: counted once
            span = slice(cell, cell + _TIMES * _STRIDE, _STRIDE)
            free = sum(int.from_bytes(grid.free[span], "little") for grid in self.grids)
            edge = sum(int.from_bytes(grid.edge[span], "little") for grid in self.grids)
            self._rows[cell] = (free.to_bytes(_TIMES, "little"), edge.to_bytes(_TIMES, "little"))
        return self._rows[cell]

    def _exact_row(self, local: _LocalDays, day: date) -> tuple[bytes, bytes]:
        free, edge = bytearray(_TIMES), bytearray(_TIMES)
        for minute_index in range(_TIMES):
            start = local.instant(day, minute_index * CANDIDATE_STEP)
            free[minute_index] = sum(person.attends(start, self.seconds) for person in self.free_times)
            edge[minute_index] = sum(person.at_edge(start, self.seconds) for person in self.free_times)
        return bytes(free), bytes(edge)

    def candidate(self, slot: Slot) -> Candidate:
        """The slot in full, read the exact way: its meetings and, per person, the ones they miss."""
        starts = meeting_starts(slot, every_weeks=self.every_weeks, after=self.after, count=self.dates)
        instants = [_epoch(start) for start in starts]
        missed = {
            free.person.id: tuple(
                start
                for start, instant in zip(starts, instants, strict=True)
                if not free.attends(instant, self.seconds)
            )
            for free in self.free_times
        }
        counts = [sum(free.attends(instant, self.seconds) for free in self.free_times) for instant in instants]
        edge = sum(free.at_edge(instant, self.seconds) for free in self.free_times for instant in instants)
        return Candidate(slot, starts, missed, worst=min(counts), total=sum(counts), edge=edge)
