"""When a group meets: /schedule, the reminders with their RSVP buttons, and the Discord scheduled event."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.schedule.commands import Schedules
from cogs.schedule.events import ScheduledEvents
from cogs.schedule.reminders import Reminders


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Schedules(bot))
    await bot.add_cog(Reminders(bot))
    await bot.add_cog(ScheduledEvents(bot))
