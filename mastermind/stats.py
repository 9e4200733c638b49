"""Attendance and commitments kept, as whole percentages, and attendance streaks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mastermind.ledger import HALVES
from storage.models import CommitmentStatus


def percent(part: int, whole: int) -> int | None:
    """part/whole as a whole percentage, halves rounded up (2/3 -> 67, 1/8 -> 13); None when there is no whole."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class MemberStats:
    user_id: int
    meetings: int  # held since they joined the group
    attended: int
    streak: int  # meetings attended in a row, up to the latest one
    checked: int  # commitments with an outcome (unreported ones included, as missed)
    kept_halves: int

    @property
    def attendance(self) -> int | None:
        return percent(self.attended, self.meetings)

    @property
    def kept(self) -> int | None:
        return percent(self.kept_halves, 2 * self.checked)


def member_stats(user_id: int, presence: Sequence[bool], outcomes: Mapping[CommitmentStatus, int]) -> MemberStats:
    """One member's figures from their presence at each meeting (oldest first) and their commitments' outcomes."""
    streak = 0
    for present in reversed(presence):
        if not present:
            break
        streak += 1
    checked = {status: count for status, count in outcomes.items() if status in HALVES}
    return MemberStats(
        user_id=user_id,
        meetings=len(presence),
        attended=sum(presence),
        streak=streak,
        checked=sum(checked.values()),
        kept_halves=sum(HALVES[status] * count for status, count in checked.items()),
    )


@dataclass(frozen=True)
class GroupTotals:
    attendance: int | None
    kept: int | None


def group_totals(members: Iterable[MemberStats]) -> GroupTotals:
    members = list(members)
    return GroupTotals(
        attendance=percent(sum(m.attended for m in members), sum(m.meetings for m in members)),
        kept=percent(sum(m.kept_halves for m in members), 2 * sum(m.checked for m in members)),
    )
