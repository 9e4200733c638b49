"""The PostgreSQL store's own parts: migrations in step with SQLite's, applied once by whichever process comes
first, a newer database refused; placeholders turned into PostgreSQL's."""

from __future__ import annotations

import asyncio

import pytest

from storage import PostgresDatabase, Store
from storage.database import DatabaseTooNew, migration_scripts
from storage.postgres import MIGRATIONS, translate


def test_both_stores_have_the_same_migration_versions():
    assert [version for version, _ in migration_scripts(MIGRATIONS)] == [version for version, _ in migration_scripts()]


def test_placeholders_become_numbered_and_quoted_text_is_left_alone():
    assert translate("SELECT * FROM t WHERE a = ? AND b = ? AND c = 'x?:y' -- :z\n AND d::int = ?") == (
        "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = 'x?:y' -- :z\n AND d::int = $3",
        (0, 1, 2),
    )
    assert translate("SELECT :a, :b, :a FROM t WHERE e LIKE :p ESCAPE '\\'") == (
        "SELECT $1, $2, $1 FROM t WHERE e LIKE $3 ESCAPE '\\'",
        ("a", "b", "p"),
    )


async def test_processes_starting_together_migrate_once(postgres_url):
    stores = [Store(PostgresDatabase(postgres_url)) for _ in range(4)]

    await asyncio.gather(*(store.open() for store in stores))

    rows = await stores[0].db.fetch_all("SELECT version FROM schema_version")
    assert [row["version"] for row in rows] == [migration_scripts(MIGRATIONS)[-1][0]]
    for store in stores:
        await store.close()


async def test_a_database_newer_than_the_code_refuses_to_start(postgres_url):
    store = Store(PostgresDatabase(postgres_url))
    await store.open()
    await store.db.execute("UPDATE schema_version SET version = version + 1")
    await store.close()

    with pytest.raises(DatabaseTooNew):
        await Store(PostgresDatabase(postgres_url)).open()
