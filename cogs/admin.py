"""/setup: server defaults, the organizers' channel, the confidentiality pledge, how long data is kept, and a
check that the bot holds the permissions it needs."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot
from cogs.common.errors import reply
from cogs.common.i18n import command_text, language_choices, language_name, spoken
from cogs.common.permissions import CHANNEL_PERMISSIONS, REQUIRED_PERMISSIONS, labels, missing
from cogs.common.timezones import timezone_choices
from mastermind.errors import Refusal
from mastermind.rules.pledge import MAX_PLEDGE_LENGTH, parse_pledge_text, pledge_version_after
from mastermind.rules.retention import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, check_retention
from mastermind.rules.timezones import parse_zone
from prompts import Prompts
from storage.models import GuildSettings

PLEDGE_CHOICES = ("on", "off")


class Admin(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="setup", description=command_text("commands.setup"))
    @app_commands.describe(
        organizer_role=command_text("options.setup_organizer_role"),
        category=command_text("options.setup_category"),
        timezone=command_text("options.setup_timezone"),
        organizer_channel=command_text("options.setup_organizer_channel"),
        pledge=command_text("options.setup_pledge"),
        pledge_text=command_text("options.setup_pledge_text", max=MAX_PLEDGE_LENGTH),
        retention_days=command_text("options.setup_retention_days", min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS),
        language=command_text("options.setup_language"),
    )
    @app_commands.choices(
        pledge=[app_commands.Choice(name=command_text(f"setup.pledge_choice_{v}"), value=v) for v in PLEDGE_CHOICES],
        language=language_choices(),
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
        pledge: str | None = None,
        pledge_text: str | None = None,
        retention_days: int | None = None,
        language: str | None = None,
    ) -> None:
        member = member_of(interaction)
        if not member.guild_permissions.manage_guild:
            raise Refusal("setup.manage_server_only")
        if organizer_role is not None and organizer_role.is_default():
            raise Refusal("setup.everyone_role")
        if pledge is not None and pledge not in PLEDGE_CHOICES:
            raise Refusal("setup.pledge_unknown", value=pledge)  # Discord sends only the choices; a forged value
        text = parse_pledge_text(pledge_text) if pledge_text is not None else None
        days = check_retention(retention_days) if retention_days is not None else None
        current = await self.bot.store.settings.get(member.guild.id)
        updated = current.model_copy(
            update={
                "organizer_role_id": organizer_role.id if organizer_role else current.organizer_role_id,
                "category_id": category.id if category else current.category_id,
                "timezone": parse_zone(timezone) if timezone else current.timezone,
                "organizer_channel_id": organizer_channel.id if organizer_channel else current.organizer_channel_id,
                "pledge_enabled": pledge == "on" if pledge else current.pledge_enabled,
                "pledge_text": text or current.pledge_text,
                "pledge_version": pledge_version_after(current.pledge_version, current.pledge_text, text),
                "retention_days": days or current.retention_days,
                "language": spoken(language) if language else current.language,
            }
        )
        if updated != current:
            await self.bot.privacy.save_settings(updated, previous=current)
            self.bot.texts.forget(member.guild.id)
        await reply(interaction, self._describe(await self.bot.texts.reply(interaction), member.guild, updated))

    def _describe(self, p: Prompts, guild: discord.Guild, settings: GuildSettings) -> str:
        role = guild.get_role(settings.organizer_role_id) if settings.organizer_role_id else None
        category = guild.get_channel(settings.category_id) if settings.category_id else None
        organizers = guild.get_channel(settings.organizer_channel_id) if settings.organizer_channel_id else None
        lines = [
            p(
                "setup.saved",
                role=role.mention if role else p("setup.no_role"),
                category=category.mention if category else p("setup.no_category"),
                timezone=f"`{settings.timezone}`" if settings.timezone else p("setup.no_timezone"),
                language=language_name(settings.language),
                organizers=organizers.mention if organizers else p("setup.no_organizer_channel"),
                pledge=p(
                    "setup.pledge_off"
                    if not settings.pledge_enabled
                    else "setup.pledge_own"
                    if settings.pledge_text
                    else "setup.pledge_default",
                    version=settings.pledge_version,
                ),
                days=settings.retention_days,
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
