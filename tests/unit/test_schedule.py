from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mastermind.errors import Refusal
from mastermind.rules.schedule import (
    MAX_REMINDER,
    MIN_REMINDER,
    Occurrence,
    first_meeting_date,
    format_offset,
    local_instant,
    next_occurrence,
    occurrences,
    parse_offsets,
    parse_time_of_day,
    parse_when,
)
from storage.models import Schedule, ScheduleOverride

# Zones with every kind of offset and change: none, whole hours, half hours, 45 minutes, a 30-minute DST shift,
# southern-hemisphere summers, and Morocco's clocks going back for Ramadan.
ZONES = (
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
)
TWO_YEARS_OF_WEEKS = 104
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    # The autouse environment fixture only sets variables; it does not need resetting between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def schedule_of(zone: str, anchor: date, at: time, every_weeks: int = 1) -> Schedule:
    return Schedule(
        group_id=1,
        guild_id=1,
        weekday=anchor.weekday(),
        local_time=at,
        timezone=zone,
        every_weeks=every_weeks,
        anchor_date=anchor,
    )


def just_before(anchor: date) -> datetime:
    """A UTC instant earlier than the anchor day's start in every zone (offsets span -12h to +14h)."""
    return datetime.combine(anchor, time(0), tzinfo=UTC) - timedelta(days=1)


def meetings(schedule: Schedule, count: int, overrides: tuple[ScheduleOverride, ...] = ()) -> list[Occurrence]:
    return occurrences(schedule, overrides, after=just_before(schedule.anchor_date), count=count)


def two_years(schedule: Schedule) -> list[Occurrence]:
    count = TWO_YEARS_OF_WEEKS // schedule.every_weeks + 1
    found = meetings(schedule, count)
    assert len(found) == count
    assert found[0].regular_date == schedule.anchor_date
    return found


