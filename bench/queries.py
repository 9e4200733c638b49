"""Reads the benchmarks and tests make that the bot itself never needs: SQL kept out of the product's storage."""

from __future__ import annotations

from collections.abc import Collection

from storage import Store
from storage.models import PlannedSend, SendKind

_SEND = "id, guild_id, group_id, meeting_at, kind, detail, due_at, status, attempts, message_id, reason, updated_at"


async def planned_send(store: Store, send_id: int) -> PlannedSend | None:
    row = await store.db.fetch_one(f"SELECT {_SEND} FROM planned_sends WHERE id = ?", (send_id,))
    return PlannedSend.model_validate(dict(row)) if row else None


async def sends_of_group(store: Store, guild_id: int, group_id: int, *, statuses: Collection[str]) -> list[PlannedSend]:
    """A group's planned sends with these statuses, in the order they fall due."""
    rows = await store.db.fetch_all(
        f"SELECT {_SEND} FROM planned_sends WHERE guild_id = ? AND group_id = ? "
        f"AND status IN ({', '.join('?' * len(statuses))}) ORDER BY due_at, id",
        (guild_id, group_id, *statuses),
    )
    return [PlannedSend.model_validate(dict(row)) for row in rows]


async def groups_with_pending(store: Store, kind: SendKind) -> int:
    """How many groups have a send of this kind waiting (start-up benchmarks check every group is planned)."""
    row = await store.db.fetch_one(
        "SELECT COUNT(DISTINCT group_id) FROM planned_sends WHERE status = 'pending' AND kind = ?", (str(kind),)
    )
    return row[0] if row else 0


async def closed_meetings(store: Store, guild_id: int, group_id: int) -> int:
    row = await store.db.fetch_one(
        "SELECT COUNT(*) FROM meetings WHERE guild_id = ? AND group_id = ? AND status = 'closed'", (guild_id, group_id)
    )
    return row[0] if row else 0
