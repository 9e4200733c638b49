"""What the repositories return: validated, immutable records, never raw rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _from_epoch(value: object) -> object:
    # Instants are stored as whole UTC seconds; integers are unambiguous and compare fast in SQL.
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC)
    return value


Instant = Annotated[datetime, BeforeValidator(_from_epoch)]


def _minutes_list(value: object) -> object:
    # Reminder offsets are stored as "1440,15": a short, human-readable column.
    if isinstance(value, str):
        return tuple(int(part) for part in value.split(",") if part)
    return value


MinutesList = Annotated[tuple[int, ...], BeforeValidator(_minutes_list)]


def minutes_text(minutes: tuple[int, ...]) -> str:
    return ",".join(str(m) for m in minutes)


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return int(moment.timestamp())


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class GuildSettings(Record):
    guild_id: int
    organizer_role_id: int | None = None
    category_id: int | None = None
    timezone: str = "UTC"
    pledge_enabled: bool = False
    pledge_text: str | None = None  # None: the default pledge from prompts/
    pledge_version: int = 1  # goes up each time the pledge's text changes
    retention_days: int = 365  # an archived group's data, and a departed member's, is kept this long


GroupStatus = Literal["active", "archived"]


class Group(Record):
    id: int
    guild_id: int
    name: str
    text_channel_id: int
    voice_channel_id: int
    status: GroupStatus
    created_by: int
    created_at: Instant
    archived_at: Instant | None = None
    reminder_minutes: MinutesList = (1440, 15)
    event_id: int | None = None
    event_starts_at: Instant | None = None
    turn_minutes: int = 10
    attendance_minutes: int = 10

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class GroupMember(Record):
    group_id: int
    guild_id: int
    user_id: int
    joined_at: Instant


InvitationStatus = Literal["pending", "accepted", "withdrawn", "expired"]


class Invitation(Record):
    """A place in a group waiting for the member to accept the server's confidentiality pledge."""

    id: int
    guild_id: int
    group_id: int
    user_id: int
    invited_by: int
    invited_at: Instant
    expires_at: Instant
    status: InvitationStatus
    answered_at: Instant | None = None


class PledgeAcceptance(Record):
    group_id: int
    guild_id: int
    user_id: int
    version: int
    accepted_at: Instant


class GroupForMember(Record):
    """A group as one person finds it: the group, and whether they are in it."""

    group: Group
    is_member: bool


class GroupSummary(Record):
    """A group with its member count, for listings."""

    group: Group
    member_count: int


class Schedule(Record):
    group_id: int
    guild_id: int
    weekday: int  # 0 = Monday
    local_time: time
    timezone: str
    every_weeks: int
    anchor_date: date  # local date of the first meeting


class ScheduledGroup(Record):
    """What planning needs about one active group: its schedule and its reminder offsets."""

    schedule: Schedule
    reminder_minutes: MinutesList


class ScheduleOverride(Record):
    group_id: int
    guild_id: int
    regular_date: date
    action: Literal["skip", "move"]
    moved_to: Instant | None = None


class PlannedSchedule(Record):
    """A group's schedule together with its one-off skips and moves: all that its next meetings follow from."""

    schedule: Schedule
    overrides: tuple[ScheduleOverride, ...] = ()


class SendKind(StrEnum):
    REMINDER = "reminder"
    KICKOFF = "kickoff"
    NUDGE = "nudge"  # halfway between meetings: who still has open commitments
    TURN_WARNING = "turn_warning"  # two minutes left on the hot seat
    TURN_END = "turn_end"  # the hot-seat turn's time is up
    AUTO_END = "auto_end"  # close a meeting nobody ended
    SUMMARY = "summary"  # the pinned summary of a closed meeting
    # Retention: meeting_at is the moment the time counts from (the group archived, the member gone).
    RETENTION_NOTICE = "retention_notice"  # a week before an archived group's data is deleted
    GROUP_PURGE = "group_purge"  # delete an archived group's history
    MEMBER_PURGE = "member_purge"  # delete the data of a member who left the server (detail: their id)


SendStatus = Literal["pending", "sending", "sent", "skipped", "cancelled", "failed"]


class PlannedSend(Record):
    id: int
    guild_id: int
    group_id: int
    meeting_at: Instant
    kind: SendKind
    detail: int
    due_at: Instant
    status: SendStatus
    attempts: int
    message_id: int | None = None
    reason: str | None = None
    updated_at: Instant


class SendPlan(Record):
    """A send that should exist; planning compares these with the rows and adds, revives or cancels."""

    group_id: int
    guild_id: int
    meeting_at: Instant
    kind: SendKind
    detail: int = 0
    due_at: Instant


