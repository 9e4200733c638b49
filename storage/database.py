"""What every store shares (the executor protocol, outcomes, migrations), and the embedded store: one
long-lived SQLite connection, its pragmas, and the migrations applied at start-up. The PostgreSQL store, for
running on several processes, is in storage/postgres.py."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

log = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# WAL lets readers and the writer work at once; FULL sync survives power loss; waits instead of failing on a lock.
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)


class UniqueViolation(Exception):
    """A write met a uniqueness rule (another group already has this name): the database's own error, named the
    same way whichever database it is."""


@dataclass(frozen=True)
class Outcome:
    """What a write did: how many rows it changed, and the id of the last row it inserted."""

    rowcount: int
    lastrowid: int | None


class Transaction:
    """The statements of one SQLite transaction. Every cursor is closed before its call returns: a cursor left to the
    garbage collector would be finalized on the event-loop thread while aiosqlite's thread is using the same
    SQLite connection."""

    dialect = "sqlite"

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> Outcome:
        try:
            async with self._connection.execute(sql, params) as cursor:
                return Outcome(cursor.rowcount, cursor.lastrowid)
        except sqlite3.IntegrityError as error:
            if "UNIQUE" in str(error):
                raise UniqueViolation(str(error)) from error
            raise

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        if rows:  # nothing to do is not worth a trip to the database thread
            async with self._connection.executemany(sql, rows):
                pass

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        try:
            async with self._connection.execute(sql, params) as cursor:
                return await cursor.fetchone()
        except sqlite3.IntegrityError as error:
            if "UNIQUE" in str(error):
                raise UniqueViolation(str(error)) from error
            raise

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Already inside one: a repository's own transaction joins the caller's unit of work."""
        yield self

    async def lock(self, *keys: int) -> None:
        """SQLite transactions already run one at a time (BEGIN IMMEDIATE): nothing more to hold."""


class Executor(Protocol):
    """Where repositories run their SQL: the database itself (each statement on its own, or a transaction of
    the repository's making), or a transaction a service opened around several repositories' work.

    SQL is written once, with `?` or `:name` placeholders, in the dialect both databases share; `dialect` says
    which one runs it, for the few statements that must differ."""

    dialect: str

    async def execute(self, sql: str, params: Params = ()) -> Outcome: ...

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None: ...

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]: ...

    def transaction(self) -> AbstractAsyncContextManager[Executor]: ...

    async def lock(self, *keys: int) -> None:
        """Inside a transaction: hold these keys (a group's id, say) until it ends, so a read-then-write of them
        never interleaves with another's."""
        ...


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer version of the bot; running old code on it could lose data."""


def migration_scripts(package: str = "storage.migrations") -> list[tuple[int, str]]:
    """Every migration shipped with the code for one database, in order, as (version, SQL)."""
    scripts = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            scripts.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    scripts.sort()
    versions = [version for version, _ in scripts]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return scripts


def too_new(current: int, latest: int) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"the database is at schema version {current}, but this code only knows up to {latest}: "
        "run a newer version of the bot, or restore a backup made for this version"
    )


class Database:
    """Serialises access to one aiosqlite connection, so one task's transaction never swallows another's writes."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("the database is not connected; call connect() first")
        return self._connection

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, sqlite3 adds no implicit transactions.
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        try:
            for pragma in _PRAGMAS:
                await Transaction(connection).fetch_all(pragma)
            await _migrate(connection)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """All statements inside commit together or not at all."""
        async with self._lock:
            transaction = Transaction(self.connection)
            await transaction.execute("BEGIN IMMEDIATE")
            try:
                yield transaction
            except BaseException:
                await transaction.execute("ROLLBACK")
                raise
            await transaction.execute("COMMIT")

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._lock:
            return await Transaction(self.connection).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            return await Transaction(self.connection).fetch_all(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> Outcome:
        """Run one statement, which is its own transaction."""
        async with self._lock:
            return await Transaction(self.connection).execute(sql, params)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.execute_many(sql, rows)

    async def lock(self, *keys: int) -> None:
        """Only meaningful inside a transaction, where SQLite already runs one writer at a time."""


async def _migrate(connection: aiosqlite.Connection) -> None:
    statements = Transaction(connection)
    row = await statements.fetch_one("PRAGMA user_version")
    current = row[0] if row else 0
    scripts = migration_scripts()
    latest = scripts[-1][0] if scripts else 0
    if current > latest:
        raise too_new(current, latest)
    pending = [(version, sql) for version, sql in scripts if version > current]
    if not pending:
        return
    # One script, one transaction: either every pending migration lands, with the new version, or none does.
    body = "\n".join(sql for _, sql in pending)
    script = f"BEGIN IMMEDIATE;\n{body}\nPRAGMA user_version = {latest};\nCOMMIT;"
    try:
        async with connection.executescript(script):
            pass
    except BaseException:
        if connection.in_transaction:
            await statements.execute("ROLLBACK")
        raise
    log.info("Database migrated from schema version %s to %s", current, latest)
