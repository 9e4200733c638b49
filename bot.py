"""Entry point: `python bot.py` runs the bot (add --sync to publish slash commands globally, --demo for the
offline demo)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

import discord
from pydantic import ValidationError

from app import create_bot, load_settings


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
    if settings.discord_api_base:
        # A shared rate-limiting proxy in front of Discord (e.g. nirn-proxy), for several processes on one token.
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    # APScheduler logs every re-arm of the timer at INFO; only its warnings are news.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, getattr(logging, settings.log_level)))
    bot = create_bot(settings, sync_globally=args.sync)

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
