"""The check-in with a member who missed meetings in a row: a direct message (or, with their DMs closed, a note in
the group's channel that pings only them) with three answers, and a word to the organizers."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.ext import commands

from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import deliverable_group, paced, post_planned, tell_group, tell_organizers
from cogs.common.items import Answering, label_of
from cogs.common.membership import leave_group, require_channel_permissions
from cogs.common.text import mention, pinging, shown
from mastermind.errors import Refusal
from mastermind.rules.keeping import DEFAULT_PAUSE
from mastermind.services.deliveries import DeliveryFailed, NothingToSend
from prompts import Prompts
from storage.models import CheckIn, CheckInAnswer, PlannedSend, SendKind

log = logging.getLogger(__name__)

ANSWER_LOOKS: dict[CheckInAnswer, tuple[str, discord.ButtonStyle]] = {
    "in": ("👍", discord.ButtonStyle.success),
    "pause": ("⏸️", discord.ButtonStyle.secondary),
    "leave": ("👋", discord.ButtonStyle.danger),
}


class CheckInButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ci:(?P<answer>in|pause|leave):(?P<guild_id>\d+):(?P<check_in_id>\d+)",
):
    """I'm in for the next one / Pause me for a while / Leave the group: the member's own answer, after restarts
    too. The server is in the id because a direct message has none."""

    def __init__(self, answer: CheckInAnswer, guild_id: int, check_in_id: int, label: str) -> None:
        emoji, style = ANSWER_LOOKS[answer]
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=f"ci:{answer}:{guild_id}:{check_in_id}")
        )
        self.answer: CheckInAnswer = answer
        self.guild_id = guild_id
        self.check_in_id = check_in_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CheckInButton:
        answer: CheckInAnswer = match["answer"]  # type: ignore[assignment]
        return cls(answer, int(match["guild_id"]), int(match["check_in_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        check_in, group = await bot.keeper.check_in_for(self.guild_id, self.check_in_id, actor_id=interaction.user.id)
        if self.answer == "leave":
            guild = bot.get_guild(group.guild_id)
            member = guild.get_member(check_in.user_id) if guild is not None else None
            if guild is None or member is None:
                raise Refusal("group.you_are_not_a_member", name=group.name)
            require_channel_permissions(guild)
            await interaction.response.defer()
            await leave_group(bot, group, member)
        else:
            await interaction.response.defer()
        await bot.keeper.answer(check_in, group, self.answer)
        if self.answer == "pause":
            await tell_group(bot, group, "pause.note", member=mention(check_in.user_id), count=DEFAULT_PAUSE)
        asked = interaction.message.content if interaction.message is not None else ""
        # The answer is added to the question, in the question's language (the group's): a question asked in the
        # group's channel is read by the whole group.
        p = await bot.texts.group(group)
        answered = p(f"check_in.answered_{self.answer}", name=shown(group.name), count=DEFAULT_PAUSE)
        await interaction.edit_original_response(content=f"{asked}\n\n{answered}", view=None)
        organizers = await bot.texts.server(group.guild_id)
        await tell_organizers(
            bot,
            group.guild_id,
            organizers(
                "check_in.organizers_answer",
                member=mention(check_in.user_id),
                name=shown(group.name),
                answer=organizers(f"check_in.button_{self.answer}"),
            ),
        )


def check_in_view(p: Prompts, check_in: CheckIn) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for answer in ANSWER_LOOKS:
        view.add_item(CheckInButton(answer, check_in.guild_id, check_in.id, p(f"check_in.button_{answer}")))
    return view


class CheckIns(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.CHECK_IN, self.deliver_check_in)
        self.bot.add_dynamic_items(CheckInButton)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.CHECK_IN)
        self.bot.remove_dynamic_items(CheckInButton)

    async def deliver_check_in(self, send: PlannedSend) -> int:
        """The member who drifted (the send's detail) is asked privately; organizers hear of it."""
        group = await deliverable_group(self.bot, send)
        store, p = self.bot.store, await self.bot.texts.group(group)
        check_in = await store.check_ins.asked_at(group.guild_id, group.id, send.detail, send.meeting_at)
        if check_in is None or check_in.answer is not None:
            raise NothingToSend("answered")
        member = await store.groups.member(group.guild_id, group.id, check_in.user_id)
        if member is None:
            raise NothingToSend("not_a_member")
        if member.is_paused:
            raise NothingToSend("paused")  # they said how they are since the meeting closed
        guild = self.bot.get_guild(group.guild_id)
        cached = self.bot.get_user(member.user_id)
        user = cached if cached is not None else await paced(self.bot, lambda: self.bot.fetch_user(member.user_id))
        try:
            message = await paced(
                self.bot,
                lambda: user.send(
                    p(
                        "check_in.direct",
                        member=mention(member.user_id),
                        name=shown(group.name),
                        server=shown(guild.name if guild else ""),
                        count=check_in.meetings,
                    ),
                    view=check_in_view(p, check_in),
                    nonce=f"ps{send.id}",
                ),
            )
            where = "direct"
        except DeliveryFailed as failure:
            if failure.reason != "forbidden":
                raise
            # Their direct messages are closed: ask in the group's channel, pinging only them.
            message = await post_planned(
                self.bot,
                group,
                content=p("check_in.in_channel", member=mention(member.user_id), count=check_in.meetings),
                view=check_in_view(p, check_in),
                allowed_mentions=pinging([member.user_id]),
                nonce=f"ps{send.id}",
            )
            where = "channel"
        await tell_organizers(
            self.bot,
            group.guild_id,
            (await self.bot.texts.server(group.guild_id))(
                f"check_in.organizers_{where}",
                member=mention(member.user_id),
                name=shown(group.name),
                count=check_in.meetings,
            ),
        )
        return message.id
