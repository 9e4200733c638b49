"""The goal ledger: each member's commitments, when they are due, and how they turned out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import Commitment, CommitmentContext, CommitmentStatus, Group, LedgerEntry, to_epoch
from storage.sql import DIALECTS, json_document, json_exists, json_object

_FIELDS = (
    "id",
    "guild_id",
    "group_id",
    "user_id",
    "position",
    "text",
    "created_at",
    "due_meeting_id",
    "status",
    "note",
    "checked_at",
    "carried_from_id",
)
_COLUMNS = ", ".join(_FIELDS)
_JOINED_COLUMNS = ", ".join(f"c.{field}" for field in _FIELDS)


def _context(dialect: str) -> str:
    document = json_document(
        dialect,
        {
            "commitment": json_object(dialect, "c", _FIELDS),
            "group": json_object(dialect, "g", Group.model_fields),
            "open_meeting_id": "(SELECT m.id FROM meetings m WHERE m.group_id = g.id AND m.status = 'open')",
            "actor_is_member": json_exists(
                dialect, "SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.user_id = :actor"
            ),
            "organizer_role_id": "(SELECT s.organizer_role_id FROM guild_settings s WHERE s.guild_id = g.guild_id)",
        },
    )
    return (
        f"SELECT {document} AS context FROM commitments c JOIN groups g ON g.id = c.group_id "
        "WHERE c.guild_id = :guild AND c.id = :commitment"
    )


_CONTEXT = {dialect: _context(dialect) for dialect in DIALECTS}


def _commitment(row: object) -> Commitment:
    return Commitment.model_validate(dict(row))  # type: ignore[call-overload]


class CommitmentRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def replace_upcoming(
        self,
        *,
        guild_id: int,
        group_id: int,
        user_id: int,
        goals: Sequence[tuple[str, int | None]],
        now: datetime,
    ) -> list[Commitment]:
        """Make (text, carried from) the member's commitments for the group's next meeting, replacing any set
        earlier in this cycle."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM commitments "
                "WHERE guild_id = ? AND group_id = ? AND user_id = ? AND due_meeting_id IS NULL",
                (guild_id, group_id, user_id),
            )
            await tx.execute_many(
                "INSERT INTO commitments (guild_id, group_id, user_id, position, text, created_at, carried_from_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (guild_id, group_id, user_id, position, text, to_epoch(now), carried_from)
                    for position, (text, carried_from) in enumerate(goals)
                ],
            )
        return await self.upcoming(guild_id, group_id, user_id)

    async def upcoming(self, guild_id: int, group_id: int, user_id: int | None = None) -> list[Commitment]:
        """Commitments due at the group's next meeting (one member's, or everyone's)."""
        return await self._select(
            "guild_id = ? AND group_id = ? AND due_meeting_id IS NULL", (guild_id, group_id), user_id
        )

    async def due_at(self, guild_id: int, meeting_id: int, user_id: int | None = None) -> list[Commitment]:
        """Commitments that were due at a meeting (one member's, or everyone's)."""
        return await self._select("guild_id = ? AND due_meeting_id = ?", (guild_id, meeting_id), user_id)

    async def _select(self, where: str, params: tuple[int, ...], user_id: int | None) -> list[Commitment]:
        if user_id is not None:
            where, params = f"{where} AND user_id = ?", (*params, user_id)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM commitments WHERE {where} ORDER BY user_id, position", params
        )
        return [_commitment(row) for row in rows]

    async def get(self, guild_id: int, commitment_id: int) -> Commitment | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM commitments WHERE guild_id = ? AND id = ?", (guild_id, commitment_id)
        )
        return _commitment(row) if row else None

    async def context(self, guild_id: int, commitment_id: int, *, actor_id: int) -> CommitmentContext | None:
        """A commitment with its group, the group's open meeting and whether the actor is in the group: what
        marking it needs to know, in one query."""
        row = await self._db.fetch_one(
            _CONTEXT[self._db.dialect], {"guild": guild_id, "commitment": commitment_id, "actor": actor_id}
        )
        return CommitmentContext.model_validate_json(row["context"]) if row else None

    async def check(
        self, guild_id: int, commitment_id: int, status: CommitmentStatus, *, note: str | None, now: datetime
    ) -> Commitment | None:
        """Record how a commitment turned out, and return it as it now reads; an unreported one (its meeting is
        over) stays as it is (None)."""
        row = await self._db.fetch_one(
            f"UPDATE commitments SET status = ?, note = COALESCE(?, note), checked_at = ? "
            f"WHERE guild_id = ? AND id = ? AND status != 'unreported' RETURNING {_COLUMNS}",
            (status, note, to_epoch(now), guild_id, commitment_id),
        )
        return _commitment(row) if row else None

    async def close_out(self, guild_id: int, meeting_id: int) -> list[Commitment]:
        """At a meeting's close: what nobody checked becomes unreported; returns every commitment due at it."""
        await self._db.execute(
            "UPDATE commitments SET status = 'unreported' WHERE due_meeting_id = ? AND status = 'open'",
            (meeting_id,),
        )
        return await self.due_at(guild_id, meeting_id)

    async def ledger(self, guild_id: int, group_id: int, user_id: int, *, meetings: int) -> list[LedgerEntry]:
        """A member's commitments for the next meeting and those due at the group's last few meetings (newest
        first), each with its meeting's start and whether it is still open: one query for /goals list."""
        rows = await self._db.fetch_all(
            f"""
            SELECT {_JOINED_COLUMNS}, m.starts_at AS meeting_starts_at, m.status = 'open' AS meeting_open
            FROM commitments c LEFT JOIN meetings m ON m.id = c.due_meeting_id
            WHERE c.guild_id = :guild AND c.group_id = :group AND c.user_id = :user
              AND (c.due_meeting_id IS NULL
                   OR c.due_meeting_id IN (SELECT id FROM meetings WHERE guild_id = :guild AND group_id = :group
                                           ORDER BY opened_at DESC, id DESC LIMIT :meetings))
            ORDER BY c.due_meeting_id IS NOT NULL, m.opened_at DESC, m.id DESC, c.position
            """,
            {"guild": guild_id, "group": group_id, "user": user_id, "meetings": meetings},
        )
        return [
            LedgerEntry(
                commitment=_commitment({field: row[field] for field in _FIELDS}),
                meeting_starts_at=row["meeting_starts_at"],
                meeting_open=bool(row["meeting_open"]),
            )
            for row in rows
        ]

    # ---------------------------------------------------------------- one member's data, and retention

    async def of_member(self, guild_id: int, user_id: int) -> list[Commitment]:
        """Every commitment the member made in the server, with its outcome and note (their own only)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM commitments "
            "WHERE group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND user_id = ? ORDER BY id",
            (guild_id, user_id),
        )
        return [_commitment(row) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM commitments WHERE group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND user_id = ?",
            (guild_id, user_id),
        )
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM commitments WHERE group_id = ? AND guild_id = ?", (group_id, guild_id)
        )
        return changed.rowcount
