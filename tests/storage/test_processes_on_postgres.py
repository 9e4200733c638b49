"""Several bot processes on one PostgreSQL database, each serving its Discord shards: every send goes out once,
from a process serving its server, even when one process dies in the middle of a batch and starts again."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.seed import SeedGroup, seed_groups
from mastermind.services.deliveries import Deliveries
from storage import PostgresDatabase, Store
from storage.models import PlannedSend, SendKind, SendPlan, Shards

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
SENDS = 1000
# Server ids on shard 0 and shard 1 of 2: Discord puts a server on shard (id >> 22) % shard count.
GUILDS = {0: 10 << 22, 1: (11 << 22) + 5}


class FrozenClock:
    def now(self) -> datetime:
        return NOW


class Discord:
    """What Discord keeps of the messages: one per nonce, however often it is posted (Discord drops a repeated
    nonce within minutes, which is what makes a retry after a crash safe)."""

    def __init__(self) -> None:
        self.messages: dict[str, int] = {}
        self.posts: Counter[str] = Counter()
        self.posted_by: dict[str, set[int]] = {}

    def post(self, nonce: str, shard_of_poster: int) -> int:
        self.posts[nonce] += 1
        self.posted_by.setdefault(nonce, set()).add(shard_of_poster)
        return self.messages.setdefault(nonce, len(self.messages) + 1)


async def open_store(url: str) -> Store:
    store = Store(PostgresDatabase(url))
    await store.open()
    return store


def process(
    store: Store, shard: int, discord: Discord, *, delivered: list[int], dying: asyncio.Event | None = None
) -> Deliveries:
    """A process serving one shard. One that is `dying` freezes after 50 sends, each send then posted but not yet
    recorded, until it is killed: the worst moment for a crash."""
    deliveries = Deliveries(store, FrozenClock(), shards=Shards(count=2, ids=(shard,)))

    async def deliver(send: PlannedSend) -> int:
        await asyncio.sleep(0)  # let the other processes interleave
        message_id = discord.post(f"ps{send.id}", shard)
        delivered.append(send.id)
        if dying is not None and len(delivered) >= 50:
            dying.set()
            await asyncio.Event().wait()  # frozen: the kill comes before this send is marked sent
        return message_id

    deliveries.register(SendKind.REMINDER, deliver)
    return deliveries


async def test_processes_by_shard_deliver_each_send_once_across_a_crash(postgres_url):
    first = await open_store(postgres_url)
    group_ids = await seed_groups(
        first.db,
        [
            SeedGroup(
                guild_id=GUILDS[i % 2],
                name=f"Group {i}",
                text_channel_id=1000 + i,
                voice_channel_id=2000 + i,
                members=[],
            )
            for i in range(SENDS // 10)
        ],
        now=NOW,
    )
    guild_of = {group_id: GUILDS[i % 2] for i, group_id in enumerate(group_ids)}
    plans = [
        SendPlan(
            group_id=group_id,
            guild_id=guild_of[group_id],
            meeting_at=NOW + timedelta(hours=1, minutes=minutes),
            kind=SendKind.REMINDER,
            detail=15,
            due_at=NOW,
        )
        for group_id in group_ids
        for minutes in range(10)
    ]
    await first.sends.plan(None, plans, kinds=[SendKind.REMINDER], now=NOW - timedelta(hours=1))
    discord = Discord()
    dying: list[int] = []
    others: list[int] = []
    # Shard 0 runs in two processes (one will die), shard 1 in one.
    stores = [first, await open_store(postgres_url), await open_store(postgres_url)]
    frozen = asyncio.Event()
    doomed = process(stores[0], 0, discord, delivered=dying, dying=frozen)
    twin = process(stores[1], 0, discord, delivered=others)
    second_shard = process(stores[2], 1, discord, delivered=others)

    crash = asyncio.create_task(doomed.deliver_due())
    await frozen.wait()
    for _ in range(20):  # every worker of the doomed process runs into the freeze
        await asyncio.sleep(0)
    crash.cancel()  # killed mid-batch: its sends in flight stay "sending"
    await asyncio.gather(crash, return_exceptions=True)
    left_sending = await first.db.fetch_one("SELECT COUNT(*) AS n FROM planned_sends WHERE status = 'sending'")
    assert left_sending["n"] > 0
    await asyncio.gather(twin.deliver_due(), second_shard.deliver_due())
    assert len(others) > SENDS // 2  # the twin and the other shard did their share
    stores.append(await open_store(postgres_url))
    restarted = process(stores[-1], 0, discord, delivered=dying)
    await restarted.start()  # recovers what the dead process left mid-way, then delivers what is due
    recovered = await restarted.deliver_due()
    await restarted.stop()
    assert recovered > 0  # the restart took up what the dead process had claimed

    assert len(discord.messages) == SENDS  # every send reached Discord, once
    rows = await first.db.fetch_all("SELECT id, guild_id, status, attempts FROM planned_sends")
    assert Counter(row["status"] for row in rows) == {"sent": SENDS}
    shard_of_send = {row["id"]: (row["guild_id"] >> 22) % 2 for row in rows}
    # None by the wrong shard: each was posted only by processes serving its server's shard.
    assert all(discord.posted_by[f"ps{send_id}"] == {shard} for send_id, shard in shard_of_send.items())
    # Only the sends the dead process had in flight were posted twice, and Discord kept one of each.
    repeated = [nonce for nonce, count in discord.posts.items() if count > 1]
    assert 1 <= len(repeated) <= 8  # at most its delivery workers' worth
    for store in stores:
        await store.close()
