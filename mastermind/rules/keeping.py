"""Keeping a group alive: pauses, who is drifting away, and who is pinged and seated while some are paused."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

from mastermind.errors import Refusal
from storage.models import GroupMember

MIN_PAUSE = 1
MAX_PAUSE = 6
DEFAULT_PAUSE = 2  # what "Pause me for a while" on a check-in means
MIN_DRIFT = 1
MAX_DRIFT = 6

# How a closed meeting counts for a member. "excused": absent, having said "Can't make it" (it counts as an
# absence, but not towards drifting away); "paused": neither present nor absent.
Presence = Literal["present", "absent", "excused", "paused"]


def check_pause(meetings: int) -> int:
    """A pause lasts 1 to 6 meetings."""
    if not MIN_PAUSE <= meetings <= MAX_PAUSE:
        raise Refusal("pause.out_of_range", value=meetings, min=MIN_PAUSE, max=MAX_PAUSE)
    return meetings


def presence(*, present: bool, paused: bool, excused: bool) -> Presence:
    """How a meeting counts for a member at its close. Being there always counts as present, paused or not; a
    paused member who stays away is neither present nor absent."""
    if present:
        return "present"
    if paused:
        return "paused"
    return "excused" if excused else "absent"


def is_drifting(absent_run: int, drift_after: int) -> bool:
    """Drifting away: the group's number of meetings missed in a row, none of them with "Can't make it"."""
    return absent_run >= drift_after


def to_ping(members: Sequence[GroupMember]) -> list[int]:
    """Who a reminder, kickoff or nudge notifies: every member who is not paused, in order."""
    return [member.user_id for member in members if not member.is_paused]


def taking_part(members: Sequence[int], paused: Collection[int], present: Collection[int]) -> list[int]:
    """Who is in the hot-seat order: members not paused, and paused ones who came to the call anyway."""
    return [member for member in members if member not in paused or member in present]


def may_answer_check_in(actor_id: int, member_id: int) -> bool:
    """A check-in is the member's own: only they may answer it, even where others can see its buttons."""
    return actor_id == member_id
