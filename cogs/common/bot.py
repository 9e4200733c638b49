"""The bot: discord.py's client holding the store, the clock and the services, and loading the features."""

from __future__ import annotations

import logging
from typing import Any, cast

import discord
from discord.ext import commands

from cogs.common.access import Access
from cogs.common.errors import MastermindTree
from cogs.common.i18n import CommandTranslator, Texts
from mastermind.charts import ChartCache
from mastermind.clock import Clock
from mastermind.services.deliveries import Deliveries
from mastermind.services.events import Events
from mastermind.services.facilitator import Facilitator
from mastermind.services.intake import Intake
from mastermind.services.keeping import Keeper
from mastermind.services.ledger import Ledger
from mastermind.services.matchmaker import Matchmaker
from mastermind.services.membership import Membership
from mastermind.services.pacing import Pacer
from mastermind.services.planner import Planner
from mastermind.services.privacy import Privacy
from mastermind.services.timefinder import TimeFinder
from storage import Store
from storage.models import Shards

log = logging.getLogger(__name__)

# The features, loaded in this order; each module ends with `async def setup(bot)`.
FEATURES = (
    "cogs.admin",
    "cogs.groups",
    "cogs.availability",
    "cogs.schedule",
    "cogs.meetings",
    "cogs.goals",
    "cogs.stats",
    "cogs.keeping",
    "cogs.privacy",
    "cogs.intake",
)


class MastermindBot(commands.Bot):
    def __init__(
        self,
        *,
        clock: Clock,
        store: Store,
        dev_guild_id: int | None = None,
        sync_globally: bool = False,
        send_rate: float = 40,
        shards: Shards | None = None,
        **client_options: Any,
    ) -> None:
        intents = discord.Intents.default()
        intents.members = True  # privileged: needed to notice members leaving the server
        intents.voice_states = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=MastermindTree,
            help_command=None,
            **client_options,
        )
        self.dev_guild_id = dev_guild_id
        self.sync_globally = sync_globally
        self.clock = clock
        self.store = store
        self.texts = Texts(store)
        self.events = Events()
        self.access = Access(store, self.texts)
        # One pacer for every request the bot makes on its own (timed sends, scheduled events), not for replies.
        # Discord allows about 50 requests a second per bot token: processes sharing a token share that budget.
        self.pacer = Pacer(send_rate)
        self.deliveries = Deliveries(store, clock, shards=shards)
        self.planner = Planner(store, clock, self.events, expect=self.deliveries.expect, shards=shards)
        self.facilitator = Facilitator(store, clock, expect=self.deliveries.expect)
        self.ledger = Ledger(store, clock, self.events)
        self.keeper = Keeper(store, clock)
        self.charts = ChartCache()
        self.time_finder = TimeFinder(store, clock)
        self.membership = Membership(store, clock)
        self.privacy = Privacy(store, clock, expect=self.deliveries.expect)
        self.intake = Intake(store, clock)
        self.matchmaker = Matchmaker(store, clock, self.intake)

    async def setup_hook(self) -> None:
        await self.store.open()
        await self.tree.set_translator(CommandTranslator())
        for feature in FEATURES:
            await self.load_extension(feature)
        # The features have registered their send handlers: plan every group's next meeting, then arm the timer.
        planned = await self.planner.replan_all()
        retained = await self.privacy.plan_unplanned()
        await self.deliveries.start(ready=self.wait_until_ready)
        log.info("Planned the next meeting of %d scheduled groups", planned)
        if retained:
            log.info("Planned the end of retention of %d archived groups", retained)
        if self.dev_guild_id is not None:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("Synced %d commands to the development server %s", len(synced), guild.id)
        if self.sync_globally:
            synced = await self.tree.sync()
            log.info("Synced %d commands globally; Discord may take up to an hour to show them", len(synced))

    async def close(self) -> None:
        try:
            await self.deliveries.stop()
            await super().close()
        finally:
            await self.store.close()


class ShardedMastermindBot(MastermindBot, commands.AutoShardedBot):
    """The bot running some of Discord's shards (SHARD_COUNT, SHARD_IDS), beside other processes on one database."""


def bot_of(interaction: discord.Interaction) -> MastermindBot:
    """The bot an interaction came to (every interaction here comes to this bot)."""
    return cast(MastermindBot, interaction.client)
