"""Meetings, the voice time that makes attendance, and the hot-seat round. Each change of state is one
transaction, together with the timed sends it implies, so a crash can never leave half a meeting behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import (
    Attendance,
    BotMessage,
    Commitment,
    Group,
    HotSeatTurn,
    Meeting,
    MemberAttendance,
    MemberTurn,
    MemberVoiceSession,
    RecentSeat,
    Rotation,
    RoundState,
    SendKind,
    SendPlan,
    to_epoch,
)
from storage.sends import KEEP, insert_sends
from storage.sql import DIALECTS, json_document, json_exists, json_object, json_rows, placeholders, values_rows

_MEETING_FIELDS = (
    "id",
    "guild_id",
    "group_id",
    "starts_at",
    "opened_at",
    "closed_at",
    "status",
    "round_status",
    "opened_by",
)
_TURN_FIELDS = (
    "meeting_id",
    "guild_id",
    "user_id",
    "position",
    "present",
    "status",
    "started_at",
    "ends_at",
    "message_id",
)
_MEETING = ", ".join(_MEETING_FIELDS)
_TURN = ", ".join(_TURN_FIELDS)


def _meeting(row: object) -> Meeting:
    return Meeting.model_validate(dict(row))  # type: ignore[call-overload]


def _turn(row: object) -> HotSeatTurn:
    return HotSeatTurn.model_validate(dict(row))  # type: ignore[call-overload]


def _round_state(dialect: str) -> str:
    """A meeting's round as one JSON document: the meeting, its group, the turns, the commitments due at it and
    set for the next one, whether the actor is a member, and the server's organizer role."""
    document = json_document(
        dialect,
        {
            "meeting": json_object(dialect, "m", _MEETING_FIELDS),
            "group": json_object(dialect, "g", Group.model_fields),
            "turns": json_rows(dialect, "t", _TURN_FIELDS, "FROM hotseat_turns t WHERE t.meeting_id = m.id"),
            "due": json_rows(dialect, "c", Commitment.model_fields, "FROM commitments c WHERE c.due_meeting_id = m.id"),
            "upcoming": json_rows(
                dialect,
                "c",
                Commitment.model_fields,
                "FROM commitments c WHERE c.group_id = g.id AND c.due_meeting_id IS NULL",
            ),
            "actor_is_member": json_exists(
                dialect, "SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.user_id = :actor"
            ),
            "organizer_role_id": "(SELECT s.organizer_role_id FROM guild_settings s WHERE s.guild_id = g.guild_id)",
        },
    )
    return f"SELECT {document} AS state FROM meetings m JOIN groups g ON g.id = m.group_id"


_ROUND_STATE = {dialect: _round_state(dialect) for dialect in DIALECTS}


async def _cancel_turn_sends(tx: Executor, meeting: Meeting, now: datetime, user_id: int | None = None) -> None:
    """Cancel the pending two-minute and time-up notices of the meeting's round (of one member's turn)."""
    whose, params = ("AND detail = ?", (user_id,)) if user_id is not None else ("", ())
    await tx.execute(
        f"""
        UPDATE planned_sends SET status = 'cancelled', reason = 'turn_over', updated_at = ?
        WHERE group_id = ? AND meeting_at = ? AND status = 'pending' AND kind IN (?, ?) {whose}
        """,
        (
            to_epoch(now),
            meeting.group_id,
            to_epoch(meeting.starts_at),
            str(SendKind.TURN_WARNING),
            str(SendKind.TURN_END),
            *params,
        ),
    )


