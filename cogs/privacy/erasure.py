"""Deleting one member's data in a server, at their request or when its time is up: out of their groups (the
channels too), every row the bot keeps about them, and their goals taken out of the bot's messages that quoted
them."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass

import discord

from cogs.common.bot import MastermindBot
from cogs.common.delivery import tell_group
from cogs.common.membership import group_channels, require_channel_permissions, set_access
from cogs.common.text import without_goals_of
from cogs.meetings.render import removed_turn_view
from mastermind.errors import Refusal
from mastermind.services.events import MemberLeftGroup
from prompts import Prompts
from storage.models import BotMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erased:
    """What deleting a member's data did: the rows deleted in each section, and the messages edited."""

    rows: dict[str, int]
    messages_edited: int


async def erase_member(
    bot: MastermindBot, guild_id: int, user_id: int, *, member: discord.Member | None = None
) -> Erased:
    """Delete what the bot keeps about the member in this server. A member still in the server (`member`) loses
    their groups' channels first; if Discord fails part-way, their access is put back and nothing is deleted."""
    groups = await bot.store.groups.groups_of(guild_id, user_id)
    quoting = await bot.privacy.quoting_messages(guild_id, user_id)
    reason = (await bot.texts.server(guild_id))("audit.member_data_deleted")
    try:
        async with AsyncExitStack() as undo:
            if member is not None and groups:
                require_channel_permissions(member.guild)
                for group in groups:
                    for channel in group_channels(bot, group):
                        await set_access(bot, undo, channel, member, None, reason)
            rows = await bot.privacy.erase(guild_id, user_id)
            undo.pop_all()
    except discord.HTTPException as error:
        raise Refusal("group.discord_failed", status=error.status) from error
    for group in groups:
        if group.is_active:
            await tell_group(bot, group, "group.left", member=f"<@{user_id}>")
        await bot.events.publish(MemberLeftGroup(group, user_id))
    return Erased(rows, await remove_quotes(bot, guild_id, quoting, user_id))


async def remove_quotes(bot: MastermindBot, guild_id: int, messages: list[BotMessage], user_id: int) -> int:
    """Edit the bot's messages so the member's goals read "removed at the member's request" (in the language of
    the group each message is in); best effort, each request in its turn in the bot-wide pacer. Returns how many
    messages were edited."""
    languages: dict[int, Prompts] = {}
    edited = 0
    for quoted in messages:
        if quoted.group_id not in languages:
            group = await bot.store.groups.get(guild_id, quoted.group_id)
            languages[quoted.group_id] = await (bot.texts.group(group) if group else bot.texts.server(guild_id))
        p = languages[quoted.group_id]
        removed = p("privacy.removed")
        channel = bot.get_channel(quoted.channel_id)
        if not isinstance(channel, discord.TextChannel):
            continue
        try:
            if quoted.kind == "turn":
                await bot.pacer.wait()
                await channel.get_partial_message(quoted.message_id).edit(
                    view=removed_turn_view(p, user_id), allowed_mentions=discord.AllowedMentions.none()
                )
                edited += 1
                continue
            await bot.pacer.wait()
            message = await channel.fetch_message(quoted.message_id)
            embeds = [embed.copy() for embed in message.embeds]
            changed = False
            for embed in embeds:
                if embed.description:
                    description = without_goals_of(embed.description, user_id, removed)
                    changed = changed or description != embed.description
                    embed.description = description
            if changed:
                await bot.pacer.wait()
                await message.edit(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())
                edited += 1
        except discord.HTTPException:
            log.info("Could not remove a member's goals from message %s", quoted.message_id, exc_info=True)
    return edited
