"""What the repositories return: validated, immutable records, never raw rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _from_epoch(value: object) -> object:
    # Instants are stored as whole UTC seconds; integers are unambiguous and compare fast in SQL.
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC)
    return value


Instant = Annotated[datetime, BeforeValidator(_from_epoch)]


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return int(moment.timestamp())


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class GuildSettings(Record):
    guild_id: int
    organizer_role_id: int | None = None
    category_id: int | None = None
    timezone: str = "UTC"


GroupStatus = Literal["active", "archived"]


class Group(Record):
    id: int
    guild_id: int
    name: str
    text_channel_id: int
    voice_channel_id: int
    status: GroupStatus
    created_by: int
    created_at: Instant
    archived_at: Instant | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class GroupMember(Record):
    group_id: int
    guild_id: int
    user_id: int
    joined_at: Instant


class GroupSummary(Record):
    """A group with its member count, for listings."""

    group: Group
    member_count: int
