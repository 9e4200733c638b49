"""Members' own data: /privacy (what is kept, a copy of it, deleting it) and the retention purges."""

from __future__ import annotations

from cogs.common.bot import MastermindBot
from cogs.privacy.commands import PrivacyCommands
from cogs.privacy.retention import Retention


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(PrivacyCommands(bot))
    await bot.add_cog(Retention(bot))
