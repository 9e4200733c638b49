from __future__ import annotations

import pytest

from tests.postgres import drop_database, fresh_database, throwaway_server


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Each test gets its own database and never reads a developer's .env or token."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "mastermind.sqlite3"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DEV_GUILD_ID", "")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL server for the run (None when this machine has none)."""
    with throwaway_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh PostgreSQL database for one test; the test is skipped where there is no server."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine (install the postgresql package or set TEST_DATABASE_URL)")
    url = fresh_database(postgres_server)
    yield url
    drop_database(postgres_server, url)
