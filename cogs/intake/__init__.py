"""Forming groups: the intake and applications, matching applicants into groups, and refilling seats."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.intake.commands import ApplicationCommands, Applying, IntakeCommands
from cogs.intake.matching import Matching


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(IntakeCommands(bot))
    await bot.add_cog(Applying(bot))
    await bot.add_cog(ApplicationCommands(bot))
    await bot.add_cog(Matching(bot))
