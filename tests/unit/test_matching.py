"""Forming groups from applications, with plain values: the hard rules hold for every group, checked here the slow,
independent way (free_for reads each meeting through zoneinfo); then the preferences, in their order."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from bench.matching import LANGUAGES, START, generated_pool
from mastermind.errors import Refusal
from mastermind.rules.availability import parse_hours
from mastermind.rules.matching import (
    MAX_GROUP,
    MIN_GROUP,
    Applicant,
    Matching,
    Mates,
    _Pool,
    best_for_seat,
    check_group_size,
    form_groups,
    group_sizes,
    mates,
    pool_key,
)
from mastermind.rules.slots import Attendee, Slot, free_for, slot_numbers

MON, TUE = 0, 1
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)  # a Thursday
BERLIN, SAO_PAULO, NEW_YORK = "Europe/Berlin", "America/Sao_Paulo", "America/New_York"


def applicant(
    id: int,
    hours: str,
    *,
    zone: str = "UTC",
    field: str = "Software",
    experience: int = 1,
    languages: tuple[str, ...] = ("English",),
) -> Applicant:
    return Applicant(id, field, experience, languages, zone, parse_hours(hours))


def placed(matching: Matching) -> list[int]:
    return sorted(member for group in matching.groups for member in group.members)


def assert_hard_rules(pool: list[Applicant], matching: Matching, *, after: datetime) -> None:
    """Every group keeps every hard rule; everyone is in one group or waiting, never both."""
    by_id = {a.id: a for a in pool}
    seen = Counter(member for group in matching.groups for member in group.members)
    assert all(count == 1 for count in seen.values())
    assert set(seen).isdisjoint(w.applicant for w in matching.waiting)
    assert set(seen) | {w.applicant for w in matching.waiting} == set(by_id)
    for group in matching.groups:
        assert MIN_GROUP <= len(group.members) <= MAX_GROUP
        for member in group.members:
            person = by_id[member]
            assert group.language in person.languages
            assert free_for(
                Attendee(member, person.zone, person.hours), group.slot, length=60, every_weeks=2, after=after
            ), (member, group.slot)


# ---------------------------------------------------------------------- sizes


def test_sizes_come_as_close_to_the_target_as_the_count_allows():
    assert group_sizes(3, 4) == [3]
    assert group_sizes(4, 4) == [4]
    assert group_sizes(5, 4) == [5]
    assert group_sizes(6, 4) == [3, 3]  # one of 6 is two away from 4, two of 3 one away each
    assert group_sizes(7, 4) == [4, 3]
    assert group_sizes(9, 4) == [5, 4]  # as close as three of 3, and fewer groups
    assert group_sizes(10, 4) == [5, 5]
    assert group_sizes(12, 4) == [4, 4, 4]
    assert group_sizes(7, 6) == [4, 3]
    assert group_sizes(13, 6) == [5, 4, 4]
    assert group_sizes(8, 3) == [4, 4]
    for count in range(3, 60):
        for target in range(MIN_GROUP, MAX_GROUP + 1):
            sizes = group_sizes(count, target)
            assert sum(sizes) == count
            assert all(MIN_GROUP <= size <= MAX_GROUP for size in sizes)
            assert max(sizes) - min(sizes) <= 1


def test_fewer_than_three_never_make_a_group():
    with pytest.raises(ValueError, match="can't form a group"):
        group_sizes(2, 4)


def test_the_target_size_is_three_to_six():
    assert check_group_size(3) == 3
    for wrong in (2, 7, 0, -1):
        with pytest.raises(Refusal) as refused:
            check_group_size(wrong)
        assert refused.value.key == "intake.bad_group_size"


# ---------------------------------------------------------------------- the hard rules


def test_every_group_of_a_generated_pool_keeps_every_hard_rule():
    pool = generated_pool(160, seed=3)

    matching = form_groups(pool, target=4, after=START, languages=LANGUAGES)

    assert len(matching.groups) > 20
    assert_hard_rules(pool, matching, after=START)


@pytest.mark.parametrize("target", [3, 5, 6])
def test_the_hard_rules_hold_for_every_target(target):
    pool = generated_pool(60, seed=target)

    matching = form_groups(pool, target=target, after=START, languages=LANGUAGES)

    assert_hard_rules(pool, matching, after=START)


def test_a_january_time_that_fails_from_march_is_never_the_groups_time():
    """Berlin's 12:00 to 14:00 is 11:00 to 13:00 UTC in winter and 10:00 to 12:00 UTC from 29 March; São Paulo's
    08:00 to 10:00 is 11:00 to 13:00 UTC all year. 12:00 UTC suits all three in January only: 11:00 UTC all year."""
    berlin = applicant(1, "tue 12-14", zone=BERLIN)
    rio, sampa = applicant(2, "tue 08-10", zone=SAO_PAULO), applicant(3, "tue 08-10", zone=SAO_PAULO)
    january_only = Slot(TUE, time(9), SAO_PAULO)

    matching = form_groups([berlin, rio, sampa], target=4, after=NEW_YEAR)

    (group,) = matching.groups
    assert group.slot == Slot(TUE, time(8), SAO_PAULO)  # anchored where two of the three live
    assert_hard_rules([berlin, rio, sampa], matching, after=NEW_YEAR)
    person = Attendee(1, BERLIN, berlin.hours)
    assert free_for(person, january_only, length=60, every_weeks=2, after=NEW_YEAR, dates=5)
    assert not free_for(person, january_only, length=60, every_weeks=2, after=NEW_YEAR)


def test_hours_that_overlap_only_in_winter_make_no_group():
    berlin = applicant(1, "tue 12-13", zone=BERLIN)  # 11:00 UTC in winter, 10:00 UTC in summer
    others = [applicant(2, "tue 08-09", zone=SAO_PAULO), applicant(3, "tue 08-09", zone=SAO_PAULO)]

    matching = form_groups([berlin, *others], target=4, after=NEW_YEAR)

    assert matching.groups == ()
    assert {w.reason for w in matching.waiting} == {"no_common_time"}


# ---------------------------------------------------------------------- as many placed as possible


def largest_bucket_first(pool: list[Applicant], target: int) -> int:
    """What a simple matcher does: take the time most people can make, form a group of the target size from
    them in queue order, and repeat. Returns how many it places."""
    table = _Pool(pool, after=NEW_YEAR, languages=()).table
    free = {a.id: table.free[index] for index, a in enumerate(pool)}
    left = [a.id for a in pool]
    placed_count = 0
    while True:
        counts = Counter(slot for person in left for slot in slot_numbers(free[person]))
        if not counts or counts.most_common(1)[0][1] < MIN_GROUP:
            return placed_count
        slot = counts.most_common(1)[0][0]
        group = [person for person in left if free[person] >> slot & 1][:target]
        placed_count += len(group)
        left = [person for person in left if person not in group]


def test_where_taking_the_biggest_time_first_strands_people_everyone_is_placed():
    """Five can meet on Mondays, three on Tuesdays, and two of them on both days."""
    pool = [
        applicant(1, "mon 18-19"),
        applicant(2, "mon 18-19"),
        applicant(3, "mon 18-19"),
        applicant(4, "mon 18-19; tue 18-19"),
        applicant(5, "mon 18-19; tue 18-19"),
        applicant(6, "tue 18-19"),
    ]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    assert largest_bucket_first(pool, 4) == 4
    assert placed(matching) == [1, 2, 3, 4, 5, 6]
    assert sorted(group.members for group in matching.groups) == [(1, 2, 3), (4, 5, 6)]
    assert_hard_rules(pool, matching, after=NEW_YEAR)


def test_when_not_everyone_can_be_placed_the_earlier_applicants_are():
    """Four people, two possible groups that need the same two people: only one group can be."""
    pool = [
        applicant(1, "mon 18-19"),
        applicant(2, "mon 18-19; tue 18-19"),
        applicant(3, "mon 18-19; tue 18-19"),
        applicant(4, "tue 18-19"),
    ]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    assert placed(matching) == [1, 2, 3]
    assert [(w.applicant, w.reason) for w in matching.waiting] == [(4, "placed_elsewhere")]


def test_who_waits_hears_why():
    pool = [
        applicant(1, "mon 18-19", languages=("Portuguese",)),  # nobody else speaks it
        applicant(2, "mon 18-19"),
        applicant(3, "mon 18-19"),
        applicant(4, "mon 18-19"),
        applicant(5, "wed 07-08"),  # English, but nobody else is free then
        applicant(6, "thu 07:00-07:30"),  # too short for an hour's call
    ]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    assert placed(matching) == [2, 3, 4]
    assert [(w.applicant, w.reason) for w in matching.waiting] == [
        (1, "language"),
        (5, "no_common_time"),
        (6, "no_time"),
    ]


# ---------------------------------------------------------------------- the preferences


def test_people_of_one_field_are_grouped_together():
    fields = ["Design", "Software"] * 4
    pool = [applicant(i + 1, "mon 18-20", field=field) for i, field in enumerate(fields)]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    assert sorted((group.field, group.members) for group in matching.groups) == [
        ("Design", (1, 3, 5, 7)),
        ("Software", (2, 4, 6, 8)),
    ]


def test_someone_free_at_two_times_goes_where_their_field_is():
    pool = [
        applicant(1, "mon 18-19", field="Design"),
        applicant(2, "mon 18-19", field="Design"),
        applicant(3, "mon 18-19", field="Design"),
        applicant(4, "tue 18-19", field="Software"),
        applicant(5, "tue 18-19", field="Software"),
        applicant(6, "tue 18-19", field="Software"),
        applicant(7, "mon 18-19; tue 18-19", field="Software"),
        applicant(8, "mon 18-19; tue 18-19", field="Design"),
    ]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    assert sorted((group.field, group.members) for group in matching.groups) == [
        ("Design", (1, 2, 3, 8)),
        ("Software", (4, 5, 6, 7)),
    ]


def test_experience_stays_within_one_step_where_the_sizes_allow():
    levels = [0, 3, 0, 3, 1, 2, 0, 2]
    pool = [applicant(i + 1, "mon 18-20", experience=level) for i, level in enumerate(levels)]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    by_id = {a.id: a.experience for a in pool}
    assert sorted(sorted(by_id[m] for m in group.members) for group in matching.groups) == [[0, 0, 0, 1], [2, 2, 3, 3]]


def test_the_group_meets_in_the_zone_most_of_its_members_live_in():
    """New York's 13:00 is Berlin's 19:00 most of the year: the time is read in Berlin, where three live."""
    pool = [
        applicant(1, "wed 13-15", zone=NEW_YORK),
        applicant(2, "wed 18-21", zone=BERLIN),
        applicant(3, "wed 18-21", zone=BERLIN),
        applicant(4, "wed 18-21", zone=BERLIN),
    ]

    matching = form_groups(pool, target=4, after=NEW_YEAR)

    (group,) = matching.groups
    assert group.slot.zone == BERLIN
    assert_hard_rules(pool, matching, after=NEW_YEAR)


def test_two_shared_languages_take_the_servers_first():
    pool = [applicant(i, "mon 18-19", languages=("Spanish", "English")) for i in range(1, 4)]

    assert form_groups(pool, target=4, after=NEW_YEAR, languages=("English", "Spanish")).groups[0].language == "English"
    assert form_groups(pool, target=4, after=NEW_YEAR, languages=("Spanish", "English")).groups[0].language == "Spanish"


# ---------------------------------------------------------------------- what the pool looks like to one applicant


def test_mates_count_the_most_others_at_one_time():
    pool = [
        applicant(1, "mon 18-19; tue 18-19"),
        applicant(2, "mon 18-19", field="Design"),
        applicant(3, "mon 18-19", field="Design"),
        applicant(4, "tue 18-19"),
        applicant(5, "tue 18-19", languages=("Spanish",)),
        applicant(6, "fri 06-07"),
    ]

    found = mates(pool, after=NEW_YEAR)

    assert found[1] == Mates(anyone=2, same_field=1)  # Monday: 2 and 3 (Design); Tuesday: 4 (Software)
    assert found[5] == Mates(anyone=0, same_field=0)
    assert found[6] == Mates(anyone=0, same_field=0)


def test_the_pools_fingerprint_changes_with_anything_matching_reads():
    pool = [applicant(1, "mon 18-19"), applicant(2, "tue 18-19")]
    key = pool_key(pool, 4)

    assert pool_key(list(pool), 4) == key
    assert pool_key(pool, 5) != key
    assert pool_key(pool[::-1], 4) != key
    assert pool_key([pool[0], applicant(2, "tue 18-20")], 4) != key
    assert pool_key([pool[0], applicant(2, "tue 18-19", field="Design")], 4) != key


def test_a_bucket_is_only_left_out_when_a_kept_one_holds_all_its_people():
    pool = generated_pool(120, seed=9)
    search = _Pool(pool, after=START, languages=LANGUAGES)
    kept = {bucket.people for bucket in search.buckets}

    for slot, free in search.at.items():
        for speakers in search.speakers.values():
            people = free & speakers
            if people.bit_count() >= MIN_GROUP:
                assert any(people & other == people for other in kept), slot


# ---------------------------------------------------------------------- refilling a seat


def test_a_seat_goes_to_who_speaks_the_language_and_can_make_every_meeting_field_first_then_queue():
    starts = [datetime(2026, 1, 5, 18, tzinfo=UTC) + timedelta(weeks=2 * n) for n in range(26)]  # Mondays 18:00 UTC
    waiting = [
        applicant(1, "mon 18-19", field="Design"),
        applicant(2, "mon 18-19", field="Software", languages=("Spanish",)),
        applicant(3, "mon 17-18", field="Software"),  # an hour too early
        applicant(4, "mon 18-19", field="Software", zone=NEW_YORK),  # 13:00 there: not free
        applicant(5, "mon 18-19", field="Software"),
        applicant(6, "mon 18-19", field="Software"),
    ]

    assert best_for_seat(waiting, language="English", field="Software", starts=starts).id == 5
    assert best_for_seat(waiting, language="English", field="Design", starts=starts).id == 1
    assert best_for_seat(waiting, language=None, field="Software", starts=starts).id == 2  # a group made by hand
    assert best_for_seat(waiting, language="Spanish", field=None, starts=starts).id == 2
    assert best_for_seat(waiting[2:4], language="English", field="Software", starts=starts) is None


def test_a_seat_needs_every_one_of_the_groups_next_meetings():
    berlin = applicant(1, "mon 19-20", zone=BERLIN)  # 18:00 UTC in winter, 17:00 UTC from 29 March
    winter = [datetime(2026, 1, 5, 18, tzinfo=UTC) + timedelta(weeks=2 * n) for n in range(5)]
    year = [datetime(2026, 1, 5, 18, tzinfo=UTC) + timedelta(weeks=2 * n) for n in range(26)]

    assert best_for_seat([berlin], language="English", field=None, starts=winter) == berlin
    assert best_for_seat([berlin], language="English", field=None, starts=year) is None
