"""Commitments: /goals, marking them (on a turn or privately), the goals form, and the halfway nudge."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.goals.commands import Goals
from cogs.goals.marking import Marking
from cogs.goals.nudge import Nudges


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Goals(bot))
    await bot.add_cog(Marking(bot))
    await bot.add_cog(Nudges(bot))
