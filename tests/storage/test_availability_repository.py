"""Free hours and remembered zones on a real SQLite file: stored as local weekdays and minutes, per server."""

from __future__ import annotations

from datetime import timedelta

from storage.models import MemberHours
from tests.storage.conftest import NOW

GUILD, OTHER_GUILD = 100, 200
ADA, BEN, CY = 1, 2, 3


def hours(user_id: int, zone: str, *ranges: tuple[int, int, int], guild: int = GUILD) -> MemberHours:
    return MemberHours(guild_id=guild, user_id=user_id, timezone=zone, ranges=ranges)


async def test_hours_come_back_as_saved_in_local_time_with_the_zone(store):
    saved = hours(ADA, "Europe/Berlin", (0, 420, 540), (0, 1110, 1260), (5, 600, 780), (6, 1320, 1440))

    await store.availability.save(saved, now=NOW)

    assert await store.availability.get(GUILD, ADA) == saved
    rows = await store.db.fetch_all("SELECT weekday, start_minute, end_minute FROM availability ORDER BY 1, 2")
    assert [tuple(row) for row in rows] == [(0, 420, 540), (0, 1110, 1260), (5, 600, 780), (6, 1320, 1440)]


async def test_saving_again_replaces_the_hours_and_the_zone(store):
    await store.availability.save(hours(ADA, "Europe/Berlin", (0, 420, 540), (1, 420, 540)), now=NOW)

    await store.availability.save(hours(ADA, "Asia/Kolkata", (2, 60, 120)), now=NOW + timedelta(days=1))

    assert await store.availability.get(GUILD, ADA) == hours(ADA, "Asia/Kolkata", (2, 60, 120))


async def test_clearing_forgets_the_hours_and_keeps_the_zone(store):
    await store.availability.save(hours(ADA, "Europe/Berlin", (0, 420, 540)), now=NOW)

    assert await store.availability.clear(GUILD, ADA) is True
    assert await store.availability.clear(GUILD, ADA) is False
    assert await store.availability.get(GUILD, ADA) == hours(ADA, "Europe/Berlin")
    assert await store.availability.get(GUILD, BEN) is None


async def test_many_people_are_read_in_one_query_and_servers_stay_apart(store):
    await store.availability.save(hours(ADA, "Europe/Berlin", (0, 420, 540)), now=NOW)
    await store.availability.save(hours(BEN, "America/New_York", (1, 0, 60), (3, 0, 60)), now=NOW)
    await store.availability.save(hours(CY, "UTC", (4, 0, 60), guild=OTHER_GUILD), now=NOW)
    await store.availability.save(hours(CY, "Asia/Tokyo"), now=NOW)

    found = await store.availability.of_users(GUILD, [CY, BEN, ADA, 99])

    assert found == [
        hours(ADA, "Europe/Berlin", (0, 420, 540)),
        hours(BEN, "America/New_York", (1, 0, 60), (3, 0, 60)),
        hours(CY, "Asia/Tokyo"),
    ]
    assert await store.availability.of_users(GUILD, []) == []
    assert await store.availability.get(OTHER_GUILD, CY) == hours(CY, "UTC", (4, 0, 60), guild=OTHER_GUILD)


async def test_the_servers_default_zone_is_known_once_setup_is_given_one(store):
    from storage.models import GuildSettings

    assert await store.settings.default_zone(GUILD) is None

    await store.settings.save(GuildSettings(guild_id=GUILD, organizer_role_id=5), now=NOW)
    assert await store.settings.default_zone(GUILD) is None  # settings saved, but no zone among them

    await store.settings.save(GuildSettings(guild_id=GUILD, organizer_role_id=5, timezone="UTC"), now=NOW)
    assert await store.settings.default_zone(GUILD) == "UTC"
