"""A process running some of Discord's shards plans and delivers only the sends of the servers on them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.queries import sends_of_group
from demo.simulation import advance_to
from mastermind.rules.names import name_key
from storage.models import SendKind, SendPlan
from tests.bot.world import make_group, make_world, sent_by_bot

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)


@pytest.fixture
def simcord_bot(build_bot, monkeypatch):
    """The process serving shard 0 of 2."""
    monkeypatch.setenv("SHARD_COUNT", "2")
    monkeypatch.setenv("SHARD_IDS", "0")
    return build_bot()


def shard_of(guild_id: int) -> int:
    return (guild_id >> 22) % 2


async def test_only_the_sends_of_its_own_shards_servers_go_out(simcord_env):
    world = await make_world(simcord_env)
    assert simcord_env.bot.shard_ids == [0]
    assert shard_of(world.guild.id) == 0  # simcord's ids are the same every run
    space = await make_group(simcord_env, world)
    await space.members[0].slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    # A server on shard 1, served by another process: its group and planned send are in the shared database.
    store = simcord_env.bot.store
    elsewhere = world.guild.id + (1 << 22)
    assert shard_of(elsewhere) == 1
    other = await store.groups.create(
        guild_id=elsewhere,
        name="Elsewhere",
        name_key=name_key("Elsewhere"),
        text_channel_id=1,
        voice_channel_id=2,
        created_by=3,
        now=FIRST - timedelta(days=2),
    )
    await store.sends.plan(
        [other.id],
        [
            SendPlan(
                group_id=other.id,
                guild_id=elsewhere,
                meeting_at=FIRST,
                kind=SendKind.REMINDER,
                detail=15,
                due_at=FIRST - timedelta(minutes=15),
            )
        ],
        kinds=[SendKind.REMINDER],
        now=FIRST - timedelta(days=2),
    )

    await advance_to(simcord_env, FIRST - timedelta(minutes=10))

    assert len(sent_by_bot(simcord_env, space.text, "⏰")) == 2  # its own server's reminders went out
    (untouched,) = await sends_of_group(store, elsewhere, other.id, statuses=["pending"])
    assert untouched.attempts == 0  # the other shard's send was left to its own process
