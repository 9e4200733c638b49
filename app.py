"""Settings, and the factory that builds the bot from them. Imported by the entry point, the demo, the
benchmarks and the tests; nothing in the bot imports it back."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

from cogs.common.bot import MastermindBot
from mastermind.clock import Clock, SystemClock
from prompts import load_prompts
from storage import Store


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    discord_token: SecretStr | None = None
    database_path: Path = Path("data/mastermind.sqlite3")
    dev_guild_id: int | None = None
    log_level: str = "INFO"

    @field_validator("discord_token", "dev_guild_id", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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
    """A ready-to-start bot; needs no token (only main() does)."""
    settings = settings or load_settings()
    return MastermindBot(
        clock=clock or SystemClock(),
        store=Store(settings.database_path),
        prompts=load_prompts(),
        dev_guild_id=settings.dev_guild_id,
        sync_globally=sync_globally,
    )
