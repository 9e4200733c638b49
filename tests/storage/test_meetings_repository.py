from __future__ import annotations

from datetime import datetime, timedelta

from bench.queries import closed_meetings, sends_of_group
from mastermind.rules.hotseat import active_turn, previous_round, turn_sends
from mastermind.rules.meetings import opened_by_hand
from mastermind.rules.names import name_key
from storage.models import Attendance, HotSeatTurn, Meeting, Rotation, SendKind, SendPlan
from tests.storage.conftest import NOW, close_meeting, facilitator

GUILD, OTHER_GUILD = 100, 200
ANN, BEN, CAT, DAN, EVE = 11, 12, 13, 14, 15
STRANGER = 99
START = NOW + timedelta(days=1)
NEXT_START = START + timedelta(weeks=2)
EVERY_STATUS = ("pending", "sending", "sent", "skipped", "cancelled", "failed")


async def make_group(store, *, guild=GUILD, name="Founders", channels=(1, 2), members=(ANN, BEN, CAT)):
    group = await store.groups.create(
        guild_id=guild,
        name=name,
        name_key=name_key(name),
        text_channel_id=channels[0],
        voice_channel_id=channels[1],
        created_by=9,
        now=NOW,
    )
    for user_id in members:
        assert await store.groups.add_member(guild, group.id, user_id, now=NOW)
    return group


def auto_end(group, starts_at: datetime = START) -> SendPlan:
    return SendPlan(
        group_id=group.id,
        guild_id=group.guild_id,
        meeting_at=starts_at,
        kind=SendKind.AUTO_END,
        due_at=starts_at + timedelta(hours=3),
    )


def turn(group, meeting, user_id: int, *, now: datetime, minutes: int = 10) -> list[SendPlan]:
    return turn_sends(
        group_id=group.id,
        guild_id=group.guild_id,
        meeting_at=meeting.starts_at,
        user_id=user_id,
        ends_at=now + timedelta(minutes=minutes),
        now=now,
    )


async def start_round(store, meeting, order: list[tuple[int, bool]], *, at: datetime, notices: bool = True) -> bool:
    """Seat the round in this order of (member, present), with 10-minute turns and, unless told not to, the first
    turn's notices planned."""
    first_ends_at = at + timedelta(minutes=10)
    sends = (
        turn_sends(
            group_id=meeting.group_id,
            guild_id=meeting.guild_id,
            meeting_at=meeting.starts_at,
            user_id=order[0][0],
            ends_at=first_ends_at,
            now=at,
        )
        if notices
        else []
    )
    return await store.meetings.start_round(meeting, order, now=at, first_ends_at=first_ends_at, sends=sends)


async def open_meeting(store, group, *, starts_at=START, now=None, in_call=()):
    return await store.meetings.open(
        guild_id=group.guild_id,
        group_id=group.id,
        starts_at=starts_at,
        now=now or starts_at,
        in_call=in_call,
        sends=[auto_end(group, starts_at)],
    )


async def end_turn(store, meeting, user_id: int, outcome: str, *, now: datetime):
    """End a member's turn as the bot does (10-minute turns): (whether it ended, the turn of the member seated
    next, or None)."""
    state = await store.meetings.round_state(meeting.guild_id, actor_id=user_id, meeting_id=meeting.id)
    decided = await facilitator(store, now).end_turn(state, user_id, outcome)
    return decided is not None, decided.seated if decided else None


async def set_goals(store, group, user_id, *texts, now=NOW):
    return await store.commitments.replace_upcoming(
        guild_id=group.guild_id,
        group_id=group.id,
        user_id=user_id,
        goals=[(text, None) for text in texts],
        now=now,
    )


async def sends_of(store, group):
    """(kind, detail, due, status, reason) per row, in due order: what a reader of the table sees."""
    rows = await sends_of_group(store, group.guild_id, group.id, statuses=EVERY_STATUS)
    return [(str(s.kind), s.detail, s.due_at, s.status, s.reason) for s in rows]


