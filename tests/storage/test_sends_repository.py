from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bench.queries import planned_send, sends_of_group
from mastermind.rules.names import name_key
from storage.models import Schedule, ScheduledGroup, ScheduleOverride, SendKind, SendPlan
from tests.storage.conftest import NOW

GUILD = 100
MEETING = NOW + timedelta(days=2)
NEXT_MEETING = MEETING + timedelta(weeks=1)
ALL_KINDS = (SendKind.REMINDER, SendKind.KICKOFF)
EVERY_STATUS = ("pending", "sending", "sent", "skipped", "cancelled", "failed")


async def make_group(store, name="Founders", channels=(1, 2)):
    return await store.groups.create(
        guild_id=GUILD,
        name=name,
        name_key=name_key(name),
        text_channel_id=channels[0],
        voice_channel_id=channels[1],
        created_by=9,
        now=NOW,
    )


def reminder(group, minutes: int, meeting_at: datetime = MEETING) -> SendPlan:
    return SendPlan(
        group_id=group.id,
        guild_id=GUILD,
        meeting_at=meeting_at,
        kind=SendKind.REMINDER,
        detail=minutes,
        due_at=meeting_at - timedelta(minutes=minutes),
    )


def kickoff(group, meeting_at: datetime = MEETING) -> SendPlan:
    return SendPlan(group_id=group.id, guild_id=GUILD, meeting_at=meeting_at, kind=SendKind.KICKOFF, due_at=meeting_at)


async def rows(store, group):
    return await sends_of_group(store, GUILD, group.id, statuses=EVERY_STATUS)


def states(sends):
    """(kind, detail, status, reason) per row, in due order: what a reader of the table sees."""
    return [(str(send.kind), send.detail, send.status, send.reason) for send in sends]


async def send_one(store, send_id, *, at, message_id):
    assert await store.sends.claim([send_id], now=at) == {send_id}
    assert await store.sends.finish(send_id, "sent", now=at, message_id=message_id)


async def fail_one(store, send_id, *, at, reason="forbidden"):
    assert await store.sends.claim([send_id], now=at) == {send_id}
    assert await store.sends.finish(send_id, "failed", now=at, reason=reason)


# ---------------------------------------------------------------------- planning


async def test_plan_inserts_pending_rows(store):
    group = await make_group(store)
    await store.sends.plan(
        [group.id], [reminder(group, 1440), reminder(group, 15), kickoff(group)], kinds=ALL_KINDS, now=NOW
    )

    sends = await rows(store, group)
    assert [(s.kind, s.detail, s.meeting_at, s.due_at, s.status, s.attempts) for s in sends] == [
        (SendKind.REMINDER, 1440, MEETING, MEETING - timedelta(days=1), "pending", 0),
        (SendKind.REMINDER, 15, MEETING, MEETING - timedelta(minutes=15), "pending", 0),
        (SendKind.KICKOFF, 0, MEETING, MEETING, "pending", 0),
    ]
    assert {(s.guild_id, s.group_id, s.updated_at) for s in sends} == {(GUILD, group.id, NOW)}


async def test_planning_the_same_again_changes_nothing(store):
    group = await make_group(store)
    plans = [reminder(group, 1440), kickoff(group)]
    await store.sends.plan([group.id], plans, kinds=ALL_KINDS, now=NOW)
    before = await rows(store, group)

    await store.sends.plan([group.id], plans, kinds=ALL_KINDS, now=NOW)
    assert await rows(store, group) == before

    await store.sends.plan([group.id], plans, kinds=ALL_KINDS, now=NOW + timedelta(hours=1))
    after = await rows(store, group)
    assert [(s.id, s.due_at, s.status, s.reason, s.attempts) for s in after] == [
        (before[0].id, MEETING - timedelta(days=1), "pending", None, 0),
        (before[1].id, MEETING, "pending", None, 0),
    ]


