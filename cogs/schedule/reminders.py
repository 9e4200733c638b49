"""Reminders before a meeting, with the RSVP buttons and the tally they keep."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import discord
from discord.ext import commands

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import deliverable_group, post_planned, text_channel
from cogs.common.items import Answering, label_of
from cogs.common.text import discord_time, mention, mentions, pinging, shown
from mastermind.errors import Refusal
from mastermind.rules.keeping import to_ping
from mastermind.rules.meetings import opened_by_hand, rsvp_open
from mastermind.services.deliveries import NothingToSend
from prompts import Prompts
from storage.models import Group, PlannedSend, Rsvp, RsvpChoice, SendKind, from_epoch

log = logging.getLogger(__name__)

RSVP_LOOKS: dict[RsvpChoice, tuple[str, discord.ButtonStyle]] = {
    "yes": ("✅", discord.ButtonStyle.success),
    "late": ("⏱️", discord.ButtonStyle.secondary),
    "no": ("❌", discord.ButtonStyle.danger),
}


class RsvpButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rsvp:(?P<group_id>\d+):(?P<meeting_at>\d+):(?P<choice>yes|late|no)",
):
    """I'll be there / Running late / Can't make it, on every reminder; works after restarts."""

    def __init__(self, group_id: int, meeting_at: int, choice: RsvpChoice, label: str) -> None:
        emoji, style = RSVP_LOOKS[choice]
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=f"rsvp:{group_id}:{meeting_at}:{choice}")
        )
        self.group_id = group_id
        self.meeting_at = meeting_at
        self.choice: RsvpChoice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RsvpButton:
        choice: RsvpChoice = match["choice"]  # type: ignore[assignment]
        return cls(int(match["group_id"]), int(match["meeting_at"]), choice, label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        await answer_rsvp(bot_of(interaction), interaction, self.group_id, from_epoch(self.meeting_at), self.choice)


def rsvp_view(p: Prompts, group_id: int, meeting_at: datetime) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    stamp = int(meeting_at.timestamp())
    for choice in RSVP_LOOKS:
        view.add_item(RsvpButton(group_id, stamp, choice, p(f"rsvp.button_{choice}")))
    return view


def reminder_text(p: Prompts, group: Group, meeting_at: datetime, member_ids: list[int], rsvps: list[Rsvp]) -> str:
    lines = [
        p(
            "reminder.message",
            members=mentions(member_ids),
            name=shown(group.name),
            when=discord_time(meeting_at),
            voice=f"<#{group.voice_channel_id}>",
        )
    ]
    # Mentions show each reader the member's current name; edits never notify, so the tally pings nobody.
    for choice, (emoji, _) in RSVP_LOOKS.items():
        answered = [r.user_id for r in rsvps if r.choice == choice]
        if answered:
            lines.append(
                p(
                    "rsvp.tally_line",
                    emoji=emoji,
                    label=p(f"rsvp.button_{choice}"),
                    names=", ".join(mention(i) for i in answered),
                )
            )
    return "\n".join(lines)


async def answer_rsvp(
    bot: MastermindBot, interaction: discord.Interaction, group_id: int, meeting_at: datetime, choice: RsvpChoice
) -> None:
    member = member_of(interaction)
    store = bot.store
    group = await store.groups.get(member.guild.id, group_id)
    if group is None or not await store.groups.is_member(group.guild_id, group.id, member.id):
        raise Refusal("rsvp.members_only")
    now = bot.clock.now()
    if not rsvp_open(meeting_at, now):
        raise Refusal("rsvp.closed")
    await store.rsvps.answer(
        guild_id=group.guild_id, group_id=group.id, meeting_at=meeting_at, user_id=member.id, choice=choice, now=now
    )
    member_ids = to_ping(await store.groups.members(group.guild_id, group.id))
    rsvps = await store.rsvps.for_meeting(group.guild_id, group.id, meeting_at)
    content = reminder_text(await bot.texts.group(group), group, meeting_at, member_ids, rsvps)
    await interaction.response.edit_message(content=content)
    await interaction.followup.send((await bot.texts.reply(interaction, group))(f"rsvp.noted_{choice}"), ephemeral=True)
    # Earlier reminders for the same meeting show the same tally.
    channel = text_channel(bot, group)
    clicked = interaction.message.id if interaction.message else None
    for message_id in await store.sends.sent_messages(group.id, meeting_at, SendKind.REMINDER):
        if message_id != clicked and channel is not None:
            try:
                await channel.get_partial_message(message_id).edit(content=content)
            except discord.HTTPException:
                log.info("Could not refresh the tally on reminder %s", message_id, exc_info=True)


class Reminders(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.REMINDER, self.deliver_reminder)
        self.bot.add_dynamic_items(RsvpButton)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.REMINDER)
        self.bot.remove_dynamic_items(RsvpButton)

    async def deliver_reminder(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        current = await self.bot.store.meetings.current(group.guild_id, group.id)
        if current is not None and opened_by_hand(current):
            raise NothingToSend("meeting_already_open")  # they started early: "starts soon" would be wrong
        # Paused members are not called to the meeting; their RSVP buttons still work if they come anyway.
        member_ids = to_ping(await self.bot.store.groups.members(group.guild_id, group.id))
        rsvps = await self.bot.store.rsvps.for_meeting(group.guild_id, group.id, send.meeting_at)
        p = await self.bot.texts.group(group)
        message = await post_planned(
            self.bot,
            group,
            content=reminder_text(p, group, send.meeting_at, member_ids, rsvps),
            view=rsvp_view(p, group.id, send.meeting_at),
            allowed_mentions=pinging(member_ids),
            nonce=f"ps{send.id}",
        )
        return message.id
