"""/schedule as members use it: set, show, skip, move, clear, reminders, and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from tests.bot.world import make_group, make_world, refusals, said, sent_by_bot

DAY = 24 * 3600


def stamp(moment: datetime) -> str:
    unix = int(moment.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def timeline(env, space) -> list[tuple[str, datetime]]:
    """Every reminder and kickoff the group has received, with when it arrived."""
    sends = [("reminder", m) for m in sent_by_bot(env, space.text, "⏰")] + [
        ("kickoff", m) for m in sent_by_bot(env, space.text, "📞")
    ]
    return sorted(((kind, m.created_at) for kind, m in sends), key=lambda item: (item[1], item[0]))


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    return await make_group(simcord_env, world)


async def test_set_shows_the_next_meeting_as_a_discord_timestamp_and_tells_the_group(simcord_env, space):
    ada = space.members[0]

    result = await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    # 2026-01-01 is a Thursday: the next Tuesday is the 6th, 18:00 in Berlin is 17:00 UTC.
    expected = (
        "📅 **Founders** meets every 2 weeks on Tuesday at 18:00 (Europe/Berlin). "
        f"Next meeting: {stamp(utc(2026, 1, 6, 17))}."
    )
    assert result.ephemeral
    assert said(result) == expected
    assert space.text.last_message.content == f"{ada.mention} set the schedule. {expected}"


async def test_show_lists_the_next_three_meetings_with_zone_cadence_and_reminders(simcord_env, space):
    ben = space.members[1]
    await ben.slash(space.text, "schedule set", weekday="monday", time="07:30", timezone="Asia/Kolkata", every_weeks=3)

    result = await ben.slash(space.text, "schedule show")

    assert said(result).splitlines() == [
        "📅 **Founders** meets every 3 weeks on Monday at 07:30 (Asia/Kolkata).",
        "Reminders go out 24h and 15m before each meeting.",
        "Next meetings:",
        f"• {stamp(utc(2026, 1, 5, 2))}",
        f"• {stamp(utc(2026, 1, 26, 2))}",
        f"• {stamp(utc(2026, 2, 16, 2))}",
    ]


async def test_default_zone_is_the_servers_then_utc(simcord_env, world, space):
    ada = space.members[0]
    first = await ada.slash(space.text, "schedule set", weekday="friday", time="09:00")
    await world.organizer.slash(world.general, "setup", timezone="America/New_York")
    second = await ada.slash(space.text, "schedule set", weekday="friday", time="09:00")

    assert "(UTC)" in said(first)
    assert stamp(utc(2026, 1, 2, 9)) in said(first)
    assert "(America/New_York)" in said(second)
    assert stamp(utc(2026, 1, 2, 14)) in said(second)


async def test_today_counts_when_the_time_is_still_ahead(simcord_env, space):
    result = await space.members[0].slash(space.text, "schedule set", weekday="thursday", time="20:00", timezone="UTC")

    assert stamp(utc(2026, 1, 1, 20)) in said(result)


async def test_over_six_weeks_every_reminder_and_kickoff_arrives_once_on_time(simcord_env, space):
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    await simcord_env.advance_time(42 * DAY)

    expected = []
    for meeting in (utc(2026, 1, 6, 17), utc(2026, 1, 20, 17), utc(2026, 2, 3, 17)):
        expected += [
            ("reminder", meeting - timedelta(hours=24)),
            ("reminder", meeting - timedelta(minutes=15)),
            ("kickoff", meeting),
        ]
    assert timeline(simcord_env, space) == expected


async def test_reminder_mentions_every_member_links_voice_and_offers_rsvp(simcord_env, space):
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    await simcord_env.advance_time(4 * DAY + 17 * 3600)

    (reminder,) = sent_by_bot(simcord_env, space.text, "⏰")
    ada, ben = space.members

    assert reminder.content == (
        f"⏰ {ada.mention} {ben.mention}\n**Founders** meets {stamp(utc(2026, 1, 6, 17))} in {space.voice.mention}. "
        "Will you be there?"
    )
    stored = simcord_env.backend.messages[space.text.id][reminder.id]
    assert sorted(stored.ping_user_ids) == sorted([ada.id, ben.id])
    assert not stored.mention_everyone
    assert not stored.ping_role_ids
    labels = [child.label for row in reminder.components for child in row.children]
    assert labels == ["I'll be there", "Running late", "Can't make it"]


async def test_kickoff_mentions_every_member_and_links_the_voice_channel(simcord_env, space):
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    await simcord_env.advance_time(5 * DAY + 17 * 3600)

    (kickoff,) = sent_by_bot(simcord_env, space.text, "📞")

    assert space.voice.mention in kickoff.content
    stored = simcord_env.backend.messages[space.text.id][kickoff.id]
    assert sorted(stored.ping_user_ids) == sorted(m.id for m in space.members)


async def test_skip_cancels_the_next_meeting_and_keeps_the_one_after(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    result = await ada.slash(space.text, "schedule skip")
    await simcord_env.advance_time(21 * DAY)

    assert said(result) == (
        f"The meeting on <t:{int(utc(2026, 1, 6, 17).timestamp())}:F> is skipped. "
        f"Next meeting: {stamp(utc(2026, 1, 20, 17))}."
    )
    meeting = utc(2026, 1, 20, 17)
    assert timeline(simcord_env, space) == [
        ("reminder", meeting - timedelta(hours=24)),
        ("reminder", meeting - timedelta(minutes=15)),
        ("kickoff", meeting),
    ]


async def test_move_changes_only_the_next_meeting(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    result = await ada.slash(space.text, "schedule move", when="2026-01-07 19:30")
    shown = await ada.slash(space.text, "schedule show")
    await simcord_env.advance_time(21 * DAY)

    moved = utc(2026, 1, 7, 18, 30)
    assert said(result) == (
        f"The meeting of <t:{int(utc(2026, 1, 6, 17).timestamp())}:F> now takes place {stamp(moved)}. "
        "Later meetings keep their usual time."
    )
    assert said(shown).splitlines()[3:5] == [f"• {stamp(moved)} (moved)", f"• {stamp(utc(2026, 1, 20, 17))}"]
    kickoffs = [at for kind, at in timeline(simcord_env, space) if kind == "kickoff"]
    assert kickoffs == [moved, utc(2026, 1, 20, 17)]
    reminders = [at for kind, at in timeline(simcord_env, space) if kind == "reminder"]
    assert reminders[:2] == [moved - timedelta(hours=24), moved - timedelta(minutes=15)]


async def test_clear_stops_all_meetings(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    result = await ada.slash(space.text, "schedule clear")
    await simcord_env.advance_time(42 * DAY)

    assert said(result) == "No more meetings for **Founders** until a new schedule is set with `/schedule set`."
    assert timeline(simcord_env, space) == []
    assert (
        space.text.last_message.content
        == f"{ada.mention} cleared the schedule: no more meetings until a new one is set."
    )


async def test_reminders_before_changes_when_reminders_go_out(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")

    result = await ada.slash(space.text, "schedule reminders", before="2d, 1h30m")
    await simcord_env.advance_time(6 * DAY)

    assert said(result) == "Saved for **Founders**. Reminders go out 2d and 1h30m before each meeting."
    meeting = utc(2026, 1, 6, 17)
    assert timeline(simcord_env, space) == [
        ("reminder", meeting - timedelta(days=2)),
        ("reminder", meeting - timedelta(minutes=90)),
        ("kickoff", meeting),
    ]


async def test_no_reminders_leaves_only_the_kickoff(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    await ada.slash(space.text, "schedule reminders", before="none")

    await simcord_env.advance_time(6 * DAY)

    assert timeline(simcord_env, space) == [("kickoff", utc(2026, 1, 6, 17))]


async def test_timezone_autocompletes_from_the_zone_database(simcord_env, space):
    choices = await space.members[0].autocomplete(space.text, "schedule set", "timezone", "adel")

    assert [c["value"] for c in choices] == ["Australia/Adelaide", "America/Guadeloupe"]


async def test_organizers_may_schedule_groups_they_are_not_in(simcord_env, world, space):
    result = await world.organizer.slash(
        world.general, "schedule set", weekday="tuesday", time="18:00", timezone="UTC", group="Founders"
    )

    assert said(result).startswith("📅 **Founders** meets every 2 weeks on Tuesday at 18:00 (UTC).")


# ------------------------------------------------------------------ refusals: nothing changes


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"time": "6pm"}, "schedule.bad_time", "`6pm` isn't a time I understand. Use 24-hour `HH:MM`"),
        ({"time": "24:00"}, "schedule.bad_time", "`24:00` isn't a time I understand."),
        ({"timezone": "EST"}, "time.zone_abbreviation", "`EST` is an abbreviation, not a time zone"),
        ({"timezone": "BST"}, "time.zone_abbreviation", "`BST` is an abbreviation, not a time zone"),
        (
            {"timezone": "Mars/Base"},
            "time.zone_unknown",
            "I don't know the time zone `Mars/Base`. Pick one from the list",
        ),
    ],
)
async def test_bad_schedule_input_is_refused_and_nothing_changes(simcord_env, space, options, key, message):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    before = said(await ada.slash(space.text, "schedule show"))

    result = await ada.slash(
        space.text, "schedule set", **{"weekday": "friday", "time": "09:00", "timezone": "UTC", **options}
    )

    assert result.ephemeral
    assert said(result).startswith(message)
    assert refusals(simcord_env) == [key]
    assert said(await ada.slash(space.text, "schedule show")) == before


@pytest.mark.parametrize(
    ("command", "options", "key", "message"),
    [
        ("schedule move", {"when": "tomorrow 6pm"}, "schedule.bad_when", "`tomorrow 6pm` isn't a date and time"),
        ("schedule move", {"when": "2026-02-30 10:00"}, "schedule.bad_when", "`2026-02-30 10:00` isn't a date"),
        ("schedule move", {"when": "2025-12-31 10:00"}, "schedule.move_past", "That time has already passed"),
        (
            "schedule move",
            {"when": "2026-01-25 10:00"},
            "schedule.move_past_following",
            "That's on or after the meeting",
        ),
        ("schedule reminders", {"before": "soon"}, "schedule.bad_before", "`soon` isn't a reminder time"),
        ("schedule reminders", {"before": "1m"}, "schedule.before_out_of_range", "A reminder `1m` before the meeting"),
        ("schedule reminders", {"before": "8d"}, "schedule.before_out_of_range", "A reminder `8d` before"),
        ("schedule reminders", {"before": "1d,2h,3h,4h,5h"}, "schedule.too_many_reminders", "That's 5 reminders"),
    ],
)
async def test_bad_changes_are_refused_and_nothing_changes(simcord_env, space, command, options, key, message):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    before = said(await ada.slash(space.text, "schedule show"))

    result = await ada.slash(space.text, command, **options)

    assert said(result).startswith(message)
    assert refusals(simcord_env) == [key]
    assert said(await ada.slash(space.text, "schedule show")) == before


async def test_changing_a_schedule_that_does_not_exist_is_refused(simcord_env, space):
    ada = space.members[0]
    results = [
        await ada.slash(space.text, "schedule show"),
        await ada.slash(space.text, "schedule skip"),
        await ada.slash(space.text, "schedule move", when="2026-01-10 10:00"),
        await ada.slash(space.text, "schedule clear"),
    ]

    for result in results:
        assert said(result) == "**Founders** has no meetings scheduled. Set them up with `/schedule set`."
    assert refusals(simcord_env) == ["schedule.none"] * 4


async def test_non_members_cannot_schedule_a_group(simcord_env, world, space):
    outsider = world.member("oscar")

    result = await outsider.slash(
        world.general, "schedule set", weekday="tuesday", time="18:00", timezone="UTC", group="Founders"
    )

    assert said(result) == "Only members of **Founders** and organizers can do that."
    assert refusals(simcord_env) == ["group.members_only"]
    assert await simcord_env.bot.store.schedules.get(world.guild.id, 1) is None


# ------------------------------------------------------------------ the Discord scheduled event


def events(env, world) -> list[tuple[datetime, discord.EventStatus]]:
    guild = env.bot.get_guild(world.guild.id)
    return sorted((event.start_time, event.status) for event in guild.scheduled_events)


async def test_the_next_meeting_is_a_scheduled_event_kept_in_step(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    guild = simcord_env.bot.get_guild(world.guild.id)
    (event,) = guild.scheduled_events
    assert event.channel_id == space.voice.id
    assert event.name == "Founders meeting"
    assert events(simcord_env, world) == [(utc(2026, 1, 6, 17), discord.EventStatus.scheduled)]

    await ada.slash(space.text, "schedule move", when="2026-01-07 19:30")
    assert events(simcord_env, world) == [(utc(2026, 1, 7, 18, 30), discord.EventStatus.scheduled)]

    await ada.slash(space.text, "schedule skip")
    assert events(simcord_env, world) == [(utc(2026, 1, 20, 17), discord.EventStatus.scheduled)]

    await simcord_env.advance_time(20 * DAY)  # the meeting of the 20th starts; the event shows the next one
    assert events(simcord_env, world)[-1] == (utc(2026, 2, 3, 17), discord.EventStatus.scheduled)

    await ada.slash(space.text, "schedule clear")
    assert [status for _, status in events(simcord_env, world)] == [discord.EventStatus.completed]


async def test_without_manage_events_there_is_no_event_and_no_error(simcord_env, world, space):
    from tests.bot.world import take_bot_permissions

    take_bot_permissions(simcord_env, world.guild, manage_events=False)
    await simcord_env.settle()

    result = await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="UTC")

    assert said(result).startswith("📅 **Founders** meets")
    assert events(simcord_env, world) == []
