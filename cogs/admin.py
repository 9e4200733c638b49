"""/setup: server defaults, and a check that the bot holds the permissions it needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.shared import member_of, reply, timezone_choices
from mastermind.errors import Refusal
from mastermind.timezones import parse_zone
from storage.models import GuildSettings

if TYPE_CHECKING:
    from bot import MastermindBot

# What the bot needs server-wide, with the name Discord's settings screen shows for each.
REQUIRED_PERMISSIONS = (
    ("manage_channels", "Manage Channels"),
    ("manage_roles", "Manage Roles"),
    ("view_channel", "View Channels"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("read_message_history", "Read Message History"),
    ("manage_messages", "Manage Messages"),
    ("connect", "Connect"),
    ("manage_events", "Manage Events"),
)


def missing_permissions(permissions: discord.Permissions) -> list[str]:
    return [label for attribute, label in REQUIRED_PERMISSIONS if not getattr(permissions, attribute)]


class Admin(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="setup", description="Set the organizer role, channel category and default time zone")
    @app_commands.describe(
        organizer_role="Members with this role may create and run groups (Manage Server always may)",
        category="New group channels go into this category",
        timezone="Default time zone for schedules, e.g. Europe/Berlin",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def setup_command(
        self,
        interaction: discord.Interaction,
        organizer_role: discord.Role | None = None,
        category: discord.CategoryChannel | None = None,
        timezone: str | None = None,
    ) -> None:
        member = member_of(interaction)
        if not member.guild_permissions.manage_guild:
            raise Refusal("setup.manage_server_only")
        if organizer_role is not None and organizer_role.is_default():
            raise Refusal("setup.everyone_role")
        store = self.bot.store
        current = await store.settings.get(member.guild.id)
        updated = current.model_copy(
            update={
                "organizer_role_id": organizer_role.id if organizer_role else current.organizer_role_id,
                "category_id": category.id if category else current.category_id,
                "timezone": parse_zone(timezone) if timezone else current.timezone,
            }
        )
        if updated != current:
            await store.settings.save(updated, now=self.bot.clock.now())
        await reply(interaction, self._describe(member.guild, updated))

    setup_command.autocomplete("timezone")(timezone_choices)

    def _describe(self, guild: discord.Guild, settings: GuildSettings) -> str:
        p = self.bot.prompts
        role = guild.get_role(settings.organizer_role_id) if settings.organizer_role_id else None
        category = guild.get_channel(settings.category_id) if settings.category_id else None
        lines = [
            p(
                "setup.saved",
                role=role.mention if role else p("setup.no_role"),
                category=category.mention if category else p("setup.no_category"),
                timezone=settings.timezone,
            )
        ]
        missing = missing_permissions(guild.me.guild_permissions)
        if isinstance(category, discord.CategoryChannel):
            in_category = category.permissions_for(guild.me)
            for attribute, label in (
                ("manage_channels", "Manage Channels"),
                ("manage_roles", "Manage Roles"),
            ):
                if not getattr(in_category, attribute) and label not in missing:
                    missing.append(f"{label} ({category.name})")
        lines.append(
            p("setup.permissions_missing", missing=", ".join(missing)) if missing else p("setup.permissions_ok")
        )
        return "\n".join(lines)


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Admin(bot))
