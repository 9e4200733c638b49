"""The intake on a real database: a server's settings, applications in queue order, proposals used once, refill
suggestions answered once; every row belongs to one server."""

from __future__ import annotations

from datetime import time, timedelta

from mastermind.rules.names import name_key
from storage.models import IntakeSettings, MatchGroup
from tests.storage.conftest import NOW
from tests.storage.test_meetings_repository import ANN, BEN, CAT, DAN, GUILD, OTHER_GUILD, make_group

LATER = NOW + timedelta(hours=1)


async def apply(store, user_id: int, *, guild: int = GUILD, field: str = "Software", now=NOW, about=None):
    return await store.intake.apply(
        guild_id=guild,
        user_id=user_id,
        field=field,
        experience=1,
        languages=("English", "Spanish"),
        about=about,
        now=now,
    )


async def test_a_servers_intake_is_none_until_set_then_as_saved(store):
    assert await store.intake.settings(GUILD) is None

    saved = IntakeSettings(guild_id=GUILD, fields=("Software", "Design"), languages=("English",), group_size=5)
    await store.intake.save_settings(saved, now=NOW)
    await store.intake.save_settings(saved.model_copy(update={"accepting": False}), now=LATER)

    assert await store.intake.settings(GUILD) == saved.model_copy(update={"accepting": False})
    assert await store.intake.settings(OTHER_GUILD) is None


async def test_applying_again_while_waiting_updates_and_keeps_the_place(store):
    first = await apply(store, ANN)
    await apply(store, BEN, now=NOW + timedelta(minutes=1))

    again = await apply(store, ANN, field="Design", now=LATER, about="More to give")

    assert (again.id, again.queued_at, again.updated_at) == (first.id, NOW, LATER)
    assert (again.field, again.about, again.languages, again.status) == (
        "Design",
        "More to give",
        ("English", "Spanish"),
        "waiting",
    )
    assert [a.user_id for a in await store.intake.waiting(GUILD)] == [ANN, BEN]


async def test_withdrawing_leaves_the_queue_and_applying_again_queues_at_the_end(store):
    await apply(store, ANN)
    await apply(store, BEN, now=NOW + timedelta(minutes=1))

    assert await store.intake.withdraw(GUILD, ANN, now=LATER)
    assert not await store.intake.withdraw(GUILD, ANN, now=LATER)
    withdrawn = await store.intake.application(GUILD, ANN)
    assert (withdrawn.status, withdrawn.closed_at) == ("withdrawn", LATER)
    assert [a.user_id for a in await store.intake.waiting(GUILD)] == [BEN]

    back = await apply(store, ANN, now=LATER + timedelta(minutes=1))

    assert (back.status, back.queued_at, back.closed_at) == ("waiting", LATER + timedelta(minutes=1), None)
    assert [a.user_id for a in await store.intake.waiting(GUILD)] == [BEN, ANN]


async def test_only_waiting_applications_are_matched_into_a_group(store):
    group = await make_group(store, members=())
    for user_id in (ANN, BEN, CAT):
        await apply(store, user_id)
    await store.intake.withdraw(GUILD, CAT, now=NOW)
    await apply(store, ANN, guild=OTHER_GUILD)

    assert await store.intake.mark_matched(GUILD, [ANN, CAT, DAN], group.id, now=LATER) == 1
    assert await store.intake.mark_matched(GUILD, [], group.id, now=LATER) == 0

    matched = await store.intake.application(GUILD, ANN)
    assert (matched.status, matched.group_id, matched.closed_at) == ("matched", group.id, LATER)
    assert (await store.intake.application(GUILD, CAT)).status == "withdrawn"
    assert (await store.intake.application(OTHER_GUILD, ANN)).status == "waiting"
    assert [a.user_id for a in await store.intake.waiting(GUILD)] == [BEN]


async def test_a_group_formed_by_matching_keeps_its_size_and_language(store):
    group = await store.groups.create(
        guild_id=GUILD,
        name="Software 1",
        name_key=name_key("Software 1"),
        text_channel_id=5,
        voice_channel_id=6,
        created_by=9,
        now=NOW,
        target_size=4,
        language="Spanish",
    )
    await make_group(store, name="Software 2", channels=(7, 8))
    await make_group(store, name="Design", channels=(9, 10))

    assert (group.target_size, group.language) == (4, "Spanish")
    assert (await store.groups.get(GUILD, group.id)) == group
    assert await store.groups.names_starting(GUILD, "software") == {"software 1", "software 2"}
    assert await store.groups.names_starting(GUILD, "soft%") == set()


