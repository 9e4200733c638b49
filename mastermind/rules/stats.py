"""Attendance and commitments kept, as whole percentages, and attendance streaks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from mastermind.rules.keeping import presence
from mastermind.rules.ledger import HALVES
from storage.models import ChartHistory, CommitmentStatus, MemberRecord


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
    record: MemberRecord | None,
    user_id: int,
    *,
    present: bool,
    outcomes: Sequence[CommitmentStatus],
    meeting_id: int,
    paused: bool = False,
    excused: bool = False,
) -> MemberRecord:
    """A member's record once a meeting has closed: one meeting more, attended or not (a meeting they were paused
    for and stayed away from is not counted at all), the final outcomes of the commitments that were due at it,
    and their run of meetings missed without a word, which began at its first meeting."""
    record = record or MemberRecord(
        user_id=user_id, meetings=0, attended=0, streak=0, done=0, partial=0, missed=0, unreported=0
    )
    counts = presence(present=present, paused=paused, excused=excused)
    counted = Counter(outcomes)
    held = counts != "paused"
    missed_without_word = counts == "absent"
    return record.model_copy(
        update={
            "meetings": record.meetings + held,
            "attended": record.attended + present,
            "streak": streak_after(record.streak, present) if held else record.streak,
            "done": record.done + counted["done"],
            "partial": record.partial + counted["partial"],
            "missed": record.missed + counted["missed"],
            "unreported": record.unreported + counted["unreported"],
            "absent_run": record.absent_run + 1 if missed_without_word else 0,
            "absent_since": (record.absent_since if record.absent_run else meeting_id) if missed_without_word else None,
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


# A member's square in the chart for one meeting; "away": they were not in the group then.
Cell = Literal["present", "absent", "paused", "away"]
CELLS: tuple[Cell, ...] = ("present", "absent", "paused", "away")


@dataclass(frozen=True)
class ChartData:
    """What the attendance chart draws: one row per member and one column per meeting (oldest first), and the
    commitments kept at each meeting and over all of them so far, as whole percentages."""

    members: tuple[int, ...]
    cells: tuple[tuple[Cell, ...], ...]
    kept: tuple[int | None, ...]
    kept_so_far: tuple[int | None, ...]
    first_number: int = 1  # the first column's meeting, counted over the group's whole history

    @property
    def meetings(self) -> int:
        return len(self.kept)

    def count(self, cell: Cell) -> int:
        return sum(row.count(cell) for row in self.cells)


def chart_data(history: ChartHistory, only: int | None = None) -> ChartData:
    """The chart of a group (every current member), or of one member: their attendance and their commitments."""
    members = tuple(m for m in history.members if only is None or m == only)
    meeting_ids = [meeting_id for meeting_id, _ in history.meetings]
    seen = {(meeting_id, user_id): (present, paused) for meeting_id, user_id, present, paused in history.presence}

    def cell(meeting_id: int, user_id: int) -> Cell:
        if (meeting_id, user_id) not in seen:
            return "away"
        present, paused = seen[meeting_id, user_id]
        return "present" if present else "paused" if paused else "absent"

    halves: Counter[int] = Counter()
    checked: Counter[int] = Counter()
    for meeting_id, user_id, status, count in history.outcomes:
        if user_id in members and status != "open":
            halves[meeting_id] += HALVES[status] * count
            checked[meeting_id] += count
    so_far_halves = so_far_checked = 0
    so_far: list[int | None] = []
    for meeting_id in meeting_ids:
        so_far_halves += halves[meeting_id]
        so_far_checked += checked[meeting_id]
        so_far.append(percent(so_far_halves, 2 * so_far_checked))
    return ChartData(
        members=members,
        cells=tuple(tuple(cell(meeting_id, user_id) for meeting_id in meeting_ids) for user_id in members),
        kept=tuple(percent(halves[m], 2 * checked[m]) for m in meeting_ids),
        kept_so_far=tuple(so_far),
        first_number=history.held - len(meeting_ids) + 1,
    )
