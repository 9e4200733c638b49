"""Every option of every command, given what an adversarial member would type: each answer is a clear refusal
(or the request done as asked), never the "something went wrong" line that means a bug."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands
from simcord.backend.errors import OptionError

from prompts import load_prompts
from tests.bot.world import make_group, make_world, refusals, said

HOSTILE_TEXT = [
    "",
    " ",
    "x" * 10_000,
    "\x00\x07\x1b[2J",
    "²",
    "٣",
    "9" * 23,
    "-1",
    "0001-01-01 00:30",
    "9999-12-31 23:30",
    "25:61",
    "@everyone <@&1> <@1>",
    "\u200b\u2060\u3164",
    "'; DROP TABLE groups; --",
    "%_\\",
]
HOSTILE_INTEGERS = [0, -1, 2**53, -(2**53), 9]
# What each required option takes when another option of the command is the one under test.
VALID = {
    "name": "Sweep",
    "weekday": "tuesday",
    "time": "18:00",
    "when": "2026-01-20 10:00",
    "before": "24h",
    "goal": "1",
    "status": "done",
    "hours": "mon-fri 18-21",
    "language": "id",
    "fields": "Software; Design",
    "field": "Software",
    "experience": 1,
    "languages": "English",
    "timezone": "Europe/Berlin",
}


def leaves(tree: app_commands.CommandTree) -> list[app_commands.Command]:
    return sorted(
        (command for command in tree.walk_commands() if isinstance(command, app_commands.Command)),
        key=lambda command: command.qualified_name,
    )


def hostile_values(parameter: app_commands.Parameter) -> list[object]:
    if parameter.choices:
        return []  # Discord only sends one of the listed choices
    if parameter.type is discord.AppCommandOptionType.string:
        return HOSTILE_TEXT
    if parameter.type is discord.AppCommandOptionType.integer:
        return HOSTILE_INTEGERS
    return []  # members, roles, channels, booleans: Discord sends only real ones


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


async def test_no_option_value_makes_a_command_fail_with_the_generic_line(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    ada = space.members[0]
    await ada.slash(space.text, "goals set", goals="Ship it")
    await world.organizer.slash(world.general, "intake setup", fields=VALID["fields"])
    unexpected = load_prompts()("errors.unexpected")
    tried = 0
    for command in leaves(simcord_env.bot.tree):
        # Organizers' commands are run by the organizer from #general, the rest by a member in the group's channel.
        organizer_only = command.qualified_name in {"setup", "group create", "group add", "group remove"}
        actor, channel = (world.organizer, world.general) if organizer_only else (ada, space.text)
        for parameter in command.parameters:
            for value in hostile_values(parameter):
                options: dict[str, object] = {
                    p.name: space.members[1] if p.name == "member" else VALID[p.name]
                    for p in command.parameters
                    if p.required and p.name != parameter.name
                }
                options[parameter.name] = value
                try:
                    result = await actor.slash(channel, command.qualified_name, **options)
                except OptionError:
                    continue  # Discord itself would not send this value
                tried += 1
                assert said(result) != unexpected, (command.qualified_name, parameter.name, value)
                refusals(simcord_env)  # only refusals were raised, never an unforeseen error
                if not await simcord_env.bot.store.groups.is_member(world.guild.id, 1, ada.id):
                    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    assert tried > 150
