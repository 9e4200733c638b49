from __future__ import annotations

import pytest

from mastermind.rules.stats import GroupTotals, MemberStats, group_totals, member_stats, percent
from storage.models import MemberRecord

ANN, BEN = 11, 12


# ---------------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (2, 3, 67),
        (1, 3, 33),
        (1, 8, 13),
        (3, 8, 38),
        (1, 2, 50),
        (1, 200, 1),
        (1, 201, 0),
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_percent_is_whole_with_halves_rounded_up(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize("part", [0, 1, 5])
def test_percent_of_nothing_is_none(part):
    assert percent(part, 0) is None


# ---------------------------------------------------------------------- one member


def figures(user_id: int, meetings: int, attended: int, streak: int = 0, **outcomes: int) -> MemberStats:
    """A member's figures from their record (the streak itself is counted in SQL: see the storage tests)."""
    return member_stats(
        MemberRecord(
            user_id=user_id,
            meetings=meetings,
            attended=attended,
            streak=streak,
            **{status: outcomes.get(status, 0) for status in ("done", "partial", "missed", "unreported")},
        )
    )


def test_attendance_is_over_the_meetings_held_since_joining():
    stats = figures(ANN, meetings=4, attended=3, streak=2)

    assert (stats.meetings, stats.attended, stats.attendance, stats.streak) == (4, 3, 75, 2)


def test_kept_counts_done_as_one_partial_as_half_and_missed_or_unreported_as_nothing():
    stats = figures(ANN, 1, 1, done=1, partial=1, missed=1, unreported=1)

    # 1.5 of 4 is 37.5%, shown as 38.
    assert (stats.checked, stats.kept_halves, stats.kept) == (4, 3, 38)


def test_kept_with_one_done_and_one_missed_is_half():
    stats = figures(ANN, 1, 1, done=1, missed=1)

    assert (stats.checked, stats.kept_halves, stats.kept) == (2, 2, 50)


def test_without_meetings_or_outcomes_there_is_no_percentage():
    stats = figures(ANN, 0, 0)

    assert stats == MemberStats(user_id=ANN, meetings=0, attended=0, streak=0, checked=0, kept_halves=0)
    assert (stats.attendance, stats.kept) == (None, None)


# ---------------------------------------------------------------------- the whole group


def test_group_totals_pool_the_members_rather_than_average_their_percentages():
    # ANN came to her only meeting and kept her one commitment; BEN missed 3 meetings and kept 1 of 4.
    ann = figures(ANN, 1, 1, done=1)
    ben = figures(BEN, 3, 0, done=1, missed=3)
    assert (ann.attendance, ben.attendance, ann.kept, ben.kept) == (100, 0, 100, 25)

    totals = group_totals([ann, ben])

    # Averaging would give 50% and 62.5%; pooled it is 1 of 4 meetings and 2 of 5 commitments.
    assert totals == GroupTotals(attendance=25, kept=40)


def test_pooled_kept_counts_partial_halves():
    ann = figures(ANN, 2, 2, partial=1)
    ben = figures(BEN, 2, 1, done=1, partial=1, unreported=1)

    assert group_totals([ann, ben]) == GroupTotals(attendance=75, kept=50)


def test_group_totals_of_no_members_are_none():
    assert group_totals([]) == GroupTotals(attendance=None, kept=None)
    assert group_totals(iter([figures(ANN, 0, 0)])) == GroupTotals(attendance=None, kept=None)
