"""Attendance and commitments kept, as whole percentages, and attendance streaks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mastermind.rules.ledger import HALVES
from storage.models import CommitmentStatus, MemberRecord


def percent(part: int, whole: int) -> int | None:
    """part/whole as a whole percentage, halves rounded up (2/3 -> 67, 1/8 -> 13); None when there is no whole."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def streak_after(previous: int, present: bool) -> int:
    """Meetings attended in a row, up to and including the one just held: an absence starts again from zero."""
    return previous + 1 if present else 0


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


def after_meeting(
    record: MemberRecord | None, user_id: int, *, present: bool, outcomes: Sequence[CommitmentStatus]
) -> MemberRecord:
    """A member's record once a meeting has closed: one meeting more, attended or not, and the final outcomes of
    the commitments that were due at it."""
    record = record or MemberRecord(
        user_id=user_id, meetings=0, attended=0, streak=0, done=0, partial=0, missed=0, unreported=0
    )
    counted = Counter(outcomes)
    return record.model_copy(
        update={
            "meetings": record.meetings + 1,
            "attended": record.attended + present,
            "streak": streak_after(record.streak, present),
            "done": record.done + counted["done"],
            "partial": record.partial + counted["partial"],
            "missed": record.missed + counted["missed"],
            "unreported": record.unreported + counted["unreported"],
        }
    )


def member_stats(record: MemberRecord, open_outcomes: Iterable[CommitmentStatus] = ()) -> MemberStats:
    """One member's figures: done counts 1, partly done a half, missed and unreported nothing. Commitments
    marked ahead of a meeting that has not closed yet count already (`open_outcomes`)."""
    early = Counter(open_outcomes)
    outcomes: dict[CommitmentStatus, int] = {
        "done": record.done + early["done"],
        "partial": record.partial + early["partial"],
        "missed": record.missed + early["missed"],
        "unreported": record.unreported + early["unreported"],
    }
    return MemberStats(
        user_id=record.user_id,
        meetings=record.meetings,
        attended=record.attended,
        streak=record.streak,
        checked=sum(outcomes.values()),
        kept_halves=sum(HALVES[status] * count for status, count in outcomes.items()),
    )


def meetings_held(members: Sequence[MemberStats]) -> int:
    """The meetings the group has held as its current members count them: the longest-standing member's count
    (a meeting held before anyone now in the group joined is not theirs to count)."""
    return max((m.meetings for m in members), default=0)


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
