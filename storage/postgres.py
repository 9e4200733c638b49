"""The shared store for running on several processes and machines: PostgreSQL through an asyncpg pool.

Repositories write their SQL once, with `?` or `:name` placeholders; this module turns them into PostgreSQL's `$n`
(once per statement text, cached) and runs them. Migrations live in storage/migrations/postgres, numbered like the
SQLite ones, and are applied in one transaction by whichever process takes the advisory lock first; the version is
kept in a table.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from storage.database import Outcome, Params, UniqueViolation, migration_scripts, too_new

try:
    import asyncpg
except ImportError:  # the SQLite store needs nothing of this; asking for PostgreSQL says what to install
    asyncpg = None

log = logging.getLogger(__name__)

MIGRATIONS = "storage.migrations.postgres"
# Any fixed number: every process of the bot asks for the same lock before it migrates.
_MIGRATION_LOCK = 4_207_316_911
# Quoted text and comments are copied as they are; `?` and `:name` outside them are placeholders. `::` is a cast.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|::|\?|(?<![\w:]):(?P<name>[A-Za-z_]\w*)")


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, tuple[int | str, ...]]:
    """PostgreSQL's text for a statement written with `?` or `:name` placeholders, and where each `$n` takes its
    value from: a position in the parameters, or a name."""
    order: list[int | str] = []
    by_name: dict[str, int] = {}
    positional = 0

    def placeholder(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token == "?":
            order.append(positional)
            positional += 1
            return f"${len(order)}"
        name = match.group("name")
        if name is None:
            return token
        if name not in by_name:
            order.append(name)
            by_name[name] = len(order)
        return f"${by_name[name]}"

    return _TOKENS.sub(placeholder, sql), tuple(order)


def _arguments(order: tuple[int | str, ...], params: Params) -> list[Any]:
    """The values in `$n` order, from positional parameters or named ones."""
    return [params[key] for key in order]  # type: ignore[index]


def _rowcount(status: str) -> int:
    """asyncpg answers a write with its command tag, e.g. "UPDATE 3" or "INSERT 0 1": the count is last."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresTransaction:
    """The statements of one PostgreSQL transaction, on one pooled connection."""

    dialect = "postgres"

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> Outcome:
        text, order = translate(sql)
        try:
            status = await self._connection.execute(text, *_arguments(order, params))
        except asyncpg.UniqueViolationError as error:
            raise UniqueViolation(str(error)) from error
        return Outcome(_rowcount(status), None)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        text, order = translate(sql)
        arguments = [_arguments(order, row) for row in rows]
        if arguments:
            await self._connection.executemany(text, arguments)

    async def fetch_one(self, sql: str, params: Params = ()) -> Any:
        text, order = translate(sql)
        try:
            return await self._connection.fetchrow(text, *_arguments(order, params))
        except asyncpg.UniqueViolationError as error:
            raise UniqueViolation(str(error)) from error

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]:
        text, order = translate(sql)
        return list(await self._connection.fetch(text, *_arguments(order, params)))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        """Already inside one: a repository's own transaction joins the caller's unit of work."""
        yield self

    async def lock(self, *keys: int) -> None:
        """Hold these keys until the transaction ends (transaction-level advisory locks, taken in order)."""
        for key in sorted(set(keys)):
            await self._connection.execute("SELECT pg_advisory_xact_lock($1)", key)


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database, shared by every process of the bot."""

    dialect = "postgres"

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self._pool_size = pool_size
        self._pool: Any = None

    @property
    def pool(self) -> Any:
        if self._pool is None:
            raise RuntimeError("the database is not connected; call connect() first")
        return self._pool

    async def connect(self) -> None:
        if asyncpg is None:
            raise RuntimeError('DATABASE_URL names PostgreSQL: install its driver with  pip install -e ".[postgres]"')
        pool = await asyncpg.create_pool(self.url, min_size=1, max_size=self._pool_size)
        try:
            await _migrate(pool)
        except BaseException:
            await pool.close()
            raise
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        """All statements inside commit together or not at all."""
        async with self.pool.acquire() as connection, connection.transaction():
            yield PostgresTransaction(connection)

    async def execute(self, sql: str, params: Params = ()) -> Outcome:
        async with self.pool.acquire() as connection:
            return await PostgresTransaction(connection).execute(sql, params)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.execute_many(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Any:
        async with self.pool.acquire() as connection:
            return await PostgresTransaction(connection).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Any]:
        async with self.pool.acquire() as connection:
            return await PostgresTransaction(connection).fetch_all(sql, params)

    async def lock(self, *keys: int) -> None:
        """Only meaningful inside a transaction."""


async def _migrate(pool: Any) -> None:
    """Apply the pending migrations in one transaction; the advisory lock makes a second process starting at the
    same moment wait, then find nothing left to do."""
    scripts: Sequence[tuple[int, str]] = migration_scripts(MIGRATIONS)
    latest = scripts[-1][0] if scripts else 0
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = await connection.fetchval("SELECT MAX(version) FROM schema_version") or 0
        if current > latest:
            raise too_new(current, latest)
        pending = [sql for version, sql in scripts if version > current]
        if not pending:
            return
        for sql in pending:
            await connection.execute(sql)
        await connection.execute("DELETE FROM schema_version")
        await connection.execute("INSERT INTO schema_version (version) VALUES ($1)", latest)
    log.info("Database migrated from schema version %s to %s", current, latest)