def proposed(number: int, members: tuple[int, ...]) -> MatchGroup:
    return MatchGroup(
        number=number,
        weekday=1,
        local_time=time(18, 30),
        timezone="Europe/Berlin",
        language="English",
        field="Software",
        members=members,
    )


async def test_a_proposal_reads_back_whole_and_is_used_once(store):
    made = await store.matches.propose(
        guild_id=GUILD,
        created_by=9,
        target_size=4,
        pool="abc",
        groups=[proposed(1, (CAT, ANN, BEN)), proposed(2, (DAN, 21, 22))],
        now=NOW,
    )

    assert await store.matches.proposal(GUILD, made.id) == made
    assert await store.matches.proposal(OTHER_GUILD, made.id) is None
    assert await store.matches.close_proposal(GUILD, made.id, "used", user_id=9, now=LATER)
    assert not await store.matches.close_proposal(GUILD, made.id, "cancelled", user_id=8, now=LATER)
    used = await store.matches.proposal(GUILD, made.id)
    assert (used.status, used.used_by, used.used_at) == ("used", 9, LATER)


async def test_a_suggestion_is_answered_once_and_skipped_people_are_remembered_per_group(store):
    """A suggestion stands while its applicant waits; once answered it is not offered again."""
    group = await make_group(store, members=(ANN,))
    other = await make_group(store, name="Makers", channels=(3, 4), members=())
    await apply(store, BEN)
    first = await store.matches.suggest(guild_id=GUILD, group_id=group.id, user_id=BEN, now=NOW)
    await store.matches.suggest(guild_id=GUILD, group_id=other.id, user_id=CAT, now=NOW)

    assert await store.matches.open_suggestion(GUILD, group.id) == first
    assert await store.matches.answer(GUILD, first.id, "skipped", user_id=9, now=LATER)
    assert not await store.matches.answer(GUILD, first.id, "added", user_id=9, now=LATER)
    assert await store.matches.open_suggestion(GUILD, group.id) is None
    assert await store.matches.skipped(GUILD, group.id) == {BEN}
    assert await store.matches.skipped(GUILD, other.id) == set()
    assert (await store.matches.suggestion(GUILD, first.id)).status == "skipped"
    assert await store.matches.suggestion(OTHER_GUILD, first.id) is None


async def test_erasing_a_member_forgets_their_application_and_what_matching_proposed_of_them(store):
    group = await make_group(store, members=())
    await apply(store, ANN)
    await apply(store, BEN)
    await apply(store, ANN, guild=OTHER_GUILD)
    made = await store.matches.propose(
        guild_id=GUILD, created_by=9, target_size=4, pool="abc", groups=[proposed(1, (ANN, BEN, CAT))], now=NOW
    )
    await store.matches.suggest(guild_id=GUILD, group_id=group.id, user_id=ANN, now=NOW)
    kept = await store.matches.suggest(guild_id=GUILD, group_id=group.id, user_id=BEN, now=NOW)

    assert [a.user_id for a in await store.intake.of_member(GUILD, ANN)] == [ANN]
    assert await store.intake.erase_member(GUILD, ANN) == 1

    assert await store.intake.of_member(GUILD, ANN) == []
    assert (await store.matches.proposal(GUILD, made.id)).groups[0].members == (BEN, CAT)
    assert await store.matches.open_suggestion(GUILD, group.id) == kept
    assert (await store.intake.application(OTHER_GUILD, ANN)) is not None


async def test_a_suggestion_stands_only_while_its_applicant_is_waiting(store):
    group = await make_group(store, members=(ANN,))
    await apply(store, BEN)
    await store.matches.suggest(guild_id=GUILD, group_id=group.id, user_id=BEN, now=NOW)

    await store.intake.withdraw(GUILD, BEN, now=LATER)

    assert await store.matches.open_suggestion(GUILD, group.id) is None
