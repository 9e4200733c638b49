"""Meetings, the voice time that makes attendance, and the hot-seat round. Each change of state is one
transaction, together with the timed sends it implies, so a crash can never leave half a meeting behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from storage.database import Database, Transaction
from storage.models import Attendance, HotSeatTurn, Meeting, Rotation, SendKind, SendPlan, to_epoch
from storage.sends import plan_rows

_MEETING = "id, guild_id, group_id, starts_at, opened_at, closed_at, status, round_status"
_TURN = "meeting_id, guild_id, user_id, position, present, status, started_at, ends_at, message_id"


def _meeting(row: object) -> Meeting:
    return Meeting.model_validate(dict(row))  # type: ignore[call-overload]


def _turn(row: object) -> HotSeatTurn:
    return HotSeatTurn.model_validate(dict(row))  # type: ignore[call-overload]


async def _insert_sends(tx: Transaction, plans: Sequence[SendPlan], now: datetime) -> None:
    await tx.execute_many(
        "INSERT OR IGNORE INTO planned_sends (guild_id, group_id, meeting_at, kind, detail, due_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        plan_rows(plans, now),
    )


async def _cancel_turn_sends(tx: Transaction, meeting: Meeting, now: datetime, user_id: int | None = None) -> None:
    await tx.execute(
        """
        UPDATE planned_sends SET status = 'cancelled', reason = 'turn_over', updated_at = ?
        WHERE group_id = ? AND meeting_at = ? AND status = 'pending' AND kind IN (?, ?)
          AND (? IS NULL OR detail = ?)
        """,
        (
            to_epoch(now),
            meeting.group_id,
            to_epoch(meeting.starts_at),
            str(SendKind.TURN_WARNING),
            str(SendKind.TURN_END),
            user_id,
            user_id,
        ),
    )


class MeetingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---------------------------------------------------------------- opening and closing

    async def open(
        self,
        *,
        guild_id: int,
        group_id: int,
        starts_at: datetime,
        now: datetime,
        in_call: Iterable[int],
        sends: Sequence[SendPlan],
    ) -> tuple[Meeting, bool]:
        """Open a meeting, unless one is open already (or this one already happened): (meeting, opened now).

        Opening takes on the commitments due at it, starts the voice time of members already in the call, and
        plans its sends (the automatic end), all in one transaction.
        """
        async with self._db.transaction() as tx:
            # Both "one open meeting per group" and "each start once" are unique indexes: a conflict with either
            # means there is nothing to open, and the meeting that stood in the way is returned instead.
            inserted = await tx.fetch_one(
                f"INSERT INTO meetings (guild_id, group_id, starts_at, opened_at) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT DO NOTHING RETURNING {_MEETING}",
                (guild_id, group_id, to_epoch(starts_at), to_epoch(now)),
            )
            if inserted is None:
                existing = await tx.fetch_one(
                    f"SELECT {_MEETING} FROM meetings WHERE group_id = ? AND (status = 'open' OR starts_at = ?) "
                    "ORDER BY status = 'open' DESC LIMIT 1",
                    (group_id, to_epoch(starts_at)),
                )
                return _meeting(existing), False
            meeting = _meeting(inserted)
            meeting_id = meeting.id
            await tx.execute(
                "UPDATE commitments SET due_meeting_id = ? WHERE group_id = ? AND due_meeting_id IS NULL",
                (meeting_id, group_id),
            )
            await tx.execute_many(
                "INSERT OR IGNORE INTO voice_sessions (meeting_id, guild_id, user_id, joined_at) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?)",
                [(meeting_id, guild_id, user_id, to_epoch(now), group_id, user_id) for user_id in in_call],
            )
            await _insert_sends(tx, sends, now)
            return meeting, True

    async def close(
        self, meeting: Meeting, *, now: datetime, attendance_minutes: int, sends: Sequence[SendPlan]
    ) -> bool:
        """Close an open meeting: end the voice time, record attendance for every member, mark unchecked
        commitments unreported, finish the round, cancel its pending notices and plan the summary. False when it
        was already closed (by someone else, or by the automatic end)."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                """
                UPDATE meetings SET status = 'closed', closed_at = ?,
                    round_status = CASE round_status WHEN 'running' THEN 'finished' ELSE round_status END
                WHERE id = ? AND status = 'open'
                """,
                (to_epoch(now), meeting.id),
            )
            if cursor.rowcount != 1:
                return False
            await tx.execute(
                "UPDATE voice_sessions SET left_at = ? WHERE meeting_id = ? AND left_at IS NULL",
                (to_epoch(now), meeting.id),
            )
            await tx.execute(
                """
                INSERT INTO attendance (meeting_id, group_id, guild_id, user_id, seconds, present)
                SELECT :meeting, m.group_id, m.guild_id, m.user_id, COALESCE(SUM(s.left_at - s.joined_at), 0),
                       COALESCE(SUM(s.left_at - s.joined_at), 0) >= :threshold
                FROM group_members m
                LEFT JOIN voice_sessions s ON s.meeting_id = :meeting AND s.user_id = m.user_id
                WHERE m.group_id = :group
                GROUP BY m.user_id
                """,
                {"meeting": meeting.id, "group": meeting.group_id, "threshold": attendance_minutes * 60},
            )
            await tx.execute(
                "UPDATE commitments SET status = 'unreported' WHERE due_meeting_id = ? AND status = 'open'",
                (meeting.id,),
            )
            await tx.execute(
                "UPDATE hotseat_turns SET status = 'done' WHERE meeting_id = ? AND status = 'active'", (meeting.id,)
            )
            await _cancel_turn_sends(tx, meeting, now)
            await tx.execute(
                "UPDATE planned_sends SET status = 'cancelled', reason = 'meeting_closed', updated_at = ? "
                "WHERE group_id = ? AND meeting_at = ? AND kind = ? AND status = 'pending'",
                (to_epoch(now), meeting.group_id, to_epoch(meeting.starts_at), str(SendKind.AUTO_END)),
            )
            await _insert_sends(tx, sends, now)
            return True

    async def get(self, guild_id: int, meeting_id: int) -> Meeting | None:
        row = await self._db.fetch_one(
            f"SELECT {_MEETING} FROM meetings WHERE guild_id = ? AND id = ?", (guild_id, meeting_id)
        )
        return _meeting(row) if row else None

    async def at(self, guild_id: int, group_id: int, starts_at: datetime) -> Meeting | None:
        row = await self._db.fetch_one(
            f"SELECT {_MEETING} FROM meetings WHERE guild_id = ? AND group_id = ? AND starts_at = ?",
            (guild_id, group_id, to_epoch(starts_at)),
        )
        return _meeting(row) if row else None

    async def current(self, guild_id: int, group_id: int) -> Meeting | None:
        """The group's open meeting, if any."""
        row = await self._db.fetch_one(
            f"SELECT {_MEETING} FROM meetings WHERE guild_id = ? AND group_id = ? AND status = 'open'",
            (guild_id, group_id),
        )
        return _meeting(row) if row else None

    async def latest(self, guild_id: int, group_id: int) -> Meeting | None:
        """The group's most recent meeting, open or closed."""
        row = await self._db.fetch_one(
            f"SELECT {_MEETING} FROM meetings WHERE guild_id = ? AND group_id = ? ORDER BY opened_at DESC, id DESC "
            "LIMIT 1",
            (guild_id, group_id),
        )
        return _meeting(row) if row else None

    async def open_in_guild(self, guild_id: int) -> list[Meeting]:
        rows = await self._db.fetch_all(
            f"SELECT {_MEETING} FROM meetings WHERE guild_id = ? AND status = 'open'", (guild_id,)
        )
        return [_meeting(row) for row in rows]

    # ---------------------------------------------------------------- voice time

    async def joined_call(self, meeting: Meeting, user_id: int, *, now: datetime) -> bool:
        """Start counting a member's time in the call; False if it was already counting."""
        return (
            await self._db.execute(
                "INSERT OR IGNORE INTO voice_sessions (meeting_id, guild_id, user_id, joined_at) VALUES (?, ?, ?, ?)",
                (meeting.id, meeting.guild_id, user_id, to_epoch(now)),
            )
            == 1
        )

    async def left_call(self, meeting: Meeting, user_id: int, *, now: datetime) -> bool:
        return (
            await self._db.execute(
                "UPDATE voice_sessions SET left_at = ? WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL",
                (to_epoch(now), meeting.id, user_id),
            )
            == 1
        )

    async def in_call(self, meeting_id: int) -> set[int]:
        """Members whose time in the call is being counted right now."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM voice_sessions WHERE meeting_id = ? AND left_at IS NULL", (meeting_id,)
        )
        return {row["user_id"] for row in rows}

    async def been_in_call(self, meeting_id: int) -> set[int]:
        rows = await self._db.fetch_all(
            "SELECT DISTINCT user_id FROM voice_sessions WHERE meeting_id = ?", (meeting_id,)
        )
        return {row["user_id"] for row in rows}

    async def attendance(self, meeting_id: int) -> list[Attendance]:
        rows = await self._db.fetch_all(
            "SELECT meeting_id, user_id, seconds, present FROM attendance WHERE meeting_id = ? ORDER BY user_id",
            (meeting_id,),
        )
        return [Attendance.model_validate(dict(row)) for row in rows]

    async def closed_count(self, guild_id: int, group_id: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM meetings WHERE guild_id = ? AND group_id = ? AND status = 'closed'",
            (guild_id, group_id),
        )
        return row["n"] if row else 0

    # ---------------------------------------------------------------- the hot-seat round

    async def start_round(
        self,
        meeting: Meeting,
        order: Sequence[tuple[int, bool]],
        *,
        now: datetime,
        first_ends_at: datetime,
        sends: Sequence[SendPlan],
    ) -> bool:
        """Lay out the round as (member, present) in order and seat the first; False if a round already ran."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE meetings SET round_status = 'running' "
                "WHERE id = ? AND status = 'open' AND round_status = 'not_started'",
                (meeting.id,),
            )
            if cursor.rowcount != 1:
                return False
            await tx.execute_many(
                f"INSERT INTO hotseat_turns ({_TURN}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                [
                    (
                        meeting.id,
                        meeting.guild_id,
                        user_id,
                        position,
                        present,
                        "active" if position == 0 else "waiting",
                        to_epoch(now) if position == 0 else None,
                        to_epoch(first_ends_at) if position == 0 else None,
                    )
                    for position, (user_id, present) in enumerate(order)
                ],
            )
            await _insert_sends(tx, sends, now)
            return True

    async def end_turn(
        self,
        meeting: Meeting,
        user_id: int,
        outcome: str,
        *,
        now: datetime,
        next_ends_at: datetime,
        next_sends: Sequence[SendPlan],
    ) -> tuple[bool, HotSeatTurn | None]:
        """End the member's turn (done or skipped) and seat the next: (whether this call ended it, the next turn,
        or None when the round is over). `next_sends` may name any member: only the seated one's are planned."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "UPDATE hotseat_turns SET status = ? WHERE meeting_id = ? AND user_id = ? AND status = 'active'",
                (outcome, meeting.id, user_id),
            )
            if cursor.rowcount != 1:
                return False, None
            await _cancel_turn_sends(tx, meeting, now, user_id)
            waiting = await tx.fetch_one(
                f"SELECT {_TURN} FROM hotseat_turns WHERE meeting_id = ? AND status = 'waiting' "
                "ORDER BY position LIMIT 1",
                (meeting.id,),
            )
            if waiting is None:
                await tx.execute(
                    "UPDATE meetings SET round_status = 'finished' WHERE id = ? AND round_status = 'running'",
                    (meeting.id,),
                )
                return True, None
            await tx.execute(
                "UPDATE hotseat_turns SET status = 'active', started_at = ?, ends_at = ? "
                "WHERE meeting_id = ? AND user_id = ?",
                (to_epoch(now), to_epoch(next_ends_at), meeting.id, waiting["user_id"]),
            )
            await _insert_sends(tx, [p for p in next_sends if p.detail == waiting["user_id"]], now)
            return True, _turn(
                await tx.fetch_one(
                    f"SELECT {_TURN} FROM hotseat_turns WHERE meeting_id = ? AND user_id = ?",
                    (meeting.id, waiting["user_id"]),
                )
            )

    async def turns(self, meeting_id: int) -> list[HotSeatTurn]:
        rows = await self._db.fetch_all(
            f"SELECT {_TURN} FROM hotseat_turns WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
        return [_turn(row) for row in rows]

    async def active_turn(self, meeting_id: int) -> HotSeatTurn | None:
        row = await self._db.fetch_one(
            f"SELECT {_TURN} FROM hotseat_turns WHERE meeting_id = ? AND status = 'active'", (meeting_id,)
        )
        return _turn(row) if row else None

    async def set_turn_message(self, meeting_id: int, user_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE hotseat_turns SET message_id = ? WHERE meeting_id = ? AND user_id = ?",
            (message_id, meeting_id, user_id),
        )

    async def rotation(self, guild_id: int, group_id: int, before: Meeting) -> Rotation:
        """The members, and the order of the group's last round before this meeting: one query."""
        rows = await self._db.fetch_all(
            """
            SELECT 0 AS part, user_id, joined_at AS rank FROM group_members
            WHERE guild_id = :guild AND group_id = :group
            UNION ALL
            SELECT 1, t.user_id, t.position FROM hotseat_turns t
            WHERE t.meeting_id = (
                SELECT m.id FROM meetings m
                WHERE m.guild_id = :guild AND m.group_id = :group AND m.id != :meeting AND m.opened_at <= :opened
                  AND EXISTS (SELECT 1 FROM hotseat_turns x WHERE x.meeting_id = m.id)
                ORDER BY m.opened_at DESC, m.id DESC LIMIT 1)
            ORDER BY part, rank, user_id
            """,
            {"guild": guild_id, "group": group_id, "meeting": before.id, "opened": to_epoch(before.opened_at)},
        )
        return Rotation(
            members=tuple(row["user_id"] for row in rows if row["part"] == 0),
            previous=tuple(row["user_id"] for row in rows if row["part"] == 1),
        )
