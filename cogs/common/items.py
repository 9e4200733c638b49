"""What every persistent button, menu and form shares."""

from __future__ import annotations

from typing import Any

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


def label_of(item: discord.ui.Item[Any]) -> str:
    """The label of the button a member pressed, so the item rebuilt from its id looks the same."""
    return (item.label or "") if isinstance(item, discord.ui.Button) else ""


def select_looks(item: discord.ui.Item[Any]) -> tuple[str | None, list[discord.SelectOption]]:
    """The placeholder and options of the menu a member used, so the item rebuilt from its id looks the same."""
    if isinstance(item, discord.ui.Select):
        return item.placeholder, list(item.options)
    return None, []