# ---------------------------------------------------------------------- opening


async def test_open_creates_an_open_meeting_and_plans_its_automatic_end(store):
    group = await make_group(store)
    opened_at = START + timedelta(minutes=2)

    meeting, opened = await open_meeting(store, group, now=opened_at)

    assert opened is True
    assert meeting == Meeting(
        id=meeting.id,
        guild_id=GUILD,
        group_id=group.id,
        starts_at=START,
        opened_at=opened_at,
        status="open",
        round_status="not_started",
    )
    assert await store.meetings.get(GUILD, meeting.id) == meeting
    assert await store.meetings.current(GUILD, group.id) == meeting
    assert await store.meetings.at(GUILD, group.id, START) == meeting
    assert await sends_of(store, group) == [("auto_end", 0, START + timedelta(hours=3), "pending", None)]


async def test_open_takes_on_every_commitment_of_the_group_not_yet_due(store):
    group = await make_group(store)
    other = await make_group(store, name="Writers", channels=(3, 4))
    await set_goals(store, group, ANN, "Ship the draft", "Run 5k")
    await set_goals(store, group, BEN, "Call the bank")
    await set_goals(store, other, ANN, "Write a chapter")

    meeting, _ = await open_meeting(store, group)

    due = await store.commitments.due_at(GUILD, meeting.id)
    assert [(c.user_id, c.position, c.text, c.due_meeting_id, c.status) for c in due] == [
        (ANN, 0, "Ship the draft", meeting.id, "open"),
        (ANN, 1, "Run 5k", meeting.id, "open"),
        (BEN, 0, "Call the bank", meeting.id, "open"),
    ]
    assert await store.commitments.upcoming(GUILD, group.id) == []
    assert [c.text for c in await store.commitments.upcoming(GUILD, other.id)] == ["Write a chapter"]


async def test_open_starts_voice_time_only_for_members_in_the_call(store):
    group = await make_group(store)

    meeting, _ = await open_meeting(store, group, in_call=[ANN, STRANGER, CAT])

    assert await store.meetings.in_call(meeting.id) == {ANN, CAT}
    assert await store.meetings.been_in_call(meeting.id) == {ANN, CAT}


async def test_opening_again_returns_the_open_meeting_unchanged(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group, in_call=[ANN])
    before = await sends_of(store, group)

    again, opened = await open_meeting(
        store, group, starts_at=START + timedelta(minutes=30), now=START + timedelta(minutes=30), in_call=[BEN]
    )

    assert (again, opened) == (meeting, False)
    assert await store.meetings.open_in_guild(GUILD) == [meeting]
    assert await store.meetings.in_call(meeting.id) == {ANN}
    assert await sends_of(store, group) == before


