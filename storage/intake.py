"""A server's intake: what applicants choose from, and members' applications in the order they queued."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import Application, IntakeSettings, lines_text, to_epoch
from storage.sql import placeholders

_APPLICATION = ", ".join(Application.model_fields)
_QUEUE = "ORDER BY queued_at, id"


def _application(row: object) -> Application:
    return Application.model_validate(dict(row))  # type: ignore[call-overload]


class IntakeRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    # ---------------------------------------------------------------- the server's intake

    async def settings(self, guild_id: int) -> IntakeSettings | None:
        """The server's intake, or None when /intake setup never ran there."""
        row = await self._db.fetch_one(
            "SELECT guild_id, fields, languages, group_size, accepting FROM intake_settings WHERE guild_id = ?",
            (guild_id,),
        )
        return IntakeSettings.model_validate(dict(row)) if row else None

    async def save_settings(self, settings: IntakeSettings, *, now: datetime) -> None:
        await self._db.execute(
            """
            INSERT INTO intake_settings (guild_id, fields, languages, group_size, accepting, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (guild_id) DO UPDATE SET fields = excluded.fields, languages = excluded.languages,
                group_size = excluded.group_size, accepting = excluded.accepting, updated_at = excluded.updated_at
            """,
            (
                settings.guild_id,
                lines_text(settings.fields),
                lines_text(settings.languages),
                settings.group_size,
                int(settings.accepting),
                to_epoch(now),
            ),
        )

    # ---------------------------------------------------------------- applications

    async def apply(
        self,
        *,
        guild_id: int,
        user_id: int,
        field: str,
        experience: int,
        languages: tuple[str, ...],
        about: str | None,
        now: datetime,
    ) -> Application:
        """Save the member's application: a waiting one is updated and keeps its place in the queue; one that was
        matched or withdrawn starts waiting again, at the end of the queue."""
        row = await self._db.fetch_one(
            f"""
            INSERT INTO applications (guild_id, user_id, field, experience, languages, about, status, queued_at,
                                      updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET
                field = excluded.field, experience = excluded.experience, languages = excluded.languages,
                about = excluded.about, updated_at = excluded.updated_at,
                queued_at = CASE WHEN applications.status = 'waiting' THEN applications.queued_at
                                 ELSE excluded.queued_at END,
                status = 'waiting', group_id = NULL, closed_at = NULL
            RETURNING {_APPLICATION}
            """,
            (guild_id, user_id, field, experience, lines_text(languages), about, to_epoch(now), to_epoch(now)),
        )
        assert row is not None
        return _application(row)

    async def application(self, guild_id: int, user_id: int) -> Application | None:
        row = await self._db.fetch_one(
            f"SELECT {_APPLICATION} FROM applications WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return _application(row) if row else None

    async def waiting(self, guild_id: int) -> list[Application]:
        """The server's waiting applications, in queue order."""
        rows = await self._db.fetch_all(
            f"SELECT {_APPLICATION} FROM applications WHERE guild_id = ? AND status = 'waiting' {_QUEUE}",
            (guild_id,),
        )
        return [_application(row) for row in rows]

    async def withdraw(self, guild_id: int, user_id: int, *, now: datetime) -> bool:
        """Take the member's waiting application out of the queue; False when none was waiting."""
        changed = await self._db.execute(
            "UPDATE applications SET status = 'withdrawn', closed_at = ? "
            "WHERE guild_id = ? AND user_id = ? AND status = 'waiting'",
            (to_epoch(now), guild_id, user_id),
        )
        return changed.rowcount == 1

    async def mark_matched(self, guild_id: int, user_ids: Sequence[int], group_id: int, *, now: datetime) -> int:
        """The waiting applications of these members are matched into the group; returns how many were."""
        if not user_ids:
            return 0
        changed = await self._db.execute(
            f"UPDATE applications SET status = 'matched', group_id = ?, closed_at = ? "
            f"WHERE guild_id = ? AND status = 'waiting' AND user_id IN ({placeholders(len(user_ids))})",
            (group_id, to_epoch(now), guild_id, *user_ids),
        )
        return changed.rowcount

    # ---------------------------------------------------------------- one member's data

    async def of_member(self, guild_id: int, user_id: int) -> list[Application]:
        """The member's application, for their export."""
        found = await self.application(guild_id, user_id)
        return [found] if found else []

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        """Forget the member's application, and that matching proposed them for a group or a seat (those rows
        are the intake's too); returns how many applications went."""
        await self._db.execute("DELETE FROM proposed_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        await self._db.execute("DELETE FROM refill_suggestions WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
        changed = await self._db.execute(
            "DELETE FROM applications WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return changed.rowcount
