from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mastermind.rules.timed_sends import deadline, meeting_sends, triage
from storage.models import PlannedSend, SendKind, SendPlan

MEETING = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
OTHER_MEETING = MEETING + timedelta(days=1)
GROUP, OTHER_GROUP, GUILD = 1, 2, 100


def plan(kind: SendKind, due_at: datetime, detail: int = 0) -> SendPlan:
    return SendPlan(group_id=GROUP, guild_id=GUILD, meeting_at=MEETING, kind=kind, detail=detail, due_at=due_at)


def planned(
    send_id: int,
    kind: SendKind,
    *,
    minutes_before: int = 0,
    meeting_at: datetime = MEETING,
    group_id: int = GROUP,
) -> PlannedSend:
    return PlannedSend(
        id=send_id,
        guild_id=GUILD,
        group_id=group_id,
        meeting_at=meeting_at,
        kind=kind,
        detail=minutes_before,
        due_at=meeting_at - timedelta(minutes=minutes_before),
        status="pending",
        attempts=0,
        updated_at=meeting_at - timedelta(days=2),
    )


def reminder(send_id: int, minutes_before: int, **where: object) -> PlannedSend:
    return planned(send_id, SendKind.REMINDER, minutes_before=minutes_before, **where)


def kickoff(send_id: int, **where: object) -> PlannedSend:
    return planned(send_id, SendKind.KICKOFF, **where)


# ---------------------------------------------------------------------- what a meeting needs


def test_a_meeting_planned_early_gets_every_reminder_and_the_kickoff():
    sends = meeting_sends(
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(1440, 15),
        every_weeks=2,
        now=MEETING - timedelta(days=3),
    )
    assert sends == [
        plan(SendKind.REMINDER, MEETING - timedelta(days=1), detail=1440),
        plan(SendKind.REMINDER, MEETING - timedelta(minutes=15), detail=15),
        plan(SendKind.KICKOFF, MEETING),
    ]


def test_reminders_whose_moment_has_passed_are_not_planned():
    sends = meeting_sends(
        every_weeks=2,
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(1440, 15),
        now=MEETING - timedelta(hours=2),
    )
    assert sends == [
        plan(SendKind.REMINDER, MEETING - timedelta(minutes=15), detail=15),
        plan(SendKind.KICKOFF, MEETING),
    ]


def test_a_reminder_due_exactly_now_is_not_planned():
    sends = meeting_sends(
        every_weeks=2,
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(15,),
        now=MEETING - timedelta(minutes=15),
    )
    assert sends == [plan(SendKind.KICKOFF, MEETING)]


def test_the_kickoff_is_always_planned():
    sends = meeting_sends(
        every_weeks=2,
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(),
        now=MEETING + timedelta(minutes=5),
    )
    assert sends == [plan(SendKind.KICKOFF, MEETING)]


def test_a_reminder_is_worth_sending_until_the_meeting_starts():
    assert deadline(reminder(1, 1440)) == MEETING


def test_a_kickoff_is_worth_sending_for_half_an_hour():
    assert deadline(kickoff(1)) == MEETING + timedelta(minutes=30)


# ---------------------------------------------------------------------- what came due


def test_a_reminder_due_before_the_meeting_is_delivered():
    send = reminder(1, 15)
    result = triage([send], MEETING - timedelta(minutes=14))
    assert result.deliver == [send]
    assert result.skip == []


def test_a_reminder_whose_meeting_has_started_is_skipped():
    send = reminder(1, 15)
    result = triage([send], MEETING)
    assert result.deliver == []
    assert result.skip == [(send, "offline")]


def test_a_kickoff_29_minutes_late_is_delivered():
    send = kickoff(1)
    result = triage([send], MEETING + timedelta(minutes=29))
    assert result.deliver == [send]
    assert result.skip == []


def test_a_kickoff_31_minutes_late_is_skipped():
    send = kickoff(1)
    result = triage([send], MEETING + timedelta(minutes=31))
    assert result.deliver == []
    assert result.skip == [(send, "offline")]


def test_of_reminders_due_together_only_the_one_closest_to_the_meeting_goes_out():
    day_before, quarter_before = reminder(1, 1440), reminder(2, 15)
    for due in ([day_before, quarter_before], [quarter_before, day_before]):
        result = triage(due, MEETING - timedelta(minutes=10))
        assert result.deliver == [quarter_before]
        assert result.skip == [(day_before, "superseded")]


def test_three_reminders_due_together_leave_one():
    week, day, hour = reminder(1, 10080), reminder(2, 1440), reminder(3, 60)
    result = triage([week, day, hour], MEETING - timedelta(minutes=30))
    assert result.deliver == [hour]
    assert sorted(result.skip, key=lambda item: item[0].id) == [(week, "superseded"), (day, "superseded")]


def test_reminders_of_different_meetings_or_groups_do_not_supersede_each_other():
    # All three came due together while the bot was down; each is the latest for its own meeting.
    ours = reminder(1, 60)
    next_day = reminder(2, 1500, meeting_at=OTHER_MEETING)
    other_group = reminder(3, 45, group_id=OTHER_GROUP)
    result = triage([other_group, next_day, ours], MEETING - timedelta(minutes=30))
    assert result.deliver == [ours, next_day, other_group]
    assert result.skip == []


def test_delivered_sends_come_out_in_due_order():
    late_kickoff = kickoff(1, meeting_at=MEETING - timedelta(minutes=20), group_id=OTHER_GROUP)
    quarter_before = reminder(2, 15)
    third_group = reminder(3, 60, meeting_at=MEETING + timedelta(minutes=50), group_id=3)
    result = triage([third_group, quarter_before, late_kickoff], MEETING - timedelta(minutes=5))
    assert result.deliver == [late_kickoff, quarter_before, third_group]
    assert result.skip == []


def test_after_downtime_the_kickoff_goes_out_and_its_reminder_is_dropped():
    quarter_before, start = reminder(1, 15), kickoff(2)
    result = triage([quarter_before, start], MEETING + timedelta(minutes=1))
    assert result.deliver == [start]
    assert result.skip == [(quarter_before, "offline")]


def test_the_nudge_goes_out_halfway_through_the_cycle_when_that_is_still_ahead():
    sends = meeting_sends(
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(),
        every_weeks=2,
        now=MEETING - timedelta(days=14),
    )
    assert sends == [plan(SendKind.KICKOFF, MEETING), plan(SendKind.NUDGE, MEETING - timedelta(days=7))]
    weekly = meeting_sends(
        group_id=GROUP,
        guild_id=GUILD,
        meeting_at=MEETING,
        reminder_minutes=(),
        every_weeks=1,
        now=MEETING - timedelta(days=3),
    )
    assert weekly == [plan(SendKind.KICKOFF, MEETING)]  # halfway (3.5 days before) is already past


def test_turn_notices_expire_within_minutes_and_closing_never_does():
    assert deadline(planned(1, SendKind.TURN_WARNING)) == MEETING + timedelta(minutes=1)
    assert deadline(planned(1, SendKind.TURN_END)) == MEETING + timedelta(minutes=2)
    assert deadline(planned(1, SendKind.NUDGE)) == MEETING + timedelta(hours=12)
    assert deadline(planned(1, SendKind.AUTO_END)) is None
    assert deadline(planned(1, SendKind.SUMMARY)) is None
