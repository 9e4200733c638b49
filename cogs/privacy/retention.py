"""Retention, as timed sends: a week's notice in an archived group's channel, then the purge of its history; and
the purge of a departed member's data. Each happens once, across restarts, like every planned send."""

from __future__ import annotations

from discord.ext import commands

from cogs.common.bot import MastermindBot
from cogs.common.delivery import paced, post_planned
from cogs.common.membership import member_in
from cogs.common.text import discord_time, mentions, pinging
from cogs.privacy.erasure import erase_member
from mastermind.rules.retention import deleted_after_notice
from mastermind.services.deliveries import NothingToSend
from storage.models import Group, PlannedSend, SendKind


class Retention(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        deliveries = self.bot.deliveries
        deliveries.register(SendKind.RETENTION_NOTICE, self.deliver_notice)
        deliveries.register(SendKind.GROUP_PURGE, self.deliver_group_purge)
        deliveries.register(SendKind.MEMBER_PURGE, self.deliver_member_purge)

    async def cog_unload(self) -> None:
        for kind in (SendKind.RETENTION_NOTICE, SendKind.GROUP_PURGE, SendKind.MEMBER_PURGE):
            self.bot.deliveries.unregister(kind)

    async def _archived_group(self, send: PlannedSend) -> Group:
        group = await self.bot.store.groups.get(send.guild_id, send.group_id)
        if group is None or group.is_active:
            raise NothingToSend("group_active")
        return group

    async def deliver_notice(self, send: PlannedSend) -> int:
        group = await self._archived_group(send)
        days = (await self.bot.store.settings.get(group.guild_id)).retention_days
        members = [m.user_id for m in await self.bot.store.groups.members(group.guild_id, group.id)]
        message = await post_planned(
            self.bot,
            group,
            content=(await self.bot.texts.group(group))(
                "retention.notice",
                members=mentions(members),
                when=discord_time(deleted_after_notice(send.due_at)),
                days=days,
            ),
            allowed_mentions=pinging(members),
            nonce=f"ps{send.id}",
        )
        return message.id

    async def deliver_group_purge(self, send: PlannedSend) -> None:
        await self.bot.privacy.purge_group(await self._archived_group(send))

    async def deliver_member_purge(self, send: PlannedSend) -> None:
        if await paced(self.bot, lambda: member_in(self.bot, send.guild_id, send.detail)) is not None:
            raise NothingToSend("member_returned")  # they came back while the bot was away
        await erase_member(self.bot, send.guild_id, send.detail)
