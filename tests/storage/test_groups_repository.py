from __future__ import annotations

import pytest

from mastermind.rules.names import name_key
from storage.groups import GroupNameTaken
from storage.models import GuildSettings
from tests.storage.conftest import NOW

GUILD, OTHER_GUILD = 100, 200


async def make(store, name="Founders", guild=GUILD, channels=(1, 2)):
    return await store.groups.create(
        guild_id=guild,
        name=name,
        name_key=name_key(name),
        text_channel_id=channels[0],
        voice_channel_id=channels[1],
        created_by=9,
        now=NOW,
    )


async def test_create_and_find_by_name_ignoring_case(store):
    group = await make(store)

    assert group.name == "Founders"
    assert group.status == "active"
    assert group.created_at == NOW
    assert await store.groups.by_key(GUILD, name_key("  fOUNDERS ")) == group
    found = await store.groups.locate(GUILD, user_id=9, channel_id=2)
    assert found is not None
    assert found.group == group
    assert found.is_member is False
    assert await store.groups.locate(GUILD, user_id=9, name_key=name_key("FOUNDERS")) == found


async def test_names_are_unique_per_server_ignoring_case(store):
    await make(store)
    with pytest.raises(GroupNameTaken):
        await make(store, name="FOUNDERS", channels=(3, 4))
    other = await make(store, name="Founders", guild=OTHER_GUILD, channels=(5, 6))
    assert other.guild_id == OTHER_GUILD


async def test_no_query_reaches_another_servers_groups(store):
    group = await make(store)
    await store.groups.add_member(GUILD, group.id, 7, now=NOW)

    assert await store.groups.get(OTHER_GUILD, group.id) is None
    assert await store.groups.by_key(OTHER_GUILD, name_key("Founders")) is None
    assert await store.groups.locate(OTHER_GUILD, user_id=7, channel_id=1) is None
    assert await store.groups.locate(OTHER_GUILD, user_id=7, name_key=name_key("Founders")) is None
    mine = await store.groups.locate(GUILD, user_id=7, name_key=name_key("Founders"))
    assert mine is not None
    assert mine.is_member is True
    assert await store.groups.members(OTHER_GUILD, group.id) == []
    assert await store.groups.summaries(OTHER_GUILD) == []
    assert not await store.groups.archive(OTHER_GUILD, group.id, now=NOW)
    assert not await store.groups.remove_member(OTHER_GUILD, group.id, 7)
    assert [m.user_id for m in await store.groups.members(GUILD, group.id)] == [7]


async def test_membership_changes_report_whether_anything_changed(store):
    group = await make(store)

    assert await store.groups.add_member(GUILD, group.id, 7, now=NOW)
    assert not await store.groups.add_member(GUILD, group.id, 7, now=NOW)
    assert await store.groups.is_member(GUILD, group.id, 7)
    assert await store.groups.groups_of(GUILD, 7) == [group]
    assert await store.groups.remove_member(GUILD, group.id, 7)
    assert not await store.groups.remove_member(GUILD, group.id, 7)


async def test_archive_happens_once_and_sorts_last(store):
    founders = await make(store)
    await make(store, name="Writers", channels=(3, 4))

    assert await store.groups.archive(GUILD, founders.id, now=NOW)
    assert not await store.groups.archive(GUILD, founders.id, now=NOW)

    summaries = await store.groups.summaries(GUILD)
    assert [(s.group.name, s.group.status) for s in summaries] == [
        ("Writers", "active"),
        ("Founders", "archived"),
    ]


async def test_search_escapes_wildcards_and_filters_by_member(store):
    await make(store, name="100% Club")
    runners = await make(store, name="Runners", channels=(3, 4))
    await store.groups.add_member(GUILD, runners.id, 7, now=NOW)

    assert [g.name for g in await store.groups.search(GUILD, name_key("%"))] == ["100% Club"]
    assert [g.name for g in await store.groups.search(GUILD, name_key(""))] == ["100% Club", "Runners"]
    assert [g.name for g in await store.groups.search(GUILD, name_key(""), member_id=7)] == ["Runners"]


async def test_guild_settings_default_until_saved(store):
    assert await store.settings.get(GUILD) == GuildSettings(guild_id=GUILD)

    saved = GuildSettings(guild_id=GUILD, organizer_role_id=5, category_id=6, timezone="Europe/Berlin")
    await store.settings.save(saved, now=NOW)

    assert await store.settings.get(GUILD) == saved
    assert await store.settings.get(OTHER_GUILD) == GuildSettings(guild_id=OTHER_GUILD)


async def test_two_members_share_a_group_only_while_it_is_active(store):
    group = await make(store)
    other = await make(store, name="Others", channels=(3, 4))
    for user_id in (21, 22):
        await store.groups.add_member(GUILD, group.id, user_id, now=NOW)
    await store.groups.add_member(GUILD, other.id, 23, now=NOW)

    assert await store.groups.share_a_group(GUILD, 21, 22) is True
    assert await store.groups.share_a_group(GUILD, 21, 23) is False
    assert await store.groups.share_a_group(OTHER_GUILD, 21, 22) is False

    await store.groups.archive(GUILD, group.id, now=NOW)

    assert await store.groups.share_a_group(GUILD, 21, 22) is False