def wall_instants(day: date, at: time, zone: ZoneInfo) -> list[datetime]:
    """Every UTC instant at which the zone's clocks show this date and time: none in a gap, two in a fold."""
    wall = datetime.combine(day, at, tzinfo=zone)
    found = set()
    for fold in (0, 1):
        instant = wall.replace(fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
            found.add(instant)
    return sorted(found)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    # Clocks change in the small hours and (in most zones listed) on Sundays: lean towards both so that gaps
    # and folds come up often, while still covering every weekday and hour.
    weekday = draw(st.one_of(st.integers(0, 6), st.just(6)))
    hour = draw(st.one_of(st.integers(0, 23), st.integers(0, 3)))
    minute = draw(st.integers(0, 59))
    day = draw(st.dates(date(2026, 1, 1), date(2027, 12, 25)))
    return Schedule(
        group_id=1,
        guild_id=1,
        weekday=weekday,
        local_time=time(hour, minute),
        timezone=draw(st.sampled_from(ZONES)),
        every_weeks=draw(st.integers(1, 8)),
        anchor_date=day + timedelta(days=(weekday - day.weekday()) % 7),
    )


# Known gaps and folds, so that every run checks them whatever Hypothesis draws.
NEW_YORK_GAP = schedule_of("America/New_York", date(2026, 3, 1), time(2, 30))
NEW_YORK_FOLD = schedule_of("America/New_York", date(2026, 10, 25), time(1, 30))
LORD_HOWE_GAP = schedule_of("Australia/Lord_Howe", date(2026, 9, 27), time(2, 15))
LORD_HOWE_FOLD = schedule_of("Australia/Lord_Howe", date(2026, 3, 29), time(1, 45))
CHATHAM_GAP = schedule_of("Pacific/Chatham", date(2026, 9, 20), time(3, 0))
CASABLANCA_FOLD = schedule_of("Africa/Casablanca", date(2026, 2, 8), time(2, 30))
CASABLANCA_GAP = schedule_of("Africa/Casablanca", date(2026, 3, 15), time(2, 30))


def with_known_edges(test):
    for schedule in (
        NEW_YORK_GAP,
        NEW_YORK_FOLD,
        LORD_HOWE_GAP,
        LORD_HOWE_FOLD,
        CHATHAM_GAP,
        CASABLANCA_FOLD,
        CASABLANCA_GAP,
    ):
        test = example(schedule=schedule)(test)
    return test


def test_the_known_edges_really_contain_a_gap_or_a_fold():
    def kinds(schedule: Schedule) -> set[int]:
        zone = ZoneInfo(schedule.timezone)
        return {len(wall_instants(o.regular_date, schedule.local_time, zone)) for o in meetings(schedule, 3)}

    for gap in (NEW_YORK_GAP, LORD_HOWE_GAP, CHATHAM_GAP, CASABLANCA_GAP):
        assert kinds(gap) == {0, 1}, gap
    for fold in (NEW_YORK_FOLD, LORD_HOWE_FOLD, CASABLANCA_FOLD):
        assert kinds(fold) == {1, 2}, fold


# ---------------------------------------------------------------------- properties over two years


@PROPERTY_SETTINGS
@with_known_edges
@given(schedule=schedules())
def test_every_meeting_shows_the_stored_local_time_or_the_end_of_the_gap(schedule):
    zone = ZoneInfo(schedule.timezone)
    for meeting in two_years(schedule):
        local = meeting.starts_at.astimezone(zone)
        if wall_instants(meeting.regular_date, schedule.local_time, zone):
            assert (local.date(), local.time()) == (meeting.regular_date, schedule.local_time)
            continue
        # The stored time does not exist that day: the meeting starts the moment the clocks jump.
        offset_before = (meeting.starts_at - timedelta(seconds=1)).astimezone(zone).utcoffset()
        assert offset_before != local.utcoffset()
        gap = local.utcoffset() - offset_before
        late_by = local.replace(tzinfo=None) - datetime.combine(meeting.regular_date, schedule.local_time)
        assert timedelta(0) < late_by <= gap
        assert local.date() == meeting.regular_date


@PROPERTY_SETTINGS
@with_known_edges
@given(schedule=schedules())
def test_meetings_come_strictly_in_order(schedule):
    starts = [meeting.starts_at for meeting in two_years(schedule)]
    assert all(earlier < later for earlier, later in pairwise(starts))


@PROPERTY_SETTINGS
@with_known_edges
@given(schedule=schedules())
def test_meetings_keep_the_cadence_in_local_dates(schedule):
    zone = ZoneInfo(schedule.timezone)
    found = two_years(schedule)
    step = timedelta(weeks=schedule.every_weeks)
    regular = [meeting.regular_date for meeting in found]
    local = [meeting.starts_at.astimezone(zone).date() for meeting in found]
    expected = [schedule.anchor_date + index * step for index in range(len(found))]
    assert regular == expected
    assert local == expected


@PROPERTY_SETTINGS
@with_known_edges
@given(schedule=schedules())
def test_a_time_that_happens_twice_means_the_first_of_the_two(schedule):
    zone = ZoneInfo(schedule.timezone)
    for meeting in two_years(schedule):
        instants = wall_instants(meeting.regular_date, schedule.local_time, zone)
        if len(instants) == 2:
            assert meeting.starts_at == instants[0]
            assert meeting.starts_at.astimezone(zone).fold == 0


# ---------------------------------------------------------------------- exact instants


def test_new_york_evening_meeting_stays_at_six_across_spring_forward():
    schedule = schedule_of("America/New_York", date(2026, 2, 26), time(18, 0))
    assert [m.starts_at for m in meetings(schedule, 4)] == [
        utc(2026, 2, 26, 23),
        utc(2026, 3, 5, 23),
        utc(2026, 3, 12, 22),
        utc(2026, 3, 19, 22),
    ]


def test_new_york_evening_meeting_stays_at_six_across_fall_back():
    schedule = schedule_of("America/New_York", date(2026, 10, 22), time(18, 0))
    assert [m.starts_at for m in meetings(schedule, 3)] == [
        utc(2026, 10, 22, 22),
        utc(2026, 10, 29, 22),
        utc(2026, 11, 5, 23),
    ]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (date(2026, 3, 25), [utc(2026, 3, 25, 9), utc(2026, 4, 1, 8)]),
        (date(2026, 10, 21), [utc(2026, 10, 21, 8), utc(2026, 10, 28, 9)]),
    ],
)
def test_london_morning_meeting_across_both_changes(anchor, expected):
    schedule = schedule_of("Europe/London", anchor, time(9, 0))
    assert [m.starts_at for m in meetings(schedule, 2)] == expected


