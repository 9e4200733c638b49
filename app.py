"""Settings, and the factory that builds the bot from them. Imported by the entry point, the demo, the
benchmarks and the tests; nothing in the bot imports it back."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from cogs.common.bot import MastermindBot, ShardedMastermindBot
from mastermind.clock import Clock, SystemClock
from storage import open_store
from storage.models import Shards


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    discord_token: SecretStr | None = None
    database_path: Path = Path("data/mastermind.sqlite3")
    database_url: str | None = None
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: tuple[int, ...] | None = None
    send_rate: float = Field(default=40, gt=0, le=50)
    discord_api_base: str | None = None

    @field_validator("discord_token", "dev_guild_id", "database_url", "shard_count", "discord_api_base", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("DATABASE_URL must be a postgresql:// URL (leave it empty to use DATABASE_PATH)")
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        """SHARD_IDS=0,1 in the environment."""
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip()) or None
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None and self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT, the total number of shards")
        count = self.shard_count or 1
        if self.shard_ids is not None and any(not 0 <= shard < count for shard in self.shard_ids):
            raise ValueError(f"SHARD_IDS must be between 0 and SHARD_COUNT - 1 ({count - 1})")
        return self

    @property
    def shards(self) -> Shards:
        """The shards this process serves: all of them unless SHARD_IDS names some."""
        count = self.shard_count or 1
        return Shards(count=count, ids=self.shard_ids or tuple(range(count)))

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """Settings from .env, overridden by real environment variables."""
    values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file and env_file.exists() else {}
    values.update(os.environ if environ is None else environ)
    fields = {name: values[name.upper()] for name in Settings.model_fields if values.get(name.upper()) is not None}
    return Settings.model_validate(fields)


def create_bot(
    settings: Settings | None = None, *, clock: Clock | None = None, sync_globally: bool = False
) -> MastermindBot:
    """A ready-to-start bot; needs no token (only main() does). With SHARD_COUNT it runs those of Discord's shards
    that SHARD_IDS names (all by default), and plans and delivers only their servers' sends."""
    settings = settings or load_settings()
    sharding = (
        {}
        if settings.shard_count is None
        else {"shard_count": settings.shard_count, "shard_ids": list(settings.shards.ids)}
    )
    bot_class = MastermindBot if settings.shard_count is None else ShardedMastermindBot
    return bot_class(
        clock=clock or SystemClock(),
        store=open_store(database_url=settings.database_url, database_path=settings.database_path),
        dev_guild_id=settings.dev_guild_id,
        sync_globally=sync_globally,
        send_rate=settings.send_rate,
        shards=settings.shards,
        **sharding,
    )
