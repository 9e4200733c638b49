"""Reads only the tests need, straight from the database: the bot itself never asks these questions."""

from __future__ import annotations

from storage import Store


async def closed_meetings(store: Store, guild_id: int, group_id: int) -> int:
    row = await store.db.fetch_one(
        "SELECT COUNT(*) FROM meetings WHERE guild_id = ? AND group_id = ? AND status = 'closed'", (guild_id, group_id)
    )
    return row[0] if row else 0
