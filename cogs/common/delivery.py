"""A group's channels: posting timed sends (Discord's answers turned into retry or give up) and notes, and who is
in its call."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import discord

from cogs.common.bot import MastermindBot
from cogs.common.text import pinging
from mastermind.services.deliveries import DeliveryFailed, DeliveryRetry
from storage.models import Group, PlannedSend

log = logging.getLogger(__name__)
T = TypeVar("T")


async def deliverable_group(bot: MastermindBot, send: PlannedSend, *, archived_too: bool = False) -> Group:
    """The group a timed send is for, as long as it still meets; the end of a meeting and its summary are
    delivered to an archived group too, so a meeting under way when the group was archived is still closed."""
    group = await bot.store.groups.get(send.guild_id, send.group_id)
    if group is None or not (group.is_active or archived_too):
        raise DeliveryFailed("group_archived")
    return group


def text_channel(bot: MastermindBot, group: Group) -> discord.TextChannel | None:
    channel = bot.get_channel(group.text_channel_id)
    return channel if isinstance(channel, discord.TextChannel) else None


def in_call(bot: MastermindBot, group: Group) -> list[int]:
    """Who is in the group's voice channel right now: members of the server only, since someone who left the
    server has left its calls too, whether or not their voice state has caught up."""
    channel = bot.get_channel(group.voice_channel_id)
    if not isinstance(channel, discord.VoiceChannel):
        return []
    return [user_id for user_id in channel.voice_states if channel.guild.get_member(user_id) is not None]


async def paced(bot: MastermindBot, request: Callable[[], Awaitable[T]]) -> T:
    """One request a timed send makes, in its turn in the bot-wide pacer, with Discord's answer turned into
    "try again later" (5xx, 429) or "give up, here's why"."""
    await bot.pacer.wait()
    try:
        return await request()
    except discord.Forbidden as error:
        raise DeliveryFailed("forbidden") from error
    except discord.NotFound as error:
        raise DeliveryFailed("channel_missing") from error
    except discord.HTTPException as error:
        if error.status >= 500 or error.status == 429:
            raise DeliveryRetry("discord_unavailable") from error
        raise DeliveryFailed("discord_rejected") from error


async def post_planned(bot: MastermindBot, group: Group, **message: Any) -> discord.Message:
    """Post a timed message in the group's channel."""
    channel = text_channel(bot, group)
    if channel is None:
        raise DeliveryFailed("channel_missing")
    return await paced(bot, lambda: channel.send(**message))


async def tell_group(
    bot: MastermindBot, group: Group, key: str, /, *, ping: Iterable[int] = (), **values: object
) -> discord.Message | None:
    """A note in the group's text channel, in the group's language. Best effort: a failure here is logged and
    never undoes what was done."""
    channel = text_channel(bot, group)
    if channel is None:
        log.warning("Group %s has no text channel to post to", group.id)
        return None
    content = (await bot.texts.group(group))(key, **values)
    try:
        return await channel.send(content, allowed_mentions=pinging(ping))
    except discord.HTTPException:
        log.warning("Could not post a note in group %s's channel", group.id, exc_info=True)
        return None


async def tell_organizers(
    bot: MastermindBot, guild_id: int, content: str, *, view: discord.ui.View | None = None
) -> discord.Message | None:
    """A note in the organizers' channel set with /setup, if there is one: paced like every message the bot
    sends on its own, pinging nobody. Best effort: a failure is logged and never undoes what was done."""
    settings = await bot.store.settings.get(guild_id)
    if settings.organizer_channel_id is None:
        return None
    channel = bot.get_channel(settings.organizer_channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning("The organizers' channel %s of server %s is gone", settings.organizer_channel_id, guild_id)
        return None
    await bot.pacer.wait()
    try:
        if view is None:
            return await channel.send(content)
        return await channel.send(content, view=view)
    except discord.HTTPException:
        log.warning("Could not post a note in the organizers' channel of server %s", guild_id, exc_info=True)
        return None
