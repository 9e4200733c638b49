"""/privacy as members meet it: what is kept, a copy of it, and deleting it (with the bot's messages that quoted
their goals edited, and other members' records as they were)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from simcord.actors import _component_interaction

from demo.simulation import advance_to
from tests.bot.world import (
    bot_messages_containing,
    can_see,
    make_group,
    make_world,
    refusals,
    said,
    sent_by_bot,
    text_of,
)

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)
HALFWAY = datetime(2026, 1, 13, 17, tzinfo=UTC)
ADAS_GOALS = ("Ship the pricing page", "Call three customers", "Hire a designer")
BENS_GOALS = ("Write the launch post", "Plan the webinar")


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    """Ada and Ben have met once: they RSVPed, sat in the call, took the hot seat, checked what they had committed
    to and set new goals; the summary is pinned and the halfway nudge has gone out."""
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    ada, ben = space.members
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    await ada.slash(space.text, "goals set", goals=f"{ADAS_GOALS[0]}; {ADAS_GOALS[1]}")
    await ben.slash(space.text, "goals set", goals=BENS_GOALS[0])
    await advance_to(simcord_env, FIRST - timedelta(hours=24))
    reminder = sent_by_bot(simcord_env, space.text, "⏰")[-1]
    await ada.click(reminder, label="I'll be there")
    await ben.click(reminder, label="Running late")
    await advance_to(simcord_env, FIRST)
    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await advance_to(simcord_env, FIRST + timedelta(minutes=15))
    await ada.slash(space.text, "hotseat start")
    for member, status in ((ada, "done"), (ben, "partial")):
        choice = (await member.autocomplete(space.text, "goals check", "goal", ""))[0]
        await member.slash(space.text, "goals check", goal=choice["value"], status=status, note="Went well")
    await ada.slash(space.text, "goals set", goals=ADAS_GOALS[2])
    await ada.slash(space.text, "hotseat next")
    await ben.slash(space.text, "goals set", goals=BENS_GOALS[1])
    await ben.slash(space.text, "hotseat next")
    await ada.slash(space.text, "meeting end")
    await advance_to(simcord_env, HALFWAY)
    return space


async def exported(env, member, channel) -> tuple[dict, str]:
    result = await member.slash(channel, "privacy export")
    (attachment,) = (result.followups[-1] if result.followups else result.response).attachments
    raw = env.backend.cdn.get(attachment.url).decode("utf-8")
    return json.loads(raw), raw


def forged_press(env, actor, message, custom_id: str):
    """A press of a button the actor can't see (Discord shows an ephemeral reply to its owner alone; only a
    tampered client could send this)."""
    stored = env.backend.get_message(message.channel.id, message.id)
    return _component_interaction(actor, stored, {"custom_id": custom_id, "component_type": 2})


async def test_export_holds_the_members_own_data_and_nobody_elses(simcord_env, world, space):
    ada, ben = space.members

    document, raw = await exported(simcord_env, ada, world.general)

    assert document["user_id"] == ada.id
    assert document["server_id"] == world.guild.id
    assert document["groups"] == [{"group_id": 1, "name": "Founders", "status": "active"}]
    assert [m["group_id"] for m in document["memberships"]] == [1]
    assert [(c["text"], c["status"], c["note"]) for c in document["commitments"]] == [
        (ADAS_GOALS[0], "done", "Went well"),
        (ADAS_GOALS[1], "unreported", None),
        (ADAS_GOALS[2], "open", None),
    ]
    assert [r["choice"] for r in document["rsvps"]] == ["yes"]
    assert len(document["voice_sessions"]) == 1
    assert [(a["present"], a["seconds"] >= 15 * 60) for a in document["attendance"]] == [(True, True)]
    assert [(t["position"], t["status"]) for t in document["hotseat_turns"]] == [(0, "done")]
    assert [(s["meetings"], s["attended"], s["done"]) for s in document["stats"]] == [(1, 1, 1)]
    assert document["invitations"] == []
    assert document["pledge_acceptances"] == []
    # Only hers: not Ben's goals, notes or answers, not even his id.
    assert not any(goal in raw for goal in BENS_GOALS)
    assert str(ben.id) not in raw


async def test_export_reply_is_private_and_counts_what_it_holds(simcord_env, world, space):
    ada = space.members[0]

    result = await ada.slash(world.general, "privacy export")

    assert result.ephemeral
    assert said(result).startswith(
        "📦 Everything I keep about you in this server (1 group membership, 1 RSVP, 1 voice session, "
        "1 attendance record, 1 hot-seat turn, 3 commitments, 1 stats record), as a JSON file only you can see."
    )


async def test_deleting_removes_the_data_everywhere_and_leaves_other_members_as_they_were(simcord_env, world, space):
    ada, ben = space.members
    bens_stats_before = said(await ben.slash(space.text, "stats", member=ben))

    asked = await ada.slash(world.general, "privacy delete")
    done = await ada.click(asked.response.message, label="Delete my data")

    assert asked.ephemeral
    assert said(asked).startswith(
        "⚠️ This deletes everything I keep about you in this server: 1 group membership, 1 RSVP, 1 voice session, "
        "1 attendance record, 1 hot-seat turn, 3 commitments, 1 stats record."
    )
    assert said(done) == (
        "🗑️ Deleted: 1 group membership, 1 RSVP, 1 voice session, 1 attendance record, 1 hot-seat turn, "
        "3 commitments, 1 stats record. 4 of my messages that quoted your goals now say they were removed at "
        "your request."
    )
    # Gone from her export, from the group, from /goals and /stats.
    document, _ = await exported(simcord_env, ada, world.general)
    assert all(document[name] == [] for name in ("memberships", "commitments", "rsvps", "attendance", "stats"))
    assert not can_see(simcord_env, world.guild, ada, space.text)
    assert space.text.last_message.content == f"{ada.mention} left the group."
    listed = await ben.slash(space.text, "goals list", member=ada)
    assert said(listed) == f"{ada.mention} isn't in **Founders**."
    assert refusals(simcord_env) == ["group.not_a_member"]
    stats = said(await ben.slash(space.text, "stats"))
    assert ada.mention not in stats
    assert said(await ben.slash(space.text, "stats", member=ben)) == bens_stats_before
    # The bot's own messages no longer repeat her words; Ben's stay.
    everything = "\n".join(text_of(m) for m in space.text.history())
    assert not any(goal in everything for goal in ADAS_GOALS)
    assert all(goal in everything for goal in BENS_GOALS)
    (summary,) = bot_messages_containing(simcord_env, space.text, "Present:")
    assert f"{ada.mention}\nCommitments checked:\n• *removed at the member's request*\nNew commitments:\n" in text_of(
        summary
    )
    (nudge,) = sent_by_bot(simcord_env, space.text, "🧭")
    assert f"{ada.mention}\n• *removed at the member's request*\n{ben.mention}\n• {BENS_GOALS[1]}" in text_of(nudge)
    adas_turn = next(
        m for m in bot_messages_containing(simcord_env, space.text, "Hot seat:") if ada.mention in text_of(m)
    )
    assert "Goals removed at the member's request." in text_of(adas_turn)


async def test_deleting_twice_finds_nothing_the_second_time(simcord_env, world, space):
    ada = space.members[0]
    first = await ada.slash(world.general, "privacy delete")
    second = await ada.slash(world.general, "privacy delete")
    await ada.click(first.response.message, label="Delete my data")

    pressed_again = await ada.click(second.response.message, label="Delete my data")
    asked_again = await ada.slash(world.general, "privacy delete")

    nothing = "I keep nothing about you in this server, so there's nothing to delete."
    assert said(pressed_again) == said(asked_again) == nothing
    assert refusals(simcord_env) == ["privacy.nothing_to_delete"]


async def test_nobody_else_can_confirm_a_members_deletion(simcord_env, world, space):
    ada, ben = space.members
    asked = await ada.slash(world.general, "privacy delete")

    pressed = await forged_press(simcord_env, ben, asked.response.message, f"privacy:delete:{ada.id}")

    assert said(pressed) == (
        "This confirmation belongs to someone else: only the member who ran `/privacy delete` can press it."
    )
    document, _ = await exported(simcord_env, ada, world.general)
    assert len(document["commitments"]) == 3
    assert can_see(simcord_env, world.guild, ada, space.text)
    assert len((await exported(simcord_env, ben, world.general))[0]["commitments"]) == 2


async def test_a_member_on_the_hot_seat_deletes_once_their_turn_is_over(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada",))
    ada = space.members[0]
    await ada.slash(space.text, "meeting start")
    await ada.slash(space.text, "hotseat start")

    refused = await ada.slash(world.general, "privacy delete")

    assert said(refused) == "You're on the hot seat right now. Delete your data once your turn is over."
    assert refusals(simcord_env) == ["privacy.on_the_seat"]
    assert can_see(simcord_env, world.guild, ada, space.text)


async def test_anyone_can_read_what_is_kept_and_for_how_long(simcord_env, world):
    newcomer = world.member("nia")
    await world.organizer.slash(world.general, "setup", retention_days=90)

    result = await newcomer.slash(world.general, "privacy info")

    assert result.ephemeral
    text = said(result)
    assert text.startswith("🔒 **What this bot keeps about you, and why**")
    assert "deleted 90 days after it was archived" in text
    assert "**Confidentiality pledge**: this server doesn't ask for one." in text
    assert "`/privacy export`" in text
    assert "`/privacy delete`" in text


async def test_free_hours_are_exported_and_deleted_with_the_rest(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(world.general, "availability set", hours="mon-fri 07-09", timezone="Europe/Berlin")

    document, _ = await exported(simcord_env, ada, world.general)
    asked = await ada.slash(world.general, "privacy delete")
    await ada.click(asked.response.message, label="Delete my data")

    assert document["availability"] == [
        {
            "guild_id": world.guild.id,
            "user_id": ada.id,
            "timezone": "Europe/Berlin",
            "ranges": [[day, 7 * 60, 9 * 60] for day in range(5)],
        }
    ]
    assert "your free hours and time zone" in said(asked)
    assert await simcord_env.bot.store.availability.get(world.guild.id, ada.id) is None