async def test_opening_a_start_that_already_happened_returns_that_meeting(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    assert await close_meeting(store, group, meeting, now=START + timedelta(hours=1))
    closed = await store.meetings.get(GUILD, meeting.id)
    await set_goals(store, group, ANN, "Run 5k")

    again, opened = await open_meeting(store, group, now=START + timedelta(hours=2), in_call=[ANN])

    assert (again, opened) == (closed, False)
    assert again.status == "closed"
    assert await store.meetings.current(GUILD, group.id) is None
    assert await store.meetings.in_call(meeting.id) == set()
    assert [c.due_meeting_id for c in await store.commitments.upcoming(GUILD, group.id, ANN)] == [None]


async def test_a_group_has_one_open_meeting_at_a_time_but_each_group_its_own(store):
    founders = await make_group(store)
    writers = await make_group(store, name="Writers", channels=(3, 4))
    first, _ = await open_meeting(store, founders)

    second, opened = await open_meeting(store, founders, starts_at=NEXT_START)
    writers_meeting, writers_opened = await open_meeting(store, writers)

    assert (second, opened) == (first, False)
    assert await store.meetings.at(GUILD, founders.id, NEXT_START) is None
    assert writers_opened is True
    assert writers_meeting.id != first.id
    assert sorted(m.id for m in await store.meetings.open_in_guild(GUILD)) == sorted([first.id, writers_meeting.id])

    assert await close_meeting(store, founders, first, now=START + timedelta(hours=1))
    following, opened = await open_meeting(store, founders, starts_at=NEXT_START)
    assert opened is True
    assert await store.meetings.current(GUILD, founders.id) == following
    assert await store.meetings.latest(GUILD, founders.id) == following


# ---------------------------------------------------------------------- time in the call


async def test_joining_twice_counts_once_and_leaving_twice_changes_nothing(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)

    assert await store.meetings.joined_call(meeting, ANN, now=START) is True
    assert await store.meetings.joined_call(meeting, ANN, now=START + timedelta(minutes=5)) is False
    assert await store.meetings.left_call(meeting, ANN, now=START + timedelta(minutes=12)) is True
    assert await store.meetings.left_call(meeting, ANN, now=START + timedelta(minutes=20)) is False
    assert await store.meetings.left_call(meeting, BEN, now=START + timedelta(minutes=20)) is False
    assert await store.meetings.in_call(meeting.id) == set()
    assert await store.meetings.been_in_call(meeting.id) == {ANN}

    assert await close_meeting(store, group, meeting, now=START + timedelta(minutes=30))
    attendance = {a.user_id: a.seconds for a in await store.meetings.attendance(meeting.id)}
    assert attendance[ANN] == 12 * 60


# ---------------------------------------------------------------------- closing


async def test_close_records_attendance_for_every_current_member_from_their_time_in_the_call(store):
    group = await make_group(store, members=(ANN, BEN, CAT, DAN, EVE))
    await make_group(store, name="Writers", channels=(3, 4), members=(ANN, 21))
    meeting, _ = await open_meeting(store, group, in_call=[ANN])
    m = meeting.starts_at
    meetings = store.meetings
    # BEN: one second short of the threshold.
    await meetings.joined_call(meeting, BEN, now=m + timedelta(minutes=1))
    await meetings.left_call(meeting, BEN, now=m + timedelta(minutes=10, seconds=59))
    # CAT: two visits of 6 and 5 minutes.
    await meetings.joined_call(meeting, CAT, now=m + timedelta(minutes=2))
    await meetings.left_call(meeting, CAT, now=m + timedelta(minutes=8))
    await meetings.joined_call(meeting, CAT, now=m + timedelta(minutes=20))
    await meetings.left_call(meeting, CAT, now=m + timedelta(minutes=25))
    # DAN: still in the call at the end, exactly 10 minutes.
    await meetings.joined_call(meeting, DAN, now=m + timedelta(minutes=20))
    # EVE never comes. A stranger and a member who left the group are in the call but get no row.
    await meetings.joined_call(meeting, STRANGER, now=m)
    await store.groups.add_member(GUILD, group.id, 16, now=NOW)
    await meetings.joined_call(meeting, 16, now=m)
    assert await store.groups.remove_member(GUILD, group.id, 16)

    assert await close_meeting(store, group, meeting, now=m + timedelta(minutes=30)) is True

    assert await meetings.attendance(meeting.id) == [
        Attendance(meeting_id=meeting.id, user_id=ANN, seconds=1800, present=True),
        Attendance(meeting_id=meeting.id, user_id=BEN, seconds=599, present=False),
        Attendance(meeting_id=meeting.id, user_id=CAT, seconds=660, present=True),
        Attendance(meeting_id=meeting.id, user_id=DAN, seconds=600, present=True),
        Attendance(meeting_id=meeting.id, user_id=EVE, seconds=0, present=False),
    ]
    assert await meetings.in_call(meeting.id) == set()
    closed = await meetings.get(GUILD, meeting.id)
    assert (closed.status, closed.closed_at, closed.round_status) == (
        "closed",
        m + timedelta(minutes=30),
        "not_started",
    )
    assert await meetings.current(GUILD, group.id) is None
    assert await closed_meetings(store, GUILD, group.id) == 1


async def test_the_attendance_threshold_is_the_one_given_at_close(store):
    group = await make_group(store, members=(ANN,))
    meeting, _ = await open_meeting(store, group, in_call=[ANN])

    assert await close_meeting(store, group, meeting, now=START + timedelta(minutes=10), attendance_minutes=11)

    assert await store.meetings.attendance(meeting.id) == [
        Attendance(meeting_id=meeting.id, user_id=ANN, seconds=600, present=False)
    ]


async def test_close_marks_unchecked_commitments_unreported_and_keeps_checked_ones(store):
    group = await make_group(store)
    await set_goals(store, group, ANN, "Ship the draft", "Run 5k")
    await set_goals(store, group, BEN, "Call the bank")
    meeting, _ = await open_meeting(store, group)
    ship, _run = await store.commitments.due_at(GUILD, meeting.id, ANN)
    assert await store.commitments.check(GUILD, ship.id, "done", note=None, now=START + timedelta(minutes=5))
    await set_goals(store, group, ANN, "Next time", now=START + timedelta(minutes=6))

    assert await close_meeting(store, group, meeting, now=START + timedelta(hours=1))

    due = await store.commitments.due_at(GUILD, meeting.id)
    assert [(c.user_id, c.text, c.status) for c in due] == [
        (ANN, "Ship the draft", "done"),
        (ANN, "Run 5k", "unreported"),
        (BEN, "Call the bank", "unreported"),
    ]
    assert [(c.text, c.status) for c in await store.commitments.upcoming(GUILD, group.id)] == [("Next time", "open")]


async def test_close_cancels_the_meetings_pending_notices_and_plans_the_summary(store):
    group = await make_group(store)
    later = SendPlan(
        group_id=group.id,
        guild_id=GUILD,
        meeting_at=NEXT_START,
        kind=SendKind.TURN_END,
        detail=ANN,
        due_at=NEXT_START + timedelta(minutes=10),
    )
    await store.sends.plan([group.id], [later], kinds=(SendKind.TURN_END,), now=NOW)
    meeting, _ = await open_meeting(store, group, in_call=[ANN, BEN])
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(ANN, True), (BEN, True)], at=seated)
    end = START + timedelta(minutes=12)

    assert await close_meeting(store, group, meeting, now=end)

    assert await sends_of(store, group) == [
        ("summary", 0, end, "pending", None),
        ("turn_warning", ANN, START + timedelta(minutes=13), "cancelled", "turn_over"),
        ("turn_end", ANN, START + timedelta(minutes=15), "cancelled", "turn_over"),
        ("auto_end", 0, START + timedelta(hours=3), "cancelled", "meeting_closed"),
        ("turn_end", ANN, NEXT_START + timedelta(minutes=10), "pending", None),
    ]
    assert [(t.user_id, t.status) for t in await store.meetings.turns(meeting.id)] == [
        (ANN, "done"),
        (BEN, "waiting"),
    ]
    assert (await store.meetings.get(GUILD, meeting.id)).round_status == "finished"
    assert active_turn(await store.meetings.turns(meeting.id)) is None


