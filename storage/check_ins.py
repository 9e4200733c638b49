"""Check-ins: one private word with a member per run of missed meetings, and what they answered."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import CheckIn, CheckInAnswer, to_epoch

_FIELDS = (
    "id",
    "guild_id",
    "group_id",
    "user_id",
    "first_meeting_id",
    "last_meeting_id",
    "meetings",
    "created_at",
    "answer",
    "answered_at",
)
_COLUMNS = ", ".join(_FIELDS)


def _check_in(row: object) -> CheckIn:
    return CheckIn.model_validate(dict(row))  # type: ignore[call-overload]


class CheckInRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def ask(
        self,
        *,
        guild_id: int,
        group_id: int,
        user_id: int,
        first_meeting_id: int,
        last_meeting_id: int,
        meetings: int,
        now: datetime,
    ) -> CheckIn | None:
        """Record that the member is to be asked about the run of meetings that began at `first_meeting_id`;
        None when they already were (a run of absences is asked about once, however long it grows)."""
        row = await self._db.fetch_one(
            f"""
            INSERT INTO check_ins (guild_id, group_id, user_id, first_meeting_id, last_meeting_id, meetings,
                                   created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING {_COLUMNS}
            """,
            (guild_id, group_id, user_id, first_meeting_id, last_meeting_id, meetings, to_epoch(now)),
        )
        return _check_in(row) if row else None

    async def get(self, guild_id: int, check_in_id: int) -> CheckIn | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM check_ins WHERE guild_id = ? AND id = ?", (guild_id, check_in_id)
        )
        return _check_in(row) if row else None

    async def asked_at(self, guild_id: int, group_id: int, user_id: int, meeting_at: datetime) -> CheckIn | None:
        """The check-in the close of the group's meeting at this start asked for (a planned send names it so)."""
        row = await self._db.fetch_one(
            f"""
            SELECT {", ".join(f"c.{field}" for field in _FIELDS)} FROM meetings m
            JOIN check_ins c ON c.last_meeting_id = m.id AND c.user_id = :user
            WHERE m.guild_id = :guild AND m.group_id = :group AND m.starts_at = :meeting_at
            """,
            {"guild": guild_id, "group": group_id, "user": user_id, "meeting_at": to_epoch(meeting_at)},
        )
        return _check_in(row) if row else None

    async def answer(self, check_in: CheckIn, answer: CheckInAnswer, *, now: datetime) -> bool:
        """Record the member's answer; False when it had been answered already (the first answer stands)."""
        changed = await self._db.execute(
            "UPDATE check_ins SET answer = ?, answered_at = ? WHERE guild_id = ? AND id = ? AND answer IS NULL",
            (answer, to_epoch(now), check_in.guild_id, check_in.id),
        )
        return changed.rowcount == 1

    async def of_member(self, guild_id: int, user_id: int) -> list[CheckIn]:
        """The member's check-ins in this server, for their export."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM check_ins WHERE guild_id = ? AND user_id = ? ORDER BY created_at, id",
            (guild_id, user_id),
        )
        return [_check_in(row) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM check_ins WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM check_ins WHERE group_id = ? AND guild_id = ?", (group_id, guild_id)
        )
        return changed.rowcount
