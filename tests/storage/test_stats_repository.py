"""The /stats records on a real file: attendance, streaks and outcomes per member, and nothing from other servers."""

from __future__ import annotations

from datetime import timedelta

from bench.seed import SeedGroup, SeedMeeting, seed_groups, seed_history
from storage.models import CommitmentStatus, MemberRecord
from tests.storage.conftest import NOW

GUILD, OTHER_GUILD = 100, 200
ANN, BEN, CAT = 11, 12, 13


async def group_with_history(
    store,
    presence: dict[int, list[bool]],
    outcomes: list[tuple[int, int, CommitmentStatus]] = (),  # type: ignore[assignment]
    *,
    guild: int = GUILD,
) -> int:
    """A group whose members attended its closed meetings (oldest first) as given; outcomes are
    (member, meeting number, status) of commitments due at those meetings."""
    (group_id,) = await seed_groups(
        store.db,
        [
            SeedGroup(
                guild_id=guild,
                name="Founders",
                text_channel_id=guild + 1,
                voice_channel_id=guild + 2,
                members=list(presence),
            )
        ],
        now=NOW - timedelta(weeks=60),
    )
    count = max(len(history) for history in presence.values())
    meetings = []
    for n in range(count):
        starts_at = NOW - timedelta(weeks=2 * (count - n))
        meetings.append(
            SeedMeeting(
                starts_at=starts_at,
                closed_at=starts_at + timedelta(hours=1),
                present=[member for member, history in presence.items() if history[n]],
                commitments=[(member, f"goal {n}", status) for member, at, status in outcomes if at == n],
            )
        )
    await seed_history(store.db, guild_id=guild, group_id=group_id, members=list(presence), meetings=meetings)
    return group_id


async def records_of(store, guild: int, group: int) -> list[MemberRecord]:
    return list((await store.stats.snapshot(guild, group)).records)


def record(user_id: int, meetings: int, attended: int, streak: int, **outcomes: int) -> MemberRecord:
    return MemberRecord(
        user_id=user_id,
        meetings=meetings,
        attended=attended,
        streak=streak,
        **{status: outcomes.get(status, 0) for status in ("done", "partial", "missed", "unreported")},
    )


async def test_streaks_count_back_from_the_latest_meeting(store):
    group = await group_with_history(
        store,
        {
            ANN: [True, False, True, True],  # two in a row at the end
            BEN: [True, True, True, False],  # missed the latest: no streak
            CAT: [True, True, True, True],  # never missed: all of them
        },
    )

    records = await records_of(store, GUILD, group)

    assert records == [record(ANN, 4, 3, 2), record(BEN, 4, 3, 0), record(CAT, 4, 4, 4)]


async def test_outcomes_are_counted_per_member_and_open_ones_are_left_out(store):
    group = await group_with_history(
        store,
        {ANN: [True, True], BEN: [False, True]},
        [
            (ANN, 0, "done"),
            (ANN, 0, "partial"),
            (ANN, 1, "missed"),
            (ANN, 1, "unreported"),
            (BEN, 1, "done"),
            (BEN, 1, "open"),
        ],
    )

    records = await records_of(store, GUILD, group)

    assert records == [
        record(ANN, 2, 2, 2, done=1, partial=1, missed=1, unreported=1),
        record(BEN, 2, 1, 1, done=1),
    ]


async def test_a_member_who_joined_after_the_last_meeting_has_no_record_yet(store):
    group = await group_with_history(store, {ANN: [True]})
    await store.groups.add_member(GUILD, group, BEN, now=NOW)

    records = await records_of(store, GUILD, group)

    assert records == [record(ANN, 1, 1, 1), record(BEN, 0, 0, 0)]


async def test_no_server_sees_another_servers_figures(store):
    ours = await group_with_history(store, {ANN: [True]}, [(ANN, 0, "done")])
    theirs = await group_with_history(store, {ANN: [False]}, [(ANN, 0, "missed")], guild=OTHER_GUILD)

    assert await records_of(store, OTHER_GUILD, ours) == []
    assert await records_of(store, GUILD, theirs) == []
    assert await records_of(store, GUILD, ours) == [record(ANN, 1, 1, 1, done=1)]
