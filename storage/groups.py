"""Groups and their membership. Every query names the guild, so no server can reach another's groups."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor, UniqueViolation
from storage.models import (
    Group,
    GroupForMember,
    GroupMember,
    GroupSummary,
    MentionedGroup,
    SendKind,
    minutes_text,
    to_epoch,
)

_GROUP_COLUMNS = ", ".join(f"g.{field}" for field in Group.model_fields)


class GroupNameTaken(Exception):
    """Another group in the server already has this name (case does not count)."""


def _mine(member_id: int | None) -> str:
    """Only the member's own groups, when a member is named."""
    if member_id is None:
        return ""
    return "AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.user_id = :member_id)"


def _member(member_id: int | None) -> dict[str, int]:
    return {} if member_id is None else {"member_id": member_id}


def _group(row: object) -> Group:
    return Group.model_validate(dict(row))  # type: ignore[call-overload]


class GroupRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def create(
        self,
        *,
        guild_id: int,
        name: str,
        name_key: str,
        text_channel_id: int,
        voice_channel_id: int,
        created_by: int,
        now: datetime,
        target_size: int | None = None,
        shared_language: str | None = None,
        language: str | None = None,
    ) -> Group:
        """A new group; one formed by matching also keeps the size it was formed for and the language its members
        share (as the intake names it), and may write in a language of the bot's own (`language`, a code)."""
        try:
            row = await self._db.fetch_one(
                f"""
                INSERT INTO groups (guild_id, name, name_key, text_channel_id, voice_channel_id,
                                    created_by, created_at, unscheduled_since, target_size, shared_language,
                                    language)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING {", ".join(Group.model_fields)}
                """,
                # A new group has no schedule yet: the health view counts from its creation.
                (
                    guild_id,
                    name,
                    name_key,
                    text_channel_id,
                    voice_channel_id,
                    created_by,
                    to_epoch(now),
                    to_epoch(now),
                    target_size,
                    shared_language,
                    language,
                ),
            )
        except UniqueViolation as error:
            # Two organizers creating the same name at once: the loser learns it here.
            raise GroupNameTaken(name) from error
        assert row is not None
        return _group(row)

    async def get(self, guild_id: int, group_id: int) -> Group | None:
        row = await self._db.fetch_one(
            f"SELECT {_GROUP_COLUMNS} FROM groups g WHERE g.guild_id = ? AND g.id = ?", (guild_id, group_id)
        )
        return _group(row) if row else None

    async def locate(
        self, guild_id: int, *, user_id: int, name_key: str | None = None, channel_id: int | None = None
    ) -> GroupForMember | None:
        """The group with this name (by its key), or else the one whose text or voice channel this is, with
        whether the user is a member: one query for what nearly every command needs first."""
        # Each shape reads one row through its index. (The unary + keeps SQLite off the server-wide index,
        # which would read every group in the server to find the channel's.)
        if name_key:
            where = "g.guild_id = :guild AND g.name_key = :name"
        else:
            where = "(g.text_channel_id = :channel OR g.voice_channel_id = :channel) AND +g.guild_id = :guild"
        row = await self._db.fetch_one(
            f"""
            SELECT {_GROUP_COLUMNS},
                   EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.user_id = :user) AS is_member
            FROM groups g WHERE {where}
            """,
            {"guild": guild_id, "user": user_id, "name": name_key, "channel": channel_id},
        )
        if row is None:
            return None
        return GroupForMember(group=_group(row), is_member=bool(row["is_member"]))

    async def by_key(self, guild_id: int, name_key: str) -> Group | None:
        row = await self._db.fetch_one(
            f"SELECT {_GROUP_COLUMNS} FROM groups g WHERE g.guild_id = ? AND g.name_key = ?", (guild_id, name_key)
        )
        return _group(row) if row else None

    async def names_starting(self, guild_id: int, key_prefix: str) -> set[str]:
        """The name keys of the server's groups that start with this key, to make a new name unique."""
        pattern = key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self._db.fetch_all(
            "SELECT name_key FROM groups WHERE guild_id = ? AND name_key LIKE ? ESCAPE '\\'", (guild_id, pattern)
        )
        return {row["name_key"] for row in rows}

    async def by_voice_channel(self, guild_id: int, channel_id: int) -> Group | None:
        row = await self._db.fetch_one(
            f"SELECT {_GROUP_COLUMNS} FROM groups g WHERE g.guild_id = ? AND g.voice_channel_id = ?",
            (guild_id, channel_id),
        )
        return _group(row) if row else None

    async def search(
        self, guild_id: int, key_fragment: str, *, member_id: int | None = None, limit: int = 25
    ) -> list[Group]:
        """Groups whose name key contains the fragment, active first; only the member's own when member_id is
        given."""
        pattern = "%" + key_fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self._db.fetch_all(
            f"""
            SELECT {_GROUP_COLUMNS} FROM groups g
            WHERE g.guild_id = :guild_id AND g.name_key LIKE :pattern ESCAPE '\\' {_mine(member_id)}
            ORDER BY g.status = 'archived', g.name_key
            LIMIT :limit
            """,
            {"guild_id": guild_id, "pattern": pattern, "limit": limit, **_member(member_id)},
        )
        return [_group(row) for row in rows]

    async def summaries(self, guild_id: int, *, member_id: int | None = None) -> list[GroupSummary]:
        """Groups with member counts; archived ones last."""
        rows = await self._db.fetch_all(
            f"""
            SELECT {_GROUP_COLUMNS},
                   (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id) AS member_count
            FROM groups g
            WHERE g.guild_id = :guild_id {_mine(member_id)}
            ORDER BY g.status = 'archived', g.name_key
            """,
            {"guild_id": guild_id, **_member(member_id)},
        )
        return [GroupSummary(group=_group(row), member_count=row["member_count"]) for row in rows]

    async def archive(self, guild_id: int, group_id: int, *, now: datetime) -> bool:
        """Mark the group archived; False when it already was (someone else got there first)."""
        changed = await self._db.execute(
            "UPDATE groups SET status = 'archived', archived_at = ? "
            "WHERE guild_id = ? AND id = ? AND status = 'active'",
            (to_epoch(now), guild_id, group_id),
        )
        return changed.rowcount == 1

    async def members(self, guild_id: int, group_id: int) -> list[GroupMember]:
        rows = await self._db.fetch_all(
            "SELECT group_id, guild_id, user_id, joined_at, paused_for FROM group_members "
            "WHERE guild_id = ? AND group_id = ? ORDER BY joined_at, user_id",
            (guild_id, group_id),
        )
        return [GroupMember.model_validate(dict(row)) for row in rows]

    async def is_member(self, guild_id: int, group_id: int, user_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM group_members WHERE guild_id = ? AND group_id = ? AND user_id = ?",
            (guild_id, group_id, user_id),
        )
        return row is not None

    async def share_a_group(self, guild_id: int, user_id: int, other_id: int) -> bool:
        """Whether the two are members of one active group of the server."""
        row = await self._db.fetch_one(
            """
            SELECT 1 FROM group_members mine
            JOIN group_members theirs ON theirs.group_id = mine.group_id AND theirs.user_id = ?
            JOIN groups g ON g.id = mine.group_id AND g.status = 'active'
            WHERE mine.guild_id = ? AND mine.user_id = ?
            LIMIT 1
            """,
            (other_id, guild_id, user_id),
        )
        return row is not None

    async def add_member(self, guild_id: int, group_id: int, user_id: int, *, now: datetime) -> bool:
        """Add the member; False when they were already in the group."""
        changed = await self._db.execute(
            "INSERT INTO group_members (group_id, guild_id, user_id, joined_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (group_id, guild_id, user_id, to_epoch(now)),
        )
        return changed.rowcount == 1

    async def remove_member(self, guild_id: int, group_id: int, user_id: int) -> bool:
        """Remove the member; False when they were not in the group."""
        changed = await self._db.execute(
            "DELETE FROM group_members WHERE guild_id = ? AND group_id = ? AND user_id = ?",
            (guild_id, group_id, user_id),
        )
        return changed.rowcount == 1

    async def groups_of(self, guild_id: int, user_id: int) -> list[Group]:
        # CROSS JOIN makes SQLite start from the member's own memberships, not from every group in the server;
        # PostgreSQL plans the join itself (and knows no CROSS JOIN ... ON).
        join = "CROSS JOIN" if self._db.dialect == "sqlite" else "JOIN"
        rows = await self._db.fetch_all(
            f"""
            SELECT {_GROUP_COLUMNS} FROM group_members m {join} groups g ON g.id = m.group_id
            WHERE m.user_id = ? AND m.guild_id = ?
            ORDER BY g.name_key
            """,
            (user_id, guild_id),
        )
        return [_group(row) for row in rows]

    async def set_reminders(self, guild_id: int, group_id: int, minutes: tuple[int, ...]) -> None:
        await self._db.execute(
            "UPDATE groups SET reminder_minutes = ? WHERE guild_id = ? AND id = ?",
            (minutes_text(minutes), guild_id, group_id),
        )

    async def set_event(self, guild_id: int, group_id: int, event_id: int | None, starts_at: datetime | None) -> None:
        """Remember which Discord scheduled event shows the group's next meeting."""
        await self._db.execute(
            "UPDATE groups SET event_id = ?, event_starts_at = ? WHERE guild_id = ? AND id = ?",
            (event_id, to_epoch(starts_at) if starts_at else None, guild_id, group_id),
        )

    async def set_language(self, guild_id: int, group_id: int, language: str | None) -> None:
        """What the bot writes in the group's channel; None follows the server's language."""
        await self._db.execute(
            "UPDATE groups SET language = ? WHERE guild_id = ? AND id = ?", (language, guild_id, group_id)
        )

    async def set_meeting_settings(
        self, guild_id: int, group_id: int, *, turn_minutes: int, attendance_minutes: int, drift_after: int
    ) -> None:
        await self._db.execute(
            "UPDATE groups SET turn_minutes = ?, attendance_minutes = ?, drift_after = ? WHERE guild_id = ? AND id = ?",
            (turn_minutes, attendance_minutes, drift_after, guild_id, group_id),
        )

    async def member(self, guild_id: int, group_id: int, user_id: int) -> GroupMember | None:
        row = await self._db.fetch_one(
            "SELECT group_id, guild_id, user_id, joined_at, paused_for FROM group_members "
            "WHERE guild_id = ? AND group_id = ? AND user_id = ?",
            (guild_id, group_id, user_id),
        )
        return GroupMember.model_validate(dict(row)) if row else None

    async def set_paused(self, guild_id: int, group_id: int, user_id: int, meetings: int) -> bool:
        """Pause the member for this many meetings (0: not paused any more); False when they are not in the group."""
        changed = await self._db.execute(
            "UPDATE group_members SET paused_for = ? WHERE guild_id = ? AND group_id = ? AND user_id = ?",
            (meetings, guild_id, group_id, user_id),
        )
        return changed.rowcount == 1

    async def archived_without(self, kind: SendKind) -> list[Group]:
        """Archived groups that have no send of this kind planned, whatever became of it (a purge planned at
        archiving is never planned twice; groups archived before retention existed get theirs at start-up)."""
        rows = await self._db.fetch_all(
            f"""
            SELECT {_GROUP_COLUMNS} FROM groups g
            WHERE g.status = 'archived'
              AND NOT EXISTS (SELECT 1 FROM planned_sends s WHERE s.group_id = g.id AND s.kind = ?)
            ORDER BY g.id
            """,
            (str(kind),),
        )
        return [_group(row) for row in rows]

    async def mentioned(self, guild_id: int, group_ids: list[int]) -> list[MentionedGroup]:
        """The names of these groups of the server, so an export can be read."""
        if not group_ids:
            return []
        rows = await self._db.fetch_all(
            f"SELECT id AS group_id, name, status FROM groups WHERE guild_id = ? "
            f"AND id IN ({', '.join('?' * len(group_ids))}) ORDER BY id",
            (guild_id, *group_ids),
        )
        return [MentionedGroup.model_validate(dict(row)) for row in rows]

    # ---------------------------------------------------------------- one member's data

    async def memberships_of(self, guild_id: int, user_id: int) -> list[GroupMember]:
        rows = await self._db.fetch_all(
            "SELECT group_id, guild_id, user_id, joined_at, paused_for FROM group_members "
            "WHERE user_id = ? AND guild_id = ? ORDER BY joined_at, group_id",
            (user_id, guild_id),
        )
        return [GroupMember.model_validate(dict(row)) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        """Take the member out of every group of the server; returns how many they were in."""
        changed = await self._db.execute(
            "DELETE FROM group_members WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        return changed.rowcount
