"""Finding the weekly time that holds across a year of meetings and time zones, with plain values.

2026's changes of clocks: New York on 8 March and 1 November, Berlin on 29 March and 25 October, Sydney (the other
way round) on 5 April and 4 October; São Paulo and Kolkata keep theirs all year."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mastermind.rules.availability import WeeklyHours, parse_hours
from mastermind.rules.schedule import new_schedule, occurrences
from mastermind.rules.slots import (
    MAX_PEOPLE,
    Attendee,
    MissedRun,
    Slot,
    _Search,
    attendee,
    find_slots,
    free_for,
    free_slots,
    meeting_starts,
    missed_dates,
    missed_runs,
    slot_numbers,
)
from storage.models import MemberHours

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)  # a Thursday
NY, SP, BERLIN, SYDNEY, KOLKATA = (
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Australia/Sydney",
    ("Asia/Kolkata"),
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def person(id: int, zone: str, typed: str) -> Attendee:
    return Attendee(id, zone, parse_hours(typed))


def tuesdays_2026() -> list[datetime]:
    """Every other Tuesday from 6 January, 11:00 UTC: Tuesdays 08:00 in São Paulo."""
    return [utc(2026, 1, 6, 11) + timedelta(weeks=2 * index) for index in range(26)]


def between(first: tuple[int, int], last: tuple[int, int]) -> list[datetime]:
    """The Tuesdays above from one (month, day) to another, both included."""
    low, high = utc(2026, *first, 11), utc(2026, *last, 11)
    return [start for start in tuesdays_2026() if low <= start <= high]


# ---------------------------------------------------------------------- the meetings of a slot


def test_a_slots_meetings_are_those_of_the_schedule_it_would_set():
    after = utc(2026, 3, 3, 12)  # a Tuesday, after 08:00 in São Paulo: the first meeting is a week later
    for slot in (Slot(TUE, time(8), SP), Slot(SUN, time(2, 30), NY), Slot(MON, time(18, 30), KOLKATA)):
        schedule = new_schedule(
            group_id=1,
            guild_id=1,
            weekday=slot.weekday,
            at=slot.at,
            zone_name=slot.zone,
            every_weeks=2,
            now=after,
        )
        expected = tuple(o.starts_at for o in occurrences(schedule, (), after=after, count=26))

        assert meeting_starts(slot, every_weeks=2, after=after, count=26) == expected
    assert meeting_starts(Slot(TUE, time(8), SP), every_weeks=2, after=after, count=1) == (utc(2026, 3, 10, 11),)


# ---------------------------------------------------------------------- daylight saving on both hemispheres


def test_who_misses_which_meeting_follows_each_zones_own_changes_of_clocks():
    slot = Slot(TUE, time(8), SP)  # 11:00 UTC all year
    new_york = person(1, NY, "tue 06-07")  # 06:00 in winter (EST); 07:00 from 8 March
    berlin = person(2, BERLIN, "tue 12-13")  # 12:00 in winter (CET); 13:00 from 29 March
    sydney = person(3, SYDNEY, "tue 22-23")  # 22:00 in its summer (AEDT); 21:00 from 5 April to 4 October
    sao_paulo = person(4, SP, "tue 07:30-09:30")

    def missed(who: Attendee) -> tuple[datetime, ...]:
        return missed_dates(who, slot, length=60, every_weeks=2, after=NEW_YEAR)

    assert meeting_starts(slot, every_weeks=2, after=NEW_YEAR, count=26) == tuple(tuesdays_2026())
    assert missed(new_york) == tuple(between((3, 17), (10, 27)))  # back on 10 November
    assert missed(berlin) == tuple(between((3, 31), (10, 13)))  # back on 27 October
    assert missed(sydney) == tuple(between((4, 14), (9, 29)))  # back on 13 October
    assert missed(sao_paulo) == ()
    assert [len(missed(who)) for who in (new_york, berlin, sydney)] == [17, 15, 13]
    assert free_for(sao_paulo, slot, length=60, every_weeks=2, after=NEW_YEAR)
    assert not free_for(berlin, slot, length=60, every_weeks=2, after=NEW_YEAR)
    assert free_for(berlin, slot, length=60, every_weeks=2, after=NEW_YEAR, dates=6)  # until 17 March


def test_each_missed_run_names_the_zone_that_changed_clocks_since_the_last_meeting_made():
    starts = tuesdays_2026()
    slot = Slot(TUE, time(8), SP)

    def runs(who: Attendee) -> list[MissedRun]:
        missed = missed_dates(who, slot, length=60, every_weeks=2, after=NEW_YEAR)
        return missed_runs(starts, missed, (slot.zone, who.zone))

    assert runs(person(1, NY, "tue 06-07")) == [MissedRun(utc(2026, 3, 17, 11), 17, (NY,))]
    assert runs(person(2, BERLIN, "tue 12-13")) == [MissedRun(utc(2026, 3, 31, 11), 15, (BERLIN,))]
    assert runs(person(3, SYDNEY, "tue 22-23")) == [MissedRun(utc(2026, 4, 14, 11), 13, (SYDNEY,))]
    # Free only in summer time: misses the first meetings (no change to name), then again from November.
    assert runs(person(4, NY, "tue 07-08")) == [
        MissedRun(utc(2026, 1, 6, 11), 5, ()),
        MissedRun(utc(2026, 11, 10, 11), 4, (NY,)),
    ]


def test_both_zones_are_named_when_both_changed_clocks():
    starts = [utc(2026, 3, 3, 18), utc(2026, 4, 14, 17)]  # New York and Berlin both changed in between

    assert missed_runs(starts, starts[1:], (NY, BERLIN, NY)) == [MissedRun(starts[1], 1, (NY, BERLIN))]


def test_a_slot_anchored_in_a_half_hour_zone_is_found_and_kept_there():
    kolkata = person(1, KOLKATA, "mon 18:30-19:30")  # 13:00-14:00 UTC all year
    berlin = person(2, BERLIN, "mon 14-16")  # 13:00-15:00 UTC in winter, 12:00-14:00 in summer

    (best, *_) = find_slots([kolkata, berlin], length=60, every_weeks=2, after=NEW_YEAR)

    assert best.slot == Slot(MON, time(18, 30), KOLKATA)
    assert best.suits_everyone
    assert best.starts[0] == utc(2026, 1, 5, 13)
    assert {start.time() for start in best.starts} == {time(13)}
    # Anchored in Berlin, the same winter time would drift to 17:30 in Kolkata from 29 March.
    assert len(missed_dates(kolkata, Slot(MON, time(14), BERLIN), length=60, every_weeks=2, after=NEW_YEAR)) == 15


# ---------------------------------------------------------------------- the whole year, not one week


def four_zones() -> list[Attendee]:
    """A morning that suits all four in January, and an afternoon that suits three of them all year."""
    return [
        person(1, NY, "tue 06-07, 13-16"),
        person(2, SP, "tue 08-09, 16-19"),
        person(3, BERLIN, "tue 12-13, 20-23"),
        person(4, SYDNEY, "tue 22-23"),
    ]


def test_the_best_time_for_one_week_is_not_the_best_for_the_year_and_the_year_wins():
    people = four_zones()

    one_week = find_slots(people, length=60, every_weeks=2, after=NEW_YEAR, dates=1)
    year = find_slots(people, length=60, every_weeks=2, after=NEW_YEAR)

    assert one_week[0].starts == (utc(2026, 1, 6, 11),)  # 06:00 New York, 08:00 São Paulo, 12:00 Berlin, 22:00 Sydney
    assert one_week[0].worst == 4
    # 15:00 in New York all year: 20:00 or 19:00 UTC, so 17:00 or 16:00 in São Paulo and 21:00 in Berlin.
    assert year[0].slot == Slot(TUE, time(15), NY)
    assert (year[0].worst, year[0].total) == (3, 78)
    assert year[0].missed == {1: (), 2: (), 3: (), 4: year[0].starts}
    # The January favourite, over the year: on 17 March only New York is left (Berlin has not changed yet).
    winter = one_week[0].slot
    assert winter == Slot(TUE, time(6), NY)
    starts = meeting_starts(winter, every_weeks=2, after=NEW_YEAR, count=26)
    missing = [set(missed_dates(who, winter, length=60, every_weeks=2, after=NEW_YEAR)) for who in people]
    counts = {start: sum(start not in missed for missed in missing) for start in starts}
    assert min(counts.values()) == counts[utc(2026, 3, 17, 10)] == 1


def test_a_time_given_by_several_zones_is_proposed_once_in_the_zone_most_people_live_in():
    people = [
        person(1, "Asia/Tokyo", "daily 09-10"),
        person(2, KOLKATA, "daily 05:30-06:30"),
        person(3, KOLKATA, "daily 05:30-06:30"),
    ]

    candidates = find_slots(people, length=60, every_weeks=1, after=NEW_YEAR, top=7)

    # Thursday 05:30 in Kolkata was midnight UTC on New Year's Eve, already past: it meets from next week.
    assert [c.slot for c in candidates] == [
        Slot(day, time(5, 30), KOLKATA) for day in (FRI, SAT, SUN, MON, TUE, WED, THU)
    ]
    assert len({c.starts for c in candidates}) == 7


# ---------------------------------------------------------------------- ranking


def test_the_worst_date_counts_before_the_total():
    people = [
        person(1, SP, "tue 13-15"),
        person(2, KOLKATA, "tue 21:30-23:30"),  # with São Paulo: 16:00-18:00 UTC all year
        person(3, NY, "tue 06-07"),
        person(4, SYDNEY, "tue 22-23"),
        person(5, "America/Santiago", "tue 08-09"),  # with the two above: 11:00 UTC in January only
    ]

    ranked = find_slots(people, length=60, every_weeks=2, after=NEW_YEAR, top=2016)

    assert ranked[0].slot == Slot(TUE, time(13, 30), SP)
    assert (ranked[0].worst, ranked[0].total) == (2, 52)
    assert max(candidate.total for candidate in ranked) == 59  # more in all, but some dates with one alone
    keys = [(-c.worst, -c.total, c.edge, c.starts[0]) for c in ranked]
    assert keys == sorted(keys)


def test_among_equals_the_time_inside_everyones_hours_wins_then_the_sooner():
    people = [person(1, "UTC", "mon 10-12; wed 10-12"), person(2, "UTC", "mon 10-12; wed 10-12")]

    candidates = find_slots(people, length=60, every_weeks=2, after=NEW_YEAR, top=6)

    assert [(c.slot.weekday, c.slot.at, c.edge) for c in candidates] == [
        (MON, time(10, 30), 0),  # 10:00 and 11:00 touch both people's edges; 10:30 has room on both sides
        (WED, time(10, 30), 0),
        (MON, time(10), 52),
        (MON, time(11), 52),
        (WED, time(10), 52),
        (WED, time(11), 52),
    ]
    assert all((c.worst, c.total) == (2, 52) for c in candidates)


def test_nobody_can_make_it_means_no_candidates():
    people = [person(1, "UTC", "mon 10-11"), person(2, "UTC", "tue 10-11")]

    assert find_slots(people, length=90, every_weeks=2, after=NEW_YEAR) == []
    assert [(c.slot, c.worst) for c in find_slots(people, length=60, every_weeks=2, after=NEW_YEAR)] == [
        (Slot(MON, time(10), "UTC"), 1),
        (Slot(TUE, time(10), "UTC"), 1),
    ]


def test_times_of_today_that_have_passed_meet_from_next_week():
    people = [person(1, "UTC", "thu 09-10, 20-21"), person(2, "UTC", "thu 09-10, 20-21")]
    noon = utc(2026, 1, 1, 12)  # Thursday

    candidates = find_slots(people, length=60, every_weeks=2, after=noon)

    assert [c.starts[:2] for c in candidates] == [
        (utc(2026, 1, 1, 20), utc(2026, 1, 15, 20)),
        (utc(2026, 1, 8, 9), utc(2026, 1, 22, 9)),
    ]


def test_free_until_midnight_and_from_midnight_is_one_stretch():
    night_owl = person(1, BERLIN, "daily 22-24, 00-02")

    assert free_for(night_owl, Slot(FRI, time(23, 30), BERLIN), length=60, every_weeks=1, after=NEW_YEAR)
    assert not free_for(night_owl, Slot(FRI, time(1, 30), BERLIN), length=60, every_weeks=1, after=NEW_YEAR)


def test_a_call_across_the_spring_forward_gap_needs_the_real_hours():
    early = person(1, NY, "sun 01-04")  # on 8 March 2026 that is two real hours: 02:00 does not happen
    slot = Slot(SUN, time(1), NY)

    missed = missed_dates(early, slot, length=150, every_weeks=1, after=utc(2026, 3, 1, 12), dates=3)

    assert missed == (utc(2026, 3, 8, 6),)


def test_stored_hours_become_an_attendee():
    stored = MemberHours(guild_id=1, user_id=7, timezone=NY, ranges=((MON, 420, 540), (MON, 500, 600)))

    assert attendee(stored) == Attendee(7, NY, WeeklyHours.of([(MON, 420, 600)]))


def test_the_search_takes_one_to_255_people():
    with pytest.raises(ValueError, match="1 to 255 people"):
        find_slots([], length=60, every_weeks=2, after=NEW_YEAR)
    with pytest.raises(ValueError, match="1 to 255 people"):
        find_slots(
            [person(i, "UTC", "mon 10-11") for i in range(MAX_PEOPLE + 1)], length=60, every_weeks=2, after=NEW_YEAR
        )


# ---------------------------------------------------------------------- the fast path is the exact path

AWKWARD_ZONES = [
    NY,
    SP,
    BERLIN,
    SYDNEY,
    KOLKATA,
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "America/St_Johns",
    "America/Havana",
    "America/Santiago",
    "UTC",
]
ranges = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 95), st.integers(1, 40)).map(
        lambda r: (r[0], r[1] * 15, min(1440, r[1] * 15 + r[2] * 15))
    ),
    min_size=1,
    max_size=8,
)
people_strategy = st.lists(st.tuples(st.sampled_from(AWKWARD_ZONES), ranges), min_size=1, max_size=4).map(
    lambda found: [Attendee(i, zone, WeeklyHours.of(spans)) for i, (zone, spans) in enumerate(found)]
)


@settings(max_examples=25, deadline=None, database=None)
@given(
    people=people_strategy,
    after=st.integers(0, 2 * 365 * 24 * 60).map(lambda minutes: NEW_YEAR + timedelta(minutes=minutes)),
    length=st.sampled_from([30, 45, 50, 60, 90, 180]),
    every_weeks=st.integers(1, 3),
    picks=st.randoms(use_true_random=False),
)
def test_every_candidate_scores_as_its_meetings_read_one_by_one_through_zoneinfo(
    people, after, length, every_weeks, picks
):
    search = _Search(people, length=length, every_weeks=every_weeks, after=after, dates=26)
    scores = search.scores()

    assert len(scores) == 7 * 48 * len(search.anchors)
    for worst, total, edge, first, place, weekday, minute in picks.sample(scores, 40):
        exact = search.candidate(Slot(weekday, time(minute // 60, minute % 60), search.anchors[place]))
        assert (exact.worst, exact.total, exact.edge) == (-worst, -total, edge)
        assert int(exact.starts[0].timestamp()) == first
        assert exact.starts[0] > after


@settings(max_examples=40, deadline=None, database=None)
@given(
    people=people_strategy,
    extra_anchor=st.sampled_from(AWKWARD_ZONES),
    after=st.integers(0, 2 * 365 * 24 * 60).map(lambda minutes: NEW_YEAR + timedelta(minutes=minutes)),
    length=st.sampled_from([30, 60, 90, 180]),
    every_weeks=st.integers(1, 3),
    dates=st.sampled_from([3, 26]),
    picks=st.randoms(use_true_random=False),
)
def test_the_slot_table_says_what_free_for_says_of_each_person(
    people, extra_anchor, after, length, every_weeks, dates, picks
):
    anchors = sorted({person.zone for person in people} | {extra_anchor})
    table = free_slots(people, anchors=anchors, length=length, every_weeks=every_weeks, after=after, dates=dates)

    every_slot = [
        Slot(w, time(m // 60, m % 60), zone) for zone in anchors for w in range(7) for m in range(0, 1440, 30)
    ]
    free_ones = [table.slot(n) for person in people for n in slot_numbers(table.free[person.id])]
    for slot in picks.sample(every_slot, 30) + picks.sample(free_ones, min(30, len(free_ones))):
        assert table.slot(table.number(slot)) == slot
        for person in people:
            exact = free_for(person, slot, length=length, every_weeks=every_weeks, after=after, dates=dates)
            assert bool(table.free[person.id] >> table.number(slot) & 1) == exact, (person, slot)


def test_the_slot_table_reads_a_year_across_both_hemispheres_changes_of_clocks():
    slot = Slot(TUE, time(8), SP)  # 11:00 UTC all year
    people = [
        person(1, NY, "tue 06-07"),  # misses from 17 March
        person(2, BERLIN, "tue 12-13"),  # misses from 31 March
        person(3, SP, "tue 07:30-09:30"),
        person(4, SYDNEY, "tue 21-23"),  # 22:00 in its summer, 21:00 in its winter: both inside
    ]

    table = free_slots(people, anchors=[SP, BERLIN], length=60, every_weeks=2, after=NEW_YEAR)

    assert [bool(table.free[p.id] >> table.number(slot) & 1) for p in people] == [False, False, True, True]
    assert table.anchor_of(table.number(Slot(MON, time(9), BERLIN))) == BERLIN
