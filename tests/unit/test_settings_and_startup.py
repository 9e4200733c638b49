from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_settings_come_from_env_file_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-file\nDATABASE_PATH=file.db\nDEV_GUILD_ID=123\nLOG_LEVEL=debug\n")

    settings = load_settings({"DATABASE_PATH": "env.db"}, env_file)

    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "from-file"
    assert settings.database_path == Path("env.db")
    assert settings.dev_guild_id == 123
    assert settings.log_level == "DEBUG"


def test_defaults_when_nothing_is_set(tmp_path):
    settings = load_settings({"DEV_GUILD_ID": "", "DISCORD_TOKEN": " "}, tmp_path / "missing.env")

    assert settings.discord_token is None
    assert settings.database_path == Path("data/mastermind.sqlite3")
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"


def test_bad_values_are_rejected(tmp_path):
    with pytest.raises(ValidationError):
        load_settings({"LOG_LEVEL": "LOUD"}, None)
    with pytest.raises(ValidationError):
        load_settings({"DEV_GUILD_ID": "my server"}, None)


def test_running_without_a_token_exits_2_with_one_clear_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}

    finished = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 2
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("DISCORD_TOKEN is not set")
    assert ".env" in lines[0]
    assert "Traceback" not in finished.stderr


def test_shards_and_the_shared_store_come_from_the_environment(tmp_path):
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://bot@db/mastermind",
            "SHARD_COUNT": "4",
            "SHARD_IDS": "1,3",
            "SEND_RATE": "20",
            "DISCORD_API_BASE": "http://proxy:8080/api/v10",
        },
        tmp_path / "missing.env",
    )

    assert settings.database_url == "postgresql://bot@db/mastermind"
    assert (settings.shards.count, settings.shards.ids) == (4, (1, 3))
    assert settings.send_rate == 20
    assert settings.discord_api_base == "http://proxy:8080/api/v10"


def test_one_process_serves_every_shard_unless_told_otherwise(tmp_path):
    assert load_settings({}, None).shards.everything
    assert load_settings({"SHARD_COUNT": "2"}, None).shards.ids == (0, 1)


@pytest.mark.parametrize(
    "environ",
    [
        {"SHARD_IDS": "0"},  # which of how many?
        {"SHARD_COUNT": "2", "SHARD_IDS": "2"},
        {"SHARD_COUNT": "0"},
        {"SEND_RATE": "60"},  # more than Discord allows a bot
        {"DATABASE_URL": "mysql://db/mastermind"},
    ],
)
def test_impossible_scale_settings_are_refused(environ):
    with pytest.raises(ValidationError):
        load_settings(environ, None)
