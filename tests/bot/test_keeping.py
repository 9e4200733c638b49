"""Keeping groups alive, as members and organizers meet it: pauses, one check-in per drift, the health view, and
the attendance chart."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from demo.simulation import advance_to
from mastermind.charts import CELL_COLOURS, cell_box, chart_size
from tests.bot.test_hotseat import statements_during
from tests.bot.world import (
    bot_messages_containing,
    buttons_of,
    make_group,
    make_world,
    refreshed,
    refusals,
    said,
    sent_by_bot,
    text_of,
)

# Tuesdays 18:00 in Berlin, every two weeks.
FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)
SECOND = FIRST + timedelta(weeks=2)
THIRD = FIRST + timedelta(weeks=4)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def organizers(simcord_env, world):
    """The organizers' channel, set with /setup."""
    channel = world.guild.create_text_channel("organizers")
    await world.organizer.slash(world.general, "setup", organizer_channel=channel)
    return channel


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben", "cy"))
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


async def hold_meeting(env, world, space, at: datetime, present) -> None:
    """The scheduled meeting opens at its time; these members spend 20 minutes in the call; an organizer ends it."""
    await advance_to(env, at)
    for member in present:
        await member.join_voice(space.voice)
    await advance_to(env, at + timedelta(minutes=20))
    for member in present:
        await member.leave_voice()
    await world.organizer.slash(world.general, "meeting end", group=space.name)


def check_ins_to(member) -> list:
    """The bot's check-ins in the member's direct messages."""
    return [m for m in member.user.dm_channel.history() if m.author.bot and "checking in" in m.content]


async def members_of(env, world, space) -> list:
    group = await env.bot.store.groups.by_key(world.guild.id, space.name.casefold())
    return await env.bot.store.groups.members(world.guild.id, group.id)


async def paused_for(env, world, space, member) -> int:
    return next(m.paused_for for m in await members_of(env, world, space) if m.user_id == member.id)


# ------------------------------------------------------------------ drift: one check-in


async def test_a_member_who_misses_two_meetings_gets_exactly_one_check_in(
    simcord_env, world, organizers, space, restart
):
    env = simcord_env
    ada, ben, cy = space.members
    await hold_meeting(env, world, space, FIRST, present=[ada, ben])
    assert check_ins_to(cy) == []  # one meeting missed is not drifting yet

    await hold_meeting(env, world, space, SECOND, present=[ada, ben])

    (check_in,) = check_ins_to(cy)
    assert check_in.content.startswith(f"👋 Hi {cy.mention}! You've missed the last 2 meetings of **Founders**")
    assert buttons_of(check_in) == ["I'm in for the next one", "Pause me for a while", "Leave the group"]
    assert check_ins_to(ada) == check_ins_to(ben) == []
    (note,) = bot_messages_containing(env, organizers, "🧭")
    assert note.content == (
        f"🧭 {cy.mention} has missed 2 meetings of **Founders** in a row without a word. "
        "I've checked in with them by direct message."
    )

    # Neither a restart nor a third missed meeting asks again: it is the same drift.
    await restart()
    await hold_meeting(env, world, space, THIRD, present=[ada, ben])
    assert len(check_ins_to(cy)) == 1
    assert len(bot_messages_containing(env, organizers, "🧭")) == 1

    # The answer is theirs; it stays on the message and the organizers hear it.
    answered = await cy.user.click(check_in, label="I'm in for the next one")
    assert not env.errors
    shown = refreshed(cy.user.dm_channel, check_in)
    assert shown.content.endswith("👍 Great, see you at the next meeting of **Founders**!")
    assert buttons_of(shown) == []
    assert answered.acknowledged
    assert bot_messages_containing(env, organizers, "answered")[-1].content == (
        f"🧭 {cy.mention} answered the check-in of **Founders**: I'm in for the next one."
    )


