from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mastermind.rules.hotseat import hot_seat_order, turn_sends
from storage.models import SendKind, SendPlan

GROUP, GUILD = 1, 100
MEETING = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
ANN, BEN, CAT, DAN, EVE = 11, 12, 13, 14, 15

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    # The autouse environment fixture only sets variables; it does not need resetting between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# ---------------------------------------------------------------------- the order of the round


def test_without_a_previous_round_the_order_is_the_members_order():
    assert hot_seat_order([ANN, BEN, CAT], [], present={ANN, BEN, CAT}) == [ANN, BEN, CAT]


def test_whoever_went_first_last_time_goes_last():
    assert hot_seat_order([ANN, BEN, CAT], [BEN, CAT, ANN], present={ANN, BEN, CAT}) == [CAT, ANN, BEN]


def test_members_in_the_call_go_before_absent_ones():
    assert hot_seat_order([ANN, BEN, CAT, DAN], [], present={BEN, DAN}) == [BEN, DAN, ANN, CAT]


def test_absent_members_keep_their_rotated_order_at_the_end():
    # Rotated: BEN, CAT, DAN, EVE, ANN. CAT and ANN are not in the call.
    order = hot_seat_order([ANN, BEN, CAT, DAN, EVE], [ANN, BEN, CAT, DAN, EVE], present={BEN, DAN, EVE})
    assert order == [BEN, DAN, EVE, CAT, ANN]


def test_members_new_since_the_last_round_join_at_the_end_in_the_order_given():
    order = hot_seat_order([ANN, EVE, BEN, DAN, CAT], [ANN, BEN, CAT], present={ANN, BEN, CAT, DAN, EVE})
    assert order == [BEN, CAT, ANN, EVE, DAN]


def test_members_who_left_the_group_are_dropped():
    order = hot_seat_order([ANN, CAT], [ANN, BEN, CAT], present={ANN, BEN, CAT})
    assert order == [CAT, ANN]


def test_a_member_who_left_after_going_first_is_dropped_and_the_rest_rotate():
    assert hot_seat_order([BEN, CAT], [ANN, BEN, CAT], present={BEN, CAT}) == [BEN, CAT]


def test_nobody_in_the_call_keeps_the_rotation():
    assert hot_seat_order([ANN, BEN, CAT], [ANN, BEN, CAT], present=()) == [BEN, CAT, ANN]


def test_four_meetings_of_four_members_seat_each_member_first_exactly_once():
    members = [ANN, BEN, CAT, DAN]
    previous: list[int] = []
    rounds = []
    for _ in range(4):
        previous = hot_seat_order(members, previous, present=set(members))
        rounds.append(previous)

    assert rounds == [
        [ANN, BEN, CAT, DAN],
        [BEN, CAT, DAN, ANN],
        [CAT, DAN, ANN, BEN],
        [DAN, ANN, BEN, CAT],
    ]
    assert sorted(order[0] for order in rounds) == members
    # Each member also sits in every position once: nobody is always last.
    for position in range(4):
        assert sorted(order[position] for order in rounds) == members


members_lists = st.lists(st.integers(1, 30), unique=True, max_size=12)


@PROPERTY_SETTINGS
@given(
    members=members_lists,
    previous=st.lists(st.integers(1, 40), unique=True, max_size=12),
    present=st.sets(st.integers(1, 40)),
)
def test_the_order_is_a_permutation_of_the_members_with_present_ones_first(members, previous, present):
    order = hot_seat_order(members, previous, present)

    assert sorted(order) == sorted(members)
    present_positions = [index for index, member in enumerate(order) if member in present]
    absent_positions = [index for index, member in enumerate(order) if member not in present]
    assert all(p < a for p in present_positions for a in absent_positions)


# ---------------------------------------------------------------------- a turn's notices


def test_a_ten_minute_turn_gets_a_warning_two_minutes_before_its_end_and_a_time_up_notice():
    started = MEETING + timedelta(minutes=5)
    ends_at = started + timedelta(minutes=10)

    sends = turn_sends(group_id=GROUP, guild_id=GUILD, meeting_at=MEETING, user_id=ANN, ends_at=ends_at, now=started)

    assert sends == [
        SendPlan(
            group_id=GROUP,
            guild_id=GUILD,
            meeting_at=MEETING,
            kind=SendKind.TURN_WARNING,
            detail=ANN,
            due_at=MEETING + timedelta(minutes=13),
        ),
        SendPlan(
            group_id=GROUP,
            guild_id=GUILD,
            meeting_at=MEETING,
            kind=SendKind.TURN_END,
            detail=ANN,
            due_at=MEETING + timedelta(minutes=15),
        ),
    ]


def test_a_turn_whose_warning_moment_has_passed_gets_only_the_time_up_notice():
    ends_at = MEETING + timedelta(minutes=15)
    end_only = [
        SendPlan(group_id=GROUP, guild_id=GUILD, meeting_at=MEETING, kind=SendKind.TURN_END, detail=BEN, due_at=ends_at)
    ]

    for now in (ends_at - timedelta(minutes=2), ends_at - timedelta(minutes=1)):
        assert (
            turn_sends(group_id=GROUP, guild_id=GUILD, meeting_at=MEETING, user_id=BEN, ends_at=ends_at, now=now)
            == end_only
        )
    just_before = turn_sends(
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        user_id=BEN,
        ends_at=ends_at,
        now=ends_at - timedelta(minutes=2, seconds=1),
    )
    assert [(plan.kind, plan.due_at) for plan in just_before] == [
        (SendKind.TURN_WARNING, ends_at - timedelta(minutes=2)),
        (SendKind.TURN_END, ends_at),
    ]