class MeetingRepository:
    def __init__(self, db: Executor) -> None:
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
        opened_by: int | None = None,
    ) -> tuple[Meeting, bool]:
        """Open a meeting, unless one is open already (or this one already happened): (meeting, opened now).

        Opening takes on the commitments due at it, starts the voice time of members already in the call, and
        plans its sends (the automatic end), all in one transaction.
        """
        async with self._db.transaction() as tx:
            # Both "one open meeting per group" and "each start once" are unique indexes: a conflict with either
            # means there is nothing to open, and the meeting that stood in the way is returned instead.
            inserted = await tx.fetch_one(
                f"INSERT INTO meetings (guild_id, group_id, starts_at, opened_at, opened_by) VALUES (?, ?, ?, ?, ?) "
                f"ON CONFLICT DO NOTHING RETURNING {_MEETING}",
                (guild_id, group_id, to_epoch(starts_at), to_epoch(now), opened_by),
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
            callers = list(in_call)
            if callers:
                # Members in the call start counting now; strangers in the channel don't count.
                await tx.execute(
                    "INSERT INTO voice_sessions (meeting_id, guild_id, user_id, joined_at) "
                    "SELECT CAST(? AS BIGINT), guild_id, user_id, CAST(? AS BIGINT) FROM group_members "
                    f"WHERE group_id = ? AND user_id IN ({placeholders(len(callers))}) ON CONFLICT DO NOTHING",
                    (meeting_id, to_epoch(now), group_id, *callers),
                )
            await insert_sends(tx, sends, now, conflict=KEEP)
            return meeting, True

    async def mark_closed(self, meeting: Meeting, *, now: datetime) -> bool:
        """The first step of closing: False when the meeting was already closed (by someone else, or by the
        automatic end), and then nothing else of the close may happen."""
        changed = await self._db.execute(
            """
            UPDATE meetings SET status = 'closed', closed_at = ?,
                round_status = CASE round_status WHEN 'running' THEN 'finished' ELSE round_status END
            WHERE id = ? AND status = 'open'
            """,
            (to_epoch(now), meeting.id),
        )
        return changed.rowcount == 1

    async def end_calls(self, meeting: Meeting, *, now: datetime) -> list[tuple[int, int, bool]]:
        """Stop the voice time of everyone still in the call; then (member, seconds in the call, paused) for every
        current member of the group, in member id order. Strangers and former members don't count."""
        await self._db.execute(
            "UPDATE voice_sessions SET left_at = ? WHERE meeting_id = ? AND left_at IS NULL",
            (to_epoch(now), meeting.id),
        )
        rows = await self._db.fetch_all(
            """
            SELECT m.user_id, COALESCE(SUM(s.left_at - s.joined_at), 0) AS seconds, m.paused_for > 0 AS paused
            FROM group_members m LEFT JOIN voice_sessions s ON s.meeting_id = :meeting AND s.user_id = m.user_id
            WHERE m.group_id = :group
            GROUP BY m.user_id, m.paused_for ORDER BY m.user_id
            """,
            {"meeting": meeting.id, "group": meeting.group_id},
        )
        return [(row["user_id"], row["seconds"], bool(row["paused"])) for row in rows]

    async def record_attendance(self, meeting: Meeting, attendance: Sequence[Attendance]) -> None:
        if not attendance:
            return
        await self._db.execute(
            "INSERT INTO attendance (meeting_id, group_id, guild_id, user_id, seconds, present, paused) VALUES "
            + values_rows(len(attendance), 7),
            [
                value
                for a in attendance
                for value in (meeting.id, meeting.group_id, meeting.guild_id, a.user_id, a.seconds, a.present, a.paused)
            ],
        )

    async def count_down_pauses(self, meeting: Meeting) -> None:
        """A meeting closed: every paused member of its group has one meeting fewer to sit out."""
        await self._db.execute(
            "UPDATE group_members SET paused_for = paused_for - 1 WHERE group_id = ? AND paused_for > 0",
            (meeting.group_id,),
        )

    async def finish_round(self, meeting: Meeting, *, now: datetime) -> None:
        """At the close: the member on the seat is done, no turn notice or automatic end is still to come."""
        await self._db.execute(
            "UPDATE hotseat_turns SET status = 'done' WHERE meeting_id = ? AND status = 'active'", (meeting.id,)
        )
        await _cancel_turn_sends(self._db, meeting, now)
        await self._db.execute(
            "UPDATE planned_sends SET status = 'cancelled', reason = 'meeting_closed', updated_at = ? "
            "WHERE group_id = ? AND meeting_at = ? AND kind = ? AND status = 'pending'",
            (to_epoch(now), meeting.group_id, to_epoch(meeting.starts_at), str(SendKind.AUTO_END)),
        )

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
        changed = await self._db.execute(
            "INSERT INTO voice_sessions (meeting_id, guild_id, user_id, joined_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (meeting.id, meeting.guild_id, user_id, to_epoch(now)),
        )
        return changed.rowcount == 1

    async def left_call(self, meeting: Meeting, user_id: int, *, now: datetime) -> bool:
        changed = await self._db.execute(
            "UPDATE voice_sessions SET left_at = ? WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL",
            (to_epoch(now), meeting.id, user_id),
        )
        return changed.rowcount == 1

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
            "SELECT meeting_id, user_id, seconds, present, paused FROM attendance WHERE meeting_id = ? "
            "ORDER BY user_id",
            (meeting_id,),
        )
        return [Attendance.model_validate(dict(row)) for row in rows]

    # ---------------------------------------------------------------- the hot-seat round

    async def round_state(
        self, guild_id: int, *, actor_id: int, meeting_id: int | None = None, group_id: int | None = None
    ) -> RoundState | None:
        """A meeting (by id, or the group's open one) with its group, its round, the commitments due at it and
        set for the next one, and whether the actor is a member: all one click needs, in one statement."""
        params: dict[str, int | None]
        if meeting_id is not None:
            where, params = "WHERE m.guild_id = :guild AND m.id = :meeting", {"meeting": meeting_id}
        else:
            where, params = (
                "WHERE m.guild_id = :guild AND m.group_id = :group AND m.status = 'open'",
                {"group": group_id},
            )
        row = await self._db.fetch_one(
            f"{_ROUND_STATE[self._db.dialect]} {where}", {"guild": guild_id, "actor": actor_id, **params}
        )
        return RoundState.model_validate_json(row["state"]) if row else None

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
            await tx.execute(
                f"INSERT INTO hotseat_turns ({_TURN}) VALUES " + values_rows(len(order), len(_TURN_FIELDS)),
                [
                    value
                    for position, (user_id, present) in enumerate(order)
                    for value in (
                        meeting.id,
                        meeting.guild_id,
                        user_id,
                        position,
                        present,
                        "active" if position == 0 else "waiting",
                        to_epoch(now) if position == 0 else None,
                        to_epoch(first_ends_at) if position == 0 else None,
                        None,
                    )
                ],
            )
            await insert_sends(tx, sends, now, conflict=KEEP)
            return True

    async def end_turn(
        self,
        meeting: Meeting,
        user_id: int,
        outcome: str,
        *,
        seat: int | None,
        now: datetime,
        ends_at: datetime,
        sends: Sequence[SendPlan],
    ) -> bool:
        """End the member's turn (done or skipped) and seat `seat`, who must still be waiting, with its notices;
        with no one to seat, the round is over. False, and nothing changed, when the turn was not active."""
        async with self._db.transaction() as tx:
            ended = await tx.execute(
                "UPDATE hotseat_turns SET status = ? WHERE meeting_id = ? AND user_id = ? AND status = 'active'",
                (outcome, meeting.id, user_id),
            )
            if ended.rowcount != 1:
                return False
            await _cancel_turn_sends(tx, meeting, now, user_id)
            if seat is None:
                await tx.execute(
                    "UPDATE meetings SET round_status = 'finished' WHERE id = ? AND round_status = 'running'",
                    (meeting.id,),
                )
                return True
            seated = await tx.execute(
                "UPDATE hotseat_turns SET status = 'active', started_at = ?, ends_at = ? "
                "WHERE meeting_id = ? AND user_id = ? AND status = 'waiting'",
                (to_epoch(now), to_epoch(ends_at), meeting.id, seat),
            )
            if seated.rowcount != 1:
                raise RuntimeError(f"member {seat} was not waiting for the seat in meeting {meeting.id}")
            await insert_sends(tx, sends, now, conflict=KEEP)
            return True

    async def turns(self, meeting_id: int) -> list[HotSeatTurn]:
        rows = await self._db.fetch_all(
            f"SELECT {_TURN} FROM hotseat_turns WHERE meeting_id = ? ORDER BY position", (meeting_id,)
        )
        return [_turn(row) for row in rows]

    async def set_turn_message(self, meeting_id: int, user_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE hotseat_turns SET message_id = ? WHERE meeting_id = ? AND user_id = ?",
            (message_id, meeting_id, user_id),
        )

    async def rotation(self, guild_id: int, group_id: int, before: Meeting) -> Rotation:
        """The members in the order they joined (and which of them are paused), and the seats of the latest rounds
        held before this meeting (the rules pick the previous round from them): one query."""
        rows = await self._db.fetch_all(
            """
            SELECT 0 AS part, user_id, joined_at AS rank, 0 AS meeting_id, 0 AS opened_at, paused_for
            FROM group_members WHERE guild_id = :guild AND group_id = :group
            UNION ALL
            SELECT 1, t.user_id, t.position, m.id, m.opened_at, 0
            FROM hotseat_turns t JOIN meetings m ON m.id = t.meeting_id
            WHERE t.meeting_id IN (
                SELECT r.id FROM meetings r
                WHERE r.guild_id = :guild AND r.group_id = :group AND r.id != :meeting AND r.opened_at <= :opened
                  AND r.round_status != 'not_started'
                ORDER BY r.opened_at DESC, r.id DESC LIMIT 2)
            ORDER BY part, rank, user_id
            """,
            {"guild": guild_id, "group": group_id, "meeting": before.id, "opened": to_epoch(before.opened_at)},
        )
        return Rotation(
            members=tuple(row["user_id"] for row in rows if row["part"] == 0),
            paused=frozenset(row["user_id"] for row in rows if row["part"] == 0 and row["paused_for"] > 0),
            recent=tuple(
                RecentSeat(
                    meeting_id=row["meeting_id"],
                    opened_at=row["opened_at"],
                    user_id=row["user_id"],
                    position=row["rank"],
                )
                for row in rows
                if row["part"] == 1
            ),
        )

    # ---------------------------------------------------------------- one member's data, and retention

    # The server's meetings, then the member's rows in each through the (meeting, member) indexes.
    _MEMBER_IN_GUILD = "meeting_id IN (SELECT id FROM meetings WHERE guild_id = ?) AND user_id = ?"

    async def voice_of_member(self, guild_id: int, user_id: int) -> list[MemberVoiceSession]:
        rows = await self._db.fetch_all(
            "SELECT m.group_id, s.meeting_id, s.joined_at, s.left_at "
            "FROM voice_sessions s JOIN meetings m ON m.id = s.meeting_id "
            f"WHERE s.{self._MEMBER_IN_GUILD} ORDER BY s.joined_at, s.id",
            (guild_id, user_id),
        )
        return [MemberVoiceSession.model_validate(dict(row)) for row in rows]

    async def attendance_of_member(self, guild_id: int, user_id: int) -> list[MemberAttendance]:
        rows = await self._db.fetch_all(
            "SELECT a.group_id, a.meeting_id, m.starts_at AS meeting_starts_at, a.seconds, a.present "
            "FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
            f"WHERE a.{self._MEMBER_IN_GUILD} ORDER BY m.starts_at, a.meeting_id",
            (guild_id, user_id),
        )
        return [MemberAttendance.model_validate(dict(row)) for row in rows]

    async def turns_of_member(self, guild_id: int, user_id: int) -> list[MemberTurn]:
        rows = await self._db.fetch_all(
            "SELECT m.group_id, t.meeting_id, t.position, t.present, t.status, t.started_at, t.ends_at "
            "FROM hotseat_turns t JOIN meetings m ON m.id = t.meeting_id "
            f"WHERE t.{self._MEMBER_IN_GUILD} ORDER BY m.starts_at, t.meeting_id",
            (guild_id, user_id),
        )
        return [MemberTurn.model_validate(dict(row)) for row in rows]

    async def turn_messages(self, guild_id: int, user_id: int) -> list[BotMessage]:
        """The messages of the member's hot-seat turns, which show their goals."""
        rows = await self._db.fetch_all(
            "SELECT m.group_id, g.text_channel_id AS channel_id, t.message_id, 'turn' AS kind "
            "FROM hotseat_turns t JOIN meetings m ON m.id = t.meeting_id JOIN groups g ON g.id = m.group_id "
            f"WHERE t.{self._MEMBER_IN_GUILD} AND t.message_id IS NOT NULL ORDER BY t.meeting_id",
            (guild_id, user_id),
        )
        return [BotMessage.model_validate(dict(row)) for row in rows]

    async def seated(self, guild_id: int, user_id: int) -> Meeting | None:
        """The open meeting whose hot seat the member is on right now, if any."""
        row = await self._db.fetch_one(
            f"SELECT {', '.join(f'm.{field}' for field in _MEETING_FIELDS)} "
            "FROM meetings m JOIN hotseat_turns t ON t.meeting_id = m.id "
            "WHERE m.guild_id = ? AND m.status = 'open' AND t.user_id = ? AND t.status = 'active'",
            (guild_id, user_id),
        )
        return _meeting(row) if row else None

    async def erase_voice_of_member(self, guild_id: int, user_id: int) -> int:
        return await self._erase_of_member("voice_sessions", guild_id, user_id)

    async def erase_attendance_of_member(self, guild_id: int, user_id: int) -> int:
        return await self._erase_of_member("attendance", guild_id, user_id)

    async def erase_turns_of_member(self, guild_id: int, user_id: int) -> int:
        return await self._erase_of_member("hotseat_turns", guild_id, user_id)

    async def _erase_of_member(self, table: str, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(f"DELETE FROM {table} WHERE {self._MEMBER_IN_GUILD}", (guild_id, user_id))
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        """An archived group's voice time, attendance and hot-seat turns, and who opened its meetings by hand; the
        meetings themselves stay, as dates. Returns how many rows were deleted."""
        meetings = "meeting_id IN (SELECT id FROM meetings WHERE group_id = ? AND guild_id = ?)"
        erased = 0
        for table in ("voice_sessions", "attendance", "hotseat_turns"):
            changed = await self._db.execute(f"DELETE FROM {table} WHERE {meetings}", (group_id, guild_id))
            erased += changed.rowcount
        await self._db.execute(
            "UPDATE meetings SET opened_by = NULL WHERE group_id = ? AND guild_id = ?", (group_id, guild_id)
        )
        return erased
