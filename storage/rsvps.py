"""Who said they'd be at which meeting."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import Rsvp, RsvpChoice, to_epoch


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
