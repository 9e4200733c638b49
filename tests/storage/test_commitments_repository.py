from __future__ import annotations

from datetime import datetime, timedelta

from mastermind.rules.names import name_key
from tests.storage.conftest import NOW, close_meeting

GUILD, OTHER_GUILD = 100, 200
ANN, BEN = 11, 12
START = NOW + timedelta(days=1)
EVERY_TWO_WEEKS = timedelta(weeks=2)


async def make_group(store, *, name="Founders", channels=(1, 2)):
    group = await store.groups.create(
        guild_id=GUILD,
        name=name,
        name_key=name_key(name),
        text_channel_id=channels[0],
        voice_channel_id=channels[1],
        created_by=9,
        now=NOW,
    )
    for user_id in (ANN, BEN):
        assert await store.groups.add_member(GUILD, group.id, user_id, now=NOW)
    return group


async def set_goals(store, group, user_id, *goals, now=NOW):
    """Goals as plain texts, or as (text, carried from) pairs."""
    return await store.commitments.replace_upcoming(
        guild_id=GUILD,
        group_id=group.id,
        user_id=user_id,
        goals=[goal if isinstance(goal, tuple) else (goal, None) for goal in goals],
        now=now,
    )


async def hold_meeting(store, group, starts_at: datetime, *, close: bool = True):
    """Open the group's meeting (it takes on the commitments set so far) and, unless told not to, close it."""
    meeting, opened = await store.meetings.open(
        guild_id=GUILD, group_id=group.id, starts_at=starts_at, now=starts_at, in_call=(), sends=[]
    )
    assert opened
    if close:
        assert await close_meeting(store, group, meeting, now=starts_at + timedelta(hours=1))
    return meeting


def texts(commitments):
    return [c.text for c in commitments]


# ---------------------------------------------------------------------- setting goals


async def test_replace_upcoming_stores_the_goals_in_order(store):
    group = await make_group(store)

    stored = await set_goals(store, group, ANN, "Ship the draft", "Call the bank", "Run 5k")

    assert [(c.user_id, c.position, c.text, c.status, c.due_meeting_id, c.created_at) for c in stored] == [
        (ANN, 0, "Ship the draft", "open", None, NOW),
        (ANN, 1, "Call the bank", "open", None, NOW),
        (ANN, 2, "Run 5k", "open", None, NOW),
    ]
    assert {(c.guild_id, c.group_id, c.note, c.checked_at, c.carried_from_id) for c in stored} == {
        (GUILD, group.id, None, None, None)
    }
    assert stored == await store.commitments.upcoming(GUILD, group.id, ANN)


async def test_replace_upcoming_replaces_only_this_members_goals_not_yet_due(store):
    group = await make_group(store)
    other = await make_group(store, name="Writers", channels=(3, 4))
    await set_goals(store, group, ANN, "Ship the draft", "Call the bank")
    meeting = await hold_meeting(store, group, START, close=False)
    due_before = await store.commitments.due_at(GUILD, meeting.id)
    await set_goals(store, group, ANN, "First try")
    bens = await set_goals(store, group, BEN, "Read a book")
    elsewhere = await set_goals(store, other, ANN, "Write a chapter")
    later = NOW + timedelta(days=3)

    replaced = await set_goals(store, group, ANN, "Second try", "Run 5k", now=later)

    assert [(c.position, c.text, c.created_at) for c in replaced] == [(0, "Second try", later), (1, "Run 5k", later)]
    assert await store.commitments.upcoming(GUILD, group.id, BEN) == bens
    assert await store.commitments.upcoming(GUILD, other.id, ANN) == elsewhere
    assert await store.commitments.due_at(GUILD, meeting.id) == due_before
    assert texts(due_before) == ["Ship the draft", "Call the bank"]


async def test_replace_upcoming_with_nothing_clears_the_members_goals(store):
    group = await make_group(store)
    await set_goals(store, group, ANN, "Ship the draft")

    assert await set_goals(store, group, ANN) == []
    assert await store.commitments.upcoming(GUILD, group.id) == []


async def test_replace_upcoming_records_what_each_goal_carries_over(store):
    group = await make_group(store)
    await set_goals(store, group, ANN, "Ship the draft", "Call the bank")
    meeting = await hold_meeting(store, group, START)
    ship, call = await store.commitments.due_at(GUILD, meeting.id, ANN)

    stored = await set_goals(store, group, ANN, "Run 5k", ("Call the bank", call.id), ("Ship the draft", ship.id))

    assert [(c.position, c.text, c.carried_from_id) for c in stored] == [
        (0, "Run 5k", None),
        (1, "Call the bank", call.id),
        (2, "Ship the draft", ship.id),
    ]