async def test_saying_cant_make_it_is_not_drifting(simcord_env, world, space):
    env = simcord_env
    ada, ben, cy = space.members
    await hold_meeting(env, world, space, FIRST, present=[ada, ben])
    await advance_to(env, SECOND - timedelta(hours=24))
    reminder = sent_by_bot(env, space.text, "⏰")[-1]
    await cy.click(reminder, label="Can't make it")

    await hold_meeting(env, world, space, SECOND, present=[ada, ben])

    assert check_ins_to(cy) == []


async def test_with_direct_messages_closed_the_check_in_is_asked_in_the_channel_and_only_they_may_answer(
    simcord_env, world, space
):
    env = simcord_env
    ada, ben, cy = space.members
    env.inject_error(
        "POST",
        f"/channels/{cy.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        times=None,
        message="Cannot send messages to this user",
    )
    await hold_meeting(env, world, space, FIRST, present=[ada, ben])
    await hold_meeting(env, world, space, SECOND, present=[ada, ben])

    (check_in,) = bot_messages_containing(env, space.text, "checking in")
    assert check_in.content.startswith(f"👋 {cy.mention}, you've missed the last 2 meetings without a word")
    assert sorted(env.backend.messages[space.text.id][check_in.id].ping_user_ids) == [cy.id]

    refused = await ben.click(check_in, label="Leave the group")
    assert said(refused) == f"This check-in is for {cy.mention}; only they can answer it."
    assert refused.ephemeral
    assert await paused_for(env, world, space, cy) == 0
    assert len(await members_of(env, world, space)) == 3

    await cy.click(check_in, label="Pause me for a while")
    assert await paused_for(env, world, space, cy) == 2
    assert refreshed(space.text, check_in).content.endswith(
        "You're paused in **Founders** for the next 2 meetings: no pings, no hot seat, and they don't count in "
        "your attendance. Come back early with `/group resume`."
    )
    assert buttons_of(refreshed(space.text, check_in)) == []  # answered once, for good


async def test_leaving_from_the_check_in_takes_them_out_of_the_group(simcord_env, world, space):
    env = simcord_env
    ada, ben, cy = space.members
    await hold_meeting(env, world, space, FIRST, present=[ada, ben])
    await hold_meeting(env, world, space, SECOND, present=[ada, ben])
    (check_in,) = check_ins_to(cy)

    await cy.user.click(check_in, label="Leave the group")

    assert not env.errors
    assert [m.user_id for m in await members_of(env, world, space)] == [ada.id, ben.id]
    assert space.text.history()[-1].content == f"{cy.mention} left the group."


# ------------------------------------------------------------------ pauses


async def test_a_paused_member_is_not_pinged_not_seated_and_not_counted(simcord_env, world, space):
    env = simcord_env
    ada, ben, cy = space.members
    paused = await cy.slash(space.text, "group pause", meetings=1)
    assert said(paused).startswith("⏸️ You're paused in **Founders** for the next 1 meeting: no reminder pings")
    assert space.text.history()[-1].content == f"⏸️ {cy.mention} is taking a break for 1 meeting."

    await advance_to(env, FIRST - timedelta(hours=24))
    reminder = sent_by_bot(env, space.text, "⏰")[-1]
    assert sorted(env.backend.messages[space.text.id][reminder.id].ping_user_ids) == sorted([ada.id, ben.id])
    await advance_to(env, FIRST)
    kickoff = sent_by_bot(env, space.text, "📞")[-1]
    assert sorted(env.backend.messages[space.text.id][kickoff.id].ping_user_ids) == sorted([ada.id, ben.id])
    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    (turn,) = bot_messages_containing(env, space.text, "Hot seat:")
    assert "Turn 1 of 2" in text_of(turn)
    await advance_to(env, FIRST + timedelta(minutes=20))
    await ada.slash(space.text, "meeting end")

    (summary,) = bot_messages_containing(env, space.text, "Present:")
    body = text_of(summary)
    assert "**Absent:** nobody" in body
    assert f"**Paused:** {cy.mention}" in body
    stats = await ada.slash(space.text, "stats")
    assert f"{cy.mention}: attendance **n/a** (0 of 0)" in said(stats)
    # The pause has run its course: Cy counts again from the next meeting on.
    assert await paused_for(env, world, space, cy) == 0
    again = await cy.slash(space.text, "group resume")
    assert said(again) == "You're not paused in **Founders**, so there's nothing to resume."
    assert refusals(env) == ["pause.not_paused"]