def test_kolkata_is_always_five_and_a_half_hours_ahead():
    schedule = schedule_of("Asia/Kolkata", date(2026, 1, 5), time(19, 30))
    found = meetings(schedule, 53)
    assert [m.starts_at for m in found] == [utc(2026, 1, 5, 14) + timedelta(weeks=week) for week in range(53)]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        # Daylight time (+10:30) ends on Sunday 5 April 2026.
        (date(2026, 4, 2), [utc(2026, 4, 2, 8, 30), utc(2026, 4, 9, 9, 30)]),
        # Standard time (+9:30) ends on Sunday 4 October 2026.
        (date(2026, 10, 1), [utc(2026, 10, 1, 9, 30), utc(2026, 10, 8, 8, 30)]),
    ],
)
def test_adelaide_evening_meeting_across_both_changes(anchor, expected):
    schedule = schedule_of("Australia/Adelaide", anchor, time(19, 0))
    assert [m.starts_at for m in meetings(schedule, 2)] == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Clocks jump from 02:00 EST to 03:00 EDT: 02:30 does not exist, the meeting starts at 03:00 EDT.
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),
        # 01:30 happens twice; the first is EDT.
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        # Lord Howe moves 30 minutes, 02:00 -> 02:30 (+11:00).
        ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 30)),
        # ... and back 02:00 -> 01:30; the first 01:45 is still daylight time (+11:00).
        ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), utc(2026, 4, 4, 14, 45)),
        ("Asia/Kathmandu", date(2026, 6, 1), time(9, 0), utc(2026, 6, 1, 3, 15)),
    ],
)
def test_local_instant(zone, day, at, expected):
    assert local_instant(day, at, ZoneInfo(zone)) == expected


def test_meetings_in_the_new_york_gap_and_fold():
    assert [m.starts_at for m in meetings(NEW_YORK_GAP, 3)] == [
        utc(2026, 3, 1, 7, 30),
        utc(2026, 3, 8, 7),
        utc(2026, 3, 15, 6, 30),
    ]
    assert [m.starts_at for m in meetings(NEW_YORK_FOLD, 3)] == [
        utc(2026, 10, 25, 5, 30),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 8, 6, 30),
    ]


# ---------------------------------------------------------------------- the first meeting


NEW_YORK = ZoneInfo("America/New_York")
MONDAY, TUESDAY = 0, 1


def test_first_meeting_is_today_when_the_time_is_still_ahead():
    # 12:00 in New York on Monday 2 March.
    assert first_meeting_date(MONDAY, time(18, 0), NEW_YORK, utc(2026, 3, 2, 17)) == date(2026, 3, 2)


def test_first_meeting_is_next_week_when_the_time_has_passed():
    # 18:30 in New York on Monday 2 March.
    assert first_meeting_date(MONDAY, time(18, 0), NEW_YORK, utc(2026, 3, 2, 23, 30)) == date(2026, 3, 9)


def test_first_meeting_is_next_week_at_the_very_moment():
    assert first_meeting_date(MONDAY, time(18, 0), NEW_YORK, utc(2026, 3, 2, 23)) == date(2026, 3, 9)


