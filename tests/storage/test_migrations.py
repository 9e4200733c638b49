from __future__ import annotations

import sqlite3

import pytest

from storage import Store
from storage import database as database_module
from storage.database import DatabaseTooNew, migration_scripts


async def test_every_migration_applies_to_a_fresh_file(tmp_path):
    path = tmp_path / "nested" / "folder" / "db.sqlite3"
    store = Store(path)
    await store.open()
    await store.close()

    connection = sqlite3.connect(path)
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()
    assert version == migration_scripts()[-1][0]
    assert {"guild_settings", "groups", "group_members"} <= tables
    assert journal == "wal"


async def test_opening_again_changes_nothing(tmp_path):
    path = tmp_path / "db.sqlite3"
    for _ in range(2):
        store = Store(path)
        await store.open()
        await store.close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == migration_scripts()[-1][0]
    connection.close()


async def test_a_database_newer_than_the_code_refuses_to_start(tmp_path):
    path = tmp_path / "db.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 999")
    connection.close()

    store = Store(path)
    with pytest.raises(DatabaseTooNew, match="schema version 999"):
        await store.open()


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite3"
    good = migration_scripts()
    broken = [*good, (len(good) + 1, "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;")]
    monkeypatch.setattr(database_module, "migration_scripts", lambda: broken)

    store = Store(path)
    with pytest.raises(sqlite3.OperationalError):
        await store.open()

    connection = sqlite3.connect(path)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 0
    assert tables == set()
    connection.close()


async def test_connection_pragmas(sqlite_store):
    store = sqlite_store
    assert (await store.db.fetch_one("PRAGMA foreign_keys"))[0] == 1
    assert (await store.db.fetch_one("PRAGMA synchronous"))[0] == 2  # FULL
    assert (await store.db.fetch_one("PRAGMA busy_timeout"))[0] == 5000


def _schema(path) -> set[tuple[str, str, str]]:
    connection = sqlite3.connect(path)
    rows = connection.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    connection.close()
    return set(rows)


async def _open_and_close(path) -> None:
    store = Store(path)
    await store.open()
    await store.close()


async def test_an_older_database_is_brought_up_to_date(tmp_path, monkeypatch):
    every = migration_scripts()
    fresh, older = tmp_path / "fresh.sqlite3", tmp_path / "older.sqlite3"
    await _open_and_close(fresh)
    monkeypatch.setattr(database_module, "migration_scripts", lambda: every[:-1])
    await _open_and_close(older)
    assert _schema(older) != _schema(fresh)

    monkeypatch.setattr(database_module, "migration_scripts", lambda: every)
    await _open_and_close(older)

    connection = sqlite3.connect(older)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == every[-1][0]
    connection.close()
    assert _schema(older) == _schema(fresh)


async def test_a_servers_zone_left_at_the_old_default_becomes_unset_and_the_rest_is_kept(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite3"
    every = migration_scripts()
    monkeypatch.setattr(database_module, "migration_scripts", lambda: every[:14])
    store = Store(path)
    await store.open()
    await store.db.execute(
        "INSERT INTO guild_settings (guild_id, timezone, updated_at, pledge_enabled, retention_days, language) "
        "VALUES (1, 'UTC', 0, 1, 90, 'ru'), (2, 'Europe/Berlin', 0, 0, 365, 'en')"
    )
    await store.close()
    monkeypatch.setattr(database_module, "migration_scripts", lambda: every)

    store = Store(path)
    await store.open()
    first, second = await store.settings.get(1), await store.settings.get(2)
    await store.close()

    assert (first.timezone, first.pledge_enabled, first.retention_days, first.language) == (None, True, 90, "ru")
    assert second.timezone == "Europe/Berlin"
