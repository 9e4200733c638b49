"""Meetings: opening and closing, attendance from voice, the hot-seat round, the kickoff and the summary."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.meetings.hotseat import HotSeat
from cogs.meetings.lifecycle import Meetings


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Meetings(bot))
    await bot.add_cog(HotSeat(bot))
