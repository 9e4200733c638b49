"""The only place with SQL: the connection, the migrations, and one repository per aggregate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from storage.availability import AvailabilityRepository
from storage.check_ins import CheckInRepository
from storage.commitments import CommitmentRepository
from storage.database import Database, Executor
from storage.groups import GroupRepository
from storage.health import HealthRepository
from storage.intake import IntakeRepository
from storage.invitations import InvitationRepository
from storage.matching import MatchRepository
from storage.meetings import MeetingRepository
from storage.postgres import PostgresDatabase
from storage.proposals import ProposalRepository
from storage.rsvps import RsvpRepository
from storage.schedules import ScheduleRepository
from storage.sends import PlannedSendRepository
from storage.settings import GuildSettingsRepository
from storage.stats import StatsRepository


class Repositories:
    """Every repository, over one place to run SQL: the database, or one transaction."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self.settings = GuildSettingsRepository(executor)
        self.groups = GroupRepository(executor)
        self.schedules = ScheduleRepository(executor)
        self.sends = PlannedSendRepository(executor)
        self.rsvps = RsvpRepository(executor)
        self.meetings = MeetingRepository(executor)
        self.commitments = CommitmentRepository(executor)
        self.stats = StatsRepository(executor)
        self.check_ins = CheckInRepository(executor)
        self.health = HealthRepository(executor)
        self.availability = AvailabilityRepository(executor)
        self.proposals = ProposalRepository(executor)
        self.invitations = InvitationRepository(executor)
        self.intake = IntakeRepository(executor)
        self.matches = MatchRepository(executor)

    async def lock(self, *keys: int) -> None:
        """Inside a unit of work: hold these keys (groups' ids) until it ends, so that another process's
        read-then-write of the same group waits for this one (PostgreSQL; SQLite runs one writer at a time)."""
        await self._executor.lock(*keys)


class Store(Repositories):
    """The database and its repositories, handed to the services as a unit: SQLite (a file path) by default,
    PostgreSQL when the bot runs on several processes."""

    def __init__(self, database: Path | Database | PostgresDatabase) -> None:
        self.db: Database | PostgresDatabase = Database(database) if isinstance(database, Path) else database
        super().__init__(self.db)

    async def open(self) -> None:
        await self.db.connect()

    async def close(self) -> None:
        await self.db.close()

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[Repositories]:
        """One unit of work: what the repositories do inside commits together or not at all. A service reads,
        lets the rules decide, and writes, all in one transaction."""
        async with self.db.transaction() as tx:
            yield Repositories(tx)


def open_store(*, database_url: str | None, database_path: Path) -> Store:
    """The store the settings name: PostgreSQL for a postgresql:// URL, else the SQLite file."""
    if database_url:
        return Store(PostgresDatabase(database_url))
    return Store(database_path)


__all__ = ["Database", "PostgresDatabase", "Repositories", "Store", "open_store"]
