"""What the organizers' health view reads: every active group of a server with its latest meetings, schedule and
members at risk, in one query however many groups there are."""

from __future__ import annotations

import json

from storage.database import Executor
from storage.models import Group, GroupHealthRecord, Schedule, ScheduleOverride
from storage.sql import DIALECTS, json_array, json_document, json_object, json_one, json_rows

# How many of each group's latest closed meetings the view shows.
RECENT_MEETINGS = 4

_SCHEDULE_FIELDS = tuple(Schedule.model_fields)
_OVERRIDE_FIELDS = tuple(ScheduleOverride.model_fields)


def _outcome_count(status: str) -> str:
    return f"(SELECT COUNT(*) FROM commitments c WHERE c.due_meeting_id = m.id AND c.status = '{status}')"


def _health(dialect: str) -> str:
    """Each active group as one JSON document: the group, its schedule and one-off changes, its latest closed
    meetings with their attendance and outcomes, and its members' pauses and runs of absences."""
    meeting = json_document(
        dialect,
        {
            "meeting_id": "m.id",
            "starts_at": "m.starts_at",
            "present": "(SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND a.present = 1)",
            "counted": (
                "(SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND (a.present = 1 OR a.paused = 0))"
            ),
            **{status: _outcome_count(status) for status in ("done", "partial", "missed", "unreported")},
        },
    )
    member = json_document(
        dialect,
        {"user_id": "gm.user_id", "paused_for": "gm.paused_for", "absent_run": "COALESCE(mr.absent_run, 0)"},
    )
    document = json_document(
        dialect,
        {
            "group": json_object(dialect, "g", Group.model_fields),
            "schedule": json_one(
                dialect, json_object(dialect, "s", _SCHEDULE_FIELDS), "FROM schedules s WHERE s.group_id = g.id"
            ),
            "overrides": json_rows(dialect, "o", _OVERRIDE_FIELDS, "FROM schedule_overrides o WHERE o.group_id = g.id"),
            "meetings": json_array(
                dialect,
                meeting,
                "FROM (SELECT id, starts_at FROM meetings r WHERE r.group_id = g.id AND r.status = 'closed' "
                f"ORDER BY r.starts_at DESC, r.id DESC LIMIT {RECENT_MEETINGS}) m",
            ),
            "members": json_array(
                dialect,
                member,
                "FROM group_members gm LEFT JOIN member_records mr "
                "ON mr.group_id = gm.group_id AND mr.user_id = gm.user_id WHERE gm.group_id = g.id",
            ),
        },
    )
    return f"SELECT {document} AS health FROM groups g WHERE g.guild_id = ? AND g.status = 'active' ORDER BY g.name_key"


_HEALTH = {dialect: _health(dialect) for dialect in DIALECTS}


class HealthRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def active_groups(self, guild_id: int) -> list[GroupHealthRecord]:
        """Every active group of the server, with what its health is judged by. The order worst-first depends on
        all of them, so a page of the view reads them all, in this one statement."""
        rows = await self._db.fetch_all(_HEALTH[self._db.dialect], (guild_id,))
        records = [GroupHealthRecord.model_validate(_without_nulls(json.loads(row["health"]))) for row in rows]
        # An aggregate keeps no promise about the order of what it gathers: newest meeting first, as the view reads.
        return [
            record.model_copy(
                update={
                    "meetings": tuple(sorted(record.meetings, key=lambda m: (m.starts_at, m.meeting_id), reverse=True))
                }
            )
            for record in records
        ]


def _without_nulls(health: dict[str, object]) -> dict[str, object]:
    # A group without a schedule has none: the JSON says null, the model says "left out".
    return {key: value for key, value in health.items() if value is not None}
