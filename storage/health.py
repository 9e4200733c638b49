"""What the organizers' health view reads: every active group of a server with its latest meetings, schedule and
members at risk, in one query however many groups there are."""

from __future__ import annotations

import json

from storage.database import Executor
from storage.models import Group, GroupHealthRecord, Schedule, ScheduleOverride
from storage.sql import json_object

# How many of each group's latest closed meetings the view shows.
RECENT_MEETINGS = 4

_MEETINGS = f"""
json((SELECT json_group_array(json_object(
    'meeting_id', m.id, 'starts_at', m.starts_at,
    'present', (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND a.present = 1),
    'counted', (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = m.id AND (a.present = 1 OR a.paused = 0)),
    'done', (SELECT COUNT(*) FROM commitments c WHERE c.due_meeting_id = m.id AND c.status = 'done'),
    'partial', (SELECT COUNT(*) FROM commitments c WHERE c.due_meeting_id = m.id AND c.status = 'partial'),
    'missed', (SELECT COUNT(*) FROM commitments c WHERE c.due_meeting_id = m.id AND c.status = 'missed'),
    'unreported', (SELECT COUNT(*) FROM commitments c WHERE c.due_meeting_id = m.id AND c.status = 'unreported')))
  FROM (SELECT id, starts_at FROM meetings r WHERE r.group_id = g.id AND r.status = 'closed'
        ORDER BY r.starts_at DESC, r.id DESC LIMIT {RECENT_MEETINGS}) m))
"""
_MEMBERS = """
json((SELECT json_group_array(json_object(
    'user_id', gm.user_id, 'paused_for', gm.paused_for, 'absent_run', COALESCE(mr.absent_run, 0)))
  FROM group_members gm LEFT JOIN member_records mr ON mr.group_id = gm.group_id AND mr.user_id = gm.user_id
  WHERE gm.group_id = g.id))
"""
_SCHEDULE_FIELDS = tuple(Schedule.model_fields)
_OVERRIDE_FIELDS = tuple(ScheduleOverride.model_fields)


class HealthRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def active_groups(self, guild_id: int) -> list[GroupHealthRecord]:
        """Every active group of the server, with what its health is judged by. The order worst-first depends on
        all of them, so a page of the view reads them all, in this one statement."""
        rows = await self._db.fetch_all(
            f"""
            SELECT json_object(
                'group', {json_object("g", Group.model_fields)},
                'schedule', json((SELECT {json_object("s", _SCHEDULE_FIELDS)} FROM schedules s
                                  WHERE s.group_id = g.id)),
                'overrides', json((SELECT json_group_array({json_object("o", _OVERRIDE_FIELDS)})
                                   FROM schedule_overrides o WHERE o.group_id = g.id)),
                'meetings', {_MEETINGS},
                'members', {_MEMBERS}
            ) AS health
            FROM groups g WHERE g.guild_id = ? AND g.status = 'active'
            ORDER BY g.name_key
            """,
            (guild_id,),
        )
        return [GroupHealthRecord.model_validate(_without_nulls(json.loads(row["health"]))) for row in rows]


def _without_nulls(health: dict[str, object]) -> dict[str, object]:
    # A group without a schedule has none: the JSON says null, the model says "left out".
    return {key: value for key, value in health.items() if value is not None}
