"""Two processes on one PostgreSQL database doing the same thing at the same moment: PostgreSQL lets two
transactions interleave where SQLite runs one writer at a time, so a read-then-write holds its group's lock."""

from __future__ import annotations

import asyncio

from mastermind.errors import Refusal
from mastermind.services.membership import Membership
from storage import PostgresDatabase, Store
from storage.models import GuildSettings
from tests.storage.conftest import NOW, FixedClock
from tests.storage.test_meetings_repository import GUILD, make_group


async def test_two_organizers_inviting_the_same_members_at_once_make_one_invitation_each(postgres_url):
    stores = [Store(PostgresDatabase(postgres_url)) for _ in range(2)]
    for store in stores:
        await store.open()
    try:
        await stores[0].settings.save(GuildSettings(guild_id=GUILD, pledge_enabled=True), now=NOW)
        group = await make_group(stores[0], members=())
        organizers = [Membership(store, FixedClock(NOW)) for store in stores]

        outcomes = []
        for user_id in range(100, 140):
            outcomes += await asyncio.gather(
                *(organizer.admit(group, user_id, invited_by=9) for organizer in organizers), return_exceptions=True
            )

        invited = [o for o in outcomes if not isinstance(o, BaseException)]
        refused = [o for o in outcomes if isinstance(o, Refusal)]
        assert len(invited) == len(refused) == 40
        assert {o.key for o in refused} == {"group.already_invited"}
        for user_id in range(100, 140):
            latest = await stores[0].invitations.latest(GUILD, group.id, user_id)
            assert latest is not None
            assert latest.status == "pending"
    finally:
        for store in stores:
            await store.close()
