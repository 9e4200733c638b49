"""What an adversarial member or operator found: each case failed on the code before it was fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.queries import sends_of_group
from demo.simulation import advance_to
from tests.bot.world import make_group, make_world, refusals, said, sent_by_bot

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)  # Tuesday 18:00 in Berlin
SECOND = FIRST + timedelta(weeks=2)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben", "cy"))
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


def kickoffs(env, space):
    return sent_by_bot(env, space.text, "📞")


# ------------------------------------------------------------------ 1. a kickoff waiting for its retry


async def test_a_kickoff_waiting_for_its_retry_survives_a_restart(simcord_env, space, restart):
    await advance_to(simcord_env, FIRST - timedelta(minutes=1))
    simcord_env.inject_error("POST", f"/channels/{space.text.id}/messages", status=503)
    await advance_to(simcord_env, FIRST + timedelta(seconds=20))
    assert kickoffs(simcord_env, space) == []  # the first try met Discord's 503

    await restart()
    await advance_to(simcord_env, FIRST + timedelta(minutes=3))

    (kickoff,) = kickoffs(simcord_env, space)
    assert kickoff.created_at.replace(microsecond=0) == FIRST + timedelta(minutes=1)
    assert "It's time" in kickoff.content


async def test_a_schedule_change_while_the_kickoff_waits_for_its_retry_keeps_it(simcord_env, space):
    ada = space.members[0]
    await advance_to(simcord_env, FIRST - timedelta(minutes=1))
    simcord_env.inject_error("POST", f"/channels/{space.text.id}/messages", status=500)
    await advance_to(simcord_env, FIRST + timedelta(seconds=20))

    await ada.slash(space.text, "schedule reminders", before="2h")
    await advance_to(simcord_env, FIRST + timedelta(minutes=3))

    assert len(kickoffs(simcord_env, space)) == 1
    failed = await sends_of_group(simcord_env.bot.store, space.text.guild.id, 1, statuses=["failed", "cancelled"])
    assert [s.kind for s in failed if s.meeting_at == FIRST] == []


# ------------------------------------------------------------------ 2. reminders a cadence can't keep


async def test_weekly_reminders_that_cant_be_kept_are_refused_with_the_reason(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", every_weeks=1)

    refused = await ada.slash(space.text, "schedule reminders", before="7d, 6d22h, 15m")

    assert said(refused) == (
        "A reminder `7d` before can't be kept when **Founders** meets every 1 week: it would come before the "
        "previous meeting has started. Reminders can be at most `6d22h` before; pick a shorter one."
    )
    assert refusals(simcord_env) == ["schedule.reminder_too_early"]
    group = await simcord_env.bot.store.groups.get(space.text.guild.id, 1)
    assert group.reminder_minutes == (1440, 15)


async def test_a_weekly_reminder_due_while_the_last_meeting_is_still_open_is_sent(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="UTC", every_weeks=1)
    await ada.slash(space.text, "schedule reminders", before="6d22h, 15m")
    first = datetime(2026, 1, 6, 18, tzinfo=UTC)
    await advance_to(simcord_env, first + timedelta(hours=2, minutes=1))  # the first meeting is still open

    reminders = [m.created_at.replace(microsecond=0) for m in sent_by_bot(simcord_env, space.text, "⏰")]

    assert reminders[-1] == first + timedelta(hours=2)  # 6d22h before the meeting of 13 January
    assert (
        "<t:" + str(int((first + timedelta(weeks=1)).timestamp()))
        in sent_by_bot(simcord_env, space.text, "⏰")[-1].content
    )


async def test_changing_to_weekly_with_reminders_it_cant_keep_is_refused(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule reminders", before="7d, 1h")

    refused = await ada.slash(space.text, "schedule set", weekday="friday", time="09:00", every_weeks=1)

    assert "include one `7d` before, which can't be kept for meetings every 1 week" in said(refused)
    assert refusals(simcord_env) == ["schedule.reminders_dont_fit"]
    schedule = await simcord_env.bot.store.schedules.get(space.text.guild.id, 1)
    assert (schedule.weekday, schedule.every_weeks) == (1, 2)


# ------------------------------------------------------------------ 3. the summary's pin


def summaries(env, space):
    return sent_by_bot(env, space.text, "📝")


async def test_a_pin_that_fails_once_is_tried_again_without_posting_twice(simcord_env, space):
    await advance_to(simcord_env, FIRST + timedelta(minutes=10))
    simcord_env.inject_error("PUT", f"/channels/{space.text.id}/messages/pins/*", status=502)

    await space.members[0].slash(space.text, "meeting end")
    await advance_to(simcord_env, FIRST + timedelta(minutes=13))

    (summary,) = summaries(simcord_env, space)
    assert summary.pinned


async def test_a_pin_that_keeps_failing_is_shown_by_group_info(simcord_env, world, space):
    await advance_to(simcord_env, FIRST + timedelta(minutes=10))
    simcord_env.inject_error("PUT", f"/channels/{space.text.id}/messages/pins/*", status=503, times=3)

    await space.members[0].slash(space.text, "meeting end")
    await advance_to(simcord_env, FIRST + timedelta(minutes=15))

    (summary,) = summaries(simcord_env, space)
    assert not summary.pinned
    info = await world.organizer.slash(world.general, "group info", group="Founders")
    assert "⚠️ The meeting summary due" in said(info)
    assert "it was posted, but pinning it kept failing at Discord, even after retries." in said(info)


# ------------------------------------------------------------------ 4. archiving during a meeting


async def test_archiving_during_a_meeting_closes_it_and_keeps_its_attendance(simcord_env, world, space):
    ada = space.members[0]
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=20))

    await world.organizer.slash(world.general, "group archive", group="Founders")
    await advance_to(simcord_env, FIRST + timedelta(hours=4))

    assert await simcord_env.bot.store.meetings.current(world.guild.id, 1) is None
    (summary,) = summaries(simcord_env, space)
    assert summary.pinned
    stats = await ada.slash(space.text, "stats")
    assert "1 meeting held" in said(stats)
    assert f"{ada.mention}: attendance **100%** (1 of 1)" in said(stats)


# ------------------------------------------------------------------ 5. invisible and look-alike text


async def test_a_name_of_only_invisible_characters_is_refused(simcord_env, world):
    attempt = await world.organizer.slash(world.general, "group create", name="\u200b\u2800 \u3164")

    assert said(attempt) == "A group needs a name: 1 to 40 characters."
    assert refusals(simcord_env) == ["group.name_empty"]
    assert set(world.guild.channels) == {"general"}


async def test_a_name_that_differs_only_by_an_invisible_character_is_taken(simcord_env, world):
    await world.organizer.slash(world.general, "group create", name="alpha")

    attempt = await world.organizer.slash(world.general, "group create", name="alpha\u200b")
    wide = await world.organizer.slash(world.general, "group create", name="ａｌｐｈａ")

    assert (
        said(attempt)
        == said(wide)
        == ("There's already a group called **alpha** here (names ignore upper and lower case). Pick another name.")
    )
    assert refusals(simcord_env) == ["group.name_taken", "group.name_taken"]
    assert sorted(world.guild.channels) == ["alpha", "general"]


async def test_goals_of_only_invisible_characters_are_refused(simcord_env, space):
    ada = space.members[0]

    attempt = await ada.slash(space.text, "goals set", goals="\u200b; \u2060\n\u00ad")

    assert said(attempt).startswith("Write at least one goal")
    assert refusals(simcord_env) == ["goals.empty"]
    assert await simcord_env.bot.store.commitments.upcoming(space.text.guild.id, 1, ada.id) == []


# ------------------------------------------------------------------ 6 and 7. dates and ids at the ends


@pytest.mark.parametrize(
    ("when", "zone", "key", "answer"),
    [
        ("0001-01-01 00:30", "Europe/Berlin", "schedule.move_past", "That time has already passed"),
        ("9999-12-31 23:30", "America/New_York", "schedule.move_out_of_range", "A meeting can move to a date from"),
    ],
)
async def test_a_move_to_the_ends_of_the_calendar_is_refused_clearly(simcord_env, space, when, zone, key, answer):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone=zone)

    attempt = await ada.slash(space.text, "schedule move", when=when)

    assert said(attempt).startswith(answer)
    assert f"`{zone}`" in said(attempt)
    assert refusals(simcord_env) == [key]
    assert (await simcord_env.bot.store.schedules.planned(space.text.guild.id, 1)).overrides == ()


@pytest.mark.parametrize("goal", ["²", "12345678901234567890123", "-1", "1e3", "٣"])
async def test_odd_goal_values_are_an_unknown_commitment(simcord_env, space, goal):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it")

    attempt = await ada.slash(space.text, "goals check", goal=goal, status="done")

    assert said(attempt) == "I can't find that commitment. Pick one from the list as you type."
    assert refusals(simcord_env) == ["goals.unknown"]
    (ship,) = await simcord_env.bot.store.commitments.upcoming(space.text.guild.id, 1, ada.id)
    assert ship.status == "open"


# ------------------------------------------------------------------ leaving the server from the call


async def test_a_member_who_leaves_the_server_from_the_call_stops_counting_and_can_be_skipped(
    simcord_env, world, space
):
    ada, ben, cy = space.members
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    meeting = await simcord_env.bot.store.meetings.current(world.guild.id, 1)
    assert await simcord_env.bot.store.meetings.in_call(meeting.id) == {ada.id, ben.id}

    world.guild.remove_member(ben)
    await advance_to(simcord_env, FIRST + timedelta(minutes=1))
    await ada.slash(space.text, "hotseat next")  # Ben's seat comes next
    skipped = await cy.slash(space.text, "hotseat skip")

    assert await simcord_env.bot.store.meetings.in_call(meeting.id) == {ada.id}
    assert said(skipped) == f"Skipped {ben.mention}."
