from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Each test gets its own database and never reads a developer's .env or token."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "mastermind.sqlite3"))
    monkeypatch.setenv("DEV_GUILD_ID", "")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
