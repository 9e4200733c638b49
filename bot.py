"""Entry point: settings, the bot, and `python bot.py` (add --sync to publish slash commands globally)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

import discord
from discord.ext import commands
from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

from cogs.shared import Access, MastermindTree
from mastermind.clock import Clock, SystemClock
from mastermind.deliveries import Deliveries
from mastermind.facilitator import Facilitator
from mastermind.ledger import Ledger
from mastermind.pacing import Pacer
from mastermind.planner import Planner
from mastermind.schedule import Occurrence
from prompts import Prompts, load_prompts
from storage import Store
from storage.models import Group

log = logging.getLogger(__name__)

COGS = (
    "cogs.admin",
    "cogs.groups",
    "cogs.schedule",
    "cogs.meetings",
    "cogs.goals",
    "cogs.stats",
)

# Discord allows about 50 requests a second per bot; timed sends use at most this many, leaving room for commands.
SEND_RATE_PER_SECOND = 40


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    discord_token: SecretStr | None = None
    database_path: Path = Path("data/mastermind.sqlite3")
    dev_guild_id: int | None = None
    log_level: str = "INFO"

    @field_validator("discord_token", "dev_guild_id", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """Settings from .env, overridden by real environment variables."""
    values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file and env_file.exists() else {}
    values.update(os.environ if environ is None else environ)
    fields = {name: values[name.upper()] for name in Settings.model_fields if values.get(name.upper()) is not None}
    return Settings.model_validate(fields)


class MastermindBot(commands.Bot):
    def __init__(self, settings: Settings, *, clock: Clock, store: Store, prompts: Prompts) -> None:
        intents = discord.Intents.default()
        intents.members = True  # privileged: needed to notice members leaving the server
        intents.voice_states = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=MastermindTree,
            help_command=None,
        )
        self.settings = settings
        self.clock = clock
        self.store = store
        self.prompts = prompts
        self.access = Access(self)
        # One pacer for every request the bot makes on its own (timed sends, scheduled events), not for replies.
        self.pacer = Pacer(SEND_RATE_PER_SECOND)
        self.deliveries = Deliveries(store, clock, ready=self.wait_until_ready)
        self.planner = Planner(store, clock, on_planned=self.deliveries.rearm)
        self.facilitator = Facilitator(store, clock, rearm=self.deliveries.rearm)
        self.ledger = Ledger(store, clock)
        # Called, in order, whenever a group's next meeting may have changed (the scheduled event follows it).
        self.next_meeting_listeners: list[Callable[[Group, Occurrence | None], Awaitable[None]]] = []
        self.sync_globally = False

    async def setup_hook(self) -> None:
        await self.store.open()
        for extension in COGS:
            await self.load_extension(extension)
        # The cogs have registered their send handlers: plan every group's next meeting, then arm the timer.
        planned = await self.planner.replan_all()
        await self.deliveries.start()
        log.info("Planned the next meeting of %d scheduled groups", planned)
        if self.settings.dev_guild_id is not None:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("Synced %d commands to the development server %s", len(synced), guild.id)
        if self.sync_globally:
            synced = await self.tree.sync()
            log.info("Synced %d commands globally; Discord may take up to an hour to show them", len(synced))

    async def replan(self, group: Group) -> Occurrence | None:
        """Plan the group's next meeting again after a change, and let the cogs follow (the scheduled event).
        The listeners are awaited, not dispatched: a burst of kickoffs stays within the delivery workers."""
        upcoming = await self.planner.replan(group)
        for listener in self.next_meeting_listeners:
            await listener(group, upcoming)
        return upcoming

    async def close(self) -> None:
        try:
            await self.deliveries.stop()
            await super().close()
        finally:
            await self.store.close()


def create_bot(settings: Settings | None = None, *, clock: Clock | None = None) -> MastermindBot:
    """A ready-to-start bot; needs no token (only main() does)."""
    settings = settings or load_settings()
    return MastermindBot(
        settings,
        clock=clock or SystemClock(),
        store=Store(settings.database_path),
        prompts=load_prompts(),
    )


def run_demo() -> int:
    try:
        from demo.story import main as tell_story
    except ImportError as missing:
        print(f'The demo needs {missing.name}: install it with  pip install -e ".[demo]"', file=sys.stderr)
        return 2
    return tell_story()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the mastermind groups Discord bot.")
    parser.add_argument("--sync", action="store_true", help="publish the slash commands globally at start-up")
    parser.add_argument(
        "--demo", action="store_true", help="run a whole meeting cycle in a simulated Discord (no token needed)"
    )
    args = parser.parse_args(argv)
    if args.demo:
        return run_demo()
    try:
        settings = load_settings()
    except ValidationError as error:
        print(f"Invalid setting in .env or the environment: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    if settings.discord_token is None:
        print(
            "DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token after DISCORD_TOKEN= "
            "(or export DISCORD_TOKEN in the environment).",
            file=sys.stderr,
        )
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    # APScheduler logs every re-arm of the timer at INFO; only its warnings are news.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, getattr(logging, settings.log_level)))
    bot = create_bot(settings)
    bot.sync_globally = args.sync

    async def run() -> None:
        async with bot:  # closes the bot, and with it the database, however start() ends
            await bot.start(settings.discord_token.get_secret_value())  # type: ignore[union-attr]

    try:
        asyncio.run(run())
    except discord.LoginFailure:
        print(
            "Discord rejected DISCORD_TOKEN: reset the token in the developer portal and update .env.",
            file=sys.stderr,
        )
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "Enable the Server Members intent for this bot in the developer portal (Bot -> Privileged Gateway "
            "Intents), then start it again.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
