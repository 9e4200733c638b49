"""Two bot processes on one database (a double start-up) deliver each planned send exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bench.queries import sends_of_group
from mastermind.services.deliveries import Deliveries
from storage import Store
from storage.models import PlannedSend, SendKind, SendPlan

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


class FrozenClock:
    def now(self) -> datetime:
        return NOW


async def test_two_processes_on_one_database_send_each_message_once(tmp_path):
    path = tmp_path / "shared.sqlite3"
    stores = [Store(path), Store(path)]
    for store in stores:
        await store.open()
    groups = [
        await stores[0].groups.create(
            guild_id=1,
            name=f"Group {i}",
            name_key=f"group {i}",
            text_channel_id=10 + i,
            voice_channel_id=20 + i,
            created_by=5,
            now=NOW,
        )
        for i in range(20)
    ]
    plans = [
        SendPlan(
            group_id=g.id,
            guild_id=1,
            meeting_at=NOW + timedelta(minutes=15),
            kind=SendKind.REMINDER,
            detail=15,
            due_at=NOW,
        )
        for g in groups
    ]
    await stores[0].sends.plan(None, plans, kinds=[SendKind.REMINDER], now=NOW - timedelta(hours=1))

    delivered: list[tuple[str, int]] = []

    def handler_for(process: str):
        async def deliver(send: PlannedSend) -> int:
            await asyncio.sleep(0)  # let the other process interleave
            delivered.append((process, send.id))
            return 1000 + send.id

        return deliver

    processes = []
    for name, store in zip(("first", "second"), stores, strict=True):
        deliveries = Deliveries(store, FrozenClock())
        deliveries.register(SendKind.REMINDER, handler_for(name))
        processes.append(deliveries)

    counts = await asyncio.gather(*(deliveries.deliver_due() for deliveries in processes))

    assert sum(counts) == 20
    assert sorted(send_id for _, send_id in delivered) == sorted({send_id for _, send_id in delivered})
    assert len(delivered) == 20
    sent = await sends_of_group(stores[1], 1, groups[0].id, statuses=["sent"])
    assert [(s.status, s.message_id) for s in sent] == [("sent", 1000 + sent[0].id)]
    for store in stores:
        await store.close()
