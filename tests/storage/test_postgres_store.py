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


async def test_both_migration_sets_build_the_same_tables_and_columns(postgres_url, tmp_path):
    """Each table has the same columns, each as nullable and with a default or not, on both databases."""
    sqlite = Store(tmp_path / "db.sqlite3")
    await sqlite.open()
    lite: dict[str, set[tuple[str, bool, bool]]] = {}
    for table in await sqlite.db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if table["name"].startswith("sqlite_"):
            continue
        for column in await sqlite.db.fetch_all(f"PRAGMA table_info({table['name']})"):
            nullable = not column["notnull"] and not column["pk"]
            lite.setdefault(table["name"], set()).add((column["name"], nullable, column["dflt_value"] is not None))
    await sqlite.close()
    postgres = Store(PostgresDatabase(postgres_url))
    await postgres.open()
    rows = await postgres.db.fetch_all(
        "SELECT table_name, column_name, is_nullable, column_default, is_identity FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name <> 'schema_version'"
    )
    await postgres.close()
    pg: dict[str, set[tuple[str, bool, bool]]] = {}
    for row in rows:
        has_default = row["column_default"] is not None and row["is_identity"] != "YES"
        pg.setdefault(row["table_name"], set()).add((row["column_name"], row["is_nullable"] == "YES", has_default))

    assert pg == lite