async def test_a_notice_already_sent_is_not_cancelled_by_close(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(ANN, True)], at=seated)
    [warning] = await store.sends.due(START + timedelta(minutes=13))
    assert await store.sends.claim([warning.id], now=START + timedelta(minutes=13)) == {warning.id}
    assert await store.sends.finish(warning.id, "sent", now=START + timedelta(minutes=13), message_id=5)

    assert await close_meeting(store, group, meeting, now=START + timedelta(minutes=14))

    statuses = [(kind, status) for kind, _, _, status, _ in await sends_of(store, group)]
    assert statuses == [
        ("turn_warning", "sent"),
        ("summary", "pending"),
        ("turn_end", "cancelled"),
        ("auto_end", "cancelled"),
    ]


async def test_closing_twice_returns_false_and_changes_nothing(store):
    group = await make_group(store)
    await set_goals(store, group, ANN, "Run 5k")
    meeting, _ = await open_meeting(store, group, in_call=[ANN])
    assert await close_meeting(store, group, meeting, now=START + timedelta(minutes=30))
    before = (
        await store.meetings.get(GUILD, meeting.id),
        await store.meetings.attendance(meeting.id),
        await store.commitments.due_at(GUILD, meeting.id),
        await sends_of(store, group),
    )
    await store.meetings.joined_call(meeting, BEN, now=START + timedelta(minutes=40))

    assert await close_meeting(store, group, meeting, now=START + timedelta(hours=2)) is False

    after = (
        await store.meetings.get(GUILD, meeting.id),
        await store.meetings.attendance(meeting.id),
        await store.commitments.due_at(GUILD, meeting.id),
        await sends_of(store, group),
    )
    assert after == before
    assert before[0].closed_at == START + timedelta(minutes=30)


