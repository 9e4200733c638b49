"""Members' running records for /stats: read one row per member, updated in the transaction that closes a meeting."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from storage.database import Executor
from storage.models import ChartHistory, MemberGroupRecord, MemberRecord, StatsSnapshot
from storage.sql import values_rows

_RECORD_FIELDS = (
    "user_id",
    "meetings",
    "attended",
    "streak",
    "done",
    "partial",
    "missed",
    "unreported",
    "absent_run",
    "absent_since",
)
# What /stats shows of a record; the running absences are the health view's and the check-ins'.
_SHOWN_FIELDS = _RECORD_FIELDS[:8]


class StatsRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def snapshot(self, guild_id: int, group_id: int) -> StatsSnapshot:
        """Every current member's record in the order they joined (a member with none yet has zeros), and the
        outcomes of the commitments still open to marking: one query, however long the group's history."""
        rows = await self._db.fetch_all(
            """
            SELECT 0 AS part, m.user_id, COALESCE(r.meetings, 0) AS meetings, COALESCE(r.attended, 0) AS attended,
                   COALESCE(r.streak, 0) AS streak, COALESCE(r.done, 0) AS done, COALESCE(r.partial, 0) AS partial,
                   COALESCE(r.missed, 0) AS missed, COALESCE(r.unreported, 0) AS unreported, NULL AS status,
                   m.joined_at AS rank
            FROM group_members m LEFT JOIN member_records r ON r.group_id = m.group_id AND r.user_id = m.user_id
            WHERE m.guild_id = :guild AND m.group_id = :group
            UNION ALL
            SELECT 1, c.user_id, 0, 0, 0, 0, 0, 0, 0, c.status, c.id FROM commitments c
            WHERE c.guild_id = :guild AND c.group_id = :group AND c.status != 'open'
              AND (c.due_meeting_id IS NULL OR c.due_meeting_id IN (
                    SELECT o.id FROM meetings o WHERE o.group_id = :group AND o.status = 'open'))
            ORDER BY part, rank, user_id
            """,
            {"guild": guild_id, "group": group_id},
        )
        return StatsSnapshot(
            records=tuple(
                MemberRecord.model_validate({field: row[field] for field in _SHOWN_FIELDS})
                for row in rows
                if row["part"] == 0
            ),
            open_outcomes=tuple((row["user_id"], row["status"]) for row in rows if row["part"] == 1),
        )

    async def records(self, group_id: int, user_ids: Collection[int]) -> dict[int, MemberRecord]:
        """The stored records of these members, by member (members with none yet are left out)."""
        if not user_ids:
            return {}
        rows = await self._db.fetch_all(
            f"SELECT {', '.join(_RECORD_FIELDS)} FROM member_records "
            f"WHERE group_id = ? AND user_id IN ({', '.join('?' * len(user_ids))})",
            (group_id, *user_ids),
        )
        return {row["user_id"]: MemberRecord.model_validate(dict(row)) for row in rows}

    async def save(self, guild_id: int, group_id: int, records: Sequence[MemberRecord]) -> None:
        if not records:
            return
        await self._db.execute(
            f"INSERT INTO member_records (group_id, guild_id, {', '.join(_RECORD_FIELDS)}) VALUES "
            f"{values_rows(len(records), len(_RECORD_FIELDS) + 2)} "
            "ON CONFLICT (group_id, user_id) DO UPDATE SET "
            + ", ".join(f"{field} = excluded.{field}" for field in _RECORD_FIELDS[1:]),
            [
                value
                for record in records
                for value in (group_id, guild_id, *(getattr(record, field) for field in _RECORD_FIELDS))
            ],
        )

    async def chart_history(self, guild_id: int, group_id: int, *, meetings: int) -> ChartHistory:
        """The group's current members, its latest closed meetings (up to `meetings`, oldest first), who was
        present or paused at each, and how the commitments due at each turned out per member: one query."""
        rows = await self._db.fetch_all(
            """
            WITH recent AS (
                SELECT id, starts_at FROM meetings
                WHERE guild_id = :guild AND group_id = :group AND status = 'closed'
                ORDER BY starts_at DESC, id DESC LIMIT :meetings
            )
            SELECT 0 AS part, 0 AS meeting_id, joined_at AS starts_at, user_id, 0 AS present, 0 AS paused,
                   NULL AS status, 0 AS count
            FROM group_members WHERE guild_id = :guild AND group_id = :group
            UNION ALL
            SELECT 1, id, starts_at, 0, 0, 0, NULL, 0 FROM recent
            UNION ALL
            SELECT 2, a.meeting_id, 0, a.user_id, a.present, a.paused, NULL, 0
            FROM recent r JOIN attendance a ON a.meeting_id = r.id
            UNION ALL
            SELECT 3, c.due_meeting_id, 0, c.user_id, 0, 0, c.status, COUNT(*)
            FROM recent r JOIN commitments c ON c.due_meeting_id = r.id
            GROUP BY c.due_meeting_id, c.user_id, c.status
            UNION ALL
            SELECT 4, 0, 0, 0, 0, 0, NULL, COUNT(*) FROM meetings
            WHERE guild_id = :guild AND group_id = :group AND status = 'closed'
            ORDER BY part, starts_at, meeting_id, user_id
            """,
            {"guild": guild_id, "group": group_id, "meetings": meetings},
        )
        return ChartHistory(
            members=tuple(row["user_id"] for row in rows if row["part"] == 0),
            held=next(row["count"] for row in rows if row["part"] == 4),
            meetings=tuple((row["meeting_id"], row["starts_at"]) for row in rows if row["part"] == 1),
            presence=tuple(
                (row["meeting_id"], row["user_id"], bool(row["present"]), bool(row["paused"]))
                for row in rows
                if row["part"] == 2
            ),
            outcomes=tuple(
                (row["meeting_id"], row["user_id"], row["status"], row["count"]) for row in rows if row["part"] == 3
            ),
        )

    async def chart_version(self, guild_id: int, group_id: int) -> tuple[int, int, tuple[int, ...]]:
        """What the group's chart depends on: its latest closed meeting, how many members' records it keeps (none
        once an archived group's history is deleted), and its current members in the order they joined. A chart
        drawn for the same three is still right (closed meetings never change)."""
        rows = await self._db.fetch_all(
            """
            SELECT 0 AS part, COALESCE(MAX(id), 0) AS value, 0 AS rank FROM meetings
            WHERE guild_id = :guild AND group_id = :group AND status = 'closed'
            UNION ALL
            SELECT 1, COUNT(*), 0 FROM member_records WHERE group_id = :group
            UNION ALL
            SELECT 2, user_id, joined_at FROM group_members WHERE guild_id = :guild AND group_id = :group
            ORDER BY part, rank, value
            """,
            {"guild": guild_id, "group": group_id},
        )
        return rows[0]["value"], rows[1]["value"], tuple(row["value"] for row in rows[2:])

    async def of_member(self, guild_id: int, user_id: int) -> list[MemberGroupRecord]:
        rows = await self._db.fetch_all(
            f"SELECT group_id, {', '.join(_RECORD_FIELDS[1:])} FROM member_records "
            "WHERE group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND user_id = ? ORDER BY group_id",
            (guild_id, user_id),
        )
        return [MemberGroupRecord.model_validate(dict(row)) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        """The member's running records: they no longer count in /stats (other members' records are their own and
        stay as they were)."""
        changed = await self._db.execute(
            "DELETE FROM member_records WHERE group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND user_id = ?",
            (guild_id, user_id),
        )
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM member_records WHERE group_id = ? AND guild_id = ?", (group_id, guild_id)
        )
        return changed.rowcount
