"""The reads that run for every command and every kickoff go through an index to the one group they are about.

SQLite picks its plan from the indexes alone here (no ANALYZE), and a plan that reads every group or member of the
server is as correct as a good one, only slower as the server grows, so no behaviour test would notice.
"""

from __future__ import annotations

import sqlite3

from mastermind.rules.names import name_key
from storage.models import SendKind
from tests.storage.conftest import NOW
from tests.storage.test_meetings_repository import ANN, GUILD, START, make_group, open_meeting


async def _statements_of(store, reads) -> list[str]:
    """Run the reads and return every statement they sent to SQLite, with their values filled in."""
    statements: list[str] = []
    await store.db.connection.set_trace_callback(statements.append)
    try:
        await reads()
    finally:
        await store.db.connection.set_trace_callback(None)
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE"))]


def _plan(path, statement: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + statement)]
    finally:
        connection.close()


def _wide_steps(path, statement: str) -> list[str]:
    """Plan steps that read a whole table, or everything of one server."""
    return [
        step
        for step in _plan(path, statement)
        if (step.startswith("SCAN ") and "json_each" not in step and "CONSTANT ROW" not in step)
        or step.endswith("(guild_id=?)")
    ]


async def test_hot_reads_narrow_to_the_group_through_an_index(sqlite_store, tmp_path):
    store = sqlite_store
    group = await make_group(store)
    await make_group(store, name="Makers", channels=(3, 4))
    meeting, _ = await open_meeting(store, group)

    async def reads() -> None:
        await store.groups.locate(GUILD, user_id=ANN, name_key=name_key("Founders"))
        await store.groups.locate(GUILD, user_id=ANN, channel_id=group.text_channel_id)
        await store.groups.locate(GUILD, user_id=ANN, channel_id=group.voice_channel_id)
        await store.groups.get(GUILD, group.id)
        await store.groups.members(GUILD, group.id)
        await store.groups.is_member(GUILD, group.id, ANN)
        await store.groups.groups_of(GUILD, ANN)
        await store.schedules.planned(GUILD, group.id)
        await store.meetings.current(GUILD, group.id)
        await store.meetings.at(GUILD, group.id, START)
        await store.meetings.rotation(GUILD, group.id, meeting)
        await store.commitments.due_at(GUILD, meeting.id)
        await store.commitments.upcoming(GUILD, group.id)
        await store.commitments.upcoming(GUILD, group.id, ANN)
        await store.sends.plan([group.id], [], kinds=[SendKind.REMINDER, SendKind.KICKOFF], now=NOW)

    statements = await _statements_of(store, reads)

    assert len(statements) >= 15
    wide = {statement: steps for statement in statements if (steps := _wide_steps(store.db.path, statement))}
    assert wide == {}


async def test_the_next_meetings_commitments_are_read_without_the_groups_history(sqlite_store):
    store = sqlite_store
    group = await make_group(store)

    for whose in (None, ANN):
        statements = await _statements_of(store, lambda whose=whose: store.commitments.upcoming(GUILD, group.id, whose))

        assert len(statements) == 1
        assert any("USING INDEX commitments_upcoming" in step for step in _plan(store.db.path, statements[0]))
