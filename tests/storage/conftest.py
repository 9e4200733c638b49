from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from mastermind.services.facilitator import Facilitator
from storage import PostgresDatabase, Store
from storage.models import Group, Meeting

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request, tmp_path):
    """Every storage test runs on a real SQLite file and, where a server can be started, on PostgreSQL."""
    if request.param == "sqlite":
        store = Store(tmp_path / "test.sqlite3")
    else:
        store = Store(PostgresDatabase(request.getfixturevalue("postgres_url")))
    await store.open()
    yield store
    await store.close()


@pytest.fixture
async def sqlite_store(tmp_path):
    """For the checks that read SQLite's own plans and pragmas."""
    store = Store(tmp_path / "test.sqlite3")
    await store.open()
    yield store
    await store.close()


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def facilitator(store: Store, now: datetime) -> Facilitator:
    """The service that opens, closes and runs meetings, at a fixed moment, with no timer to wake."""
    return Facilitator(store, FixedClock(now), expect=lambda _: None)


async def close_meeting(store: Store, group: Group, meeting: Meeting, *, now: datetime, attendance_minutes: int = 10):
    """Close a meeting as the bot does: attendance, unreported commitments, records, the summary, one transaction."""
    return await facilitator(store, now).close_meeting(
        group.model_copy(update={"attendance_minutes": attendance_minutes}), meeting
    )
