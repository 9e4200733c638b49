"""Keeping groups alive: check-ins with members who drift away, and the organizers' health view."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.keeping.checkins import CheckIns
from cogs.keeping.health import Health


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(CheckIns(bot))
    await bot.add_cog(Health(bot))
