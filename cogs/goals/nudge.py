"""The halfway nudge: who still has open commitments, with a button to mark them privately."""

from __future__ import annotations

import discord
from discord.ext import commands

from cogs.common.bot import MastermindBot
from cogs.common.delivery import deliverable_group, post_planned
from cogs.common.text import discord_time, fit_embed, goal_lines, mention, mentions, pinging
from cogs.goals.marking import UpdateCommitmentsButton
from mastermind.rules.keeping import to_ping
from mastermind.rules.ledger import nudge_recipients
from mastermind.services.deliveries import NothingToSend
from storage.models import PlannedSend, SendKind


class Nudges(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.NUDGE, self.deliver_nudge)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.NUDGE)

    async def deliver_nudge(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        p = await self.bot.texts.group(group)
        members = to_ping(await self.bot.store.groups.members(group.guild_id, group.id))
        recipients = nudge_recipients(members, await self.bot.store.commitments.upcoming(group.guild_id, group.id))
        if not recipients:
            raise NothingToSend("nothing_open")

        def describe(limit: int) -> str:
            lines: list[str] = []
            for user_id, commitments in recipients.items():
                lines.append(mention(user_id))
                lines += [f"• {line}" for line in goal_lines(commitments, limit, marks=False)]
            return "\n".join(lines)

        view = discord.ui.View(timeout=None)
        view.add_item(UpdateCommitmentsButton(group.id, p("goals.update_button")))
        message = await post_planned(
            self.bot,
            group,
            content=p("nudge.message", members=mentions(recipients), when=discord_time(send.meeting_at)),
            embed=discord.Embed(
                title=p("nudge.title"), description=fit_embed(describe), colour=discord.Colour.blurple()
            ),
            view=view,
            allowed_mentions=pinging(recipients),
            nonce=f"ps{send.id}",
        )
        return message.id