async def test_resume_ends_a_pause_early(simcord_env, world, space):
    cy = space.members[2]
    await cy.slash(space.text, "group pause")
    assert await paused_for(simcord_env, world, space, cy) == 2

    resumed = await cy.slash(space.text, "group resume")

    assert said(resumed) == "▶️ Welcome back: you're no longer paused in **Founders**."
    assert await paused_for(simcord_env, world, space, cy) == 0
    info = await cy.slash(space.text, "group info")
    assert "Paused:" not in said(info)


@pytest.mark.parametrize("meetings", [0, 7])
async def test_a_pause_out_of_range_is_refused_and_changes_nothing(simcord_env, world, space, meetings):
    cy = space.members[2]

    refused = await cy.slash(space.text, "group pause", meetings=meetings)

    assert said(refused) == f"A pause lasts 1 to 6 meetings, not {meetings}. Try `/group pause meetings:2`."
    assert refusals(simcord_env) == ["pause.out_of_range"]
    assert await paused_for(simcord_env, world, space, cy) == 0
    assert not bot_messages_containing(simcord_env, space.text, "taking a break")


# ------------------------------------------------------------------ the health view


async def test_health_orders_a_flagged_and_a_drifting_group_before_a_healthy_one(simcord_env, world):
    env = simcord_env
    healthy = await make_group(env, world, "Alpha", members=("ann", "art"))
    drifting = await make_group(env, world, "Beta", members=("bea", "bob", "bud"))
    await make_group(env, world, "Gamma", members=("gus",))  # never scheduled
    bea, bob, bud = drifting.members
    for space in (healthy, drifting):
        await space.members[0].slash(
            space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin"
        )
    in_call = [(member, healthy.voice) for member in healthy.members] + [(bea, drifting.voice), (bud, drifting.voice)]
    for at in (FIRST, SECOND):
        await advance_to(env, at)
        for member, voice in in_call:
            await member.join_voice(voice)
        await advance_to(env, at + timedelta(minutes=20))
        for member, _ in in_call:
            await member.leave_voice()
        for space in (healthy, drifting):
            await world.organizer.slash(world.general, "meeting end", group=space.name)

    result = await world.organizer.slash(world.general, "groups health")

    assert result.ephemeral
    assert text_of(result.response.message).splitlines() == [
        "🩺 **Group health**: 3 active groups, those needing attention first · page 1 of 1",
        "🚩 **Gamma**: no schedule for 2 weeks",
        "Last meeting: none yet · next: none scheduled",
        "No meetings held yet.",
        "",
        "⚠️ **Beta**",
        f"Last meeting: <t:{int(SECOND.timestamp())}:D> · next: <t:{int(THIRD.timestamp())}:D>",
        "Attendance: 2/3 2/3 → · commitments kept: n/a (last 2 meetings)",
        f"At risk: {bob.mention} (missed 2 in a row)",
        "",
        "✅ **Alpha**",
        f"Last meeting: <t:{int(SECOND.timestamp())}:D> · next: <t:{int(THIRD.timestamp())}:D>",
        "Attendance: 2/2 2/2 → · commitments kept: n/a (last 2 meetings)",
    ]
    assert buttons_of(result.response.message) == []


