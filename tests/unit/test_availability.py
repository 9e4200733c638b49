"""Free hours as members type them: every form the grammar takes, every refusal, and how hours read back."""

from __future__ import annotations

import pytest

from cogs.availability import hours_text
from mastermind.errors import Refusal
from mastermind.rules.access import may_see_hours
from mastermind.rules.availability import DayRun, WeeklyHours, day_runs, parse_hours, zone_for_hours
from prompts import load_prompts

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def hours(*ranges: tuple[int, str, str]) -> WeeklyHours:
    """WeeklyHours from (weekday, "HH:MM", "HH:MM") ranges."""

    def minutes(text: str) -> int:
        hour, minute = text.split(":")
        return int(hour) * 60 + int(minute)

    return WeeklyHours.of((day, minutes(start), minutes(end)) for day, start, end in ranges)


def every(days: range | tuple[int, ...], *spans: tuple[str, str]) -> list[tuple[int, str, str]]:
    return [(day, start, end) for day in days for start, end in spans]


# ---------------------------------------------------------------------- what is understood


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "mon-fri 07-09, 18:30-21; sat 10-13",
            hours(*every(range(MON, SAT), ("07:00", "09:00"), ("18:30", "21:00")), (SAT, "10:00", "13:00")),
        ),
        ("weekdays 9-17", hours(*every(range(MON, SAT), ("09:00", "17:00")))),
        ("weekends 10-13", hours(*every((SAT, SUN), ("10:00", "13:00")))),
        ("daily 07-08", hours(*every(range(7), ("07:00", "08:00")))),
        ("sun 22-24", hours((SUN, "22:00", "24:00"))),
        ("tue 00-24", hours((TUE, "00:00", "24:00"))),
        ("mon 07:15-08:45", hours((MON, "07:15", "08:45"))),
        ("mon, wed 18-20", hours((MON, "18:00", "20:00"), (WED, "18:00", "20:00"))),
        ("mon wed fri 6-7", hours(*every((MON, WED, FRI), ("06:00", "07:00")))),
        ("fri-mon 10-11", hours(*every((FRI, SAT, SUN, MON), ("10:00", "11:00")))),
        ("Monday 9-10; THURSDAY 9-10", hours((MON, "09:00", "10:00"), (THU, "09:00", "10:00"))),
        ("Mon – Fri 07–09", hours(*every(range(MON, SAT), ("07:00", "09:00")))),
        ("mon-fri: 07 - 09", hours(*every(range(MON, SAT), ("07:00", "09:00")))),
        ("mon 07-09 tue 10-12", hours((MON, "07:00", "09:00"), (TUE, "10:00", "12:00"))),
        ("mon 07-09;", hours((MON, "07:00", "09:00"))),
        ("ｍｏｎ ０７-０９", hours((MON, "07:00", "09:00"))),  # full-width, as some keyboards type
    ],
)
def test_hours_are_read_as_local_weekdays_and_times(typed, expected):
    assert parse_hours(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mon 07-09, 08-10", hours((MON, "07:00", "10:00"))),
        ("mon 07-09, 09-10", hours((MON, "07:00", "10:00"))),
        ("mon 07-12; mon-fri 08-09", hours((MON, "07:00", "12:00"), *every(range(TUE, SAT), ("08:00", "09:00")))),
        ("daily 18-20; sat 19-23", hours(*every((0, 1, 2, 3, 4, 6), ("18:00", "20:00")), (SAT, "18:00", "23:00"))),
    ],
)
def test_overlapping_and_touching_ranges_merge(typed, expected):
    assert parse_hours(typed) == expected


# ---------------------------------------------------------------------- what is refused


@pytest.mark.parametrize(
    ("typed", "key", "part"),
    [
        ("mon-fir 07-09", "availability.unknown_day", "mon-fir"),
        ("mon 25-26", "availability.bad_hour", "25-26"),
        ("mon 24-24", "availability.bad_hour", "24-24"),
        ("mon 23-24:30", "availability.bad_hour", "23-24:30"),
        ("mon 09-07", "availability.backwards", "09-07"),
        ("mon 09-09", "availability.backwards", "09-09"),
        ("mon 07:10-08", "availability.bad_minutes", "07:10-08"),
        ("mon 07-08:20", "availability.bad_minutes", "07-08:20"),
        ("mon 9am-5pm", "availability.unreadable", "9am-5pm"),
        ("mon 7:5-8", "availability.unreadable", "7:5-8"),
        ("07-09", "availability.no_days", "07-09"),
        ("mon 07-09; 10-12", "availability.no_days", "10-12"),
        ("mon", "availability.no_hours", "mon"),
        ("mon 07-09; sat sun", "availability.no_hours", "sat sun"),
        ("mon 07-09 tue", "availability.no_hours", "tue"),
        ("someday 07-09", "availability.unknown_day", "someday"),
    ],
)
def test_a_refusal_quotes_the_part_it_could_not_read(typed, key, part):
    with pytest.raises(Refusal) as refused:
        parse_hours(typed)

    assert refused.value.key == key
    assert refused.value.values["part"] == part