RsvpChoice = Literal["yes", "late", "no"]


class Rsvp(Record):
    user_id: int
    choice: RsvpChoice


MeetingStatus = Literal["open", "closed"]
RoundStatus = Literal["not_started", "running", "finished"]


class Meeting(Record):
    id: int
    guild_id: int
    group_id: int
    starts_at: Instant
    opened_at: Instant
    closed_at: Instant | None = None
    status: MeetingStatus
    round_status: RoundStatus
    opened_by: int | None = None  # the member who opened it by hand; None when the schedule's kickoff did

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class RecentSeat(Record):
    """A seat in an earlier round: whose it was, in which meeting, at which place in the order."""

    meeting_id: int
    opened_at: Instant
    user_id: int
    position: int


class Rotation(Record):
    """What the hot-seat order is made from: the members in the order they joined, and the seats of the latest
    earlier rounds (which may name members who have since left)."""

    members: tuple[int, ...]
    recent: tuple[RecentSeat, ...] = ()


class Attendance(Record):
    meeting_id: int
    user_id: int
    seconds: int
    present: bool


TurnStatus = Literal["waiting", "active", "done", "skipped"]


class HotSeatTurn(Record):
    meeting_id: int
    guild_id: int
    user_id: int
    position: int
    present: bool
    status: TurnStatus
    started_at: Instant | None = None
    ends_at: Instant | None = None
    message_id: int | None = None


CommitmentStatus = Literal["open", "done", "partial", "missed", "unreported"]


class Commitment(Record):
    id: int
    guild_id: int
    group_id: int
    user_id: int
    position: int
    text: str
    created_at: Instant
    due_meeting_id: int | None = None
    status: CommitmentStatus
    note: str | None = None
    checked_at: Instant | None = None
    carried_from_id: int | None = None


class LedgerEntry(Record):
    """A commitment with the meeting it was due at (None: due at the next meeting, not yet opened)."""

    commitment: Commitment
    meeting_starts_at: Instant | None = None
    meeting_open: bool = False


class MemberRecord(Record):
    """One member's record in a group over its closed meetings: meetings held while they were in it, how many
    they attended, how many in a row up to the latest, and how the commitments due at them turned out."""

    user_id: int
    meetings: int
    attended: int
    streak: int
    done: int
    partial: int
    missed: int
    unreported: int


class RoundState(Record):
    """A meeting's hot-seat round as one click on it needs it: the meeting and its group, the turns in order,
    the commitments due at the meeting and those set for the next one, and who is asking."""

    meeting: Meeting
    group: Group
    turns: tuple[HotSeatTurn, ...]
    due: tuple[Commitment, ...]
    upcoming: tuple[Commitment, ...]
    actor_is_member: bool
    organizer_role_id: int | None = None

    def turn_of(self, user_id: int) -> HotSeatTurn | None:
        return next((turn for turn in self.turns if turn.user_id == user_id), None)


class CommitmentContext(Record):
    """A commitment as marking it needs it: its group, the group's open meeting (if any), who is asking."""

    commitment: Commitment
    group: Group
    open_meeting_id: int | None = None
    actor_is_member: bool
    organizer_role_id: int | None = None


class StatsSnapshot(Record):
    """What /stats reads: each current member's record, and (member, outcome) of the commitments already marked
    whose meeting has not closed yet."""

    records: tuple[MemberRecord, ...]
    open_outcomes: tuple[tuple[int, CommitmentStatus], ...] = ()


# ---------------------------------------------------------------- one member's data, as /privacy export gives it


class MentionedGroup(Record):
    """A group a member's export mentions, so its ids can be read."""

    group_id: int
    name: str
    status: GroupStatus


class MemberRsvp(Record):
    group_id: int
    meeting_at: Instant
    choice: RsvpChoice
    updated_at: Instant


class MemberVoiceSession(Record):
    group_id: int
    meeting_id: int
    joined_at: Instant
    left_at: Instant | None = None


class MemberAttendance(Record):
    group_id: int
    meeting_id: int
    meeting_starts_at: Instant
    seconds: int
    present: bool


class MemberTurn(Record):
    group_id: int
    meeting_id: int
    position: int
    present: bool
    status: TurnStatus
    started_at: Instant | None = None
    ends_at: Instant | None = None


class MemberGroupRecord(Record):
    """A member's running record in one group, as /stats counts it."""

    group_id: int
    meetings: int
    attended: int
    streak: int
    done: int
    partial: int
    missed: int
    unreported: int


class BotMessage(Record):
    """A message of the bot's that may quote a member's words: a turn message (kind "turn") or a timed send."""

    group_id: int
    channel_id: int
    message_id: int
    kind: str
