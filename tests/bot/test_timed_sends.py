"""Reminders and kickoffs in virtual time: exactly once, on time, across restarts, downtime, DST and faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest

from bench.queries import sends_of_group
from demo.simulation import advance_to
from tests.bot.world import deny_bot, make_group, make_world, refusals, said, sent_by_bot, text_of

DAY = 24 * 3600
HOUR = 3600
MINUTE = 60


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def timeline(env, space) -> list[tuple[str, datetime]]:
    """Every reminder and kickoff the group received, to the second (sends due together are paced apart by ms)."""
    sends = [("reminder", m) for m in sent_by_bot(env, space.text, "⏰")] + [
        ("kickoff", m) for m in sent_by_bot(env, space.text, "📞")
    ]
    arrivals = ((kind, m.created_at.replace(microsecond=0)) for kind, m in sends)
    return sorted(arrivals, key=lambda item: (item[1], item[0]))


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world)
    # Tuesdays 18:00 Berlin, every two weeks: meetings on Jan 6 and 20 at 17:00 UTC.
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


FIRST = utc(2026, 1, 6, 17)
SECOND = utc(2026, 1, 20, 17)


def cycle(meeting: datetime) -> list[tuple[str, datetime]]:
    return [
        ("reminder", meeting - timedelta(hours=24)),
        ("reminder", meeting - timedelta(minutes=15)),
        ("kickoff", meeting),
    ]


# ------------------------------------------------------------------ restarts


async def test_restart_between_planning_and_sending_loses_and_repeats_nothing(simcord_env, space, restart):
    await simcord_env.advance_time(2 * DAY)
    await restart()
    await advance_to(simcord_env, FIRST - timedelta(hours=24) + timedelta(seconds=30))
    await restart()  # just after the first reminder went out
    await advance_to(simcord_env, FIRST - timedelta(minutes=15))
    await restart()  # at the very instant the second one went out
    await advance_to(simcord_env, SECOND + timedelta(minutes=1))

    assert timeline(simcord_env, space) == cycle(FIRST) + cycle(SECOND)


async def test_a_reconnect_firing_on_ready_again_sends_nothing_twice(simcord_env, space):
    await advance_to(simcord_env, FIRST - timedelta(hours=24))
    simcord_env.bot.dispatch("ready")
    simcord_env.bot.dispatch("resumed")
    await simcord_env.settle()

    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    assert timeline(simcord_env, space) == cycle(FIRST)


async def test_downtime_over_a_reminder_sends_it_late_once(simcord_env, space, downtime):
    await advance_to(simcord_env, FIRST - timedelta(hours=25))

    await downtime(2 * HOUR)  # the 24h reminder came due while the bot was down
    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    assert timeline(simcord_env, space) == [
        ("reminder", FIRST - timedelta(hours=23)),  # late, once, as soon as the bot was back
        ("reminder", FIRST - timedelta(minutes=15)),
        ("kickoff", FIRST),
    ]


async def test_downtime_over_both_reminders_sends_only_the_latest(simcord_env, space, downtime):
    await advance_to(simcord_env, FIRST - timedelta(hours=25))

    await downtime(25 * HOUR - 10 * MINUTE)  # back 10 minutes before the meeting
    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    assert timeline(simcord_env, space) == [("reminder", FIRST - timedelta(minutes=10)), ("kickoff", FIRST)]


async def test_downtime_over_the_kickoff_sends_it_late_within_half_an_hour(simcord_env, space, downtime):
    await advance_to(simcord_env, FIRST - timedelta(minutes=5))

    await downtime(25 * MINUTE)

    assert timeline(simcord_env, space)[-1] == ("kickoff", FIRST + timedelta(minutes=20))


async def test_downtime_past_the_grace_window_skips_and_plans_the_next_meeting(simcord_env, space, downtime):
    await advance_to(simcord_env, FIRST - timedelta(minutes=5))

    await downtime(40 * MINUTE)  # back 35 minutes after the start: too late for a kickoff
    await advance_to(simcord_env, SECOND + timedelta(minutes=1))

    assert timeline(simcord_env, space) == [
        ("reminder", FIRST - timedelta(hours=24)),
        ("reminder", FIRST - timedelta(minutes=15)),
        *cycle(SECOND),
    ]
    skipped = await sends_of_group(simcord_env.bot.store, space.text.guild.id, 1, statuses=["skipped"])
    assert [(s.kind, s.reason) for s in skipped if s.kind == "kickoff"] == [("kickoff", "offline")]


async def test_downtime_over_a_whole_meeting_resumes_with_the_next(simcord_env, space, downtime):
    await advance_to(simcord_env, FIRST - timedelta(hours=30))

    await downtime(3 * DAY)
    await advance_to(simcord_env, SECOND + timedelta(minutes=1))

    assert timeline(simcord_env, space) == cycle(SECOND)


# ------------------------------------------------------------------ time zones and daylight saving


@pytest.mark.parametrize(
    ("zone", "weekday", "local", "start", "kickoffs"),
    [
        # New York springs forward on 2026-03-08 and falls back on 2026-11-01: 18:00 is 23:00 or 22:00 UTC.
        (
            "America/New_York",
            "sunday",
            "18:00",
            utc(2026, 2, 25),
            [utc(2026, 3, 1, 23), utc(2026, 3, 8, 22), utc(2026, 3, 15, 22)],
        ),
        (
            "America/New_York",
            "sunday",
            "18:00",
            utc(2026, 10, 20),
            [utc(2026, 10, 25, 22), utc(2026, 11, 1, 23), utc(2026, 11, 8, 23)],
        ),
        # London: 2026-03-29 and 2026-10-25.
        (
            "Europe/London",
            "monday",
            "09:00",
            utc(2026, 3, 17),
            [utc(2026, 3, 23, 9), utc(2026, 3, 30, 8), utc(2026, 4, 6, 8)],
        ),
        (
            "Europe/London",
            "monday",
            "09:00",
            utc(2026, 10, 13),
            [utc(2026, 10, 19, 8), utc(2026, 10, 26, 9), utc(2026, 11, 2, 9)],
        ),
        # Kolkata is half an hour off UTC and never changes.
        (
            "Asia/Kolkata",
            "wednesday",
            "19:30",
            utc(2026, 3, 1),
            [utc(2026, 3, 4, 14), utc(2026, 3, 11, 14), utc(2026, 3, 18, 14)],
        ),
        # Adelaide is half an hour off too, and changes on 2026-04-05 and 2026-10-04 (Monday 07:00 is Sunday in UTC).
        (
            "Australia/Adelaide",
            "monday",
            "07:00",
            utc(2026, 3, 20),
            [utc(2026, 3, 22, 20, 30), utc(2026, 3, 29, 20, 30), utc(2026, 4, 5, 21, 30)],
        ),
        (
            "Australia/Adelaide",
            "monday",
            "07:00",
            utc(2026, 9, 18),
            [utc(2026, 9, 20, 21, 30), utc(2026, 9, 27, 21, 30), utc(2026, 10, 4, 20, 30)],
        ),
    ],
)
async def test_meetings_keep_their_local_time_across_daylight_saving(
    simcord_env, world, zone, weekday, local, start, kickoffs
):
    await advance_to(simcord_env, start)
    space = await make_group(simcord_env, world)
    await space.members[0].slash(space.text, "schedule set", weekday=weekday, time=local, timezone=zone, every_weeks=1)

    await advance_to(simcord_env, kickoffs[-1] + timedelta(minutes=1))

    assert [at for kind, at in timeline(simcord_env, space) if kind == "kickoff"] == kickoffs
    assert {at.astimezone(ZoneInfo(zone)).strftime("%A %H:%M") for at in kickoffs} == {
        f"{weekday.capitalize()} {local}"
    }
    reminders = [at for kind, at in timeline(simcord_env, space) if kind == "reminder"]
    assert reminders == sorted(
        [at - timedelta(hours=24) for at in kickoffs] + [at - timedelta(minutes=15) for at in kickoffs]
    )


# ------------------------------------------------------------------ faults


async def test_a_deleted_channel_marks_the_send_failed_and_info_shows_why(simcord_env, world, space):
    other = await make_group(simcord_env, world, name="Writers", members=("cy",))
    await other.members[0].slash(other.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    simcord_env.backend.delete_channel(space.text.id)
    await simcord_env.settle()

    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    assert timeline(simcord_env, other) == cycle(FIRST)  # the other group is unaffected
    failed = await sends_of_group(simcord_env.bot.store, world.guild.id, 1, statuses=["failed"])
    assert [(s.kind, s.reason) for s in failed] == [("reminder", "channel_missing")] * 2 + [
        ("kickoff", "channel_missing")
    ]
    info = await world.organizer.slash(world.general, "group info", group="Founders")
    assert said(info).splitlines()[-1] == (
        f"⚠️ The kickoff due <t:{int(FIRST.timestamp())}:f> couldn't be sent: the group's text channel is gone."
    )


async def test_missing_permission_in_the_channel_marks_the_send_failed(simcord_env, world, space):
    restore = deny_bot(simcord_env, space.text, discord.Permissions(send_messages=True))
    await simcord_env.settle()

    await advance_to(simcord_env, FIRST - timedelta(hours=23))

    failed = await sends_of_group(simcord_env.bot.store, world.guild.id, 1, statuses=["failed"])
    assert [(s.kind, s.reason) for s in failed] == [("reminder", "forbidden")]
    info = await world.organizer.slash(world.general, "group info", group="Founders")
    assert "couldn't be sent: I'm not allowed to post in the group's channel" in said(info)
    # Once the permission is back, the next send goes out and the warning disappears.
    restore()
    await advance_to(simcord_env, FIRST)
    info = await world.organizer.slash(world.general, "group info", group="Founders")
    assert "couldn't be sent" not in said(info)


async def test_a_discord_hiccup_is_retried_a_minute_later_and_sent_once(simcord_env, world, space):
    await advance_to(simcord_env, FIRST - timedelta(hours=25))
    simcord_env.inject_error("POST", f"/channels/{space.text.id}/messages", status=500)

    await advance_to(simcord_env, FIRST - timedelta(hours=23))

    assert timeline(simcord_env, space)[0] == ("reminder", FIRST - timedelta(hours=24) + timedelta(minutes=1))
    assert len(sent_by_bot(simcord_env, space.text, "⏰")) == 1


async def test_a_lasting_outage_gives_up_after_three_tries(simcord_env, world, space):
    await advance_to(simcord_env, FIRST - timedelta(hours=25))
    simcord_env.inject_error("POST", f"/channels/{space.text.id}/messages", status=503, times=3)

    await advance_to(simcord_env, FIRST - timedelta(hours=23))

    assert sent_by_bot(simcord_env, space.text, "⏰") == []
    failed = await sends_of_group(simcord_env.bot.store, world.guild.id, 1, statuses=["failed"])
    assert [(s.kind, s.attempts, s.reason) for s in failed] == [("reminder", 3, "discord_unavailable")]


async def test_an_archived_group_gets_no_more_reminders(simcord_env, world, space):
    await world.organizer.slash(world.general, "group archive", group="Founders")

    await advance_to(simcord_env, SECOND + timedelta(minutes=1))

    assert timeline(simcord_env, space) == []


# ------------------------------------------------------------------ RSVPs


async def test_rsvp_clicks_are_tallied_per_member_on_every_reminder(simcord_env, space):
    ada, ben = space.members
    await advance_to(simcord_env, FIRST - timedelta(minutes=15))
    first, second = sent_by_bot(simcord_env, space.text, "⏰")

    answer = await ada.click(first, label="I'll be there")
    await ben.click(second, label="Running late")
    await ada.click(second, label="Can't make it")  # ada changes her mind

    assert answer.followups[0].content == "✅ Noted: you'll be there."
    assert answer.followups[0].ephemeral
    for message in sent_by_bot(simcord_env, space.text, "⏰"):
        assert text_of(message).splitlines()[-2:] == [
            f"⏱️ Running late: {ben.mention}",
            f"❌ Can't make it: {ada.mention}",
        ]


async def test_rsvp_buttons_still_work_after_a_restart(simcord_env, space, restart):
    await advance_to(simcord_env, FIRST - timedelta(hours=24))
    (reminder,) = sent_by_bot(simcord_env, space.text, "⏰")

    await restart()
    await space.members[1].click(reminder, label="I'll be there")

    (reminder,) = sent_by_bot(simcord_env, space.text, "⏰")
    assert text_of(reminder).splitlines()[-1] == f"✅ I'll be there: {space.members[1].mention}"


async def test_only_members_may_answer(simcord_env, world, space):
    admins = world.guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    admin = world.guild.add_member(simcord_env.create_user("root"), roles=[admins])
    await advance_to(simcord_env, FIRST - timedelta(hours=24))
    (reminder,) = sent_by_bot(simcord_env, space.text, "⏰")

    result = await admin.click(reminder, label="I'll be there")

    assert said(result) == "Only members of this group can answer for its meetings."
    assert result.ephemeral
    assert refusals(simcord_env) == []  # answered in the button itself, nothing raised
    (reminder,) = sent_by_bot(simcord_env, space.text, "⏰")
    assert "I'll be there:" not in text_of(reminder)


# On PostgreSQL the deliveries run truly side by side, and a kickoff's scheduled-event update can take the pacer's
# slot between two kickoffs; the spacing holds, the order of the slots differs.
@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)
async def test_sends_due_together_are_paced_to_stay_under_discords_rate_limit(simcord_env, world):
    spaces = [await make_group(simcord_env, world, name=f"Group {i}", members=(f"m{i}",)) for i in range(5)]
    for space in spaces:
        await space.members[0].slash(
            space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin"
        )
        await space.members[0].slash(space.text, "schedule reminders", before="none")

    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    arrivals = sorted(sent_by_bot(simcord_env, space.text, "📞")[0].created_at for space in spaces)
    # 40 requests a second: the kickoffs go out 25 ms apart (the scheduled-event updates queue behind them).
    assert [(at - FIRST).total_seconds() for at in arrivals] == pytest.approx([0.0, 0.025, 0.05, 0.075, 0.1])
