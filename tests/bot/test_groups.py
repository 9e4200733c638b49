"""/group as organizers and members use it: private channels, membership, archive, and every refusal."""

from __future__ import annotations

import discord
import pytest
from simcord.backend.errors import SetupError

from mastermind.rules.names import name_key
from tests.bot.world import (
    can_connect,
    can_see,
    can_write,
    fail_after,
    group_channels,
    make_world,
    refusals,
    said,
    take_bot_permissions,
    text_of,
)


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


async def test_organizer_creates_a_private_group_space(simcord_env, world):
    outsider = world.member("oscar")

    result = await world.organizer.slash(world.general, "group create", name="Growth Crew!")

    text, voice = world.guild.channels["growth-crew"], world.guild.channels["Growth Crew!"]
    assert result.ephemeral
    assert said(result) == (
        f"Created **Growth Crew!**: {text.mention} and {voice.mention}, visible only to the group's members. "
        "Add people with `/group add`."
    )
    bot_user = simcord_env.backend.bot_user
    for channel in (text, voice):
        assert not can_see(simcord_env, world.guild, outsider, channel)
        assert can_see(simcord_env, world.guild, bot_user, channel)
    assert not can_connect(simcord_env, world.guild, outsider, voice)
    assert "private space of **Growth Crew!**" in text_of(text.last_message)
    with pytest.raises(SetupError, match="cannot read this channel"):
        text.history(viewer=outsider)


