"""The meeting's moving parts one at a time: attendance, the round and its notices, opening, closing, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bench.queries import closed_meetings
from demo.simulation import advance_to
from tests.bot.world import (
    bot_messages_containing,
    make_group,
    make_world,
    refreshed,
    refusals,
    said,
    select_ids,
    sent_by_bot,
    text_of,
)

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)
SECOND = datetime(2026, 1, 20, 17, tzinfo=UTC)


def turns(env, space) -> list[discord.Message]:
    return bot_messages_containing(env, space.text, "Hot seat:")


def seated(space, message: discord.Message):
    """The member a turn message is about."""
    first_line = text_of(message).splitlines()[0]
    return next(m for m in space.members if f"Hot seat: {m.mention}" in first_line)


async def finish_round(env, space) -> None:
    """Each member on the seat presses Next in turn, until the round is over."""
    rounds_over = len(sent_by_bot(env, space.text, "🏁"))
    while len(sent_by_bot(env, space.text, "🏁")) == rounds_over:
        current = turns(env, space)[-1]
        await seated(space, current).slash(space.text, "hotseat next")


def summary_of(env, space) -> str:
    (summary,) = bot_messages_containing(env, space.text, "Present:")
    return text_of(summary)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben", "cy"))
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


@pytest.fixture
async def meeting(simcord_env, space):
    """The first meeting has just been kicked off."""
    await advance_to(simcord_env, FIRST)
    return sent_by_bot(simcord_env, space.text, "📞")[-1]


# ------------------------------------------------------------------ attendance


async def test_attendance_needs_ten_minutes_in_total_in_the_call(simcord_env, world, space, meeting):
    ada, ben, cy = space.members
    outsider = world.member("oscar")
    await ada.join_voice(space.voice)  # 12 minutes in one go: present
    await ben.join_voice(space.voice)  # 5 + 6 minutes in two goes: present
    await cy.join_voice(space.voice)  # 9 minutes: absent
    await advance_to(simcord_env, FIRST + timedelta(minutes=5))
    await ben.leave_voice()
    await advance_to(simcord_env, FIRST + timedelta(minutes=9))
    await cy.leave_voice()
    await advance_to(simcord_env, FIRST + timedelta(minutes=10))
    await ben.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=12))
    await ada.leave_voice()
    await advance_to(simcord_env, FIRST + timedelta(minutes=16))

    await world.organizer.slash(world.general, "meeting end", group="Founders")

    body = summary_of(simcord_env, space)
    assert f"**Present:** {ada.mention} {ben.mention}\n**Absent:** {cy.mention}" in body
    assert outsider.mention not in body


async def test_moving_to_another_channel_stops_the_count(simcord_env, world, space, meeting):
    ada = space.members[0]
    lounge = world.guild.create_voice_channel("Lounge")
    await ada.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=6))
    await ada.join_voice(lounge)  # a move: leaves the group's call
    await advance_to(simcord_env, FIRST + timedelta(minutes=30))

    await ada.slash(space.text, "meeting end")

    assert f"**Absent:** {ada.mention}" in summary_of(simcord_env, space)


async def test_muting_changes_nothing(simcord_env, space, meeting):
    ada = space.members[0]
    await ada.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=4))
    await ada.set_voice(self_mute=True)
    await advance_to(simcord_env, FIRST + timedelta(minutes=11))

    await ada.slash(space.text, "meeting end")

    assert f"**Present:** {ada.mention}\n" in summary_of(simcord_env, space)


async def test_the_threshold_is_configurable_per_group(simcord_env, space, meeting):
    ada = space.members[0]
    configured = await ada.slash(space.text, "meeting settings", attendance_minutes=5, turn_minutes=15)
    await ada.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=6))

    await ada.slash(space.text, "meeting end")

    assert said(configured) == (
        "**Founders**: hot-seat turns last 15 minutes, 5 minutes in the call count as present, and a member who "
        "misses 2 meetings in a row without a word gets a check-in."
    )
    assert f"**Present:** {ada.mention}\n" in summary_of(simcord_env, space)


async def test_a_restart_during_the_meeting_loses_no_time_in_the_call(simcord_env, space, meeting, restart):
    ada, ben, _ = space.members
    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=6))

    await restart()
    await advance_to(simcord_env, FIRST + timedelta(minutes=11))
    await ben.leave_voice()
    await ada.slash(space.text, "meeting end")

    assert f"**Present:** {ada.mention} {ben.mention}\n" in summary_of(simcord_env, space)


# ------------------------------------------------------------------ opening and closing


async def test_a_meeting_started_by_hand_is_the_scheduled_one_when_it_comes(simcord_env, world, space):
    ada = space.members[0]
    await advance_to(simcord_env, FIRST - timedelta(minutes=20))

    started = await ada.slash(space.text, "meeting start")
    again = await ada.slash(space.text, "meeting start")
    await advance_to(simcord_env, FIRST + timedelta(minutes=1))

    assert said(started).startswith("The meeting of **Founders** is open: https://discord.com/channels/")
    assert said(again) == "**Founders** already has a meeting open. End it with `/meeting end` before starting another."
    assert refusals(simcord_env) == ["meeting.already_open"]
    opened, scheduled = sent_by_bot(simcord_env, space.text, "📞")
    assert f"{ada.mention} opened the meeting of **Founders**" in opened.content
    assert "meeting is already under way" in scheduled.content
    # The 15-minute reminder would have said "starts soon" about a meeting already running: it was not sent.
    assert [m.created_at for m in sent_by_bot(simcord_env, space.text, "⏰")] == [FIRST - timedelta(hours=24)]
    assert await closed_meetings(simcord_env.bot.store, world.guild.id, 1) == 0


async def test_a_meeting_nobody_ends_closes_itself_after_three_hours(simcord_env, space, meeting):
    await space.members[0].join_voice(space.voice)

    await advance_to(simcord_env, FIRST + timedelta(hours=3, minutes=1))

    (summary,) = bot_messages_containing(simcord_env, space.text, "Present:")
    assert summary.created_at.replace(microsecond=0) == FIRST + timedelta(hours=3)
    assert summary.pinned
    ended = await space.members[0].slash(space.text, "meeting end")
    assert said(ended).startswith("**Founders** has no meeting open.")
    assert refusals(simcord_env) == ["meeting.none_open"]


async def test_ending_twice_sends_one_summary(simcord_env, world, space, meeting):
    await space.members[0].slash(space.text, "meeting end")
    await world.organizer.slash(world.general, "meeting end", group="Founders")
    await advance_to(simcord_env, FIRST + timedelta(hours=4))

    assert len(bot_messages_containing(simcord_env, space.text, "Present:")) == 1
    assert refusals(simcord_env) == ["meeting.none_open"]


# ------------------------------------------------------------------ the round


async def test_members_in_the_call_go_first_and_the_absent_last(simcord_env, space, meeting):
    ada, ben, cy = space.members
    await cy.join_voice(space.voice)
    await ben.join_voice(space.voice)

    await cy.slash(space.text, "hotseat start")
    await finish_round(simcord_env, space)

    assert [seated(space, m) for m in turns(simcord_env, space)] == [ben, cy, ada]


async def test_rotation_is_fair_across_meetings(simcord_env, space, meeting):
    ada, ben, cy = space.members

    async def run_round() -> list[int]:
        for member in space.members:
            await member.join_voice(space.voice)
        already = len(turns(simcord_env, space))
        await ada.slash(space.text, "hotseat start")
        await finish_round(simcord_env, space)
        await ada.slash(space.text, "meeting end")
        return [seated(space, m).id for m in turns(simcord_env, space)[already:]]

    first = await run_round()
    await advance_to(simcord_env, SECOND)
    second = await run_round()

    assert first == [ada.id, ben.id, cy.id]
    assert second == [ben.id, cy.id, ada.id]  # who went first goes last


async def test_only_the_member_on_the_seat_or_an_organizer_moves_the_round(simcord_env, world, space, meeting):
    ada, ben, _ = space.members
    for member in (ada, ben):
        await member.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    turn = turns(simcord_env, space)[-1]
    (landing,) = select_ids(turn) or [None]

    attempts = [
        await ben.click(turn, label="Next"),
        await ben.click(turn, label="Skip"),  # Ada is in the call, so her seat can't be skipped by others
        await ben.slash(space.text, "hotseat next"),
    ]

    for attempt in attempts:
        assert attempt.ephemeral
        assert said(attempt) == f"Only {ada.mention}, who is on the seat, or an organizer can do that."
    assert refusals(simcord_env) == ["hotseat.not_your_turn"]  # the command's refusal; buttons answer in place
    assert len(turns(simcord_env, space)) == 1
    assert landing is None  # Ada had nothing due at the first meeting
    admins = world.guild.create_role("Admins", permissions=discord.Permissions(administrator=True))
    admin = world.guild.add_member(simcord_env.create_user("root"), roles=[admins])
    moved = await admin.click(turn, label="Next")
    assert said(moved) == f"Moved on from {ada.mention}."


async def test_others_cannot_mark_the_commitments_of_the_member_on_the_seat(simcord_env, space):
    ada, ben, _ = space.members
    await ada.slash(space.text, "goals set", goals="Ship it")
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    turn = turns(simcord_env, space)[-1]
    (ship,) = select_ids(turn)

    attempt = await ben.select(turn, ["done"], custom_id=ship)

    assert attempt.ephemeral
    assert said(attempt) == f"Only {ada.mention}, who is on the seat, or an organizer can do that."
    assert "⬜ Ship it" in text_of(refreshed(space.text, turn))


async def test_two_minutes_left_and_time_up_are_said_once_and_the_round_waits(simcord_env, space, meeting):
    ada = space.members[0]
    await ada.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")

    await advance_to(simcord_env, FIRST + timedelta(minutes=30))

    warnings = sent_by_bot(simcord_env, space.text, "⏳")
    time_up = sent_by_bot(simcord_env, space.text, "⌛")
    assert [(m.content, m.created_at) for m in warnings] == [
        (f"⏳ Two minutes left on {ada.mention}'s turn.", FIRST + timedelta(minutes=8))
    ]
    assert [m.created_at for m in time_up] == [FIRST + timedelta(minutes=10)]
    assert not simcord_env.backend.messages[space.text.id][warnings[0].id].ping_user_ids
    assert len(turns(simcord_env, space)) == 1  # still Ada's turn: the round never advances by itself


async def test_moving_on_early_cancels_the_notices_of_that_turn(simcord_env, space, meeting):
    ada, ben, _ = space.members
    await ada.slash(space.text, "hotseat start")
    await advance_to(simcord_env, FIRST + timedelta(minutes=5))
    await ada.slash(space.text, "hotseat next")

    await advance_to(simcord_env, FIRST + timedelta(minutes=30))

    notices = [m.content for m in sent_by_bot(simcord_env, space.text, "⏳")]
    assert notices == [f"⏳ Two minutes left on {ben.mention}'s turn."]  # none for Ada's ended turn


async def test_the_round_ends_with_one_message_after_the_last_member(simcord_env, space, meeting):
    ada = space.members[0]
    await ada.slash(space.text, "hotseat start")
    await finish_round(simcord_env, space)

    again = await ada.slash(space.text, "hotseat next")
    restart = await ada.slash(space.text, "hotseat start")

    assert len(sent_by_bot(simcord_env, space.text, "🏁")) == 1
    assert said(again) == "No hot-seat turn is running. Start the round with `/hotseat start`."
    assert said(restart) == "This meeting's hot-seat round is over."
    assert refusals(simcord_env) == ["hotseat.not_running", "hotseat.already_finished"]


async def test_buttons_and_forms_keep_working_after_a_restart(simcord_env, space, restart):
    ada, ben, _ = space.members
    await ada.slash(space.text, "goals set", goals="Ship it")
    await advance_to(simcord_env, FIRST)
    kickoff = sent_by_bot(simcord_env, space.text, "📞")[-1]
    await restart()
    await ben.click(kickoff, label="Start hot seat")
    turn = turns(simcord_env, space)[-1]
    form = await ada.click(turn, label="Set my goals")

    await restart()  # between opening the form and sending it
    saved = await ada.submit_modal(form, {"goals": "Launch"})
    (ship,) = select_ids(turn)
    await ada.select(turn, ["done"], custom_id=ship)
    await ada.click(turn, label="Next")

    assert said(saved) == "🎯 Your commitment for the next meeting:\n1. Launch"
    assert "1. ✅ Ship it" in text_of(refreshed(space.text, turn))
    assert text_of(turns(simcord_env, space)[-1]).startswith(f"## 🔥 Hot seat: {ben.mention}")


async def test_hot_seat_actions_without_an_open_meeting_are_refused(simcord_env, world, space):
    ada = space.members[0]
    results = [
        await ada.slash(space.text, "hotseat start"),
        await ada.slash(space.text, "hotseat next"),
        await ada.slash(space.text, "hotseat skip"),
        await ada.slash(space.text, "meeting end"),
    ]

    for result in results:
        assert result.ephemeral
        assert said(result).startswith("**Founders** has no meeting open.")
    assert refusals(simcord_env) == ["meeting.none_open"] * 4
    assert await simcord_env.bot.store.meetings.latest(world.guild.id, 1) is None


async def test_non_members_cannot_run_a_groups_meeting(simcord_env, world, space, meeting):
    outsider = world.member("oscar")

    results = [
        await outsider.slash(world.general, "meeting start", group="Founders"),
        await outsider.slash(world.general, "hotseat start", group="Founders"),
        await outsider.slash(world.general, "meeting end", group="Founders"),
        await outsider.slash(world.general, "stats", group="Founders"),
    ]

    for result in results:
        assert said(result) == "Only members of **Founders** and organizers can do that."
    assert refusals(simcord_env) == ["group.members_only"] * 4
    assert (await simcord_env.bot.store.meetings.current(world.guild.id, 1)).round_status == "not_started"


# ------------------------------------------------------------------ what one click costs


async def statements_during(env, action) -> list[str]:
    """The SQL statements the bot runs while a member does one thing (SQLite's trace callback sees each one,
    BEGIN and COMMIT included)."""
    statements: list[str] = []
    connection = env.bot.store.db.connection
    await connection.set_trace_callback(statements.append)
    try:
        await action
    finally:
        await connection.set_trace_callback(None)
    return statements


@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)  # SQLite's trace callback counts them
@pytest.mark.parametrize("label", ["Next", "Skip"])
async def test_one_press_of_next_or_skip_runs_at_most_eight_statements(simcord_env, space, label):
    ada, ben, _ = space.members
    await ada.slash(space.text, "goals set", goals="Ship it; Call the bank")
    await ben.slash(space.text, "goals set", goals="Write the post")
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    turn = turns(simcord_env, space)[-1]

    statements = await statements_during(simcord_env, ada.click(turn, label=label))

    assert len(statements) <= 8, "\n".join(statements)
    assert text_of(turns(simcord_env, space)[-1]).startswith(f"## 🔥 Hot seat: {ben.mention}")
    assert "(turn over)" in text_of(refreshed(space.text, turn))


@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)
async def test_one_mark_on_a_turn_runs_at_most_eight_statements(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it")
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    turn = turns(simcord_env, space)[-1]
    (ship,) = select_ids(turn)

    statements = await statements_during(simcord_env, ada.select(turn, ["done"], custom_id=ship))

    assert len(statements) <= 8, "\n".join(statements)
    assert "1. ✅ Ship it" in text_of(refreshed(space.text, turn))
