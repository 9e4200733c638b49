"""The goal ledger's rules: how goals are typed, how much each outcome is worth, what carries over, who may mark."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mastermind.errors import Refusal
from mastermind.rules.text import clean_text
from storage.models import Commitment, CommitmentStatus

MAX_GOALS = 5
MAX_GOAL_LENGTH = 200
CHECK_STATUSES: tuple[CommitmentStatus, ...] = ("done", "partial", "missed")
# Kept commitments count in halves, so "partly done" is exact: done 2, partly 1, missed or unreported 0.
HALVES: dict[CommitmentStatus, int] = {"done": 2, "partial": 1, "missed": 0, "unreported": 0}

_SEPARATORS = re.compile(r"[\n;]")
# A commitment's id as autocomplete gives it: ASCII digits only, short enough for a 64-bit integer.
_COMMITMENT_ID = re.compile(r"[0-9]{1,18}")
# People paste lists: "- goal", "• goal", "1. goal", "2) goal". The marker is not part of the goal.
_LIST_MARKER = re.compile(r"^(?:[-*•·]|\d{1,2}[.)])(?:\s+|$)")


def parse_goals(text: str) -> list[str]:
    """Goals separated by new lines or semicolons: 1 to 5 of them, each 1 to 200 characters."""
    parts = [clean_text(part) for part in _SEPARATORS.split(clean_text(text, keep_lines=True))]
    goals = [clean_text(_LIST_MARKER.sub("", part)) for part in parts]
    goals = [goal for goal in goals if goal]
    if not goals:
        raise Refusal("goals.empty", max=MAX_GOALS, length=MAX_GOAL_LENGTH)
    check_goals(goals)
    return goals


def parse_commitment_id(text: str) -> int:
    """The commitment a member picked from the list; anything else ("²", 23 digits, words) is no commitment."""
    value = text.strip()
    if not _COMMITMENT_ID.fullmatch(value):
        raise Refusal("goals.unknown")
    return int(value)


def parse_note(text: str | None) -> str | None:
    """A word on how a commitment went: plain text up to 200 characters; nothing left of it means no note."""
    note = clean_text(text) if text is not None else ""
    if len(note) > MAX_GOAL_LENGTH:
        raise Refusal("goals.note_too_long", length=len(note), max=MAX_GOAL_LENGTH)
    return note or None


def check_goals(goals: Sequence[str]) -> None:
    if len(goals) > MAX_GOALS:
        raise Refusal("goals.too_many", count=len(goals), max=MAX_GOALS)
    for number, goal in enumerate(goals, start=1):
        if len(goal) > MAX_GOAL_LENGTH:
            raise Refusal("goals.too_long", number=number, length=len(goal), max=MAX_GOAL_LENGTH)


def with_carried(
    goals: Sequence[tuple[str, int | None]], unfinished: Sequence[Commitment]
) -> list[tuple[str, int | None]]:
    """Goals as (text, carried from), followed by the unfinished commitments not among them yet (each once)."""
    combined = list(goals)
    known = {text.casefold() for text, _ in goals}
    for commitment in unfinished:
        if commitment.text.casefold() not in known:
            combined.append((commitment.text, commitment.id))
            known.add(commitment.text.casefold())
    check_goals([text for text, _ in combined])
    return combined


def is_unfinished(commitment: Commitment) -> bool:
    return commitment.status != "done"


def may_check(commitment: Commitment, open_meeting_id: int | None) -> bool:
    """During a meeting, what was due at it can be marked (until the meeting closes it as unreported); between
    meetings, what is due at the next one."""
    if open_meeting_id is not None:
        return commitment.due_meeting_id == open_meeting_id and commitment.status != "unreported"
    return commitment.due_meeting_id is None


def checkable(due_at_open_meeting: Sequence[Commitment] | None, upcoming: Sequence[Commitment]) -> list[Commitment]:
    """What a member can mark now: during a meeting, what was due at it (except what the meeting already closed
    as unreported); between meetings (None), what is due at the next one."""
    if due_at_open_meeting is not None:
        return [c for c in due_at_open_meeting if c.status != "unreported"]
    return list(upcoming)


def may_mark(actor_id: int, owner_id: int, *, actor_is_organizer: bool) -> bool:
    """A commitment is marked by the member who made it, or by an organizer on their behalf."""
    return actor_id == owner_id or actor_is_organizer


def nudge_recipients(member_ids: Iterable[int], upcoming: Sequence[Commitment]) -> dict[int, list[Commitment]]:
    """Halfway to the meeting: each current member who still has open commitments, with those commitments, in the
    order the commitments come. Members who left are not nudged."""
    members = set(member_ids)
    recipients: dict[int, list[Commitment]] = {}
    for commitment in upcoming:
        if commitment.status == "open" and commitment.user_id in members:
            recipients.setdefault(commitment.user_id, []).append(commitment)
    return recipients
