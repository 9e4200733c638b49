"""Schedules (local time + zone + cadence) and their one-off skips and moves."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import PlannedSchedule, Schedule, ScheduledGroup, ScheduleOverride, Shards, to_epoch
from storage.sql import on_shards

_COLUMNS = "s.group_id, s.guild_id, s.weekday, s.local_time, s.timezone, s.every_weeks, s.anchor_date"


class ScheduleRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def get(self, guild_id: int, group_id: int) -> Schedule | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM schedules s WHERE s.guild_id = ? AND s.group_id = ?", (guild_id, group_id)
        )
        return Schedule.model_validate(dict(row)) if row else None

    async def planned(self, guild_id: int, group_id: int) -> PlannedSchedule | None:
        """The schedule with its skips and moves, in one query."""
        rows = await self._db.fetch_all(
            f"""
            SELECT {_COLUMNS}, o.regular_date, o.action, o.moved_to FROM schedules s
            LEFT JOIN schedule_overrides o ON o.group_id = s.group_id AND o.guild_id = s.guild_id
            WHERE s.guild_id = ? AND s.group_id = ? ORDER BY o.regular_date
            """,
            (guild_id, group_id),
        )
        if not rows:
            return None
        return PlannedSchedule(
            schedule=Schedule.model_validate(dict(rows[0])),
            overrides=tuple(
                ScheduleOverride.model_validate(dict(row)) for row in rows if row["regular_date"] is not None
            ),
        )

    async def save(self, schedule: Schedule, *, now: datetime) -> None:
        """Replace the group's schedule; skips and moves belonged to the old one and go with it."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM schedule_overrides WHERE guild_id = ? AND group_id = ?",
                (schedule.guild_id, schedule.group_id),
            )
            await tx.execute(
                """
                INSERT INTO schedules (group_id, guild_id, weekday, local_time, timezone, every_weeks, anchor_date,
                                       updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (group_id) DO UPDATE SET
                    weekday = excluded.weekday, local_time = excluded.local_time, timezone = excluded.timezone,
                    every_weeks = excluded.every_weeks, anchor_date = excluded.anchor_date,
                    updated_at = excluded.updated_at
                """,
                (
                    schedule.group_id,
                    schedule.guild_id,
                    schedule.weekday,
                    schedule.local_time.strftime("%H:%M"),
                    schedule.timezone,
                    schedule.every_weeks,
                    schedule.anchor_date.isoformat(),
                    to_epoch(now),
                ),
            )
            await tx.execute(
                "UPDATE groups SET unscheduled_since = NULL WHERE guild_id = ? AND id = ?",
                (schedule.guild_id, schedule.group_id),
            )

    async def delete(self, guild_id: int, group_id: int, *, now: datetime) -> bool:
        """Remove the schedule (and its skips and moves); the group has had none since now."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM schedule_overrides WHERE guild_id = ? AND group_id = ?", (guild_id, group_id))
            cursor = await tx.execute("DELETE FROM schedules WHERE guild_id = ? AND group_id = ?", (guild_id, group_id))
            if cursor.rowcount != 1:
                return False
            await tx.execute(
                "UPDATE groups SET unscheduled_since = ? WHERE guild_id = ? AND id = ?",
                (to_epoch(now), guild_id, group_id),
            )
            return True

    async def set_override(self, override: ScheduleOverride) -> None:
        await self._db.execute(
            """
            INSERT INTO schedule_overrides (group_id, guild_id, regular_date, action, moved_to)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (group_id, regular_date) DO UPDATE SET action = excluded.action, moved_to = excluded.moved_to
            """,
            (
                override.group_id,
                override.guild_id,
                override.regular_date.isoformat(),
                override.action,
                to_epoch(override.moved_to) if override.moved_to else None,
            ),
        )

    async def all_active(self, shards: Shards | None = None) -> list[ScheduledGroup]:
        """Every active group's schedule with its reminder offsets, across these shards' servers: start-up
        planning."""
        mine, values = on_shards(shards, "s.guild_id")
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS}, g.reminder_minutes FROM schedules s JOIN groups g ON g.id = s.group_id "
            f"WHERE g.status = 'active'{mine}",
            values,
        )
        return [
            ScheduledGroup(schedule=Schedule.model_validate(dict(row)), reminder_minutes=row["reminder_minutes"])
            for row in rows
        ]

    async def all_overrides(self, shards: Shards | None = None) -> list[ScheduleOverride]:
        mine, values = on_shards(shards)
        rows = await self._db.fetch_all(
            f"SELECT group_id, guild_id, regular_date, action, moved_to FROM schedule_overrides WHERE 1 = 1{mine}",
            values,
        )
        return [ScheduleOverride.model_validate(dict(row)) for row in rows]