@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)  # SQLite's trace callback counts them
async def test_health_reads_one_page_in_one_statement_however_many_groups(simcord_env, world):
    env = simcord_env
    for index in range(8):
        await make_group(env, world, f"Group {index}", members=())

    statements = await statements_during(env, world.organizer.slash(world.general, "groups health"))

    assert len(statements) == 1, "\n".join(statements)
    first = await world.organizer.slash(world.general, "groups health")
    assert said(first).endswith("page 1 of 2")
    assert buttons_of(first.response.message) == ["◀ Previous", "Next ▶"]
    statements = await statements_during(env, world.organizer.click(first.response.message, label="Next ▶"))
    assert len(statements) == 1, "\n".join(statements)


async def test_health_is_for_organizers_only(simcord_env, world, space):
    ada = space.members[0]

    refused = await ada.slash(space.text, "groups health")

    assert said(refused).startswith("Only organizers can do that")
    assert refusals(simcord_env) == ["errors.organizers_only"]


# ------------------------------------------------------------------ the chart


async def test_stats_attaches_a_chart_of_every_member_and_meeting(simcord_env, world, space):
    env = simcord_env
    ada, ben, cy = space.members
    await cy.slash(space.text, "group pause", meetings=1)
    await hold_meeting(env, world, space, FIRST, present=[ada, ben])
    await hold_meeting(env, world, space, SECOND, present=[ada])

    result = await ada.slash(space.text, "stats")

    (attachment,) = result.response.attachments
    assert attachment.filename == "attendance.png"
    assert attachment.description.startswith(
        "Chart of Founders over the last 2 meetings, one row per member (ada, ben, cy) and one column per meeting: "
        "present 3 times, absent 2, paused 1."
    )
    chart = Image.open(io.BytesIO(env.backend.cdn.get(attachment.url)))
    assert chart.format == "PNG"
    assert chart.size == chart_size(3, 2)
    expected = {(0, 0): "present", (0, 1): "present", (1, 0): "present", (1, 1): "absent", (2, 0): "paused"}
    for (row, column), cell in expected.items():
        left, top, _, _ = cell_box(row, column)
        assert chart.convert("RGB").getpixel((left + 2, top + 2)) == CELL_COLOURS[cell], (row, column)

    one = await ada.slash(space.text, "stats", member=ben)
    (attachment,) = one.response.attachments
    assert Image.open(io.BytesIO(env.backend.cdn.get(attachment.url))).size == chart_size(1, 2)


async def test_the_summary_carries_the_chart(simcord_env, world, space):
    ada, ben, _ = space.members
    await hold_meeting(simcord_env, world, space, FIRST, present=[ada, ben])

    (summary,) = bot_messages_containing(simcord_env, space.text, "Present:")
    (attachment,) = summary.attachments
    assert attachment.filename == "attendance.png"
    assert summary.embeds[0].image.url == "attachment://attendance.png"


async def test_stats_before_any_meeting_has_no_chart(simcord_env, space):
    result = await space.members[0].slash(space.text, "stats")
    assert result.response.attachments == []


# ------------------------------------------------------------------ setup


async def test_setup_names_the_organizers_channel(simcord_env, world, organizers):
    result = await world.organizer.slash(world.general, "setup")
    assert f"Organizers' channel: {organizers.mention}" in said(result)


@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)  # SQLite's trace callback counts them
async def test_stats_after_the_summary_reuses_the_chart_the_summary_drew(simcord_env, world, space):
    ada, ben, _ = space.members
    await hold_meeting(simcord_env, world, space, FIRST, present=[ada, ben])
    (summary,) = bot_messages_containing(simcord_env, space.text, "Present:")

    statements = await statements_during(simcord_env, ada.slash(space.text, "stats"))

    assert not any("WITH recent" in sql for sql in statements), "the chart's history was read again"
    assert len(statements) == 3, "\n".join(statements)  # the group, the figures, the chart's version
    (again,) = (await ada.slash(space.text, "stats")).response.attachments
    assert simcord_env.backend.cdn.get(again.url) == simcord_env.backend.cdn.get(summary.attachments[0].url)
