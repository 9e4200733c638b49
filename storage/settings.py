"""Server settings: organizer role, channel category, time zone, the organizers' channel, the confidentiality
pledge, and retention."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import GuildSettings, to_epoch

_FIELDS = tuple(GuildSettings.model_fields)


class GuildSettingsRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def get(self, guild_id: int) -> GuildSettings:
        """The server's settings, or the defaults when /setup has never run there."""
        row = await self._db.fetch_one(
            f"SELECT {', '.join(_FIELDS)} FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        return GuildSettings.model_validate(dict(row)) if row else GuildSettings(guild_id=guild_id)

    async def default_zone(self, guild_id: int) -> str | None:
        """The server's default zone, once /setup has been given one."""
        row = await self._db.fetch_one("SELECT timezone FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return row["timezone"] if row else None

    async def save(self, settings: GuildSettings, *, now: datetime) -> None:
        await self._db.execute(
            f"""
            INSERT INTO guild_settings ({", ".join(_FIELDS)}, updated_at)
            VALUES ({", ".join(f":{field}" for field in _FIELDS)}, :updated_at)
            ON CONFLICT (guild_id) DO UPDATE SET
                {", ".join(f"{field} = excluded.{field}" for field in _FIELDS[1:])},
                updated_at = excluded.updated_at
            """,
            {**settings.model_dump(), "updated_at": to_epoch(now)},
        )
