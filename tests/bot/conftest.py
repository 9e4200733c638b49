"""simcord wiring: the bot under test, virtual time that moves datetime.now() too, and restarts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from bot import MastermindBot, create_bot

# simcord's virtual clock starts here; time-machine starts at the same instant so the two agree.
SIMCORD_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def traveller():
    with time_machine.travel(SIMCORD_EPOCH, tick=False) as traveller:
        yield traveller


@pytest.fixture
async def built_bots():
    """Every bot a test builds; their databases are closed when the test ends."""
    bots: list[MastermindBot] = []
    yield bots
    for bot in bots:
        await bot.store.close()


@pytest.fixture
def build_bot(traveller, built_bots):
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
    backend = simcord_env.backend
    assert simcord_env.now() == SIMCORD_EPOCH
    advance_clock = backend.advance_clock

    def advance_both(seconds: float) -> None:
        advance_clock(seconds)
        # Absolute, not traveller.shift(): many small float steps would drift datetime.now() off simcord's clock.
        traveller.move_to(simcord_env.now())

    backend.advance_clock = advance_both
    yield
    backend.advance_clock = advance_clock


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