# ---------------------------------------------------------------------- the hot-seat round


async def test_start_round_lays_out_the_order_and_seats_the_first(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    seated = START + timedelta(minutes=5)

    started = await start_round(store, meeting, [(BEN, True), (ANN, True), (CAT, False)], at=seated)

    assert started is True
    first = HotSeatTurn(
        meeting_id=meeting.id,
        guild_id=GUILD,
        user_id=BEN,
        position=0,
        present=True,
        status="active",
        started_at=seated,
        ends_at=seated + timedelta(minutes=10),
    )
    assert await store.meetings.turns(meeting.id) == [
        first,
        HotSeatTurn(meeting_id=meeting.id, guild_id=GUILD, user_id=ANN, position=1, present=True, status="waiting"),
        HotSeatTurn(meeting_id=meeting.id, guild_id=GUILD, user_id=CAT, position=2, present=False, status="waiting"),
    ]
    assert active_turn(await store.meetings.turns(meeting.id)) == first
    assert (await store.meetings.get(GUILD, meeting.id)).round_status == "running"
    assert await sends_of(store, group) == [
        ("turn_warning", BEN, START + timedelta(minutes=13), "pending", None),
        ("turn_end", BEN, START + timedelta(minutes=15), "pending", None),
        ("auto_end", 0, START + timedelta(hours=3), "pending", None),
    ]


async def test_a_round_starts_once(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(ANN, True)], at=seated, notices=False)
    turns = await store.meetings.turns(meeting.id)
    later = START + timedelta(minutes=7)

    again = await start_round(store, meeting, [(BEN, True), (ANN, True)], at=later)

    assert again is False
    assert await store.meetings.turns(meeting.id) == turns
    assert await sends_of(store, group) == [("auto_end", 0, START + timedelta(hours=3), "pending", None)]


async def test_a_round_cannot_start_in_a_closed_meeting(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    assert await close_meeting(store, group, meeting, now=START + timedelta(minutes=30))
    later = START + timedelta(minutes=40)

    started = await start_round(store, meeting, [(ANN, True)], at=later, notices=False)

    assert started is False
    assert await store.meetings.turns(meeting.id) == []
    assert (await store.meetings.get(GUILD, meeting.id)).round_status == "not_started"


async def test_ending_a_turn_seats_the_next_with_only_their_notices(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(BEN, True), (ANN, True), (CAT, False)], at=seated)
    ended_at = START + timedelta(minutes=11)

    ended, following = await end_turn(store, meeting, BEN, "done", now=ended_at)

    assert ended is True
    assert following == HotSeatTurn(
        meeting_id=meeting.id,
        guild_id=GUILD,
        user_id=ANN,
        position=1,
        present=True,
        status="active",
        started_at=ended_at,
        ends_at=ended_at + timedelta(minutes=10),
    )
    assert [(t.user_id, t.status) for t in await store.meetings.turns(meeting.id)] == [
        (BEN, "done"),
        (ANN, "active"),
        (CAT, "waiting"),
    ]
    assert await sends_of(store, group) == [
        ("turn_warning", BEN, START + timedelta(minutes=13), "cancelled", "turn_over"),
        ("turn_end", BEN, START + timedelta(minutes=15), "cancelled", "turn_over"),
        ("turn_warning", ANN, START + timedelta(minutes=19), "pending", None),
        ("turn_end", ANN, START + timedelta(minutes=21), "pending", None),
        ("auto_end", 0, START + timedelta(hours=3), "pending", None),
    ]