async def test_members_added_see_the_channels_and_are_welcomed(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text, voice = world.guild.channels["founders"], world.guild.channels["Founders"]

    result = await world.organizer.slash(world.general, "group add", member=ada, group="founders")

    assert result.ephemeral
    assert said(result) == f"Added {ada.mention} to **Founders**."
    assert can_write(simcord_env, world.guild, ada, text)
    assert can_connect(simcord_env, world.guild, ada, voice)
    welcome = text.last_message
    assert welcome.content == f"🎉 Welcome {ada.mention} to **Founders**!"
    notified = simcord_env.backend.messages[text.id][welcome.id]
    assert notified.ping_user_ids == [ada.id]
    assert not notified.mention_everyone
    assert [m.author.id for m in text.history(viewer=ada)]  # ada can read the channel now


async def test_group_option_defaults_to_the_channel_it_is_used_in(simcord_env, world):
    """Members run commands in their group's channel without naming it."""
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text = world.guild.channels["founders"]

    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    result = await ada.slash(text, "group leave")

    assert said(result) == "You left **Founders**. Its channels are hidden from you now."
    assert not can_see(simcord_env, world.guild, ada, text)


async def test_a_command_outside_a_group_channel_must_name_the_group(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")

    result = await world.organizer.slash(world.general, "group add", member=ada)

    assert result.ephemeral
    assert said(result) == "Which group? Run this in the group's channel, or name it with the `group` option."
    assert refusals(simcord_env) == ["group.which"]
    assert not can_see(simcord_env, world.guild, ada, world.guild.channels["founders"])


async def test_remove_and_leave_take_the_channels_away(simcord_env, world):
    ada, ben = world.member("ada"), world.member("ben")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text = world.guild.channels["founders"]
    for member in (ada, ben):
        await world.organizer.slash(world.general, "group add", member=member, group="Founders")

    removed = await world.organizer.slash(world.general, "group remove", member=ada, group="Founders")
    left = await ben.slash(text, "group leave")

    assert said(removed) == f"Removed {ada.mention} from **Founders**."
    assert said(left) == "You left **Founders**. Its channels are hidden from you now."
    for member in (ada, ben):
        assert not can_see(simcord_env, world.guild, member, text)
    notes = [m.content for m in text.history()[-2:]]
    assert notes == [f"{ada.mention} is no longer in this group.", f"{ben.mention} left the group."]


async def test_list_shows_organizers_every_group_and_members_their_own(simcord_env, world):
    ada = world.member("ada")
    for name in ("Founders", "Writers"):
        await world.organizer.slash(world.general, "group create", name=name)
    await world.organizer.slash(world.general, "group add", member=ada, group="Writers")

    everything = await world.organizer.slash(world.general, "group list")
    mine = await ada.slash(world.general, "group list")

    founders, writers = world.guild.channels["founders"], world.guild.channels["writers"]
    assert said(everything).splitlines() == [
        "**2 groups in this server**",
        f"• **Founders**: 0 members · {founders.mention}",
        f"• **Writers**: 1 member · {writers.mention}",
    ]
    assert said(mine).splitlines() == ["**Your group**", f"• **Writers**: 1 member · {writers.mention}"]


async def test_info_lists_members_and_channels(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text, voice = world.guild.channels["founders"], world.guild.channels["Founders"]
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    result = await ada.slash(text, "group info")

    assert result.ephemeral
    assert said(result).splitlines()[:3] == [
        "**Founders**",
        f"Members (1): {ada.mention}",
        f"Channels: {text.mention} · {voice.mention}",
    ]


async def test_info_on_someone_elses_group_is_refused(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")

    result = await ada.slash(world.general, "group info", group="Founders")

    assert said(result) == "Only members of **Founders** and organizers can do that."
    assert refusals(simcord_env) == ["group.members_only"]


async def test_archive_makes_channels_read_only_and_keeps_history(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text, voice = world.guild.channels["founders"], world.guild.channels["Founders"]
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    result = await world.organizer.slash(world.general, "group archive", group="Founders")

    assert said(result) == "Archived **Founders**. Members can still read its channel; nothing was deleted."
    assert can_see(simcord_env, world.guild, ada, text)
    assert not can_write(simcord_env, world.guild, ada, text)
    assert not can_connect(simcord_env, world.guild, ada, voice)
    assert len(text.history(viewer=ada)) >= 2  # the intro and welcome are still there
    listing = await world.organizer.slash(world.general, "group list")
    assert "• **Founders** (archived): 1 member" in said(listing)
    info = await ada.slash(text, "group info")
    assert said(info).startswith("**Founders** (archived)")

    again = await world.organizer.slash(world.general, "group add", member=world.member("ben"), group="Founders")
    assert (
        said(again) == "**Founders** is archived, so it can't be changed any more. Its history is still there to read."
    )
    assert refusals(simcord_env) == ["group.archived"]


async def test_autocomplete_offers_organizers_all_groups_and_members_theirs(simcord_env, world):
    ada = world.member("ada")
    for name in ("Founders", "Fiction Writers", "Runners"):
        await world.organizer.slash(world.general, "group create", name=name)
    await world.organizer.slash(world.general, "group add", member=ada, group="Runners")

    organizer_choices = await world.organizer.autocomplete(world.general, "group info", "group", "f")
    member_choices = await ada.autocomplete(world.general, "group info", "group", "")

    assert [c["value"] for c in organizer_choices] == ["Fiction Writers", "Founders"]
    assert [c["value"] for c in member_choices] == ["Runners"]


async def test_member_leaving_the_server_leaves_their_groups(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text = world.guild.channels["founders"]
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    world.guild.remove_member(ada)
    await simcord_env.settle()

    assert text.last_message.content == f"{ada.mention} left the server and is no longer in this group."
    members = await simcord_env.bot.store.groups.members(world.guild.id, 1)
    assert members == []


async def test_organizer_role_from_setup_may_create_groups(simcord_env, world):
    hosts = world.guild.create_role("Hosts")
    host = world.guild.add_member(simcord_env.create_user("hana"), roles=[hosts])
    before = await host.slash(world.general, "group create", name="Founders")
    assert refusals(simcord_env) == ["errors.organizers_only"]

    await world.organizer.slash(world.general, "setup", organizer_role=hosts)
    after = await host.slash(world.general, "group create", name="Founders")

    assert said(before).startswith("Only organizers can do that")
    assert said(after).startswith("Created **Founders**")


async def test_restart_keeps_every_group(simcord_env, world, restart):
    ada = world.member("ada")
    for name in ("Founders", "Writers"):
        await world.organizer.slash(world.general, "group create", name=name)
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    await restart()

    listing = await world.organizer.slash(world.general, "group list")
    assert "• **Founders**: 1 member" in said(listing)
    assert "• **Writers**: 0 members" in said(listing)
    info = await ada.slash(world.guild.channels["founders"], "group info")
    assert f"Members (1): {ada.mention}" in said(info)


# ------------------------------------------------------------------ refusals: nothing changes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("   ", "A group needs a name: 1 to 40 characters."),
        ("x" * 41, "That name is 41 characters long; the limit is 40. Try a shorter one."),
    ],
)
async def test_bad_names_are_refused(simcord_env, world, name, expected):
    result = await world.organizer.slash(world.general, "group create", name=name)

    assert result.ephemeral
    assert said(result) == expected
    assert refusals(simcord_env)
    assert group_channels(world.guild) == {}


async def test_duplicate_names_are_refused_ignoring_case(simcord_env, world):
    await world.organizer.slash(world.general, "group create", name="Founders")
    before = group_channels(world.guild)

    result = await world.organizer.slash(world.general, "group create", name="FOUNDERS")

    assert said(result).startswith("There's already a group called **FOUNDERS** here")
    assert refusals(simcord_env) == ["group.name_taken"]
    assert group_channels(world.guild).keys() == before.keys()


async def test_non_organizers_cannot_create_or_change_groups(simcord_env, world):
    ada, ben = world.member("ada"), world.member("ben")
    await world.organizer.slash(world.general, "group create", name="Founders")

    attempts = [
        await ada.slash(world.general, "group create", name="Mine"),
        await ada.slash(world.general, "group add", member=ben, group="Founders"),
        await ada.slash(world.general, "group archive", group="Founders"),
    ]

    for result in attempts:
        assert result.ephemeral
        assert said(result).startswith("Only organizers can do that")
    assert refusals(simcord_env) == ["errors.organizers_only"] * 3
    assert set(group_channels(world.guild)) == {"founders", "Founders"}
    assert not can_see(simcord_env, world.guild, ben, world.guild.channels["founders"])


async def test_membership_refusals(simcord_env, world):
    ada = world.member("ada")
    robot = world.guild.add_member(simcord_env.create_user("helperbot", bot=True))
    await world.organizer.slash(world.general, "group create", name="Founders")
    text = world.guild.channels["founders"]
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    ben = world.member("ben")

    results = [
        await world.organizer.slash(world.general, "group add", member=ada, group="Founders"),
        await world.organizer.slash(world.general, "group add", member=robot, group="Founders"),
        await world.organizer.slash(world.general, "group remove", member=ben, group="Founders"),
        await world.organizer.slash(world.general, "group add", member=ada, group="Nope"),
        await ben.slash(world.general, "group leave", group="Founders"),
    ]

    assert [said(r) for r in results] == [
        f"{ada.mention} is already in **Founders**.",
        f"{robot.mention} is a bot; only people can join a group.",
        f"{ben.mention} isn't in **Founders**.",
        "I can't find a group called **Nope** in this server. Pick one from the list as you type.",
        "You're not in **Founders**.",
    ]
    assert refusals(simcord_env) == [
        "group.already_member",
        "group.add_bot",
        "group.not_a_member",
        "group.not_found",
        "group.you_are_not_a_member",
    ]
    members = await simcord_env.bot.store.groups.members(world.guild.id, 1)
    assert [m.user_id for m in members] == [ada.id]
    assert not can_see(simcord_env, world.guild, robot, text)


@pytest.mark.parametrize(
    ("permission", "label"), [("manage_channels", "Manage Channels"), ("manage_roles", "Manage Roles")]
)
async def test_bot_without_channel_permissions_says_which_is_missing(simcord_env, world, permission, label):
    take_bot_permissions(simcord_env, world.guild, **{permission: False})
    await simcord_env.settle()

    result = await world.organizer.slash(world.general, "group create", name="Founders")

    assert said(result) == (
        f"I need the **{label}** permission to set up group channels. Give it to my role in Server Settings → Roles, "
        "then try again. Nothing was changed."
    )
    assert refusals(simcord_env) == ["group.bot_missing"]
    assert group_channels(world.guild) == {}


async def test_discord_error_half_way_through_creation_leaves_nothing_behind(simcord_env, world):
    fail_after(simcord_env, "CHANNEL_CREATE", "POST", f"/guilds/{world.guild.id}/channels")

    result = await world.organizer.slash(world.general, "group create", name="Founders")

    assert said(result).startswith("Discord returned an error (HTTP 500) part-way through, so I undid what I'd done")
    assert refusals(simcord_env) == ["group.discord_failed"]
    assert group_channels(world.guild) == {}
    assert await simcord_env.bot.store.groups.by_key(world.guild.id, name_key("Founders")) is None
    retry = await world.organizer.slash(world.general, "group create", name="Founders")
    assert said(retry).startswith("Created **Founders**")


async def test_discord_error_half_way_through_adding_restores_access(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group create", name="Founders")
    text, voice = world.guild.channels["founders"], world.guild.channels["Founders"]
    simcord_env.inject_error("PUT", f"/channels/{voice.id}/permissions/*")

    result = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    assert said(result).startswith("Discord returned an error (HTTP 500) part-way through")
    assert refusals(simcord_env) == ["group.discord_failed"]
    assert not can_see(simcord_env, world.guild, ada, text)
    assert await simcord_env.bot.store.groups.members(world.guild.id, 1) == []


async def test_unexpected_errors_get_a_short_generic_reply_and_the_bot_keeps_running(simcord_env, world, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(simcord_env.bot.store.groups, "summaries", broken)

    result = await world.organizer.slash(world.general, "group list")

    assert result.ephemeral
    assert said(result) == "Something went wrong on my side and nothing was changed. Please try again in a moment."
    errors = simcord_env.errors
    assert len(errors) == 1
    assert isinstance(errors[0].original, RuntimeError)
    monkeypatch.undo()
    ok = await world.organizer.slash(world.general, "group list")
    assert said(ok) == "There are no groups yet. Create one with `/group create`."


async def test_group_names_never_ping_anyone(simcord_env, world):
    await world.organizer.slash(world.general, "group create", name="@everyone party")
    text = world.guild.channels["everyone-party"]

    intro = simcord_env.backend.messages[text.id][text.last_message.id]

    assert not intro.mention_everyone
    assert not intro.ping_role_ids
    assert not intro.ping_user_ids
    assert isinstance(text.last_message, discord.Message)
