"""simcord wiring: the bot under test, virtual time that moves datetime.now() too, and restarts."""

from __future__ import annotations

import pytest

from app import create_bot
from cogs.common.bot import MastermindBot
from demo.simulation import follow_simcord_clock, simcord_time


@pytest.fixture
def traveller():
    with simcord_time() as traveller:
        yield traveller


@pytest.fixture
async def built_bots():
    """Every bot a test builds; their databases are closed when the test ends."""
    bots: list[MastermindBot] = []
    yield bots
    for bot in bots:
        await bot.store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def store_kind(request, monkeypatch):
    """Every behaviour test runs on SQLite and, where a server can be started, on PostgreSQL."""
    if request.param == "postgres":
        monkeypatch.setenv("DATABASE_URL", request.getfixturevalue("postgres_url"))
    return request.param


@pytest.fixture
def build_bot(traveller, built_bots, store_kind):
    def build() -> MastermindBot:
        bot = create_bot()
        built_bots.append(bot)
        return bot

    return build


@pytest.fixture
def simcord_bot(build_bot):
    return build_bot()


@pytest.fixture(autouse=True)
def virtual_time(simcord_env, traveller):
    """Every step of simcord's clock moves datetime.now() by the same amount, so timers and the bot agree."""
    undo = follow_simcord_clock(simcord_env, traveller)
    yield
    undo()


@pytest.fixture
def restart(simcord_env, build_bot):
    """Stop the bot and start a fresh one on the same database, as a process restart would."""

    async def restart_bot() -> MastermindBot:
        old = simcord_env.bot
        new = build_bot()
        await simcord_env.restart_bot(new)
        await old.store.close()
        return new

    return restart_bot


@pytest.fixture
def downtime(simcord_env, build_bot):
    """The bot process is down for a while (no timers run), then a fresh one starts on the same database."""

    async def bot_down_for(seconds: float) -> MastermindBot:
        await simcord_env.bot.close()
        await simcord_env.advance_time(seconds)
        new = build_bot()
        await simcord_env.restart_bot(new)
        return new

    return bot_down_for
