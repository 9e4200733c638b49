"""Rules that used to live in the cogs or in SQL, now plain functions: who may act, who is seated next, which
round came before, who is present, who is nudged, what a meeting adds to a member's record."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from mastermind.errors import Refusal
from mastermind.rules.access import Actor, is_organizer, may_run_group
from mastermind.rules.hotseat import active_turn, may_act_on_turn, next_seat, previous_round
from mastermind.rules.ledger import checkable, may_check, may_mark, nudge_recipients
from mastermind.rules.meetings import agenda, is_present, opened_by_hand, roll_call, rsvp_open
from mastermind.rules.schedule import Occurrence, check_move, new_schedule
from mastermind.rules.stats import after_meeting, meetings_held, member_stats, streak_after
from mastermind.rules.timed_sends import next_meeting_sends
from storage.models import (
    Attendance,
    Commitment,
    CommitmentStatus,
    HotSeatTurn,
    Meeting,
    MemberRecord,
    PlannedSchedule,
    RecentSeat,
    Schedule,
    ScheduleOverride,
    SendKind,
    TurnStatus,
)

ANN, BEN, CAT = 11, 12, 13
ORGANIZERS = 500
START = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def turn(user_id: int, position: int, status: TurnStatus = "waiting") -> HotSeatTurn:
    return HotSeatTurn(meeting_id=1, guild_id=100, user_id=user_id, position=position, present=True, status=status)


def commitment(
    commitment_id: int, user_id: int, status: CommitmentStatus = "open", due_meeting_id: int | None = None
) -> Commitment:
    return Commitment(
        id=commitment_id,
        guild_id=100,
        group_id=1,
        user_id=user_id,
        position=0,
        text=f"goal {commitment_id}",
        created_at=START - timedelta(days=14),
        due_meeting_id=due_meeting_id,
        status=status,
    )


# ---------------------------------------------------------------------- who may act


@pytest.mark.parametrize(
    ("manages_server", "roles", "organizer_role", "expected"),
    [
        (True, set(), None, True),
        (False, {ORGANIZERS}, ORGANIZERS, True),
        (False, {ORGANIZERS}, None, False),
        (False, {7}, ORGANIZERS, False),
        (False, set(), None, False),
    ],
)
def test_organizers_manage_the_server_or_hold_the_organizer_role(manages_server, roles, organizer_role, expected):
    actor = Actor(user_id=ANN, manages_server=manages_server, role_ids=frozenset(roles))
    assert is_organizer(actor, organizer_role) is expected


@pytest.mark.parametrize(
    ("is_member", "organizer", "expected"), [(True, False, True), (False, True, True), (False, False, False)]
)
def test_a_group_is_run_by_its_members_and_by_organizers(is_member, organizer, expected):
    assert may_run_group(is_member=is_member, is_organizer=organizer) is expected


@pytest.mark.parametrize(
    ("action", "actor", "organizer", "seated_in_call", "expected"),
    [
        ("next", ANN, False, True, True),  # the member on the seat
        ("next", BEN, True, True, True),  # an organizer
        ("next", BEN, False, True, False),
        ("next", BEN, False, False, False),  # only skipping is open to anyone
        ("skip", BEN, False, True, False),  # Ann is in the call: her seat is hers to leave
        ("skip", BEN, False, False, True),  # Ann isn't there: anyone may move the round on
        ("goals", BEN, False, False, False),
        ("carry", ANN, False, False, True),
    ],
)
def test_who_may_act_on_a_turn(action, actor, organizer, seated_in_call, expected):
    allowed = may_act_on_turn(
        action, actor_id=actor, seated_id=ANN, actor_is_organizer=organizer, seated_in_call=seated_in_call
    )
    assert allowed is expected


@pytest.mark.parametrize(
    ("actor", "organizer", "expected"), [(ANN, False, True), (BEN, True, True), (BEN, False, False)]
)
def test_a_commitment_is_marked_by_its_owner_or_an_organizer(actor, organizer, expected):
    assert may_mark(actor, ANN, actor_is_organizer=organizer) is expected


# ---------------------------------------------------------------------- the round


def test_the_next_seat_is_the_first_still_waiting_in_round_order():
    turns = [turn(BEN, 2), turn(ANN, 0, "done"), turn(CAT, 1, "skipped"), turn(14, 3)]
    assert next_seat(turns) == turn(BEN, 2)
    assert next_seat([turn(ANN, 0, "done"), turn(BEN, 1, "active")]) is None
    assert active_turn([turn(ANN, 0, "done"), turn(BEN, 1, "active")]) == turn(BEN, 1, "active")
    assert active_turn([turn(ANN, 0, "done")]) is None


def test_the_previous_round_is_the_one_of_the_meeting_opened_last():
    older = START - timedelta(weeks=2)
    seats = [
        RecentSeat(meeting_id=3, opened_at=older, user_id=ANN, position=0),
        RecentSeat(meeting_id=5, opened_at=START, user_id=CAT, position=1),
        RecentSeat(meeting_id=3, opened_at=older, user_id=BEN, position=1),
        RecentSeat(meeting_id=5, opened_at=START, user_id=BEN, position=0),
    ]
    assert previous_round(seats) == [BEN, CAT]
    assert previous_round([]) == []


def test_two_meetings_opened_in_the_same_second_are_told_apart_by_id():
    seats = [
        RecentSeat(meeting_id=8, opened_at=START, user_id=ANN, position=0),
        RecentSeat(meeting_id=9, opened_at=START, user_id=BEN, position=0),
    ]
    assert previous_round(seats) == [BEN]


# ---------------------------------------------------------------------- the meeting


def test_present_means_the_groups_minutes_in_the_call_in_total():
    assert is_present(600, 10) is True
    assert is_present(599, 10) is False
    assert is_present(0, 1) is False
    assert is_present(60, 1) is True


def test_answers_stay_open_until_three_hours_after_the_start():
    assert rsvp_open(START, START - timedelta(days=1))
    assert rsvp_open(START, START + timedelta(hours=3))
    assert not rsvp_open(START, START + timedelta(hours=3, seconds=1))


def test_a_meeting_a_member_opened_is_under_way_when_the_kickoff_comes_even_in_the_same_second():
    by_hand = Meeting(
        id=1,
        guild_id=100,
        group_id=1,
        starts_at=START - timedelta(minutes=20),
        opened_at=START - timedelta(minutes=20),
        status="open",
        round_status="not_started",
        opened_by=ANN,
    )
    same_second = by_hand.model_copy(update={"starts_at": START, "opened_at": START})
    by_the_kickoff = same_second.model_copy(update={"opened_by": None})
    assert opened_by_hand(by_hand) is True
    assert opened_by_hand(same_second) is True
    assert opened_by_hand(by_the_kickoff) is False


def test_the_roll_keeps_the_attendance_order_and_splits_it():
    attendance = [
        Attendance(meeting_id=1, user_id=ANN, seconds=0, present=False),
        Attendance(meeting_id=1, user_id=BEN, seconds=900, present=True),
        Attendance(meeting_id=1, user_id=CAT, seconds=20, present=False),
    ]
    roll = roll_call(attendance)
    assert (roll.everyone, roll.present, roll.absent) == ([ANN, BEN, CAT], [BEN], [ANN, CAT])


def test_the_agenda_rotates_and_groups_each_members_commitments():
    due = [commitment(1, BEN), commitment(2, ANN), commitment(3, BEN)]
    shown = agenda([ANN, BEN, CAT], [ANN, BEN, CAT], due, turn_minutes=12)
    assert shown.order == [BEN, CAT, ANN]
    assert shown.turn_minutes == 12
    assert {user: [c.id for c in items] for user, items in shown.due.items()} == {BEN: [1, 3], ANN: [2]}


# ---------------------------------------------------------------------- commitments


def test_during_a_meeting_what_was_due_at_it_can_be_marked_until_it_closes():
    assert may_check(commitment(1, ANN, "open", due_meeting_id=4), open_meeting_id=4)
    assert may_check(commitment(1, ANN, "done", due_meeting_id=4), open_meeting_id=4)
    assert not may_check(commitment(1, ANN, "unreported", due_meeting_id=4), open_meeting_id=4)
    assert not may_check(commitment(1, ANN, "open", due_meeting_id=3), open_meeting_id=4)
    assert not may_check(commitment(1, ANN, "open", due_meeting_id=None), open_meeting_id=4)


def test_between_meetings_what_is_due_next_can_be_marked():
    assert may_check(commitment(1, ANN, "open", due_meeting_id=None), open_meeting_id=None)
    assert not may_check(commitment(1, ANN, "missed", due_meeting_id=3), open_meeting_id=None)


def test_checkable_lists_follow_the_same_rule():
    due = [commitment(1, ANN, "done", 4), commitment(2, ANN, "unreported", 4)]
    upcoming = [commitment(3, ANN)]
    assert [c.id for c in checkable(due, upcoming)] == [1]
    assert [c.id for c in checkable(None, upcoming)] == [3]


def test_the_nudge_goes_to_current_members_with_open_commitments():
    upcoming = [commitment(1, ANN), commitment(2, BEN, "done"), commitment(3, CAT), commitment(4, ANN)]
    recipients = nudge_recipients([ANN, BEN], upcoming)  # CAT left the group
    assert {user: [c.id for c in items] for user, items in recipients.items()} == {ANN: [1, 4]}
    assert nudge_recipients([BEN], upcoming) == {}


# ---------------------------------------------------------------------- a member's record


def test_a_streak_grows_with_each_meeting_attended_and_an_absence_resets_it():
    assert streak_after(0, True) == 1
    assert streak_after(4, True) == 5
    assert streak_after(4, False) == 0


def test_a_closed_meeting_adds_to_the_members_record():
    first = after_meeting(None, ANN, present=True, outcomes=["done", "partial"], meeting_id=1)
    assert first == MemberRecord(
        user_id=ANN, meetings=1, attended=1, streak=1, done=1, partial=1, missed=0, unreported=0
    )
    second = after_meeting(first, ANN, present=False, outcomes=["unreported", "missed", "open"], meeting_id=2)
    assert second == MemberRecord(
        user_id=ANN,
        meetings=2,
        attended=1,
        streak=0,
        done=1,
        partial=1,
        missed=1,
        unreported=1,
        absent_run=1,
        absent_since=2,
    )


def test_commitments_marked_before_their_meeting_closes_count_already():
    record = MemberRecord(user_id=ANN, meetings=2, attended=2, streak=2, done=1, partial=0, missed=1, unreported=0)
    figures = member_stats(record, ["done", "partial"])
    assert (figures.checked, figures.kept_halves, figures.kept) == (4, 5, 63)


def test_meetings_held_are_counted_by_the_longest_standing_member():
    newcomer = member_stats(
        MemberRecord(user_id=BEN, meetings=1, attended=1, streak=1, done=0, partial=0, missed=0, unreported=0)
    )
    founder = member_stats(
        MemberRecord(user_id=ANN, meetings=5, attended=3, streak=0, done=0, partial=0, missed=0, unreported=0)
    )
    assert meetings_held([newcomer, founder]) == 5
    assert meetings_held([]) == 0


# ---------------------------------------------------------------------- schedules


def test_a_new_schedule_is_anchored_on_the_next_such_day_still_ahead():
    tuesday_noon = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    morning = new_schedule(
        group_id=1, guild_id=100, weekday=1, at=time(9, 0), zone_name="Europe/Berlin", every_weeks=2, now=tuesday_noon
    )
    evening = new_schedule(
        group_id=1, guild_id=100, weekday=1, at=time(18, 0), zone_name="Europe/Berlin", every_weeks=2, now=tuesday_noon
    )
    assert morning.anchor_date == date(2026, 3, 17)  # today's 09:00 has passed
    assert evening.anchor_date == date(2026, 3, 10)


def test_a_meeting_moves_only_to_a_time_ahead_and_before_the_following_one():
    upcoming = [Occurrence(date(2026, 3, 10), START), Occurrence(date(2026, 3, 24), START + timedelta(weeks=2))]
    check_move(START + timedelta(days=3), now=START - timedelta(days=1), upcoming=upcoming, zone_name="UTC")
    with pytest.raises(Refusal) as past:
        check_move(START - timedelta(days=2), now=START - timedelta(days=1), upcoming=upcoming, zone_name="UTC")
    with pytest.raises(Refusal) as too_far:
        check_move(START + timedelta(weeks=2), now=START - timedelta(days=1), upcoming=upcoming, zone_name="UTC")
    assert (past.value.key, too_far.value.key) == ("schedule.move_past", "schedule.move_past_following")
    assert too_far.value.values["following"] == START + timedelta(weeks=2)


def test_the_next_meeting_brings_its_sends_and_a_skip_moves_them_on():
    schedule = Schedule(
        group_id=1,
        guild_id=100,
        weekday=1,
        local_time=time(18, 0),
        timezone="Europe/Berlin",
        every_weeks=2,
        anchor_date=date(2026, 3, 10),
    )
    now = START - timedelta(days=3)
    upcoming, sends = next_meeting_sends(PlannedSchedule(schedule=schedule), (1440, 15), now)
    assert upcoming is not None
    assert upcoming.starts_at == START
    assert [(s.kind, s.due_at) for s in sends] == [
        (SendKind.REMINDER, START - timedelta(days=1)),
        (SendKind.REMINDER, START - timedelta(minutes=15)),
        (SendKind.KICKOFF, START),
    ]
    skipped = PlannedSchedule(
        schedule=schedule,
        overrides=(ScheduleOverride(group_id=1, guild_id=100, regular_date=date(2026, 3, 10), action="skip"),),
    )
    following, _ = next_meeting_sends(skipped, (1440,), now)
    assert following is not None
    assert following.starts_at == START + timedelta(weeks=2)
    assert next_meeting_sends(None, (1440,), now) == (None, [])
