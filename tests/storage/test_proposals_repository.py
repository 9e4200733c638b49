"""What /schedule find proposed, on a real SQLite file: stored with its times, used once."""

from __future__ import annotations

from datetime import time, timedelta

from storage.models import ProposedSlot
from tests.storage.conftest import NOW
from tests.storage.test_groups_repository import GUILD, OTHER_GUILD, make

SLOTS = (
    ProposedSlot(rank=1, weekday=1, local_time=time(8), timezone="America/Sao_Paulo"),
    ProposedSlot(rank=2, weekday=3, local_time=time(18, 30), timezone="Asia/Kolkata"),
)


async def propose(store, group_id: int, guild: int = GUILD):
    return await store.proposals.create(
        guild_id=guild, group_id=group_id, length_minutes=60, every_weeks=2, created_by=7, slots=SLOTS, now=NOW
    )


async def test_a_proposal_comes_back_with_its_times(store):
    group = await make(store)

    created = await propose(store, group.id)

    assert created.slots == SLOTS
    assert await store.proposals.get(GUILD, created.id) == created
    assert created.slot(2) == SLOTS[1]
    assert created.slot(3) is None
    assert await store.proposals.get(OTHER_GUILD, created.id) is None


async def test_only_the_first_use_counts(store):
    group = await make(store)
    created = await propose(store, group.id)

    first = await store.proposals.use(GUILD, created.id, rank=2, user_id=11, now=NOW + timedelta(minutes=1))
    second = await store.proposals.use(GUILD, created.id, rank=1, user_id=12, now=NOW + timedelta(minutes=2))

    assert (first, second) == (True, False)
    used = await store.proposals.get(GUILD, created.id)
    assert used is not None
    assert (used.used_rank, used.used_by, used.used_at) == (2, 11, NOW + timedelta(minutes=1))


async def test_a_proposal_is_used_only_in_its_own_server(store):
    group = await make(store)
    created = await propose(store, group.id)

    assert await store.proposals.use(OTHER_GUILD, created.id, rank=1, user_id=11, now=NOW) is False
    assert await store.proposals.use(GUILD, created.id, rank=1, user_id=11, now=NOW) is True