async def test_a_send_no_longer_planned_is_cancelled_unless_already_due(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [reminder(group, 1440), kickoff(group)], kinds=ALL_KINDS, now=NOW)
    later = MEETING - timedelta(days=1)  # the reminder is due at this very moment

    await store.sends.plan([group.id], [kickoff(group, NEXT_MEETING)], kinds=ALL_KINDS, now=later)

    sends = await rows(store, group)
    assert [(s.meeting_at, *state) for s, state in zip(sends, states(sends), strict=True)] == [
        (MEETING, "reminder", 1440, "pending", None),
        (MEETING, "kickoff", 0, "cancelled", "replanned"),
        (NEXT_MEETING, "kickoff", 0, "pending", None),
    ]
    assert sends[1].updated_at == later


async def test_planning_replaces_only_the_kinds_it_names(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [reminder(group, 15), kickoff(group)], kinds=ALL_KINDS, now=NOW)

    await store.sends.plan([group.id], [], kinds=(SendKind.REMINDER,), now=NOW)

    assert states(await rows(store, group)) == [
        ("reminder", 15, "cancelled", "replanned"),
        ("kickoff", 0, "pending", None),
    ]


async def test_a_cancelled_send_planned_again_is_revived(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [original] = await rows(store, group)
    await store.sends.plan([group.id], [], kinds=ALL_KINDS, now=NOW)
    assert states(await rows(store, group)) == [("kickoff", 0, "cancelled", "replanned")]

    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW + timedelta(hours=1))

    [revived] = await rows(store, group)
    assert (revived.id, revived.status, revived.reason, revived.attempts) == (original.id, "pending", None, 0)
    assert revived.updated_at == NOW + timedelta(hours=1)


async def test_a_sent_row_is_never_revived_or_changed_by_planning(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [reminder(group, 15)], kinds=ALL_KINDS, now=NOW)
    [planned] = await rows(store, group)
    await send_one(store, planned.id, at=NOW, message_id=555)
    [sent] = await rows(store, group)

    await store.sends.plan([group.id], [], kinds=ALL_KINDS, now=NOW)
    assert await rows(store, group) == [sent]

    moved = reminder(group, 15).model_copy(update={"due_at": MEETING - timedelta(minutes=30)})
    await store.sends.plan([group.id], [moved], kinds=ALL_KINDS, now=NOW + timedelta(minutes=1))
    assert await rows(store, group) == [sent]
    assert (sent.status, sent.message_id, sent.due_at) == ("sent", 555, MEETING - timedelta(minutes=15))