async def test_upcoming_and_due_at_filter_by_member(store):
    group = await make_group(store)
    await set_goals(store, group, BEN, "Read a book", "Sleep early")
    await set_goals(store, group, ANN, "Ship the draft")
    meeting = await hold_meeting(store, group, START, close=False)
    await set_goals(store, group, BEN, "Cook twice")
    await set_goals(store, group, ANN, "Run 5k", "Call the bank")

    assert [(c.user_id, c.text) for c in await store.commitments.upcoming(GUILD, group.id)] == [
        (ANN, "Run 5k"),
        (ANN, "Call the bank"),
        (BEN, "Cook twice"),
    ]
    assert texts(await store.commitments.upcoming(GUILD, group.id, BEN)) == ["Cook twice"]
    assert [(c.user_id, c.text) for c in await store.commitments.due_at(GUILD, meeting.id)] == [
        (ANN, "Ship the draft"),
        (BEN, "Read a book"),
        (BEN, "Sleep early"),
    ]
    assert texts(await store.commitments.due_at(GUILD, meeting.id, BEN)) == ["Read a book", "Sleep early"]
    assert await store.commitments.due_at(GUILD, meeting.id, 99) == []
    assert await store.commitments.upcoming(OTHER_GUILD, group.id) == []
    assert await store.commitments.due_at(OTHER_GUILD, meeting.id) == []


# ---------------------------------------------------------------------- checking


async def test_check_records_the_outcome_and_can_change_it(store):
    group = await make_group(store)
    [goal] = await set_goals(store, group, ANN, "Ship the draft")
    first = START + timedelta(minutes=5)
    second = START + timedelta(minutes=20)

    assert await store.commitments.check(GUILD, goal.id, "partial", note="half the chapters", now=first) is not None
    checked = await store.commitments.get(GUILD, goal.id)
    assert (checked.status, checked.note, checked.checked_at) == ("partial", "half the chapters", first)

    assert await store.commitments.check(GUILD, goal.id, "done", note=None, now=second) is not None
    again = await store.commitments.get(GUILD, goal.id)
    assert (again.status, again.note, again.checked_at) == ("done", "half the chapters", second)

    assert await store.commitments.check(GUILD, goal.id, "missed", note="ran out of time", now=second) is not None
    last = await store.commitments.get(GUILD, goal.id)
    assert (last.status, last.note) == ("missed", "ran out of time")
    assert (last.text, last.position, last.due_meeting_id) == (goal.text, goal.position, goal.due_meeting_id)


async def test_an_unreported_commitment_cannot_be_checked(store):
    group = await make_group(store)
    await set_goals(store, group, ANN, "Ship the draft")
    meeting = await hold_meeting(store, group, START)
    [unreported] = await store.commitments.due_at(GUILD, meeting.id, ANN)
    assert unreported.status == "unreported"

    checked = await store.commitments.check(
        GUILD, unreported.id, "done", note="did it after all", now=START + timedelta(days=1)
    )

    assert checked is None
    assert await store.commitments.get(GUILD, unreported.id) == unreported
    assert unreported.checked_at is None


async def test_a_commitment_is_not_reached_from_another_server(store):
    group = await make_group(store)
    [goal] = await set_goals(store, group, ANN, "Ship the draft")

    assert await store.commitments.get(OTHER_GUILD, goal.id) is None
    assert await store.commitments.check(OTHER_GUILD, goal.id, "done", note=None, now=START) is None
    assert await store.commitments.get(GUILD, goal.id) == goal


# ---------------------------------------------------------------------- history and outcomes


async def test_the_ledger_is_what_is_due_next_and_the_last_meetings_newest_first(store):
    group = await make_group(store)
    at = START
    await set_goals(store, group, ANN, "Week 1 goal")
    await hold_meeting(store, group, at)
    await set_goals(store, group, ANN, "Week 3 first", "Week 3 second")
    await set_goals(store, group, BEN, "Ben's goal")
    at += EVERY_TWO_WEEKS
    await hold_meeting(store, group, at)
    at += EVERY_TWO_WEEKS
    await hold_meeting(store, group, at)  # ANN set nothing for this one
    await set_goals(store, group, ANN, "Week 7 goal")
    at += EVERY_TWO_WEEKS
    await hold_meeting(store, group, at, close=False)
    await set_goals(store, group, ANN, "Not due yet")

    async def ledger(guild: int, user: int, meetings: int) -> list[tuple[str, bool, bool]]:
        """(text, due at a meeting, that meeting still open) in the ledger's order."""
        entries = await store.commitments.ledger(guild, group.id, user, meetings=meetings)
        return [(e.commitment.text, e.meeting_starts_at is not None, e.meeting_open) for e in entries]

    # Due next first; then the meetings newest first: the open one holds "Week 7 goal", then the closed ones.
    assert await ledger(GUILD, ANN, meetings=1) == [("Not due yet", False, False), ("Week 7 goal", True, True)]
    assert await ledger(GUILD, ANN, meetings=2) == [("Not due yet", False, False), ("Week 7 goal", True, True)]
    assert await ledger(GUILD, ANN, meetings=10) == [
        ("Not due yet", False, False),
        ("Week 7 goal", True, True),
        ("Week 3 first", True, False),
        ("Week 3 second", True, False),
        ("Week 1 goal", True, False),
    ]
    entries = await store.commitments.ledger(GUILD, group.id, ANN, meetings=10)
    assert [e.meeting_starts_at for e in entries] == [None, at, START + EVERY_TWO_WEEKS, START + EVERY_TWO_WEEKS, START]
    assert await ledger(GUILD, BEN, meetings=10) == [("Ben's goal", True, False)]
    assert await ledger(OTHER_GUILD, ANN, meetings=10) == []