def test_first_meeting_counts_days_in_the_groups_zone():
    # Already Tuesday in UTC, still Monday evening in New York.
    now = utc(2026, 3, 3, 1)
    assert first_meeting_date(MONDAY, time(21, 0), NEW_YORK, now) == date(2026, 3, 2)
    assert first_meeting_date(TUESDAY, time(18, 0), NEW_YORK, now) == date(2026, 3, 3)


# ---------------------------------------------------------------------- skips and moves


MONDAYS = schedule_of("UTC", date(2026, 3, 2), time(18, 0))


def skip(day: date) -> ScheduleOverride:
    return ScheduleOverride(group_id=1, guild_id=1, regular_date=day, action="skip")


def move(day: date, moved_to: datetime) -> ScheduleOverride:
    return ScheduleOverride(group_id=1, guild_id=1, regular_date=day, action="move", moved_to=moved_to)


def test_a_skipped_meeting_is_left_out():
    found = occurrences(MONDAYS, [skip(date(2026, 3, 9))], after=utc(2026, 3, 3), count=2)
    assert found == [
        Occurrence(date(2026, 3, 16), utc(2026, 3, 16, 18)),
        Occurrence(date(2026, 3, 23), utc(2026, 3, 23, 18)),
    ]
    assert next_occurrence(MONDAYS, [skip(date(2026, 3, 9))], after=utc(2026, 3, 3)) == found[0]


def test_several_skips_in_a_row_are_all_left_out():
    skips = [skip(date(2026, 3, 9)), skip(date(2026, 3, 16)), skip(date(2026, 3, 23))]
    found = occurrences(MONDAYS, skips, after=utc(2026, 3, 3), count=2)
    assert [m.starts_at for m in found] == [utc(2026, 3, 30, 18), utc(2026, 4, 6, 18)]


def test_a_moved_meeting_happens_at_its_new_time_and_the_rest_keep_the_cadence():
    moved = move(date(2026, 3, 9), utc(2026, 3, 11, 17))
    found = occurrences(MONDAYS, [moved], after=utc(2026, 3, 3), count=3)
    assert found == [
        Occurrence(date(2026, 3, 9), utc(2026, 3, 11, 17), moved=True),
        Occurrence(date(2026, 3, 16), utc(2026, 3, 16, 18)),
        Occurrence(date(2026, 3, 23), utc(2026, 3, 23, 18)),
    ]


def test_a_meeting_moved_past_after_is_found_though_its_regular_date_is_behind():
    moved = move(date(2026, 3, 9), utc(2026, 3, 15, 17))
    found = occurrences(MONDAYS, [moved], after=utc(2026, 3, 12), count=2)
    assert found == [
        Occurrence(date(2026, 3, 9), utc(2026, 3, 15, 17), moved=True),
        Occurrence(date(2026, 3, 16), utc(2026, 3, 16, 18)),
    ]


def test_a_meeting_moved_earlier_than_after_is_over():
    moved = move(date(2026, 3, 16), utc(2026, 3, 12, 17))
    assert next_occurrence(MONDAYS, [moved], after=utc(2026, 3, 13)) == Occurrence(
        date(2026, 3, 23), utc(2026, 3, 23, 18)
    )


def test_skips_keep_a_fortnightly_cadence():
    fortnightly = schedule_of("UTC", date(2026, 3, 2), time(18, 0), every_weeks=2)
    found = occurrences(fortnightly, [skip(date(2026, 3, 16))], after=utc(2026, 3, 3), count=2)
    assert [m.regular_date for m in found] == [date(2026, 3, 30), date(2026, 4, 13)]


def test_no_schedule_means_no_next_meeting():
    assert next_occurrence(None, [], after=utc(2026, 3, 3)) is None


# ---------------------------------------------------------------------- what members type