@pytest.mark.parametrize("typed", ["", "   ", ";", " ; ; ", "\u200b\u2060"])
def test_empty_hours_are_refused(typed):
    with pytest.raises(Refusal) as refused:
        parse_hours(typed)

    assert refused.value.key == "availability.empty"


def test_more_than_500_characters_are_refused():
    typed = "; ".join(["mon-fri 07-09, 18:30-21"] * 21)
    assert len(typed) > 500

    with pytest.raises(Refusal) as refused:
        parse_hours(typed)

    assert refused.value.key == "availability.too_long"
    assert refused.value.values == {"length": len(typed), "max": 500}
    assert parse_hours(typed[:500].rsplit(";", 1)[0]) == parse_hours("mon-fri 07-09, 18:30-21")


def test_a_range_outside_a_day_is_no_hours_value():
    with pytest.raises(ValueError, match="not a range of a day"):
        WeeklyHours.of([(MON, 600, 540)])
    with pytest.raises(ValueError, match="not a range of a day"):
        WeeklyHours.of([(7, 0, 60)])


# ---------------------------------------------------------------------- the zone the hours are in


def test_the_zone_is_the_one_typed_else_the_members_own_else_the_servers():
    assert zone_for_hours("asia/kolkata", remembered="Europe/Berlin", server="UTC") == "Asia/Kolkata"
    assert zone_for_hours(None, remembered="Europe/Berlin", server="UTC") == "Europe/Berlin"
    assert zone_for_hours("  ", remembered=None, server="America/New_York") == "America/New_York"

    with pytest.raises(Refusal) as refused:
        zone_for_hours(None, remembered=None, server=None)
    assert refused.value.key == "availability.which_zone"


@pytest.mark.parametrize(("typed", "key"), [("EST", "time.zone_abbreviation"), ("Mars/Base", "time.zone_unknown")])
def test_an_abbreviation_or_unknown_zone_is_refused(typed, key):
    with pytest.raises(Refusal) as refused:
        zone_for_hours(typed, remembered="Europe/Berlin", server="UTC")

    assert refused.value.key == key


# ---------------------------------------------------------------------- how hours read back


def test_consecutive_days_with_the_same_hours_read_as_one_run():
    parsed = parse_hours("mon-fri 07-09, 18:30-21; sat 10-13; sun 07-09")

    assert day_runs(parsed) == [
        DayRun(MON, FRI, ((420, 540), (1110, 1260))),
        DayRun(SAT, SAT, ((600, 780),)),
        DayRun(SUN, SUN, ((420, 540),)),
    ]


@pytest.mark.parametrize(
    ("typed", "zone", "said"),
    [
        (
            "mon-fri 07-09, 18:30-21; sat 10-13",
            "Europe/Berlin",
            "Mon–Fri 07:00–09:00 and 18:30–21:00, Sat 10:00–13:00 (Europe/Berlin)",
        ),
        ("daily 22-24", "Asia/Kolkata", "Every day 22:00–24:00 (Asia/Kolkata)"),
        ("mon, wed 18-20", "UTC", "Mon 18:00–20:00, Wed 18:00–20:00 (UTC)"),
        ("weekends 10-13", "America/Sao_Paulo", "Sat–Sun 10:00–13:00 (America/Sao_Paulo)"),
    ],
)
def test_hours_are_restated_in_words(typed, zone, said):
    assert hours_text(load_prompts(), parse_hours(typed), zone) == said


def test_hours_are_shown_to_the_member_people_they_meet_with_and_organizers():
    assert may_see_hours(is_self=True, shares_group=False, is_organizer=False)
    assert may_see_hours(is_self=False, shares_group=True, is_organizer=False)
    assert may_see_hours(is_self=False, shares_group=False, is_organizer=True)
    assert not may_see_hours(is_self=False, shares_group=False, is_organizer=False)
