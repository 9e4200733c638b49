"""The time-zone option's autocomplete, shared by every command that takes a zone."""

from __future__ import annotations

import discord
from discord import app_commands

from mastermind.rules.timezones import suggest_zones


async def timezone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in suggest_zones(current)]
