"""One start-up in a fresh process: `python -m bench.startup_probe DB` prints the figures as JSON."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

import simcord

from app import Settings, create_bot
from bench.queries import groups_with_pending
from storage.models import SendKind


async def probe(database: Path) -> dict:
    bot = create_bot(Settings(database_path=database))
    timing: dict[str, float] = {}
    setup_hook = bot.setup_hook

    async def timed_setup_hook() -> None:
        start = time.perf_counter()
        await setup_hook()  # opens the database, loads the cogs, plans every group, arms the timer
        timing["seconds"] = time.perf_counter() - start

    bot.setup_hook = timed_setup_hook  # type: ignore[method-assign]
    async with simcord.run(bot, check_errors=False):
        planned = await groups_with_pending(bot.store, SendKind.KICKOFF)
        await bot.store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": timing["seconds"], "rss_mb": rss_mb, "planned": planned}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1])))))
