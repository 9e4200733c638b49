"""The rules of keeping a group alive, with plain values: pauses, presence, drifting, health and the chart's data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from mastermind.errors import Refusal
from mastermind.rules.health import (
    Flag,
    GroupHealth,
    assess,
    flags,
    kept_share,
    page_of,
    trend,
    worst_first,
)
from mastermind.rules.keeping import (
    check_pause,
    is_drifting,
    may_answer_check_in,
    presence,
    taking_part,
    to_ping,
)
from mastermind.rules.stats import after_meeting, chart_data
from storage.models import (
    ChartHistory,
    Group,
    GroupHealthRecord,
    GroupMember,
    MeetingTally,
    MemberStanding,
    Schedule,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANN, BEN, CAT = 11, 12, 13


def group(name: str = "Founders", **changes) -> Group:
    return Group(
        id=1,
        guild_id=100,
        name=name,
        text_channel_id=2,
        voice_channel_id=3,
        status="active",
        created_by=1,
        created_at=NOW - timedelta(weeks=10),
        **changes,
    )


def tally(present: int, counted: int, days_ago: int = 0, **outcomes: int) -> MeetingTally:
    return MeetingTally(
        meeting_id=days_ago, starts_at=NOW - timedelta(days=days_ago), present=present, counted=counted, **outcomes
    )


# ---------------------------------------------------------------------- pauses and presence


@pytest.mark.parametrize("meetings", [1, 2, 6])
def test_a_pause_lasts_one_to_six_meetings(meetings):
    assert check_pause(meetings) == meetings


@pytest.mark.parametrize("meetings", [0, 7, -1])
def test_a_pause_outside_that_is_refused(meetings):
    with pytest.raises(Refusal) as refused:
        check_pause(meetings)
    assert refused.value.key == "pause.out_of_range"


def test_how_a_meeting_counts_for_a_member():
    assert presence(present=True, paused=True, excused=False) == "present"  # coming anyway always counts
    assert presence(present=False, paused=True, excused=True) == "paused"
    assert presence(present=False, paused=False, excused=True) == "excused"
    assert presence(present=False, paused=False, excused=False) == "absent"


def test_a_run_of_absences_without_a_word_starts_at_its_first_meeting_and_anything_else_ends_it():
    record = after_meeting(None, ANN, present=False, outcomes=[], meeting_id=5)
    record = after_meeting(record, ANN, present=False, outcomes=[], meeting_id=6)
    assert (record.meetings, record.absent_run, record.absent_since) == (2, 2, 5)

    excused = after_meeting(record, ANN, present=False, excused=True, outcomes=[], meeting_id=7)
    assert (excused.meetings, excused.attended, excused.absent_run, excused.absent_since) == (3, 0, 0, None)
    attended = after_meeting(record, ANN, present=True, outcomes=[], meeting_id=7)
    assert (attended.absent_run, attended.absent_since, attended.streak) == (0, None, 1)


def test_a_meeting_paused_for_is_neither_present_nor_absent_but_its_commitments_count():
    before = after_meeting(None, ANN, present=True, outcomes=[], meeting_id=1)

    paused = after_meeting(before, ANN, present=False, paused=True, outcomes=["unreported"], meeting_id=2)

    assert (paused.meetings, paused.attended, paused.streak) == (1, 1, 1)
    assert (paused.unreported, paused.absent_run) == (1, 0)


def test_drifting_is_the_groups_number_of_meetings_missed_in_a_row():
    assert not is_drifting(1, 2)
    assert is_drifting(2, 2)
    assert is_drifting(3, 2)
    assert is_drifting(1, 1)


def test_paused_members_are_not_pinged_and_sit_out_the_round_unless_they_come():
    members = [
        GroupMember(group_id=1, guild_id=100, user_id=ANN, joined_at=NOW),
        GroupMember(group_id=1, guild_id=100, user_id=BEN, joined_at=NOW, paused_for=2),
        GroupMember(group_id=1, guild_id=100, user_id=CAT, joined_at=NOW),
    ]
    assert to_ping(members) == [ANN, CAT]
    assert taking_part([ANN, BEN, CAT], paused={BEN}, present={ANN}) == [ANN, CAT]
    assert taking_part([ANN, BEN, CAT], paused={BEN}, present={BEN}) == [ANN, BEN, CAT]


def test_only_the_member_answers_their_check_in():
    assert may_answer_check_in(ANN, ANN)
    assert not may_answer_check_in(BEN, ANN)


# ---------------------------------------------------------------------- health


def test_a_group_without_a_schedule_for_fourteen_days_is_flagged_in_weeks():
    assert flags(now=NOW, unscheduled_since=NOW - timedelta(days=13, hours=23), latest=[]) == ()
    assert flags(now=NOW, unscheduled_since=NOW - timedelta(days=14), latest=[]) == (Flag("no_schedule", 2),)
    assert flags(now=NOW, unscheduled_since=NOW - timedelta(days=23), latest=[]) == (Flag("no_schedule", 3),)
    assert flags(now=NOW, unscheduled_since=None, latest=[]) == ()


def test_two_meetings_in_a_row_below_quorum_flag_a_group():
    assert flags(now=NOW, unscheduled_since=None, latest=[tally(1, 4), tally(0, 4)]) == (Flag("below_quorum", 2),)
    assert flags(now=NOW, unscheduled_since=None, latest=[tally(1, 4), tally(2, 4)]) == ()
    assert flags(now=NOW, unscheduled_since=None, latest=[tally(1, 4)]) == ()  # one meeting is not a pattern


def test_trend_compares_the_first_and_last_of_the_meetings_shown():
    assert trend([(4, 4), (3, 4), (2, 4), (2, 4)]) == "down"
    assert trend([(2, 4), (4, 4)]) == "up"
    assert trend([(3, 3), (4, 4)]) == "flat"
    assert trend([(3, 4)]) is None
    assert trend([(0, 0), (3, 4)]) is None  # a meeting where nobody counted says nothing


def test_kept_share_counts_partly_done_as_half_and_unreported_as_not_kept():
    assert kept_share([tally(2, 2, done=2, partial=1), tally(2, 2, missed=1, unreported=1)]) == 50  # 5 halves of 10
    assert kept_share([tally(2, 2)]) is None


def test_assess_reads_the_next_meeting_from_the_schedule_and_finds_who_is_at_risk():
    record = GroupHealthRecord(
        group=group(drift_after=2),
        schedule=Schedule(
            group_id=1,
            guild_id=100,
            weekday=1,
            local_time=time(18),
            timezone="UTC",
            every_weeks=2,
            anchor_date=date(2026, 3, 3),
        ),
        meetings=(tally(1, 3, days_ago=5), tally(3, 3, days_ago=19)),
        members=(
            MemberStanding(user_id=ANN),
            MemberStanding(user_id=BEN, absent_run=2),
            MemberStanding(user_id=CAT, paused_for=1, absent_run=3),
        ),
    )

    health = assess(record, NOW)

    assert health.last_held == NOW - timedelta(days=5)
    assert health.next_meeting == datetime(2026, 3, 3, 18, tzinfo=UTC)
    assert health.attendance == ((3, 3), (1, 3))
    assert health.trend == "down"
    assert [m.user_id for m in health.drifting] == [BEN]  # a paused member is not drifting
    assert [m.user_id for m in health.paused] == [CAT]
    assert health.flags == ()


def _health(name: str, *, flags=(), drifting=0, paused=0, attendance=((2, 2),)) -> GroupHealth:
    return GroupHealth(
        group=group(name),
        last_held=None,
        next_meeting=None,
        attendance=attendance,
        trend=None,
        kept=None,
        drifting=tuple(MemberStanding(user_id=n, absent_run=2) for n in range(drifting)),
        paused=tuple(MemberStanding(user_id=n, paused_for=1) for n in range(paused)),
        flags=flags,
    )


def test_worst_first_puts_flags_then_drifting_then_low_attendance_then_pauses_first():
    ordered = worst_first(
        [
            _health("healthy"),
            _health("paused", paused=1),
            _health("thin", attendance=((2, 2), (1, 4))),
            _health("drifting", drifting=1),
            _health("flagged twice", flags=(Flag("no_schedule", 3), Flag("below_quorum", 2))),
            _health("flagged", flags=(Flag("no_schedule", 2),)),
            _health("Also healthy"),
        ]
    )
    assert [h.group.name for h in ordered] == [
        "flagged twice",
        "flagged",
        "drifting",
        "thin",
        "paused",
        "Also healthy",
        "healthy",
    ]


def test_pages_hold_six_groups_and_stay_within_the_pages_there_are():
    assert page_of(0, 0) == (0, 1)
    assert page_of(6, 0) == (0, 1)
    assert page_of(7, 1) == (1, 2)
    assert page_of(7, 5) == (1, 2)
    assert page_of(7, -1) == (0, 2)


# ---------------------------------------------------------------------- the chart's data


def test_chart_data_has_a_cell_per_member_and_meeting_and_kept_shares_per_meeting_and_so_far():
    history = ChartHistory(
        members=(ANN, BEN),
        held=5,
        meetings=((3, NOW - timedelta(weeks=4)), (4, NOW - timedelta(weeks=2)), (5, NOW)),
        presence=((3, ANN, True, False), (4, ANN, False, True), (4, BEN, True, False), (5, ANN, False, False)),
        outcomes=((3, ANN, "done", 2), (4, BEN, "partial", 1), (4, BEN, "missed", 1), (5, CAT, "done", 1)),
    )

    group_chart = chart_data(history)

    assert group_chart.cells == (("present", "paused", "absent"), ("away", "present", "away"))
    assert group_chart.kept == (100, 25, None)  # a former member's commitments are not drawn
    assert group_chart.kept_so_far == (100, 63, 63)  # 5 halves of 8, then nothing more due
    assert group_chart.first_number == 3
    assert (group_chart.count("present"), group_chart.count("absent"), group_chart.count("paused")) == (2, 1, 1)
    ben = chart_data(history, only=BEN)
    assert ben.cells == (("away", "present", "away"),)
    assert ben.kept == (None, 25, None)