async def test_ending_a_turn_that_is_not_active_changes_nothing(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(BEN, True), (ANN, True), (CAT, True)], at=seated)
    first_click = START + timedelta(minutes=8)
    assert (await end_turn(store, meeting, BEN, "done", now=first_click))[0] is True
    turns = await store.meetings.turns(meeting.id)
    sends = await sends_of(store, group)
    second_click = first_click + timedelta(seconds=1)

    for user_id in (BEN, CAT, STRANGER):  # already done, still waiting, not in the round
        outcome = await end_turn(store, meeting, user_id, "skipped", now=second_click)
        assert outcome == (False, None)

    assert await store.meetings.turns(meeting.id) == turns
    assert await sends_of(store, group) == sends


async def test_the_round_finishes_after_the_last_turn(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    at = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(BEN, True), (ANN, True), (CAT, False)], at=at)
    seated = []
    for user_id, outcome in ((BEN, "done"), (ANN, "skipped"), (CAT, "done")):
        at += timedelta(minutes=9)
        ended, following = await end_turn(store, meeting, user_id, outcome, now=at)
        assert ended is True
        seated.append(following.user_id if following else None)

    assert seated == [ANN, CAT, None]
    assert [(t.user_id, t.status) for t in await store.meetings.turns(meeting.id)] == [
        (BEN, "done"),
        (ANN, "skipped"),
        (CAT, "done"),
    ]
    assert (await store.meetings.get(GUILD, meeting.id)).round_status == "finished"
    assert active_turn(await store.meetings.turns(meeting.id)) is None
    pending = [(kind, detail) for kind, detail, _, status, _ in await sends_of(store, group) if status == "pending"]
    assert pending == [("auto_end", 0)]


async def test_rotation_holds_the_members_and_the_last_earlier_round_skipping_meetings_without_one(store):
    group = await make_group(store)
    first, _ = await open_meeting(store, group, starts_at=START)
    assert await start_round(store, first, [(BEN, True), (CAT, True), (ANN, False)], at=START, notices=False)
    assert await close_meeting(store, group, first, now=START + timedelta(hours=1))
    second, _ = await open_meeting(store, group, starts_at=NEXT_START)
    assert await close_meeting(store, group, second, now=NEXT_START + timedelta(hours=1))
    third_start = NEXT_START + timedelta(weeks=2)
    third, _ = await open_meeting(store, group, starts_at=third_start)
    assert await start_round(store, third, [(CAT, True), (ANN, True), (BEN, True)], at=third_start, notices=False)

    assert (await store.meetings.rotation(GUILD, group.id, first)).recent == ()
    assert (await store.meetings.rotation(GUILD, group.id, first)).members == (ANN, BEN, CAT)
    assert previous_round((await store.meetings.rotation(GUILD, group.id, second)).recent) == [BEN, CAT, ANN]
    assert previous_round((await store.meetings.rotation(GUILD, group.id, third)).recent) == [BEN, CAT, ANN]
    assert await store.meetings.rotation(OTHER_GUILD, group.id, third) == Rotation(members=(), recent=())


