"""A group's private space: its text and voice channels and its record, made all together or not at all. The one
way a group comes to be, for /group create and for the groups matching forms."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass

import discord

from cogs.common.bot import MastermindBot
from cogs.common.delivery import tell_group
from cogs.common.i18n import bot_language_named
from cogs.common.membership import require_channel_permissions
from cogs.common.permissions import BOT_ACCESS, CHANNEL_PERMISSIONS, HIDDEN, permission_terms
from cogs.common.text import shown
from mastermind.errors import Refusal
from mastermind.rules.names import name_key, text_channel_name, voice_channel_name
from storage.groups import GroupNameTaken
from storage.models import Group

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Space:
    group: Group
    text: discord.TextChannel
    voice: discord.VoiceChannel


async def create_space(
    bot: MastermindBot,
    guild: discord.Guild,
    *,
    name: str,
    created_by: discord.Member,
    target_size: int | None = None,
    shared_language: str | None = None,
) -> Space:
    """Create the group's channels, visible to nobody but the bot until members join, and its record; if Discord
    fails part-way, the channels made so far are deleted and nothing is recorded. Then the channel hears what it
    is. `name` is a clean group name; refused when the server has a group of that name."""
    store = bot.store
    if await store.groups.by_key(guild.id, name_key(name)) is not None:
        raise Refusal("group.name_taken", name=name)
    require_channel_permissions(guild)
    settings = await store.settings.get(guild.id)
    category = guild.get_channel(settings.category_id) if settings.category_id else None
    parent = category if isinstance(category, discord.CategoryChannel) else None
    overwrites: dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite] = {
        guild.default_role: HIDDEN,
        guild.me: BOT_ACCESS,
    }
    server = await bot.texts.server(guild.id)
    reason = server("audit.group_created", name=name, who=created_by)
    try:
        async with AsyncExitStack() as undo:
            text = await guild.create_text_channel(
                text_channel_name(name),
                category=parent,
                overwrites=overwrites,
                topic=server("group.topic", name=name),
                reason=reason,
            )
            undo.push_async_callback(_delete_quietly, bot, text)
            voice = await guild.create_voice_channel(
                voice_channel_name(name), category=parent, overwrites=overwrites, reason=reason
            )
            undo.push_async_callback(_delete_quietly, bot, voice)
            group = await store.groups.create(
                guild_id=guild.id,
                name=name,
                name_key=name_key(name),
                text_channel_id=text.id,
                voice_channel_id=voice.id,
                created_by=created_by.id,
                now=bot.clock.now(),
                target_size=target_size,
                shared_language=shared_language,
                # A group formed around a language writes in it, when the bot speaks it.
                language=bot_language_named(shared_language) if shared_language else None,
            )
            undo.pop_all()
    except GroupNameTaken as error:
        raise Refusal("group.name_taken", name=name) from error
    except discord.Forbidden as error:
        raise Refusal("group.bot_missing", permissions=permission_terms(CHANNEL_PERMISSIONS)) from error
    except discord.HTTPException as error:
        raise Refusal("group.discord_failed", status=error.status) from error
    await tell_group(bot, group, "group.intro", name=shown(group.name), voice=voice.mention)
    return Space(group, text, voice)


async def _delete_quietly(bot: MastermindBot, channel: discord.abc.GuildChannel) -> None:
    try:
        await channel.delete(reason=(await bot.texts.server(channel.guild.id))("audit.undo_creation"))
    except discord.HTTPException:
        log.warning("Could not delete channel %s while undoing a failed group creation", channel.id, exc_info=True)