async def test_skipped_and_failed_rows_are_not_revived_by_planning(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [reminder(group, 15), kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [quarter_before, start] = await rows(store, group)
    assert await store.sends.skip(quarter_before.id, reason="offline", now=NOW)
    await fail_one(store, start.id, at=NOW)
    before = await rows(store, group)

    await store.sends.plan([group.id], [reminder(group, 15), kickoff(group)], kinds=ALL_KINDS, now=NOW)

    assert await rows(store, group) == before
    assert states(before) == [("reminder", 15, "skipped", "offline"), ("kickoff", 0, "failed", "forbidden")]


async def test_planning_again_leaves_a_send_waiting_for_a_retry_as_it_is(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [send] = await rows(store, group)
    retry = MEETING + timedelta(minutes=1)
    assert await store.sends.claim([send.id], now=MEETING) == {send.id}
    assert await store.sends.retry_at(send.id, retry, reason="discord 503", now=MEETING)
    waiting = await planned_send(store, send.id)

    # A schedule command (or the start-up pass) plans the same meeting again before the retry.
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=MEETING + timedelta(seconds=30))

    again = await planned_send(store, send.id)
    assert (again.status, again.due_at, again.attempts, again.reason) == ("pending", retry, 1, "discord 503")
    assert again == waiting


async def test_planning_for_every_group_at_once(store):
    founders = await make_group(store)
    writers = await make_group(store, name="Writers", channels=(3, 4))
    await store.sends.plan(None, [kickoff(founders), kickoff(writers)], kinds=ALL_KINDS, now=NOW)
    assert states(await rows(store, founders)) == [("kickoff", 0, "pending", None)]
    assert states(await rows(store, writers)) == [("kickoff", 0, "pending", None)]

    await store.sends.plan(None, [kickoff(founders)], kinds=ALL_KINDS, now=NOW)

    assert states(await rows(store, founders)) == [("kickoff", 0, "pending", None)]
    assert states(await rows(store, writers)) == [("kickoff", 0, "cancelled", "replanned")]


async def test_planning_one_group_leaves_the_others_alone(store):
    founders = await make_group(store)
    writers = await make_group(store, name="Writers", channels=(3, 4))
    await store.sends.plan(None, [kickoff(founders), kickoff(writers)], kinds=ALL_KINDS, now=NOW)

    await store.sends.plan([founders.id], [], kinds=ALL_KINDS, now=NOW)

    assert states(await rows(store, founders)) == [("kickoff", 0, "cancelled", "replanned")]
    assert states(await rows(store, writers)) == [("kickoff", 0, "pending", None)]


# ---------------------------------------------------------------------- what is due


async def test_earliest_due_is_the_first_pending_send(store):
    assert await store.sends.earliest_due() is None
    group = await make_group(store)
    await store.sends.plan([group.id], [reminder(group, 1440), kickoff(group)], kinds=ALL_KINDS, now=NOW)
    assert await store.sends.earliest_due() == MEETING - timedelta(days=1)

    [first, _] = await rows(store, group)
    assert await store.sends.claim([first.id], now=NOW) == {first.id}
    assert await store.sends.earliest_due() == MEETING

    await store.sends.plan([group.id], [], kinds=ALL_KINDS, now=NOW)
    assert await store.sends.earliest_due() is None


async def test_due_lists_pending_sends_up_to_now_in_due_order(store):
    group = await make_group(store)
    await store.sends.plan(
        [group.id],
        [kickoff(group), reminder(group, 15), reminder(group, 60), reminder(group, 1440)],
        kinds=ALL_KINDS,
        now=NOW,
    )
    [day_before, hour_before, quarter_before, _] = await rows(store, group)
    assert await store.sends.claim([day_before.id], now=NOW) == {day_before.id}

    due = await store.sends.due(MEETING - timedelta(minutes=15))

    assert [s.id for s in due] == [hour_before.id, quarter_before.id]
    assert await store.sends.due(MEETING - timedelta(minutes=61)) == []


async def test_a_send_is_claimed_once(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [send] = await rows(store, group)

    assert await store.sends.claim([send.id], now=MEETING) == {send.id}
    assert await store.sends.claim([send.id], now=MEETING) == set()

    claimed = await planned_send(store, send.id)
    assert (claimed.status, claimed.attempts, claimed.updated_at) == ("sending", 1, MEETING)


async def test_a_batch_claim_wins_only_what_no_one_else_took(store):
    group = await make_group(store)
    plans = [reminder(group, 60), reminder(group, 15), kickoff(group)]
    await store.sends.plan([group.id], plans, kinds=ALL_KINDS, now=NOW)
    first, second, third = await rows(store, group)
    assert await store.sends.claim([second.id], now=MEETING) == {second.id}  # another process got here first

    assert await store.sends.claim([first.id, second.id, third.id], now=MEETING) == {first.id, third.id}
    assert await store.sends.claim([], now=MEETING) == set()


async def test_a_cancelled_send_cannot_be_claimed(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [send] = await rows(store, group)
    await store.sends.plan([group.id], [], kinds=ALL_KINDS, now=NOW)

    assert await store.sends.claim([send.id], now=MEETING) == set()
    assert (await planned_send(store, send.id)).status == "cancelled"


async def test_finish_records_only_a_claimed_send(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [send] = await rows(store, group)

    assert not await store.sends.finish(send.id, "sent", now=MEETING, message_id=777)
    assert await planned_send(store, send.id) == send

    assert await store.sends.claim([send.id], now=MEETING) == {send.id}
    assert await store.sends.finish(send.id, "sent", now=MEETING + timedelta(seconds=2), message_id=777)
    finished = await planned_send(store, send.id)
    assert (finished.status, finished.message_id, finished.reason, finished.updated_at) == (
        "sent",
        777,
        None,
        MEETING + timedelta(seconds=2),
    )
    assert not await store.sends.finish(send.id, "failed", now=MEETING, reason="late")
    assert await planned_send(store, send.id) == finished


async def test_retry_puts_a_claimed_send_back_with_a_new_due_time(store):
    group = await make_group(store)
    await store.sends.plan([group.id], [kickoff(group)], kinds=ALL_KINDS, now=NOW)
    [send] = await rows(store, group)
    retry = MEETING + timedelta(minutes=1)

    assert not await store.sends.retry_at(send.id, retry, reason="discord 503", now=MEETING)
    assert await store.sends.claim([send.id], now=MEETING) == {send.id}
    assert await store.sends.retry_at(send.id, retry, reason="discord 503", now=MEETING)

    again = await planned_send(store, send.id)
    assert (again.status, again.due_at, again.reason, again.attempts) == ("pending", retry, "discord 503", 1)
    assert await store.sends.earliest_due() == retry


async def test_recover_interrupted_retries_recent_sends_and_gives_up_on_older_ones(store):
    group = await make_group(store)
    await store.sends.plan(
        [group.id],
        [reminder(group, 60), reminder(group, 30), reminder(group, 15), kickoff(group)],
        kinds=ALL_KINDS,
        now=NOW,
    )
    [old, edge, recent, untouched] = await rows(store, group)
    crash = MEETING
    window = timedelta(minutes=5)
    assert await store.sends.claim([old.id], now=crash - timedelta(minutes=6)) == {old.id}
    assert await store.sends.claim([edge.id], now=crash - window) == {edge.id}
    assert await store.sends.claim([recent.id], now=crash - timedelta(minutes=1)) == {recent.id}

    assert await store.sends.recover_interrupted(now=crash, window=window) == (2, 1)

    assert states(await rows(store, group)) == [
        ("reminder", 60, "failed", "interrupted"),
        ("reminder", 30, "pending", "interrupted"),
        ("reminder", 15, "pending", "interrupted"),
        ("kickoff", 0, "pending", None),
    ]
    assert (await planned_send(store, untouched.id)) == untouched
    assert await store.sends.recover_interrupted(now=crash, window=window) == (0, 0)


async def test_latest_problem_is_the_last_failure_until_a_send_goes_out(store):
    group = await make_group(store)
    other = await make_group(store, name="Writers", channels=(3, 4))
    await store.sends.plan(None, [kickoff(other)], kinds=ALL_KINDS, now=NOW)
    [other_send] = await rows(store, other)
    await fail_one(store, other_send.id, at=NOW)
    assert await store.sends.latest_problem(GUILD, group.id) is None

    await store.sends.plan(
        [group.id],
        [reminder(group, 1440), reminder(group, 15), kickoff(group), kickoff(group, NEXT_MEETING)],
        kinds=ALL_KINDS,
        now=NOW,
    )
    [day_before, quarter_before, start, next_start] = await rows(store, group)

    await fail_one(store, day_before.id, at=NOW + timedelta(hours=1), reason="forbidden")
    problem = await store.sends.latest_problem(GUILD, group.id)
    assert (problem.id, problem.reason) == (day_before.id, "forbidden")

    await fail_one(store, quarter_before.id, at=NOW + timedelta(hours=2), reason="missing channel")
    assert (await store.sends.latest_problem(GUILD, group.id)).id == quarter_before.id

    await send_one(store, start.id, at=NOW + timedelta(hours=3), message_id=1)
    assert await store.sends.latest_problem(GUILD, group.id) is None

    await fail_one(store, next_start.id, at=NOW + timedelta(hours=4))
    assert (await store.sends.latest_problem(GUILD, group.id)).id == next_start.id
    assert (await store.sends.latest_problem(GUILD, other.id)).id == other_send.id


async def test_sent_messages_of_one_kind_for_one_meeting(store):
    group = await make_group(store)
    await store.sends.plan(
        [group.id],
        [
            reminder(group, 1440),
            reminder(group, 60),
            reminder(group, 15),
            kickoff(group),
            reminder(group, 60, NEXT_MEETING),
        ],
        kinds=ALL_KINDS,
        now=NOW,
    )
    [day_before, hour_before, quarter_before, start, next_week] = await rows(store, group)
    await send_one(store, quarter_before.id, at=NOW, message_id=12)
    await send_one(store, day_before.id, at=NOW, message_id=11)
    await fail_one(store, hour_before.id, at=NOW)
    await send_one(store, start.id, at=NOW, message_id=13)
    await send_one(store, next_week.id, at=NOW, message_id=14)

    assert await store.sends.sent_messages(group.id, MEETING, SendKind.REMINDER) == [11, 12]
    assert await store.sends.sent_messages(group.id, MEETING, SendKind.KICKOFF) == [13]
    assert await store.sends.sent_messages(group.id, NEXT_MEETING, SendKind.KICKOFF) == []


# ---------------------------------------------------------------------- schedules


def schedule_for(group, *, at=time(18, 0), zone="America/New_York", anchor=date(2026, 3, 2)) -> Schedule:
    return Schedule(
        group_id=group.id,
        guild_id=GUILD,
        weekday=anchor.weekday(),
        local_time=at,
        timezone=zone,
        every_weeks=2,
        anchor_date=anchor,
    )


def skip(group, day: date) -> ScheduleOverride:
    return ScheduleOverride(group_id=group.id, guild_id=GUILD, regular_date=day, action="skip")


async def test_saving_a_schedule_replaces_it_and_drops_its_skips_and_moves(store):
    group = await make_group(store)
    first = schedule_for(group)
    await store.schedules.save(first, now=NOW)
    await store.schedules.set_override(skip(group, date(2026, 3, 16)))
    assert await store.schedules.get(GUILD, group.id) == first
    assert (await store.schedules.planned(GUILD, group.id)).overrides == (skip(group, date(2026, 3, 16)),)

    second = schedule_for(group, at=time(7, 30), zone="Europe/Berlin", anchor=date(2026, 3, 5))
    await store.schedules.save(second, now=NOW)

    assert await store.schedules.get(GUILD, group.id) == second
    assert (await store.schedules.planned(GUILD, group.id)).overrides == ()
    assert await store.schedules.get(GUILD + 1, group.id) is None


async def test_an_override_is_replaced_by_the_next_for_the_same_date(store):
    group = await make_group(store)
    await store.schedules.save(schedule_for(group), now=NOW)
    await store.schedules.set_override(skip(group, date(2026, 3, 16)))
    moved = ScheduleOverride(
        group_id=group.id,
        guild_id=GUILD,
        regular_date=date(2026, 3, 16),
        action="move",
        moved_to=datetime(2026, 3, 17, 22, 0, tzinfo=UTC),
    )

    await store.schedules.set_override(moved)
    await store.schedules.set_override(skip(group, date(2026, 3, 30)))

    assert (await store.schedules.planned(GUILD, group.id)).overrides == (moved, skip(group, date(2026, 3, 30)))
    everywhere = sorted(await store.schedules.all_overrides(), key=lambda override: override.regular_date)
    assert everywhere == [moved, skip(group, date(2026, 3, 30))]


async def test_delete_reports_whether_there_was_a_schedule(store):
    group = await make_group(store)
    assert not await store.schedules.delete(GUILD, group.id, now=NOW)
    await store.schedules.save(schedule_for(group), now=NOW)
    await store.schedules.set_override(skip(group, date(2026, 3, 16)))

    assert await store.schedules.delete(GUILD, group.id, now=NOW)

    assert await store.schedules.get(GUILD, group.id) is None
    assert await store.schedules.planned(GUILD, group.id) is None
    assert await store.schedules.all_overrides() == []  # the skip went with it
    assert not await store.schedules.delete(GUILD, group.id, now=NOW)


async def test_all_active_leaves_out_archived_groups_and_carries_reminders(store):
    founders = await make_group(store)
    writers = await make_group(store, name="Writers", channels=(3, 4))
    runners = await make_group(store, name="Runners", channels=(5, 6))
    for group in (founders, writers, runners):
        await store.schedules.save(schedule_for(group), now=NOW)
    await store.groups.set_reminders(GUILD, writers.id, (60, 5))
    assert await store.groups.archive(GUILD, runners.id, now=NOW)

    active = sorted(await store.schedules.all_active(), key=lambda item: item.schedule.group_id)

    assert active == [
        ScheduledGroup(schedule=schedule_for(founders), reminder_minutes=(1440, 15)),
        ScheduledGroup(schedule=schedule_for(writers), reminder_minutes=(60, 5)),
    ]
