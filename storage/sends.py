"""Planned sends: every timed message the bot owes, with a status that makes each one happen at most once."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from storage.database import Executor
from storage.models import BotMessage, PlannedSend, SendKind, SendPlan, Shards, from_epoch, to_epoch
from storage.sql import on_shards, placeholders, values_rows

_COLUMNS = "id, guild_id, group_id, meeting_at, kind, detail, due_at, status, attempts, message_id, reason, updated_at"


def _send(row: object) -> PlannedSend:
    return PlannedSend.model_validate(dict(row))  # type: ignore[call-overload]


_INSERT = "INSERT INTO planned_sends (guild_id, group_id, meeting_at, kind, detail, due_at, updated_at) VALUES "
# Rows per INSERT statement: 7 values each stays far below SQLite's limit on bound values in one statement.
_ROWS_PER_STATEMENT = 500


async def insert_sends(executor: Executor, plans: Sequence[SendPlan], now: datetime, *, conflict: str) -> None:
    """Insert planned sends with as few statements as there are chunks of 500: each statement is one trip to the
    database thread, however many rows it carries. `conflict` is the ON CONFLICT clause for rows that exist."""
    for start in range(0, len(plans), _ROWS_PER_STATEMENT):
        chunk = plans[start : start + _ROWS_PER_STATEMENT]
        values = [
            value
            for p in chunk
            for value in (
                p.guild_id,
                p.group_id,
                to_epoch(p.meeting_at),
                str(p.kind),
                p.detail,
                to_epoch(p.due_at),
                to_epoch(now),
            )
        ]
        await executor.execute(f"{_INSERT}{values_rows(len(chunk), 7)} {conflict}", values)


# Planned again: a cancelled row comes back; a pending row takes the new time unless it is waiting for a retry.
REVIVE = """
ON CONFLICT (group_id, meeting_at, kind, detail) DO UPDATE SET
    due_at = excluded.due_at, status = 'pending', reason = NULL, attempts = 0, updated_at = excluded.updated_at
