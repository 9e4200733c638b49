"""/setup: server defaults and the bot's own permission check."""

from __future__ import annotations

import pytest

from storage.models import GuildSettings
from tests.bot.world import make_world, refusals, said, take_bot_permissions


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


async def test_setup_saves_defaults_and_reports_permissions(simcord_env, world):
    hosts = world.guild.create_role("Hosts")
    groups = world.guild.create_category("Groups")

    result = await world.organizer.slash(
        world.general, "setup", organizer_role=hosts, category=groups, timezone="europe/berlin"
    )

    assert result.ephemeral
    assert said(result).splitlines() == [
        "**Server settings**",
        f"Organizer role: {hosts.mention}",
        f"Category for new group channels: {groups.mention}",
        "Default time zone: `Europe/Berlin`",
        "Language of group channels, reminders and the organizers' channel: English",
        "Organizers' channel: none (check-ins with members who drift away are not reported anywhere)",
        "Confidentiality pledge: off (members join as soon as they're added)",
        "Data kept after a group is archived or a member leaves the server: 365 days",
        "✅ I have every permission I need here.",
    ]
    saved = await simcord_env.bot.store.settings.get(world.guild.id)
    assert saved == GuildSettings(
        guild_id=world.guild.id, organizer_role_id=hosts.id, category_id=groups.id, timezone="Europe/Berlin"
    )


async def test_new_group_channels_go_into_the_configured_category(simcord_env, world):
    groups = world.guild.create_category("Groups")
    await world.organizer.slash(world.general, "setup", category=groups)

    await world.organizer.slash(world.general, "group create", name="Founders")

    channel = simcord_env.bot.get_channel(world.guild.channels["founders"].id)
    assert channel.category_id == groups.id


async def test_setup_names_the_permissions_the_bot_lacks(simcord_env, world):
    take_bot_permissions(simcord_env, world.guild, manage_events=False, manage_roles=False)
    await simcord_env.settle()

    result = await world.organizer.slash(world.general, "setup")

    assert said(result).splitlines()[-1] == (
        "⚠️ I'm missing these permissions: **Manage Roles, Manage Events**. Give them to my role in Server Settings "
        "→ Roles, or some features won't work."
    )


async def test_setup_without_options_keeps_what_was_saved(simcord_env, world):
    await world.organizer.slash(world.general, "setup", timezone="Asia/Kolkata")

    result = await world.organizer.slash(world.general, "setup")

    assert "Default time zone: `Asia/Kolkata`" in said(result)


async def test_setup_is_hidden_from_members_without_manage_server(simcord_env, world):
    ada = world.guild.add_member(simcord_env.create_user("ada"))

    assert "setup" not in ada.available_commands(world.general)
    assert "setup" in world.organizer.available_commands(world.general)


async def test_setup_refuses_someone_an_admin_let_see_it_without_manage_server(simcord_env, world):
    ada = world.guild.add_member(simcord_env.create_user("ada"))
    commands = await simcord_env.bot.tree.fetch_commands()
    world.guild.set_command_permissions(next(c for c in commands if c.name == "setup"), {ada: True})

    result = await ada.slash(world.general, "setup", timezone="Europe/Berlin")

    assert said(result) == "Only members with the **Manage Server** permission can run `/setup`."
    assert refusals(simcord_env) == ["setup.manage_server_only"]
    assert await simcord_env.bot.store.settings.get(world.guild.id) == GuildSettings(guild_id=world.guild.id)


async def test_time_zone_abbreviations_are_refused_and_nothing_changes(simcord_env, world):
    await world.organizer.slash(world.general, "setup", timezone="Europe/Berlin")
    hosts = world.guild.create_role("Hosts")

    result = await world.organizer.slash(world.general, "setup", organizer_role=hosts, timezone="EST")

    assert said(result).startswith("`EST` is an abbreviation, not a time zone")
    assert refusals(simcord_env) == ["time.zone_abbreviation"]
    saved = await simcord_env.bot.store.settings.get(world.guild.id)
    assert saved.timezone == "Europe/Berlin"
    assert saved.organizer_role_id is None


async def test_timezone_option_autocompletes_from_the_zone_database(simcord_env, world):
    choices = await world.organizer.autocomplete(world.general, "setup", "timezone", "kolk")

    assert [choice["value"] for choice in choices] == ["Asia/Kolkata"]
