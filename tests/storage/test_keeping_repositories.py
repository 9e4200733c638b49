"""Check-ins, pauses, the health view's read and the chart's read, on a real SQLite file."""

from __future__ import annotations

from datetime import date, time, timedelta

from bench.seed import SeedGroup, SeedMeeting, seed_groups, seed_history
from mastermind.rules.names import name_key
from storage.models import Schedule
from tests.storage.conftest import NOW, close_meeting

GUILD, OTHER_GUILD = 100, 200
ANN, BEN, CAT = 11, 12, 13


async def make_group(store, name="Founders", *, guild=GUILD, members=(ANN, BEN)):
    group = await store.groups.create(
        guild_id=guild,
        name=name,
        name_key=name_key(name),
        text_channel_id=hash(name) % 1000,
        voice_channel_id=hash(name) % 1000 + 1,
        created_by=9,
        now=NOW,
    )
    for member in members:
        await store.groups.add_member(guild, group.id, member, now=NOW)
    return group


def schedule_for(group) -> Schedule:
    return Schedule(
        group_id=group.id,
        guild_id=group.guild_id,
        weekday=1,
        local_time=time(18),
        timezone="UTC",
        every_weeks=2,
        anchor_date=date(2026, 3, 3),
    )


async def test_a_new_group_has_no_schedule_since_its_creation_and_the_schedule_keeps_that_true(store):
    group = await make_group(store)
    assert group.unscheduled_since == NOW

    await store.schedules.save(schedule_for(group), now=NOW + timedelta(days=1))
    assert (await store.groups.get(GUILD, group.id)).unscheduled_since is None

    assert await store.schedules.delete(GUILD, group.id, now=NOW + timedelta(days=5))
    assert (await store.groups.get(GUILD, group.id)).unscheduled_since == NOW + timedelta(days=5)
    assert not await store.schedules.delete(GUILD, group.id, now=NOW + timedelta(days=9))
    assert (await store.groups.get(GUILD, group.id)).unscheduled_since == NOW + timedelta(days=5)


async def test_pauses_are_set_and_counted_down_as_meetings_close(store):
    group = await make_group(store, members=(ANN, BEN, CAT))
    assert await store.groups.set_paused(GUILD, group.id, BEN, 2)
    assert not await store.groups.set_paused(GUILD, group.id, 99, 2)  # not a member
    meeting, _ = await store.meetings.open(
        guild_id=GUILD, group_id=group.id, starts_at=NOW, now=NOW, in_call=[ANN, BEN], sends=[]
    )

    await close_meeting(store, group, meeting, now=NOW + timedelta(minutes=30))

    attendance = {a.user_id: (a.present, a.paused) for a in await store.meetings.attendance(meeting.id)}
    assert attendance == {ANN: (True, False), BEN: (True, False), CAT: (False, False)}  # Ben came anyway
    assert (await store.groups.member(GUILD, group.id, BEN)).paused_for == 1
    await store.groups.set_paused(GUILD, group.id, CAT, 1)
    second, _ = await store.meetings.open(
        guild_id=GUILD, group_id=group.id, starts_at=NOW + timedelta(weeks=2), now=NOW, in_call=[ANN], sends=[]
    )
    await close_meeting(store, group, second, now=NOW + timedelta(weeks=2, minutes=30))
    attendance = {a.user_id: (a.present, a.paused) for a in await store.meetings.attendance(second.id)}
    assert attendance == {ANN: (True, False), BEN: (False, True), CAT: (False, True)}
    assert [m.paused_for for m in await store.groups.members(GUILD, group.id)] == [0, 0, 0]


