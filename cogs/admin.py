"""/setup: server defaults, the organizers' channel, and a check that the bot holds the permissions it needs."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.permissions import CHANNEL_PERMISSIONS, REQUIRED_PERMISSIONS, labels, missing
from cogs.common.timezones import timezone_choices
from mastermind.errors import Refusal
from mastermind.rules.timezones import parse_zone
from storage.models import GuildSettings


class Admin(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="setup", description=command_text("commands.setup"))
    @app_commands.describe(
        organizer_role=command_text("options.setup_organizer_role"),
        category=command_text("options.setup_category"),
        timezone=command_text("options.setup_timezone"),
        organizer_channel=command_text("options.setup_organizer_channel"),
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def setup_command(
        self,
        interaction: discord.Interaction,
        organizer_role: discord.Role | None = None,
        category: discord.CategoryChannel | None = None,
        timezone: str | None = None,
        organizer_channel: discord.TextChannel | None = None,
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
                "organizer_channel_id": organizer_channel.id if organizer_channel else current.organizer_channel_id,
            }
        )
        if updated != current:
            await store.settings.save(updated, now=self.bot.clock.now())
        await reply(interaction, self._describe(member.guild, updated))

    def _describe(self, guild: discord.Guild, settings: GuildSettings) -> str:
        p = self.bot.prompts
        role = guild.get_role(settings.organizer_role_id) if settings.organizer_role_id else None
        category = guild.get_channel(settings.category_id) if settings.category_id else None
        organizers = guild.get_channel(settings.organizer_channel_id) if settings.organizer_channel_id else None
        lines = [
            p(
                "setup.saved",
                role=role.mention if role else p("setup.no_role"),
                category=category.mention if category else p("setup.no_category"),
                timezone=settings.timezone,
                organizers=organizers.mention if organizers else p("setup.no_organizer_channel"),
            )
        ]
        lacking = labels(p, missing(guild.me.guild_permissions, REQUIRED_PERMISSIONS))
        if isinstance(category, discord.CategoryChannel):
            in_category = missing(category.permissions_for(guild.me), CHANNEL_PERMISSIONS)
            extra = [
                p("setup.permission_in_category", permission=labels(p, [name]), category=category.name)
                for name in in_category
                if name not in missing(guild.me.guild_permissions, REQUIRED_PERMISSIONS)
            ]
            lacking = ", ".join(filter(None, [lacking, *extra]))
        if isinstance(organizers, discord.TextChannel):
            in_channel = missing(organizers.permissions_for(guild.me), ("view_channel", "send_messages"))
            extra = [
                p("setup.permission_in_category", permission=labels(p, [name]), category=organizers.name)
                for name in in_channel
            ]
            lacking = ", ".join(filter(None, [lacking, *extra]))
        lines.append(p("setup.permissions_missing", missing=lacking) if lacking else p("setup.permissions_ok"))
        return "\n".join(lines)


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Admin(bot))
