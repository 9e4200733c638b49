"""Meetings as members live them: kickoff and agenda, attendance from voice, the hot seat, goals, summary, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from demo.simulation import advance_to
from tests.bot.world import (
    bot_messages_containing,
    buttons_of,
    make_group,
    make_world,
    refreshed,
    said,
    select_ids,
    sent_by_bot,
    text_of,
)

MINUTE = 60
FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)  # Tuesdays 18:00 in Berlin, every two weeks
SECOND = datetime(2026, 1, 20, 17, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    unix = int(moment.timestamp())
    return f"<t:{unix}:F> (<t:{unix}:R>)"


def turn_messages(env, space) -> list[discord.Message]:
    return bot_messages_containing(env, space.text, "Hot seat:")


def latest_turn(env, space) -> discord.Message:
    return turn_messages(env, space)[-1]


def pinged(env, channel, message) -> list[int]:
    return sorted(env.backend.messages[channel.id][message.id].ping_user_ids)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben", "cy"))
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


# ------------------------------------------------------------------ two full cycles, as the members live them


async def test_two_full_meeting_cycles(simcord_env, world, space):
    env = simcord_env
    ada, ben, cy = space.members
    # Before the first meeting Ada writes down what she is working on.
    await ada.slash(space.text, "goals set", goals="Ship the landing page; Call 3 customers")

    # --- Meeting 1: the kickoff opens it, with the agenda.
    await advance_to(env, FIRST)
    (kickoff,) = sent_by_bot(env, space.text, "📞")
    assert pinged(env, space.text, kickoff) == sorted(m.id for m in space.members)
    agenda = text_of(kickoff)
    assert "**Hot seat**, 10 minutes each." in agenda
    assert f"1. {ada.mention}\n2. {ben.mention}\n3. {cy.mention}" in agenda
    assert f"{ada.mention}\n• ⬜ Ship the landing page\n• ⬜ Call 3 customers" in agenda
    assert buttons_of(kickoff) == ["Start hot seat"]

    # Ben and Cy join the call; Ada joins a few minutes late. Cy drops out early.
    await ben.join_voice(space.voice)
    await cy.join_voice(space.voice)
    await advance_to(env, FIRST + timedelta(minutes=3))
    await ada.join_voice(space.voice)
    start = await ben.click(kickoff, label="Start hot seat")
    assert said(start) == "🔥 The hot-seat round has started."

    # The order: everyone is in the call, so the rotation stands (Ada, Ben, Cy).
    turn = latest_turn(env, space)
    assert pinged(env, space.text, turn) == [ada.id]
    assert text_of(turn).splitlines()[:2] == [
        f"## 🔥 Hot seat: {ada.mention}",
        f"Turn 1 of 3 · until <t:{int((FIRST + timedelta(minutes=13)).timestamp())}:t> "
        f"(<t:{int((FIRST + timedelta(minutes=13)).timestamp())}:R>)",
    ]
    assert buttons_of(turn) == ["Set my goals", "Carry over", "Next", "Skip"]
    landing, customers = select_ids(turn)
    await ada.select(turn, ["done"], custom_id=landing)
    await ada.select(turn, ["partial"], custom_id=customers)
    assert "1. ✅ Ship the landing page\n2. 🟡 Call 3 customers" in text_of(refreshed(space.text, turn))
    form = await ada.click(turn, label="Set my goals")
    assert form.modal["title"] == "Goals for the next meeting"
    saved = await ada.submit_modal(form, {"goals": "Launch the beta\nHire a designer"})
    assert said(saved) == "🎯 Your commitments for the next meeting:\n1. Launch the beta\n2. Hire a designer"
    assert "**For next meeting**\n• Launch the beta\n• Hire a designer" in text_of(refreshed(space.text, turn))
    await ada.click(turn, label="Next")

    # Ben's turn: he has nothing from last time and sets his goals by command.
    turn = latest_turn(env, space)
    assert text_of(turn).startswith(f"## 🔥 Hot seat: {ben.mention}")
    assert pinged(env, space.text, turn) == [ben.id]
    await ben.slash(space.text, "goals set", goals="Write 3 blog posts")
    await cy.leave_voice()  # Cy leaves after 8 minutes in the call: not present
    await ben.slash(space.text, "hotseat next")

    # Cy is no longer in the call, so anyone may skip the seat.
    turn = latest_turn(env, space)
    assert text_of(turn).startswith(f"## 🔥 Hot seat: {cy.mention}")
    skipped = await ben.click(turn, label="Skip")
    assert said(skipped) == f"Skipped {cy.mention}."
    assert space.text.history()[-1].content == "🏁 The hot-seat round is complete: everyone has had their turn."

    # The meeting ends: one summary, pinned.
    await advance_to(env, FIRST + timedelta(minutes=45))
    ended = await ben.slash(space.text, "meeting end")
    assert said(ended) == "The meeting of **Founders** is closed. The summary is being pinned in the group's channel."
    (summary,) = bot_messages_containing(env, space.text, "Present:")
    assert [m.id for m in space.text.pinned_messages()] == [summary.id]
    body = text_of(summary)
    assert f"**Present:** {ada.mention} {ben.mention}" in body
    assert f"**Absent:** {cy.mention}" in body
    assert f"**Next meeting:** {stamp(SECOND)}" in body
    assert (
        f"{ada.mention}\nCommitments checked:\n• ✅ Ship the landing page\n• 🟡 Call 3 customers\n"
        "New commitments:\n• Launch the beta\n• Hire a designer"
    ) in body
    assert f"{ben.mention}\nNew commitments:\n• Write 3 blog posts" in body

    # --- Between meetings: Ben reports early, Cy (absent) sets goals in writing.
    await advance_to(env, FIRST + timedelta(days=7))
    choices = await ben.autocomplete(space.text, "goals check", "goal", "")
    assert [c["name"] for c in choices] == ["⬜ Write 3 blog posts"]
    checked = await ben.slash(space.text, "goals check", goal=choices[0]["value"], status="missed", note="Sick week")
    assert said(checked) == "❌ Marked missed: Write 3 blog posts"
    await cy.slash(space.text, "goals set", goals="Finish the course")

    # --- Meeting 2: the agenda brings the commitments back; the order has rotated.
    await advance_to(env, SECOND)
    kickoff = sent_by_bot(env, space.text, "📞")[-1]
    agenda = text_of(kickoff)
    assert f"1. {ben.mention}\n2. {cy.mention}\n3. {ada.mention}" in agenda
    assert f"{ada.mention}\n• ⬜ Launch the beta\n• ⬜ Hire a designer" in agenda
    assert f"{ben.mention}\n• ❌ Write 3 blog posts — *Sick week*" in agenda
    for member in (ada, ben, cy):
        await member.join_voice(space.voice)
    await ada.slash(space.text, "hotseat start")
    order = [text_of(m).splitlines()[0] for m in turn_messages(env, space)[-1:]]
    assert order == [f"## 🔥 Hot seat: {ben.mention}"]
    await ben.click(latest_turn(env, space), label="Next")
    cy_turn = latest_turn(env, space)
    (course,) = select_ids(cy_turn)
    await cy.select(cy_turn, ["done"], custom_id=course)
    await cy.click(cy_turn, label="Next")
    ada_turn = latest_turn(env, space)
    beta, _designer = select_ids(ada_turn)
    await ada.select(ada_turn, ["done"], custom_id=beta)
    # Ada doesn't report on hiring: it stays unreported when the meeting ends.
    await ada.click(ada_turn, label="Carry over")
    assert "**For next meeting**\n• Hire a designer" in text_of(refreshed(space.text, ada_turn))
    await advance_to(env, SECOND + timedelta(minutes=40))
    await ada.slash(space.text, "meeting end")

    # --- Stats: exact percentages over the two meetings.
    result = await cy.slash(space.text, "stats")
    assert said(result).splitlines() == [
        "📊 **Founders**: 2 meetings held",
        f"{ada.mention}: attendance **100%** (2 of 2) · commitments kept **63%** (4 checked) · streak **2**",
        f"{ben.mention}: attendance **100%** (2 of 2) · commitments kept **0%** (1 checked) · streak **2**",
        f"{cy.mention}: attendance **50%** (1 of 2) · commitments kept **100%** (1 checked) · streak **1**",
        "**Group**: attendance **83%** · commitments kept **58%**",  # (5 + 0 + 2) halves of 12
    ]
    history = await ada.slash(space.text, "goals list")
    assert said(history).splitlines() == [
        f"🎯 {ada.mention} in **Founders**",
        "**For the next meeting**",
        "• ⬜ Hire a designer",
        "**Recent meetings**",
        f"<t:{int(SECOND.timestamp())}:D>: ✅ Launch the beta · ❔ Hire a designer",
        f"<t:{int(FIRST.timestamp())}:D>: ✅ Ship the landing page · 🟡 Call 3 customers",
    ]
