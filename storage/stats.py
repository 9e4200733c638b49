"""Read-only figures for /stats, computed in SQL so the cost stays flat however long a group's history."""

from __future__ import annotations

from storage.database import Database
from storage.models import MemberRecord


class StatsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def member_records(self, guild_id: int, group_id: int) -> list[MemberRecord]:
        """Every current member's record, in the order they joined: one query, one row per member.

        The streak is the number of closed meetings attended in a row up to the latest one: the recency of the
        latest absence, less one, or every meeting when there was none. Meeting ids grow as meetings open, so
        they order a group's meetings in time."""
        rows = await self._db.fetch_all(
            """
            WITH presence AS (
                SELECT user_id, present, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY meeting_id DESC) AS recency
                FROM attendance WHERE guild_id = :guild AND group_id = :group
            ),
            attendance_figures AS (
                SELECT user_id, COUNT(*) AS meetings, SUM(present) AS attended,
                       COALESCE(MIN(CASE WHEN present = 0 THEN recency END) - 1, COUNT(*)) AS streak
                FROM presence GROUP BY user_id
            ),
            outcome_figures AS (
                SELECT user_id, SUM(status = 'done') AS done, SUM(status = 'partial') AS partial,
                       SUM(status = 'missed') AS missed, SUM(status = 'unreported') AS unreported
                FROM commitments WHERE guild_id = :guild AND group_id = :group GROUP BY user_id
            )
            SELECT g.user_id, COALESCE(f.meetings, 0) AS meetings, COALESCE(f.attended, 0) AS attended,
                   COALESCE(f.streak, 0) AS streak, COALESCE(o.done, 0) AS done, COALESCE(o.partial, 0) AS partial,
                   COALESCE(o.missed, 0) AS missed, COALESCE(o.unreported, 0) AS unreported
            FROM group_members g
            LEFT JOIN attendance_figures f ON f.user_id = g.user_id
            LEFT JOIN outcome_figures o ON o.user_id = g.user_id
            WHERE g.guild_id = :guild AND g.group_id = :group
            ORDER BY g.joined_at, g.user_id
            """,
            {"guild": guild_id, "group": group_id},
        )
        return [MemberRecord.model_validate(dict(row)) for row in rows]
