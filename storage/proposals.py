"""The times /schedule find proposed to a group, and the one used."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import ProposedSlot, ScheduleProposal, to_epoch

_COLUMNS = (
    "p.id, p.guild_id, p.group_id, p.length_minutes, p.every_weeks, p.created_by, p.created_at, p.used_rank, "
    "p.used_by, p.used_at"
)


class ProposalRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def create(
        self,
        *,
        guild_id: int,
        group_id: int,
        length_minutes: int,
        every_weeks: int,
        created_by: int,
        slots: Sequence[ProposedSlot],
        now: datetime,
    ) -> ScheduleProposal:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                """
                INSERT INTO schedule_proposals (guild_id, group_id, length_minutes, every_weeks, created_by,
                                                created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                RETURNING id
                """,
                (guild_id, group_id, length_minutes, every_weeks, created_by, to_epoch(now)),
            )
            assert row is not None
            await tx.execute_many(
                "INSERT INTO proposed_slots (proposal_id, guild_id, rank, weekday, local_time, timezone) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (row["id"], guild_id, slot.rank, slot.weekday, slot.local_time.strftime("%H:%M"), slot.timezone)
                    for slot in slots
                ],
            )
        return ScheduleProposal(
            id=row["id"],
            guild_id=guild_id,
            group_id=group_id,
            length_minutes=length_minutes,
            every_weeks=every_weeks,
            created_by=created_by,
            created_at=now,
            slots=tuple(slots),
        )

    async def get(self, guild_id: int, proposal_id: int) -> ScheduleProposal | None:
        """The proposal with its times, in one query."""
        rows = await self._db.fetch_all(
            f"""
            SELECT {_COLUMNS}, s.rank, s.weekday, s.local_time, s.timezone FROM schedule_proposals p
            LEFT JOIN proposed_slots s ON s.proposal_id = p.id
            WHERE p.guild_id = ? AND p.id = ? ORDER BY s.rank
            """,
            (guild_id, proposal_id),
        )
        if not rows:
            return None
        slots = tuple(ProposedSlot.model_validate(dict(row)) for row in rows if row["rank"] is not None)
        return ScheduleProposal.model_validate({**dict(rows[0]), "slots": slots})

    async def use(self, guild_id: int, proposal_id: int, *, rank: int, user_id: int, now: datetime) -> bool:
        """Record that this time of the proposal was used; False when one of its times already was."""
        changed = await self._db.execute(
            "UPDATE schedule_proposals SET used_rank = ?, used_by = ?, used_at = ? "
            "WHERE guild_id = ? AND id = ? AND used_at IS NULL",
            (rank, user_id, to_epoch(now), guild_id, proposal_id),
        )
        return changed.rowcount == 1
