"""What every persistent button, menu and form shares."""

from __future__ import annotations

import discord

from cogs.common.errors import answering


class Answering:
    """Mixed into a persistent item (a discord.ui.DynamicItem): its work is `act`, and a failure in it is
    answered privately, the way a slash command's is, instead of Discord's "interaction failed"."""

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await self.act(interaction)

    async def act(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
