"""The goal ledger as members use it: setting, checking, carrying over, the nudge, and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo.simulation import advance_to
from tests.bot.world import (
    bot_messages_containing,
    make_group,
    make_world,
    refusals,
    said,
    select_ids,
    sent_by_bot,
    text_of,
)

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)
SECOND = datetime(2026, 1, 20, 17, tzinfo=UTC)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    return space


async def upcoming(env, world, user) -> list[tuple[str, str]]:
    commitments = await env.bot.store.commitments.upcoming(world.guild.id, 1, user.id)
    return [(c.text, c.status) for c in commitments]


async def test_setting_again_in_the_same_cycle_replaces_the_goals(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="One\nTwo")

    result = await ada.slash(space.text, "goals set", goals="- Three\n- Four\n- Five")

    assert said(result) == "🎯 Your commitments for the next meeting:\n1. Three\n2. Four\n3. Five"
    assert await upcoming(simcord_env, world, ada) == [("Three", "open"), ("Four", "open"), ("Five", "open")]


@pytest.mark.parametrize(
    ("goals", "key", "message"),
    [
        ("a;b;c;d;e;f", "goals.too_many", "That's 6 goals; the most is 5."),
        ("x" * 201, "goals.too_long", "Goal 1 is 201 characters long; the limit is 200."),
        ("ok; " + "y" * 250, "goals.too_long", "Goal 2 is 250 characters long; the limit is 200."),
        (" ; ;", "goals.empty", "Write at least one goal"),
    ],
)
async def test_bad_goals_are_refused_and_nothing_changes(simcord_env, world, space, goals, key, message):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Keep me")

    result = await ada.slash(space.text, "goals set", goals=goals)

    assert result.ephemeral
    assert said(result).startswith(message)
    assert refusals(simcord_env) == [key]
    assert await upcoming(simcord_env, world, ada) == [("Keep me", "open")]


async def test_goal_text_never_pings_anyone(simcord_env, world, space):
    ada, ben = space.members
    staff = world.guild.create_role("Staff")
    await advance_to(simcord_env, FIRST)
    await ada.slash(space.text, "hotseat start")
    await ada.slash(space.text, "goals set", goals=f"@everyone look; @here too; {staff.mention} and {ben.mention}")
    await ada.slash(space.text, "meeting end")  # the turn message and the summary quote the goals
    await advance_to(simcord_env, SECOND)  # so do the nudge and the next agenda

    stored = simcord_env.backend.messages[space.text.id]
    nudge, kickoff = sent_by_bot(simcord_env, space.text, "🧭")[0], sent_by_bot(simcord_env, space.text, "📞")[-1]
    turn = bot_messages_containing(simcord_env, space.text, "Hot seat:")[0]
    summary = bot_messages_containing(simcord_env, space.text, "Present:")[0]
    # Exactly who each message had to notify; never the role, @everyone or @here, and not Ben for Ada's text.
    # (The turn message quotes the goals in an edit, and edits notify nobody.)
    expected = {nudge.id: [ada.id], kickoff.id: sorted([ada.id, ben.id]), turn.id: [], summary.id: []}
    for message_id, users in expected.items():
        assert "look" in _all_text(stored[message_id])
        assert sorted(stored[message_id].ping_user_ids) == users
        assert stored[message_id].ping_role_ids == []
        assert not stored[message_id].mention_everyone


def _all_text(stored) -> str:
    return str(stored.content) + str(stored.embeds) + str(stored.components)


async def test_checking_marks_a_commitment_and_checking_again_changes_it(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it")
    (choice,) = await ada.autocomplete(space.text, "goals check", "goal", "sh")

    first = await ada.slash(space.text, "goals check", goal=choice["value"], status="partial")
    second = await ada.slash(space.text, "goals check", goal=choice["value"], status="done", note="Shipped Friday")

    assert choice["name"] == "⬜ Ship it"
    assert said(first) == "🟡 Marked partly done: Ship it"
    assert said(second) == "✅ Marked done: Ship it"
    assert await upcoming(simcord_env, world, ada) == [("Ship it", "done")]
    (choice,) = await ada.autocomplete(space.text, "goals check", "goal", "")
    assert choice["name"] == "✅ Ship it"


async def test_checking_someone_elses_goal_or_an_unknown_one_is_refused(simcord_env, world, space):
    ada, ben = space.members
    await ada.slash(space.text, "goals set", goals="Ship it")
    (ada_goal,) = await ada.autocomplete(space.text, "goals check", "goal", "")

    results = [
        await ben.slash(space.text, "goals check", goal=ada_goal["value"], status="missed"),
        await ben.slash(space.text, "goals check", goal="999999", status="done"),
        await ben.slash(space.text, "goals check", goal="Ship it", status="done"),
    ]

    assert [said(r) for r in results] == [
        "That's someone else's commitment: only they (or an organizer) can mark it.",
        "I can't find that commitment. Pick one from the list as you type.",
        "I can't find that commitment. Pick one from the list as you type.",
    ]
    assert refusals(simcord_env) == ["goals.not_yours", "goals.unknown", "goals.unknown"]
    assert await upcoming(simcord_env, world, ada) == [("Ship it", "open")]


async def test_unchecked_commitments_become_unreported_when_their_meeting_ends(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it; Hire")
    await advance_to(simcord_env, FIRST)
    choices = await ada.autocomplete(space.text, "goals check", "goal", "")
    await ada.slash(space.text, "goals check", goal=choices[0]["value"], status="done")

    await ada.slash(space.text, "meeting end")
    late = await ada.slash(space.text, "goals check", goal=choices[1]["value"], status="done")

    due = await simcord_env.bot.store.commitments.due_at(world.guild.id, 1, ada.id)
    assert [(c.text, c.status) for c in due] == [("Ship it", "done"), ("Hire", "unreported")]
    assert said(late) == "That commitment can't be marked any more: its meeting is over."
    assert refusals(simcord_env) == ["goals.not_checkable"]


async def test_carry_over_brings_unfinished_commitments_into_the_next_cycle(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it; Hire; Write")
    await advance_to(simcord_env, FIRST)
    done, partly, _ = await ada.autocomplete(space.text, "goals check", "goal", "")
    await ada.slash(space.text, "goals check", goal=done["value"], status="done")
    await ada.slash(space.text, "goals check", goal=partly["value"], status="partial")
    await ada.slash(space.text, "meeting end")  # "Write" is left unreported

    result = await ada.slash(space.text, "goals set", goals="Launch", carry_over=True)
    again = await ada.slash(space.text, "goals set", carry_over=True)

    assert said(result) == "🎯 Your commitments for the next meeting:\n1. Launch\n2. Hire\n3. Write"
    assert said(again) == "Your unfinished commitments are already carried over."
    assert refusals(simcord_env) == ["goals.already_carried"]


async def test_carry_over_on_the_turn_adds_to_goals_already_set(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it; Hire")
    await advance_to(simcord_env, FIRST)
    await ada.slash(space.text, "hotseat start")
    turn = bot_messages_containing(simcord_env, space.text, "Hot seat:")[-1]
    ship, _ = select_ids(turn)
    await ada.select(turn, ["done"], custom_id=ship)
    await ada.slash(space.text, "goals set", goals="Launch")

    carried = await ada.click(turn, label="Carry over")

    assert said(carried) == "Carried over: you have 2 commitments for the next meeting."
    assert await upcoming(simcord_env, world, ada) == [("Launch", "open"), ("Hire", "open")]


async def test_non_members_keep_no_goals_in_a_group(simcord_env, world, space):
    outsider = world.member("oscar")

    set_result = await outsider.slash(world.general, "goals set", goals="Sneak in", group="Founders")
    list_result = await outsider.slash(world.general, "goals list", group="Founders")

    assert said(set_result) == "Only members of **Founders** keep commitments there."
    assert said(list_result) == "Only members of **Founders** and organizers can do that."
    assert refusals(simcord_env) == ["goals.members_only", "group.members_only"]
    assert await simcord_env.bot.store.commitments.upcoming(world.guild.id, 1) == []


async def test_members_see_each_others_ledger_in_their_group(simcord_env, space):
    ada, ben = space.members
    await ada.slash(space.text, "goals set", goals="Ship it")

    result = await ben.slash(space.text, "goals list", member=ada)

    assert said(result).splitlines() == [
        f"🎯 {ada.mention} in **Founders**",
        "**For the next meeting**",
        "• ⬜ Ship it",
    ]


async def test_a_ledger_too_long_for_one_message_ends_on_a_whole_line_and_says_what_is_left_out(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="; ".join(f"{n} " + "a" * 197 for n in range(5)))
    await advance_to(simcord_env, FIRST)  # the kickoff opens the meeting: these are due now
    for choice in await ada.autocomplete(space.text, "goals check", "goal", ""):
        await ada.slash(space.text, "goals check", goal=choice["value"], status="partial", note="n" * 200)
    await ada.slash(space.text, "goals set", goals="; ".join(f"{n} " + "b" * 197 for n in range(5)))

    lines = said(await ada.slash(space.text, "goals list")).splitlines()

    assert len("\n".join(lines)) <= 2000
    assert lines[-1] == "…and 7 more."
    assert lines[2:-1] == [f"• 🟡 {n} {'a' * 197} — *{'n' * 200}*" for n in range(4)]


# ------------------------------------------------------------------ the halfway nudge


async def test_halfway_the_nudge_lists_open_commitments_and_lets_members_update_them(simcord_env, world, space):
    ada, ben = space.members
    await advance_to(simcord_env, FIRST)
    await ada.slash(space.text, "goals set", goals="Ship it; Hire")
    await ada.slash(space.text, "meeting end")

    await advance_to(simcord_env, FIRST + timedelta(days=7))

    (nudge,) = sent_by_bot(simcord_env, space.text, "🧭")
    assert nudge.created_at.replace(microsecond=0) == FIRST + timedelta(days=7)
    assert f"{ada.mention}\n• Ship it\n• Hire" in text_of(nudge)
    assert simcord_env.backend.messages[space.text.id][nudge.id].ping_user_ids == [ada.id]
    panel = await ada.click(nudge, label="Update my commitments")
    assert panel.ephemeral
    assert said(panel).splitlines() == [
        "Your commitments in **Founders**: mark each one.",
        "1. ⬜ Ship it",
        "2. ⬜ Hire",
    ]
    ship, _ = select_ids(panel.response.message)
    marked = await ada.select(panel.response.message, ["done"], custom_id=ship)
    assert said(marked).splitlines()[1] == "1. ✅ Ship it"
    empty = await ben.click(nudge, label="Update my commitments")
    assert said(empty) == "You have no commitments to mark right now. Set some with `/goals set`."


async def test_no_nudge_when_nothing_is_open(simcord_env, space):
    await advance_to(simcord_env, SECOND)

    assert sent_by_bot(simcord_env, space.text, "🧭") == []
