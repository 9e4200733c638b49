"""Who said they'd be at which meeting."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import MemberRsvp, Rsvp, RsvpChoice, to_epoch


class RsvpRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def answer(
        self, *, guild_id: int, group_id: int, meeting_at: datetime, user_id: int, choice: RsvpChoice, now: datetime
    ) -> None:
        await self._db.execute(
            """
            INSERT INTO rsvps (group_id, guild_id, meeting_at, user_id, choice, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (group_id, meeting_at, user_id) DO UPDATE SET choice = excluded.choice,
                                                                      updated_at = excluded.updated_at
            """,
            (group_id, guild_id, to_epoch(meeting_at), user_id, choice, to_epoch(now)),
        )

    async def for_meeting(self, guild_id: int, group_id: int, meeting_at: datetime) -> list[Rsvp]:
        rows = await self._db.fetch_all(
            "SELECT user_id, choice FROM rsvps WHERE guild_id = ? AND group_id = ? AND meeting_at = ? "
            "ORDER BY updated_at, user_id",
            (guild_id, group_id, to_epoch(meeting_at)),
        )
        return [Rsvp.model_validate(dict(row)) for row in rows]

    # A member's rows are found group by group of the server, through the primary key, rather than by reading every
    # answer ever given.
    _MEMBER = "group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND user_id = ?"

    async def of_member(self, guild_id: int, user_id: int) -> list[MemberRsvp]:
        rows = await self._db.fetch_all(
            f"SELECT group_id, meeting_at, choice, updated_at FROM rsvps WHERE {self._MEMBER} "
            "ORDER BY meeting_at, group_id",
            (guild_id, user_id),
        )
        return [MemberRsvp.model_validate(dict(row)) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(f"DELETE FROM rsvps WHERE {self._MEMBER}", (guild_id, user_id))
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        changed = await self._db.execute("DELETE FROM rsvps WHERE group_id = ? AND guild_id = ?", (group_id, guild_id))
        return changed.rowcount
