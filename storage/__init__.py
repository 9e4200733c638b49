"""The only place with SQL: the connection, the migrations, and one repository per aggregate."""

from __future__ import annotations

from pathlib import Path

from storage.commitments import CommitmentRepository
from storage.database import Database
from storage.groups import GroupRepository
from storage.meetings import MeetingRepository
from storage.rsvps import RsvpRepository
from storage.schedules import ScheduleRepository
from storage.sends import PlannedSendRepository
from storage.settings import GuildSettingsRepository
from storage.stats import StatsRepository


class Store:
    """Every repository over one database, handed to the cogs as a unit."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self.settings = GuildSettingsRepository(self.db)
        self.groups = GroupRepository(self.db)
        self.schedules = ScheduleRepository(self.db)
        self.sends = PlannedSendRepository(self.db)
        self.rsvps = RsvpRepository(self.db)
        self.meetings = MeetingRepository(self.db)
        self.commitments = CommitmentRepository(self.db)
        self.stats = StatsRepository(self.db)

    async def open(self) -> None:
        await self.db.connect()

    async def close(self) -> None:
        await self.db.close()


__all__ = ["Database", "Store"]
