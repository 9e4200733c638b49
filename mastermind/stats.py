"""Attendance and commitments kept, as whole percentages, and attendance streaks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mastermind.ledger import HALVES
from storage.models import CommitmentStatus, MemberRecord


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


def member_stats(record: MemberRecord) -> MemberStats:
    """One member's figures: done counts 1, partly done a half, missed and unreported nothing."""
    outcomes: dict[CommitmentStatus, int] = {
        "done": record.done,
        "partial": record.partial,
        "missed": record.missed,
        "unreported": record.unreported,
    }
    return MemberStats(
        user_id=record.user_id,
        meetings=record.meetings,
        attended=record.attended,
        streak=record.streak,
        checked=sum(outcomes.values()),
        kept_halves=sum(HALVES[status] * count for status, count in outcomes.items()),
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
