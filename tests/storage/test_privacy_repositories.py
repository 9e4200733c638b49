"""One member's data, read and deleted through each repository on a real SQLite file: their own rows in their own
server, nobody else's; an archived group's history; invitations and the pledge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mastermind.rules.retention import QUOTING_KINDS
from mastermind.services.privacy import SECTIONS, Privacy
from storage.models import MemberHours, SendKind
from tests.storage.conftest import NOW, FixedClock, close_meeting
from tests.storage.test_meetings_repository import ANN, BEN, GUILD, OTHER_GUILD, START, make_group, open_meeting


def privacy(store) -> Privacy:
    return Privacy(store, FixedClock(NOW + timedelta(days=2)), expect=lambda _: None)


async def meet(store, group, *, goals: dict[int, str]):
    """One meeting of the group: goals set before it, a call, an RSVP, a hot-seat round, then the close."""
    for user_id, text in goals.items():
        await store.commitments.replace_upcoming(
            guild_id=group.guild_id, group_id=group.id, user_id=user_id, goals=[(text, None)], now=NOW
        )
        await store.rsvps.answer(
            guild_id=group.guild_id, group_id=group.id, meeting_at=START, user_id=user_id, choice="yes", now=NOW
        )
    meeting, _ = await open_meeting(store, group, in_call=list(goals))
    await store.meetings.start_round(
        meeting,
        [(user_id, True) for user_id in goals],
        now=START,
        first_ends_at=START + timedelta(minutes=10),
        sends=[],
    )
    await store.meetings.set_turn_message(meeting.id, next(iter(goals)), 555)
    await close_meeting(store, group, meeting, now=START + timedelta(minutes=30), attendance_minutes=1)
    return meeting


@pytest.fixture
async def groups(store):
    """Ann and Ben in Founders, Ann also in a group of another server with the same ids of people; each gave
    their free hours in each server they are in."""
    founders = await make_group(store, members=(ANN, BEN))
    elsewhere = await make_group(store, guild=OTHER_GUILD, name="Elsewhere", channels=(3, 4), members=(ANN,))
    for guild_id, user_id in ((GUILD, ANN), (GUILD, BEN), (OTHER_GUILD, ANN)):
        hours = MemberHours(guild_id=guild_id, user_id=user_id, timezone="Europe/Berlin", ranges=((0, 1080, 1260),))
        await store.availability.save(hours, now=NOW)
    met = await meet(store, founders, goals={ANN: "Ship it", BEN: "Write"})
    met_elsewhere = await meet(store, elsewhere, goals={ANN: "Other server"})
    for group, meeting, user_id in ((founders, met, ANN), (founders, met, BEN), (elsewhere, met_elsewhere, ANN)):
        await store.check_ins.ask(
            guild_id=group.guild_id,
            group_id=group.id,
            user_id=user_id,
            first_meeting_id=meeting.id,
            last_meeting_id=meeting.id,
            meetings=2,
            now=NOW,
        )
    return founders, elsewhere


async def test_a_members_sections_hold_their_rows_in_this_server_only(store, groups):
    holdings = await privacy(store).holdings(GUILD, ANN)

    assert holdings.counts() == {
        "memberships": 1,
        "invitations": 0,
        "pledge_acceptances": 0,
        "rsvps": 1,
        "voice_sessions": 1,
        "attendance": 1,
        "hotseat_turns": 1,
        "commitments": 1,
        "stats": 1,
        "check_ins": 1,
        "availability": 1,
        "applications": 0,
    }
    assert [c.text for c in holdings.sections["commitments"]] == ["Ship it"]
    assert all(getattr(row, "user_id", ANN) == ANN for rows in holdings.sections.values() for row in rows)
    assert holdings.group_ids() == [groups[0].id]


async def test_erasing_deletes_the_members_rows_and_nobody_elses(store, groups):
    founders, _ = groups
    bens_before = (await privacy(store).holdings(GUILD, BEN)).counts()
    other_server_before = (await privacy(store).holdings(OTHER_GUILD, ANN)).counts()

    erased = await privacy(store).erase(GUILD, ANN)

    assert erased == {
        name: (0 if name in ("invitations", "pledge_acceptances", "applications") else 1) for name in erased
    }
    assert not await privacy(store).holdings(GUILD, ANN)
    assert (await privacy(store).holdings(GUILD, BEN)).counts() == bens_before
    assert (await privacy(store).holdings(OTHER_GUILD, ANN)).counts() == other_server_before
    assert [m.user_id for m in await store.groups.members(GUILD, founders.id)] == [BEN]
    assert [r.user_id for r in (await store.stats.snapshot(GUILD, founders.id)).records] == [BEN]


async def test_every_section_is_read_and_erased_by_name():
    assert [section.name for section in SECTIONS] == [
        "memberships",
        "invitations",
        "pledge_acceptances",
        "rsvps",
        "voice_sessions",
        "attendance",
        "hotseat_turns",
        "commitments",
        "stats",
        "check_ins",
        "availability",
        "applications",
    ]


async def test_the_messages_that_quote_a_member_are_found_before_their_data_goes(store, groups):
    founders, _ = groups
    due = await store.sends.due(START + timedelta(hours=2))
    (sent,) = [s for s in due if s.kind == SendKind.SUMMARY and s.group_id == founders.id]
    await store.sends.claim([sent.id], now=START + timedelta(hours=2))
    await store.sends.finish(sent.id, "sent", now=START + timedelta(hours=2), message_id=777)

    quoting = await privacy(store).quoting_messages(GUILD, ANN)

    assert [(m.kind, m.message_id, m.channel_id) for m in quoting] == [("turn", 555, 1), ("summary", 777, 1)]
    assert await store.sends.messages_quoting(GUILD, ANN, ()) == []
    assert await privacy(store).quoting_messages(GUILD, 12345) == []
    assert set(QUOTING_KINDS) == {SendKind.KICKOFF, SendKind.NUDGE, SendKind.SUMMARY}


async def test_an_archived_groups_history_goes_and_the_rest_stays(store, groups):
    founders, _ = groups
    other = await make_group(store, name="Makers", channels=(5, 6), members=(ANN,))
    await store.commitments.replace_upcoming(
        guild_id=GUILD, group_id=other.id, user_id=ANN, goals=[("Keep me", None)], now=NOW
    )

    erased = await privacy(store).purge_group(founders)

    assert erased == {"commitments": 2, "meetings": 6, "rsvps": 2, "stats": 2, "invitations": 0, "check_ins": 2}
    assert (await privacy(store).holdings(GUILD, ANN)).counts() | {"memberships": 0} == {
        "memberships": 0,
        "invitations": 0,
        "pledge_acceptances": 0,
        "rsvps": 0,
        "voice_sessions": 0,
        "attendance": 0,
        "hotseat_turns": 0,
        "commitments": 1,
        "stats": 0,
        "check_ins": 0,
        "availability": 1,
        "applications": 0,
    }
    assert await store.groups.members(GUILD, founders.id)  # the channels are the admins'; so are who can read them
    assert (await privacy(store).holdings(OTHER_GUILD, ANN)).counts()["commitments"] == 1
    assert (await store.meetings.latest(GUILD, founders.id)) is not None  # meetings stay, as dates


async def test_one_pending_invitation_per_member_and_group_and_each_closes_once(store, groups):
    founders, _ = groups
    first = await store.invitations.create(
        guild_id=GUILD, group_id=founders.id, user_id=77, invited_by=ANN, now=NOW, expires_at=NOW + timedelta(days=14)
    )
    second = await store.invitations.create(
        guild_id=GUILD, group_id=founders.id, user_id=77, invited_by=BEN, now=NOW, expires_at=NOW + timedelta(days=14)
    )

    assert first is not None
    assert second is None
    accepted = await store.invitations.close(GUILD, first.id, "accepted", now=NOW)
    assert accepted is not None
    assert accepted.status == "accepted"
    assert await store.invitations.close(GUILD, first.id, "withdrawn", now=NOW) is None
    assert await store.invitations.get(OTHER_GUILD, first.id) is None  # another server can't reach it
    again = await store.invitations.create(
        guild_id=GUILD, group_id=founders.id, user_id=77, invited_by=ANN, now=NOW, expires_at=NOW + timedelta(days=14)
    )
    assert again is not None
    assert (await store.invitations.latest(GUILD, founders.id, 77)) == again


async def test_acceptance_of_a_version_counts_across_the_servers_groups_only(store, groups):
    founders, _ = groups
    await store.invitations.record_acceptance(guild_id=GUILD, group_id=founders.id, user_id=77, version=2, now=NOW)

    assert await store.invitations.has_accepted(GUILD, 77, 2)
    assert not await store.invitations.has_accepted(GUILD, 77, 3)
    assert not await store.invitations.has_accepted(OTHER_GUILD, 77, 2)


async def test_a_member_who_leaves_with_nothing_tied_to_a_group_is_forgotten_at_once(store, groups):
    await store.intake.apply(
        guild_id=GUILD, user_id=77, field="Design", experience=0, languages=("English",), about=None, now=NOW
    )

    assert await privacy(store).member_left(GUILD, 77) is None

    assert not await privacy(store).holdings(GUILD, 77)
    assert await privacy(store).member_left(GUILD, ANN) is not None  # Ann's data is in Founders: kept a while
