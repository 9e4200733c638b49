"""Members' usual free hours (local weekday and minutes, in their own zone) and the zone each member last gave."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import MemberHours, to_epoch


class AvailabilityRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def get(self, guild_id: int, user_id: int) -> MemberHours | None:
        """The member's hours, or only their zone (no ranges), or None when they never gave either."""
        found = await self.of_users(guild_id, [user_id])
        return found[0] if found else None

    async def of_users(self, guild_id: int, user_ids: Sequence[int]) -> list[MemberHours]:
        """The hours (or only the zone) of each of these people who gave any, in one query, by user id."""
        if not user_ids:
            return []
        marks = ", ".join("?" * len(user_ids))
        rows = await self._db.fetch_all(
            f"""
            SELECT z.user_id, z.timezone, a.weekday, a.start_minute, a.end_minute FROM member_zones z
            LEFT JOIN availability a ON a.guild_id = z.guild_id AND a.user_id = z.user_id
            WHERE z.guild_id = ? AND z.user_id IN ({marks})
            ORDER BY z.user_id, a.weekday, a.start_minute
            """,
            (guild_id, *user_ids),
        )
        found: dict[int, MemberHours] = {}
        for row in rows:
            user_id = row["user_id"]
            hours = found.get(user_id) or MemberHours(guild_id=guild_id, user_id=user_id, timezone=row["timezone"])
            if row["weekday"] is not None:
                added = (row["weekday"], row["start_minute"], row["end_minute"])
                hours = hours.model_copy(update={"ranges": (*hours.ranges, added)})
            found[user_id] = hours
        return list(found.values())

    async def save(self, hours: MemberHours, *, now: datetime) -> None:
        """Replace the member's hours and remember their zone, together."""
        async with self._db.transaction() as tx:
            await tx.execute(
                """
                INSERT INTO member_zones (guild_id, user_id, timezone, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) DO UPDATE SET timezone = excluded.timezone,
                                                              updated_at = excluded.updated_at
                """,
                (hours.guild_id, hours.user_id, hours.timezone, to_epoch(now)),
            )
            await tx.execute(
                "DELETE FROM availability WHERE guild_id = ? AND user_id = ?", (hours.guild_id, hours.user_id)
            )
            await tx.execute_many(
                "INSERT INTO availability (guild_id, user_id, weekday, start_minute, end_minute) "
                "VALUES (?, ?, ?, ?, ?)",
                [(hours.guild_id, hours.user_id, *part) for part in hours.ranges],
            )

    async def clear(self, guild_id: int, user_id: int) -> bool:
        """Forget the member's hours (their zone stays remembered); False when they had none."""
        changed = await self._db.execute(
            "DELETE FROM availability WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return changed.rowcount > 0

    # ---------------------------------------------------------------- one member's data

    async def of_member(self, guild_id: int, user_id: int) -> list[MemberHours]:
        """The member's zone and free hours, for their export."""
        return await self.of_users(guild_id, [user_id])

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        """Forget the member's hours and zone; returns 1 when there were any, counted as their export shows them
        (one record of a zone and its hours), else 0."""
        hours = await self._db.execute(
            "DELETE FROM availability WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        zone = await self._db.execute(
            "DELETE FROM member_zones WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return 1 if hours.rowcount or zone.rowcount else 0