async def test_a_run_of_absences_is_asked_about_once_and_answered_once(store):
    group = await make_group(store)
    starts = [NOW + timedelta(weeks=2 * n) for n in range(3)]
    meetings = []
    for at in starts:
        meeting, _ = await store.meetings.open(
            guild_id=GUILD, group_id=group.id, starts_at=at, now=at, in_call=[ANN], sends=[]
        )
        await close_meeting(store, group, meeting, now=at + timedelta(minutes=30))
        meetings.append(meeting)

    asked = await store.check_ins.asked_at(GUILD, group.id, BEN, starts[1])
    assert (asked.first_meeting_id, asked.last_meeting_id, asked.meetings) == (meetings[0].id, meetings[1].id, 2)
    assert await store.check_ins.asked_at(GUILD, group.id, BEN, starts[2]) is None  # the same drift, not asked again
    assert await store.check_ins.asked_at(GUILD, group.id, ANN, starts[1]) is None
    record = (await store.stats.records(group.id, [BEN]))[BEN]
    assert (record.absent_run, record.absent_since) == (3, meetings[0].id)

    assert await store.check_ins.answer(asked, "in", now=NOW)
    assert not await store.check_ins.answer(asked, "leave", now=NOW)
    assert (await store.check_ins.get(GUILD, asked.id)).answer == "in"
    assert await store.check_ins.get(OTHER_GUILD, asked.id) is None


async def test_the_health_read_carries_each_active_groups_schedule_meetings_and_members(store):
    founders = await make_group(store, "Founders")
    await make_group(store, "Writers", members=(CAT,))
    await make_group(store, "Elsewhere", guild=OTHER_GUILD)
    archived = await make_group(store, "Archived")
    await store.groups.archive(GUILD, archived.id, now=NOW)
    await store.schedules.save(schedule_for(founders), now=NOW)
    await store.groups.set_paused(GUILD, founders.id, BEN, 3)
    await seed_history(
        store.db,
        guild_id=GUILD,
        group_id=founders.id,
        members=[ANN, BEN],
        meetings=[
            SeedMeeting(
                starts_at=NOW - timedelta(weeks=2 * n),
                closed_at=NOW - timedelta(weeks=2 * n) + timedelta(hours=1),
                present=[ANN] if n else [ANN, BEN],
                commitments=[(ANN, "ship", "done"), (BEN, "call", "unreported")],
            )
            for n in range(6, 0, -1)
        ],
    )

    records = await store.health.active_groups(GUILD)

    assert [r.group.name for r in records] == ["Founders", "Writers"]
    founders_health, writers_health = records
    assert founders_health.schedule == schedule_for(founders)
    assert [m.starts_at for m in founders_health.meetings] == [NOW - timedelta(weeks=2 * n) for n in (1, 2, 3, 4)]
    assert [(m.present, m.counted, m.done, m.unreported) for m in founders_health.meetings] == [(1, 2, 1, 1)] * 4
    standings = {m.user_id: (m.paused_for, m.absent_run) for m in founders_health.members}
    assert standings == {ANN: (0, 0), BEN: (3, 6)}
    assert writers_health.schedule is None
    assert writers_health.meetings == ()


async def test_the_chart_read_has_the_latest_meetings_oldest_first_with_presence_and_outcomes(store):
    (group_id,) = await seed_groups(
        store.db,
        [SeedGroup(guild_id=GUILD, name="Founders", text_channel_id=1, voice_channel_id=2, members=[ANN, BEN])],
        now=NOW - timedelta(weeks=60),
    )
    await seed_history(
        store.db,
        guild_id=GUILD,
        group_id=group_id,
        members=[ANN, BEN],
        meetings=[
            SeedMeeting(
                starts_at=NOW - timedelta(weeks=2 * n),
                closed_at=NOW - timedelta(weeks=2 * n) + timedelta(hours=1),
                present=[ANN],
                commitments=[(BEN, "a", "done"), (BEN, "b", "done")],
            )
            for n in range(5, 0, -1)
        ],
    )

    history = await store.stats.chart_history(GUILD, group_id, meetings=3)

    assert history.members == (ANN, BEN)
    assert history.held == 5
    assert [at for _, at in history.meetings] == [NOW - timedelta(weeks=2 * n) for n in (3, 2, 1)]
    assert len(history.presence) == 6
    assert {(user, present) for _, user, present, _ in history.presence} == {(ANN, True), (BEN, False)}
    assert [(user, status, count) for _, user, status, count in history.outcomes] == [(BEN, "done", 2)] * 3
    assert (await store.stats.chart_history(OTHER_GUILD, group_id, meetings=3)).meetings == ()
