"""Retention in virtual time: an archived group's history is deleted once the server's period is over (a week's
notice first), a departed member's data too; each exactly once, across restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.simulation import advance_to
from tests.bot.world import bot_messages_containing, make_group, make_world, said, sent_by_bot, text_of

DAY = timedelta(days=1)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


async def held_a_meeting(space) -> None:
    """Each member set a goal, then met: attendance, hot-seat turns, and a summary that quotes the goals."""
    first = space.members[0]
    for member in space.members:
        await member.slash(space.text, "goals set", goals=f"Goal of {member.name}")
    await first.slash(space.text, "meeting start")
    await first.join_voice(space.voice)
    await first.slash(space.text, "hotseat start")
    for member in space.members:  # whoever is in the call first, then in the order they joined
        await member.slash(space.text, "hotseat next")
    await first.leave_voice()
    await first.slash(space.text, "meeting end")


async def kept(env, world, member) -> dict[str, int]:
    """How many rows of each kind the bot keeps about the member in the server."""
    return (await env.bot.privacy.holdings(world.guild.id, member.id)).counts()


async def test_an_archived_groups_history_is_deleted_after_a_weeks_notice_across_restarts(simcord_env, world, restart):
    await world.organizer.slash(world.general, "setup", retention_days=60)
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    other = await make_group(simcord_env, world, name="Writers", members=())
    ada, ben = space.members
    await world.organizer.slash(world.general, "group add", member=ada, group="Writers")
    await ada.slash(other.text, "goals set", goals="Finish chapter one")
    await held_a_meeting(space)
    await world.organizer.slash(world.general, "group archive", group="Founders")
    archived_at = simcord_env.now()
    before = await kept(simcord_env, world, ada)
    await restart()

    await advance_to(simcord_env, archived_at + 53 * DAY - timedelta(minutes=1))
    assert sent_by_bot(simcord_env, space.text, "🧹") == []
    await advance_to(simcord_env, archived_at + 53 * DAY)
    (notice,) = sent_by_bot(simcord_env, space.text, "🧹")
    assert notice.content.startswith(f"🧹 {ada.mention} {ben.mention}\nThis archived group's records")
    assert "run `/privacy export` before then" in notice.content
    stored = simcord_env.backend.messages[space.text.id][notice.id]
    assert sorted(stored.ping_user_ids) == sorted([ada.id, ben.id])
    assert await kept(simcord_env, world, ada) == before  # nothing deleted yet

    await restart()
    await advance_to(simcord_env, archived_at + 60 * DAY + timedelta(minutes=5))

    after = await kept(simcord_env, world, ada)
    assert before["commitments"] == 2
    assert after["commitments"] == 1  # the other group's goal stays
    assert (before["attendance"], after["attendance"]) == (1, 0)
    assert (before["hotseat_turns"], after["hotseat_turns"]) == (1, 0)
    assert (before["voice_sessions"], after["voice_sessions"]) == (1, 0)
    assert (before["stats"], after["stats"]) == (1, 0)
    assert after["memberships"] == 2  # the archived channel is the admins' to remove; its members can still read it
    assert len(sent_by_bot(simcord_env, space.text, "🧹")) == 1
    assert "Founders" in said(await world.organizer.slash(world.general, "group list"))
    await restart()
    await simcord_env.advance_time(DAY.total_seconds())
    assert len(sent_by_bot(simcord_env, space.text, "🧹")) == 1


async def test_a_shorter_retention_period_moves_the_purges_already_planned(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada",))
    await held_a_meeting(space)
    await world.organizer.slash(world.general, "group archive", group="Founders")
    archived_at = simcord_env.now()

    await world.organizer.slash(world.general, "setup", retention_days=30)
    await advance_to(simcord_env, archived_at + 23 * DAY)

    (notice,) = sent_by_bot(simcord_env, space.text, "🧹")
    assert "this server keeps an archived group's data for 30 days" in notice.content
    await advance_to(simcord_env, archived_at + 30 * DAY)
    assert (await kept(simcord_env, world, space.members[0]))["commitments"] == 0


async def test_a_member_who_left_the_server_has_their_data_deleted_once_the_period_is_over(simcord_env, world, restart):
    await world.organizer.slash(world.general, "setup", retention_days=30)
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    ada, ben = space.members
    await held_a_meeting(space)
    world.guild.remove_member(ada)
    await simcord_env.settle()
    left_at = simcord_env.now()
    await restart()

    await advance_to(simcord_env, left_at + 30 * DAY - timedelta(minutes=1))
    assert (await kept(simcord_env, world, ada))["commitments"] == 1
    await advance_to(simcord_env, left_at + 30 * DAY + timedelta(minutes=1))  # its edits wait their turn in the pacer

    assert not any((await kept(simcord_env, world, ada)).values())
    assert (await kept(simcord_env, world, ben))["commitments"] == 1
    (summary,) = bot_messages_containing(simcord_env, space.text, "Present:")
    assert "Goal of ada" not in text_of(summary)
    assert "Goal of ben" in text_of(summary)


async def test_a_member_who_comes_back_keeps_their_data(simcord_env, world):
    await world.organizer.slash(world.general, "setup", retention_days=30)
    space = await make_group(simcord_env, world, members=("ada",))
    ada = space.members[0]
    await held_a_meeting(space)
    world.guild.remove_member(ada)
    await simcord_env.settle()
    left_at = simcord_env.now()
    await simcord_env.advance_time(DAY.total_seconds())
    world.guild.add_member(ada.user)
    await simcord_env.settle()

    await advance_to(simcord_env, left_at + 31 * DAY)

    assert (await kept(simcord_env, world, ada))["commitments"] == 1


async def test_a_group_archived_before_retention_existed_gets_its_weeks_notice_at_the_upgrade(
    simcord_env, world, restart
):
    space = await make_group(simcord_env, world, members=("ada",))
    await held_a_meeting(space)
    await world.organizer.slash(world.general, "group archive", group="Founders")
    # As a database from before retention existed: nothing planned for the archived group.
    await simcord_env.bot.store.db.execute(
        "DELETE FROM planned_sends WHERE kind IN ('retention_notice', 'group_purge')"
    )
    await simcord_env.advance_time((400 * DAY).total_seconds())

    await restart()  # the new version plans what is missing; the year is long over
    await simcord_env.advance_time(60)

    (notice,) = sent_by_bot(simcord_env, space.text, "🧹")
    upgraded_at = notice.created_at
    assert (await kept(simcord_env, world, space.members[0]))["commitments"] == 1
    await advance_to(simcord_env, upgraded_at + 7 * DAY + timedelta(minutes=1))
    assert (await kept(simcord_env, world, space.members[0]))["commitments"] == 0


async def test_someone_in_no_group_who_leaves_has_their_free_hours_deleted_at_once(simcord_env, world):
    lou = world.member("lou")
    await lou.slash(world.general, "availability set", hours="mon 18-20", timezone="Europe/Berlin")
    assert (await kept(simcord_env, world, lou))["availability"] == 1

    world.guild.remove_member(lou)
    await simcord_env.settle()

    assert not simcord_env.errors
    assert not any((await kept(simcord_env, world, lou)).values())


async def test_after_an_archived_groups_history_is_deleted_its_chart_shows_none_of_it(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada",))
    await held_a_meeting(space)
    before = await world.organizer.slash(world.general, "stats", group="Founders")
    await world.organizer.slash(world.general, "group archive", group="Founders")
    archived_at = simcord_env.now()

    await advance_to(simcord_env, archived_at + 365 * DAY + timedelta(minutes=5))
    after = await world.organizer.slash(world.general, "stats", group="Founders")

    (drawn_before,) = before.response.attachments
    assert "absent 1," in drawn_before.description
    assert "Commitments kept per meeting ranged" in drawn_before.description
    attachments = after.response.attachments
    assert all("absent 1," not in a.description for a in attachments)
    assert all("Commitments kept per meeting ranged" not in a.description for a in attachments)
