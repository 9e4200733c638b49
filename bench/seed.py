"""Bulk loading of synthetic groups and history, for the benchmarks and the tests that need years of it: one
transaction per call, however many rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from mastermind.rules.names import name_key
from mastermind.rules.stats import after_meeting
from storage import Repositories
from storage.database import Executor
from storage.models import CommitmentStatus, MemberRecord, to_epoch


@dataclass(frozen=True)
class SeedSchedule:
    weekday: int
    local_time: time
    timezone: str
    every_weeks: int
    anchor_date: date


@dataclass(frozen=True)
class SeedGroup:
    guild_id: int
    name: str
    text_channel_id: int
    voice_channel_id: int
    members: Sequence[int]
    schedule: SeedSchedule | None = None


@dataclass(frozen=True)
class SeedMeeting:
    """A past, closed meeting with each member's presence and the outcome of each commitment due at it."""

    starts_at: datetime
    closed_at: datetime
    present: Sequence[int]
    commitments: Sequence[tuple[int, str, CommitmentStatus]] = field(default_factory=tuple)


async def seed_groups(db: Executor, groups: Sequence[SeedGroup], *, now: datetime) -> list[int]:
    """Insert groups with their members and schedules; returns their ids, in order."""
    async with db.transaction() as tx:
        first_id = (await tx.fetch_one("SELECT COALESCE(MAX(id), 0) FROM groups"))[0] + 1
        ids = list(range(first_id, first_id + len(groups)))
        await tx.execute_many(
            "INSERT INTO groups (id, guild_id, name, name_key, text_channel_id, voice_channel_id, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    group_id,
                    g.guild_id,
                    g.name,
                    name_key(g.name),
                    g.text_channel_id,
                    g.voice_channel_id,
                    0,
                    to_epoch(now),
                )
                for group_id, g in zip(ids, groups, strict=True)
            ],
        )
        await tx.execute_many(
            "INSERT INTO group_members (group_id, guild_id, user_id, joined_at) VALUES (?, ?, ?, ?)",
            [
                (group_id, g.guild_id, member, to_epoch(now))
                for group_id, g in zip(ids, groups, strict=True)
                for member in g.members
            ],
        )
        await tx.execute_many(
            "INSERT INTO schedules (group_id, guild_id, weekday, local_time, timezone, every_weeks, anchor_date, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    group_id,
                    g.guild_id,
                    g.schedule.weekday,
                    g.schedule.local_time.strftime("%H:%M"),
                    g.schedule.timezone,
                    g.schedule.every_weeks,
                    g.schedule.anchor_date.isoformat(),
                    to_epoch(now),
                )
                for group_id, g in zip(ids, groups, strict=True)
                if g.schedule is not None
            ],
        )
        if tx.dialect == "postgres":  # ids were given: the identity sequence must carry on after them
            await tx.execute("SELECT setval(pg_get_serial_sequence('groups', 'id'), (SELECT MAX(id) FROM groups))")
    return ids


async def seed_history(
    db: Executor, *, guild_id: int, group_id: int, members: Sequence[int], meetings: Sequence[SeedMeeting]
) -> None:
    """Insert closed meetings with attendance for every member and the commitments that were due at them, and
    the members' records as closing those meetings would have left them."""
    records: dict[int, MemberRecord | None] = dict.fromkeys(members)
    async with db.transaction() as tx:
        for meeting in meetings:
            inserted = await tx.fetch_one(
                "INSERT INTO meetings (guild_id, group_id, starts_at, opened_at, closed_at, status, round_status) "
                "VALUES (?, ?, ?, ?, ?, 'closed', 'finished') RETURNING id",
                (
                    guild_id,
                    group_id,
                    to_epoch(meeting.starts_at),
                    to_epoch(meeting.starts_at),
                    to_epoch(meeting.closed_at),
                ),
            )
            assert inserted is not None
            meeting_id = inserted["id"]
            for member in members:
                records[member] = after_meeting(
                    records[member],
                    member,
                    present=member in meeting.present,
                    outcomes=[status for who, _, status in meeting.commitments if who == member],
                    meeting_id=meeting_id,
                )
            length = to_epoch(meeting.closed_at) - to_epoch(meeting.starts_at)
            await tx.execute_many(
                "INSERT INTO attendance (meeting_id, group_id, guild_id, user_id, seconds, present) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        meeting_id,
                        group_id,
                        guild_id,
                        member,
                        length if member in meeting.present else 0,
                        member in meeting.present,
                    )
                    for member in members
                ],
            )
            await tx.execute_many(
                "INSERT INTO commitments (guild_id, group_id, user_id, position, text, created_at, due_meeting_id, "
                "status, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        guild_id,
                        group_id,
                        member,
                        position,
                        text,
                        to_epoch(meeting.starts_at),
                        meeting_id,
                        status,
                        to_epoch(meeting.closed_at),
                    )
                    for position, (member, text, status) in enumerate(meeting.commitments)
                ],
            )
        await Repositories(tx).stats.save(guild_id, group_id, [r for r in records.values() if r is not None])
