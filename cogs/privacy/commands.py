"""/privacy: what the bot keeps about you and why, a copy of it as a file, and deleting it."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import guild_of, member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.items import Answering, label_of
from cogs.privacy.erasure import Erased, erase_member
from mastermind.errors import Refusal
from mastermind.services.privacy import SECTIONS
from prompts import Prompts


def counts_text(p: Prompts, counts: dict[str, int]) -> str:
    """ "3 commitments, 2 RSVPs, …": each section that holds anything, in the order of SECTIONS."""
    parts = [
        p(f"privacy.count_{section.name}", count=counts[section.name])
        for section in SECTIONS
        if counts.get(section.name)
    ]
    return ", ".join(parts) or p("privacy.count_nothing")


def erased_text(p: Prompts, erased: Erased) -> str:
    return p("privacy.deleted", what=counts_text(p, erased.rows), messages=erased.messages_edited)


class DeleteConfirmation(
    Answering, discord.ui.DynamicItem[discord.ui.Button], template=r"privacy:delete:(?P<user_id>\d+)"
):
    """The button under /privacy delete's question: only the member who asked may press it (Discord shows the
    question to them alone; a copied or forged press is refused too)."""

    def __init__(self, user_id: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="🗑️", style=discord.ButtonStyle.danger, custom_id=f"privacy:delete:{user_id}"
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteConfirmation:
        return cls(int(match["user_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        member = member_of(interaction)
        if member.id != self.user_id:
            raise Refusal("privacy.not_your_confirmation")
        await bot.privacy.erasable(member.guild.id, member.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        erased = await erase_member(bot, member.guild.id, member.id, member=member)
        await reply(interaction, erased_text(await bot.texts.reply(interaction), erased))


@app_commands.guild_only()
class PrivacyCommands(commands.GroupCog, group_name="privacy", group_description=command_text("commands.privacy")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteConfirmation)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteConfirmation)

    @app_commands.command(name="info", description=command_text("commands.privacy_info"))
    async def info(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.store.settings.get(guild_of(interaction).id)
        p = await self.bot.texts.reply(interaction)
        pledge = p("privacy.info_pledge_on") if settings.pledge_enabled else p("privacy.info_pledge_off")
        await reply(interaction, p("privacy.info", days=settings.retention_days, pledge=pledge))

    @app_commands.command(name="export", description=command_text("commands.privacy_export"))
    async def export(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        document = await self.bot.privacy.export(member.guild.id, member.id)
        data = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
        counts = {section.name: len(document[section.name]) for section in SECTIONS}
        p = await self.bot.texts.reply(interaction)
        await reply(
            interaction,
            p("privacy.exported", what=counts_text(p, counts)),
            file=discord.File(io.BytesIO(data), filename=f"mastermind-data-{member.guild.id}-{member.id}.json"),
        )

    @app_commands.command(name="delete", description=command_text("commands.privacy_delete"))
    async def delete(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        holdings = await self.bot.privacy.erasable(member.guild.id, member.id)
        p = await self.bot.texts.reply(interaction)
        view = discord.ui.View(timeout=None)
        view.add_item(DeleteConfirmation(member.id, p("privacy.delete_button")))
        await reply(interaction, p("privacy.confirm", what=counts_text(p, holdings.counts())), view=view)