-- A pending row already tried once is waiting for its retry: its back-off and count stand.
WHERE planned_sends.status = 'cancelled' OR (planned_sends.status = 'pending' AND planned_sends.attempts = 0)
"""
# Planned once: a row that exists, whatever became of it, stays as it is.
KEEP = "ON CONFLICT DO NOTHING"


class PlannedSendRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def plan(
        self,
        group_ids: Collection[int] | None,
        plans: Sequence[SendPlan],
        *,
        kinds: Collection[SendKind],
        now: datetime,
    ) -> None:
        """Make these groups' (None: every group's) future sends of these kinds exactly `plans`.

        Pending future rows that are no longer planned are cancelled; planned rows are added, or revived if they
        were cancelled. Rows already sent, skipped or failed are never touched: that is what keeps a change of
        plan from sending anything twice. Rows already due, and rows of a meeting that has begun (a kickoff
        waiting a minute for its retry), are left to the delivery, which knows their grace.
        """
        kind_names = [str(kind) for kind in kinds]
        # Two shapes on purpose: by group (every change, every kickoff) reads only those groups' rows through
        # their index; the whole table is read only when every group is planned at once, at start-up.
        query = (
            "SELECT id, group_id, meeting_at, kind, detail FROM planned_sends "
            f"WHERE status = 'pending' AND due_at > ? AND meeting_at > ? AND kind IN ({placeholders(len(kind_names))})"
        )
        params: list[object] = [to_epoch(now), to_epoch(now), *kind_names]
        groups = sorted(set(group_ids)) if group_ids is not None else None
        if groups == [] or not kind_names:
            return  # no group or no kind: nothing to plan
        if groups is not None:
            query += f" AND group_id IN ({placeholders(len(groups))})"
            params += groups
        async with self._db.transaction() as tx:
            if groups:
                await tx.lock(*groups)  # two changes of one group's plan never interleave
            existing = await tx.fetch_all(query, params)
            wanted = {(p.group_id, to_epoch(p.meeting_at), str(p.kind), p.detail) for p in plans}
            stale = [
                (to_epoch(now), row["id"])
                for row in existing
                if (row["group_id"], row["meeting_at"], row["kind"], row["detail"]) not in wanted
            ]
            await tx.execute_many(
                "UPDATE planned_sends SET status = 'cancelled', reason = 'replanned', updated_at = ? "
                "WHERE id = ? AND status = 'pending'",
                stale,
            )
            await insert_sends(tx, plans, now, conflict=REVIVE)

    async def insert(self, plans: Sequence[SendPlan], *, now: datetime) -> None:
        """Plan sends that belong to one moment (a meeting's close, a turn): planned once, never revived."""
        await insert_sends(self._db, plans, now, conflict=KEEP)

    async def earliest_due(self, shards: Shards | None = None) -> datetime | None:
        """When the next pending send of these shards' servers falls due."""
        mine, values = on_shards(shards)
        row = await self._db.fetch_one(
            f"SELECT MIN(due_at) AS due_at FROM planned_sends WHERE status = 'pending'{mine}", values
        )
        return from_epoch(row["due_at"]) if row and row["due_at"] is not None else None

    async def due(self, now: datetime, *, limit: int = 500, shards: Shards | None = None) -> list[PlannedSend]:
        """The pending sends of these shards' servers that are due, oldest first."""
        mine, values = on_shards(shards)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM planned_sends WHERE status = 'pending' AND due_at <= ?{mine} "
            "ORDER BY due_at, id LIMIT ?",
            (to_epoch(now), *values, limit),
        )
        return [_send(row) for row in rows]

    async def claim(self, send_ids: Collection[int], *, now: datetime) -> set[int]:
        """Take pending sends for delivery, in one statement; returns the ids this call won (a send another
        claimer already took, or that was cancelled meanwhile, is not among them). On PostgreSQL, rows another
        process is claiming at this moment are skipped rather than waited for."""
        ids = list(send_ids)
        if not ids:
            return set()
        chosen = f"id IN ({placeholders(len(ids))})"
        if self._db.dialect == "postgres":
            chosen = (
                f"id IN (SELECT id FROM planned_sends WHERE {chosen} AND status = 'pending' FOR UPDATE SKIP LOCKED)"
            )
        rows = await self._db.fetch_all(
            "UPDATE planned_sends SET status = 'sending', attempts = attempts + 1, updated_at = ? "
            f"WHERE status = 'pending' AND {chosen} RETURNING id",
            (to_epoch(now), *ids),
        )
        return {row["id"] for row in rows}

    async def finish(
        self, send_id: int, status: str, *, now: datetime, message_id: int | None = None, reason: str | None = None
    ) -> bool:
        """Record how a claimed send ended: sent, failed or skipped."""
        changed = await self._db.execute(
            "UPDATE planned_sends SET status = ?, message_id = COALESCE(?, message_id), reason = ?, updated_at = ? "
            "WHERE id = ? AND status = 'sending'",
            (status, message_id, reason, to_epoch(now), send_id),
        )
        return changed.rowcount == 1

    async def skip(self, send_id: int, *, reason: str, now: datetime) -> bool:
        changed = await self._db.execute(
            "UPDATE planned_sends SET status = 'skipped', reason = ?, updated_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (reason, to_epoch(now), send_id),
        )
        return changed.rowcount == 1

    async def retry_at(
        self, send_id: int, due_at: datetime, *, reason: str, now: datetime, message_id: int | None = None
    ) -> bool:
        """Put a send that hit a passing fault back in the queue for a later try, remembering the message it
        already posted, if any."""
        changed = await self._db.execute(
            "UPDATE planned_sends SET status = 'pending', due_at = ?, reason = ?, updated_at = ?, "
            "message_id = COALESCE(?, message_id) WHERE id = ? AND status = 'sending'",
            (to_epoch(due_at), reason, to_epoch(now), message_id, send_id),
        )
        return changed.rowcount == 1

    async def recover_interrupted(
        self, *, now: datetime, window: timedelta, shards: Shards | None = None
    ) -> tuple[int, int]:
        """Sends of these shards' servers cut off mid-way by a crash: retry the recent ones (Discord's nonce check
        drops a repeat within minutes), give up on older ones rather than risk a duplicate. Returns (retried,
        given up)."""
        cutoff = to_epoch(now - window)
        mine, values = on_shards(shards)
        async with self._db.transaction() as tx:
            retried = await tx.execute(
                "UPDATE planned_sends SET status = 'pending', reason = 'interrupted', updated_at = ? "
                f"WHERE status = 'sending' AND updated_at >= ?{mine}",
                (to_epoch(now), cutoff, *values),
            )
            given_up = await tx.execute(
                "UPDATE planned_sends SET status = 'failed', reason = 'interrupted', updated_at = ? "
                f"WHERE status = 'sending' AND updated_at < ?{mine}",
                (to_epoch(now), cutoff, *values),
            )
            return retried.rowcount, given_up.rowcount

    async def latest_problem(self, guild_id: int, group_id: int) -> PlannedSend | None:
        """The most recent failed send, unless a later one has gone out since (then it is history)."""
        row = await self._db.fetch_one(
            f"""
            SELECT {_COLUMNS} FROM planned_sends f
            WHERE f.guild_id = ? AND f.group_id = ? AND f.status = 'failed'
              AND NOT EXISTS (SELECT 1 FROM planned_sends s WHERE s.group_id = f.group_id AND s.status = 'sent'
                              AND s.updated_at > f.updated_at)
            ORDER BY f.updated_at DESC, f.id DESC LIMIT 1
            """,
            (guild_id, group_id),
        )
        return _send(row) if row else None

    async def sent_messages(self, group_id: int, meeting_at: datetime, kind: SendKind) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT message_id FROM planned_sends WHERE group_id = ? AND meeting_at = ? AND kind = ? "
            "AND status = 'sent' AND message_id IS NOT NULL ORDER BY due_at",
            (group_id, to_epoch(meeting_at), str(kind)),
        )
        return [row["message_id"] for row in rows]

    # ---------------------------------------------------------------- retention

    async def pending_in_guild(self, guild_id: int, kinds: Collection[SendKind]) -> list[PlannedSend]:
        """The server's pending sends of these kinds (the purges, when the retention period changes)."""
        if not kinds:
            return []
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM planned_sends WHERE status = 'pending' AND guild_id = ? "
            f"AND kind IN ({', '.join('?' * len(kinds))}) ORDER BY due_at, id",
            (guild_id, *(str(kind) for kind in kinds)),
        )
        return [_send(row) for row in rows]

    async def move(self, changes: Sequence[tuple[int, datetime]], *, now: datetime) -> None:
        """Give pending sends new due times, as (send id, due at); one that was claimed meanwhile stays as it is."""
        await self._db.execute_many(
            "UPDATE planned_sends SET due_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
            [(to_epoch(due_at), to_epoch(now), send_id) for send_id, due_at in changes],
        )

    async def cancel_member_purge(self, guild_id: int, user_id: int, *, now: datetime) -> int:
        """The member came back to the server: their data stays; returns how many purges were called off."""
        changed = await self._db.execute(
            "UPDATE planned_sends SET status = 'cancelled', reason = 'member_returned', updated_at = ? "
            "WHERE status = 'pending' AND guild_id = ? AND kind = ? AND detail = ?",
            (to_epoch(now), guild_id, str(SendKind.MEMBER_PURGE), user_id),
        )
        return changed.rowcount

    async def messages_quoting(self, guild_id: int, user_id: int, kinds: Collection[SendKind]) -> list[BotMessage]:
        """The bot's sent messages of these kinds (agendas, nudges, summaries) in the groups where the member made
        commitments, from their first commitment there on: the messages that may quote their goals."""
        if not kinds:
            return []
        rows = await self._db.fetch_all(
            f"""
            SELECT s.group_id, g.text_channel_id AS channel_id, s.message_id, s.kind
            FROM (SELECT c.group_id, MIN(c.created_at) AS since FROM commitments c
                  WHERE c.group_id IN (SELECT id FROM groups WHERE guild_id = ?) AND c.user_id = ?
                  GROUP BY c.group_id) f
            JOIN planned_sends s ON s.group_id = f.group_id AND s.status = 'sent'
            JOIN groups g ON g.id = s.group_id
            WHERE s.message_id IS NOT NULL AND s.updated_at >= f.since AND s.kind IN ({", ".join("?" * len(kinds))})
            ORDER BY s.group_id, s.due_at, s.id
            """,
            (guild_id, user_id, *(str(kind) for kind in kinds)),
        )
        return [BotMessage.model_validate(dict(row)) for row in rows]