async def test_the_rotation_is_the_groups_own(store):
    founders = await make_group(store)
    writers = await make_group(store, name="Writers", channels=(3, 4), members=(DAN, EVE))
    theirs, _ = await open_meeting(store, writers, starts_at=START)
    assert await start_round(store, theirs, [(EVE, True), (DAN, True)], at=START, notices=False)
    ours, _ = await open_meeting(store, founders, starts_at=START, now=START + timedelta(minutes=1))

    assert (await store.meetings.rotation(GUILD, founders.id, ours)).recent == ()


# ---------------------------------------------------------------------- one server never sees another's


async def test_meetings_are_found_only_in_their_own_server(store):
    ours = await make_group(store)
    theirs = await make_group(store, guild=OTHER_GUILD, channels=(3, 4))
    our_meeting, _ = await open_meeting(store, ours)
    their_meeting, _ = await open_meeting(store, theirs)

    assert await store.meetings.get(GUILD, their_meeting.id) is None
    assert await store.meetings.get(OTHER_GUILD, our_meeting.id) is None
    assert await store.meetings.current(GUILD, theirs.id) is None
    assert await store.meetings.at(GUILD, theirs.id, START) is None
    assert await store.meetings.latest(GUILD, theirs.id) is None
    assert await store.meetings.open_in_guild(GUILD) == [our_meeting]
    assert await store.meetings.open_in_guild(OTHER_GUILD) == [their_meeting]
    assert await store.meetings.get(OTHER_GUILD, their_meeting.id) == their_meeting
    assert await closed_meetings(store, GUILD, theirs.id) == 0


async def test_ending_a_turn_cancels_only_that_members_notices(store):
    group = await make_group(store)
    meeting, _ = await open_meeting(store, group)
    # A notice of CAT's, planned by other means, is not BEN's to cancel.
    [cats] = [plan for plan in turn(group, meeting, CAT, now=START + timedelta(minutes=40)) if plan.kind == "turn_end"]
    await store.sends.plan([group.id], [cats], kinds=(SendKind.TURN_END,), now=START)
    seated = START + timedelta(minutes=5)
    assert await start_round(store, meeting, [(BEN, True), (ANN, True), (CAT, True)], at=seated)
    ended_at = START + timedelta(minutes=11)

    ended, _ = await end_turn(store, meeting, BEN, "done", now=ended_at)

    assert ended is True
    assert [(kind, detail, status) for kind, detail, _, status, _ in await sends_of(store, group)] == [
        ("turn_warning", BEN, "cancelled"),
        ("turn_end", BEN, "cancelled"),
        ("turn_warning", ANN, "pending"),
        ("turn_end", ANN, "pending"),
        ("turn_end", CAT, "pending"),
        ("auto_end", 0, "pending"),
    ]


async def test_a_meeting_opened_by_hand_in_the_kickoffs_own_second_is_under_way_for_the_kickoff(store):
    group = await make_group(store)
    by_hand, opened = await facilitator(store, START + timedelta(milliseconds=400)).open_meeting(
        group, in_call=(), by=ANN
    )
    assert opened

    kicked_off, opened = await facilitator(store, START + timedelta(milliseconds=600)).open_meeting(
        group, in_call=(), scheduled_at=START
    )

    assert (kicked_off, opened) == (by_hand, False)
    assert kicked_off.starts_at == START  # the same second, to the stored precision
    assert opened_by_hand(kicked_off)  # so the kickoff says "already under way": one opening message


async def test_the_kickoffs_own_retry_is_still_the_kickoff(store):
    group = await make_group(store)
    first_try, _ = await facilitator(store, START).open_meeting(group, in_call=(), scheduled_at=START)

    retry, opened = await facilitator(store, START + timedelta(minutes=1)).open_meeting(
        group, in_call=(), scheduled_at=START
    )

    assert (retry, opened) == (first_try, False)
    assert not opened_by_hand(retry)