@pytest.mark.parametrize(("typed", "expected"), [("18:30", time(18, 30)), ("7:05", time(7, 5)), (" 00:00 ", time(0))])
def test_time_of_day_is_read_as_24_hour_clock(typed, expected):
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize("typed", ["6pm", "24:00", "18.30", "", "18:60"])
def test_other_times_are_refused(typed):
    with pytest.raises(Refusal) as caught:
        parse_time_of_day(typed)
    assert caught.value.key == "schedule.bad_time"
    assert caught.value.values == {"value": typed}


def test_when_is_a_local_date_and_time():
    assert parse_when("2026-03-17 18:30") == (date(2026, 3, 17), time(18, 30))
    assert parse_when("2026-03-17T07:05") == (date(2026, 3, 17), time(7, 5))


@pytest.mark.parametrize("typed", ["2026-02-30 10:00", "17/03/2026 18:30", "2026-03-17", "2026-03-17 25:00"])
def test_impossible_or_unreadable_dates_are_refused(typed):
    with pytest.raises(Refusal) as caught:
        parse_when(typed)
    assert caught.value.key == "schedule.bad_when"


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("24h, 15m", (1440, 15)),
        ("2d,1h30m", (2880, 90)),
        ("15m, 24h", (1440, 15)),
        ("1h, 60m, 1h", (60,)),
        ("7d", (10080,)),
        ("5m", (5,)),
        ("none", ()),
        ("Off", ()),
        ("0", ()),
    ],
)
def test_reminder_offsets_are_minutes_largest_first(typed, minutes):
    assert parse_offsets(typed) == minutes


@pytest.mark.parametrize("typed", ["4m", "8d", "0m", "7d1m"])
def test_offsets_outside_five_minutes_to_a_week_are_refused(typed):
    with pytest.raises(Refusal) as caught:
        parse_offsets(typed)
    assert caught.value.key == "schedule.before_out_of_range"
    assert caught.value.values == {"value": typed}


@pytest.mark.parametrize("typed", ["5 hours", "x", "24h,", "1h-30m", ""])
def test_unreadable_offsets_are_refused(typed):
    with pytest.raises(Refusal) as caught:
        parse_offsets(typed)
    assert caught.value.key == "schedule.bad_before"


def test_at_most_four_reminders():
    with pytest.raises(Refusal) as caught:
        parse_offsets("5m, 10m, 15m, 20m, 25m")
    assert caught.value.key == "schedule.too_many_reminders"
    assert caught.value.values == {"count": 5, "max": 4}
    assert parse_offsets("5m, 10m, 15m, 20m, 20m") == (20, 15, 10, 5)


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(1440, "24h"), (15, "15m"), (90, "1h30m"), (60, "1h"), (2880, "2d"), (10080, "7d"), (1500, "25h")],
)
def test_format_offset(minutes, shown):
    assert format_offset(minutes) == shown


@PROPERTY_SETTINGS
@given(minutes=st.integers(MIN_REMINDER, MAX_REMINDER))
def test_a_shown_offset_reads_back_as_the_same_minutes(minutes):
    assert parse_offsets(format_offset(minutes)) == (minutes,)


def test_a_meeting_moved_past_several_later_ones_is_still_found():
    # Weekly Mondays; the meeting of 9 March is moved two weeks on. It must not vanish once `after` passes the
    # date it regularly fell on.
    schedule = schedule_of("UTC", date(2026, 3, 2), time(12, 0))
    moved = ScheduleOverride(
        group_id=1, guild_id=1, regular_date=date(2026, 3, 9), action="move", moved_to=utc(2026, 3, 24, 12)
    )
    found = occurrences(schedule, [moved], after=utc(2026, 3, 23), count=3)
    assert [(m.starts_at, m.moved) for m in found] == [
        (utc(2026, 3, 23, 12), False),
        (utc(2026, 3, 24, 12), True),
        (utc(2026, 3, 30, 12), False),
    ]
