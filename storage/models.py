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


def _lines(value: object) -> object:
    # Short lists of names (a server's fields, an applicant's languages) are stored one per line.
    if isinstance(value, str):
        return tuple(line for line in value.split("\n") if line)
    return value


Lines = Annotated[tuple[str, ...], BeforeValidator(_lines)]


def lines_text(names: tuple[str, ...]) -> str:
    return "\n".join(names)


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


class Shards(Record):
    """The Discord shards one process serves. Discord puts a server on shard (server id >> 22) % shard count; a
    process plans and delivers only the sends of its own shards' servers, whose channels it has in its cache."""

    count: int = 1
    ids: tuple[int, ...] = (0,)

    def serves(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.count in self.ids

    @property
    def everything(self) -> bool:
        return self.count == 1


class GuildSettings(Record):
    guild_id: int
    organizer_role_id: int | None = None
    category_id: int | None = None
    timezone: str | None = None  # None until /setup is given one: schedules then default to UTC
    organizer_channel_id: int | None = None
    pledge_enabled: bool = False
    pledge_text: str | None = None  # None: the default pledge from prompts/
    pledge_version: int = 1  # goes up each time the pledge's text changes
    retention_days: int = 365  # an archived group's data, and a departed member's, is kept this long
    language: str = "en"  # what the bot writes in here, unless a group or a member's Discord says otherwise


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
    language: str | None = None  # what the bot writes in the group's channel; None: the server's language
    drift_after: int = 2
    unscheduled_since: Instant | None = None
    target_size: int | None = None  # formed by matching: the size it was formed for (None: made by hand)
    shared_language: str | None = None  # formed by matching: the language its members share (as the intake names it)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class GroupMember(Record):
    group_id: int
    guild_id: int
    user_id: int
    joined_at: Instant
    paused_for: int = 0  # meetings they are still paused for

    @property
    def is_paused(self) -> bool:
        return self.paused_for > 0


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


class MemberHours(Record):
    """A member's usual free hours in a server, in their own zone: (weekday, start minute, end minute) ranges of
    local time (0 = Monday; minutes after local midnight, 1440 being the midnight after). No ranges: only the zone
    is known, remembered from before."""

    guild_id: int
    user_id: int
    timezone: str
    ranges: tuple[tuple[int, int, int], ...] = ()


class IntakeSettings(Record):
    """What applicants choose from in a server (/intake setup): its fields and languages (in the server's order),
    the size groups are formed for, and whether applications are open."""

    guild_id: int
    fields: Lines = ()
    languages: Lines = ("English",)
    group_size: int = 4
    accepting: bool = True


ApplicationStatus = Literal["waiting", "matched", "withdrawn"]


class Application(Record):
    """A member's application to be placed in a group; its place in the queue is (queued_at, id). Their hours and
    zone are their availability, kept apart."""

    id: int
    guild_id: int
    user_id: int
    field: str
    experience: int  # 0: less than a year, 1: 1 to 3 years, 2: 3 to 10 years, 3: more than 10 years
    languages: Lines
    about: str | None = None
    status: ApplicationStatus
    queued_at: Instant
    updated_at: Instant
    group_id: int | None = None  # the group they were matched into
    closed_at: Instant | None = None  # when they were matched or withdrew


class MatchGroup(Record):
    """One group of a matching proposal: its number in the proposal, the weekly time in its zone, the language and
    field, and the members (in queue order)."""

    number: int
    weekday: int
    local_time: time
    timezone: str
    language: str
    field: str
    members: tuple[int, ...] = ()


MatchProposalStatus = Literal["open", "used", "cancelled"]


class MatchProposal(Record):
    """What /match preview proposed, from a pool with this fingerprint; used (or cancelled) once."""

    id: int
    guild_id: int
    created_by: int
    created_at: Instant
    target_size: int
    pool: str
    status: MatchProposalStatus
    used_by: int | None = None
    used_at: Instant | None = None
    groups: tuple[MatchGroup, ...] = ()


RefillStatus = Literal["open", "added", "skipped"]


class RefillSuggestion(Record):
    """A waiting applicant suggested to the organizers for a seat a group lost."""

    id: int
    guild_id: int
    group_id: int
    user_id: int
    created_at: Instant
    status: RefillStatus
    answered_by: int | None = None
    answered_at: Instant | None = None


class ProposedSlot(Record):
    """One of the times /schedule find proposed: a weekday and a local time in its anchor zone."""

    rank: int  # 1 is the best
    weekday: int  # 0 = Monday
    local_time: time
    timezone: str


class ScheduleProposal(Record):
    """What /schedule find proposed to a group, and which of its times was used, by whom (at most one, once)."""

    id: int
    guild_id: int
    group_id: int
    length_minutes: int
    every_weeks: int
    created_by: int
    created_at: Instant
    used_rank: int | None = None
    used_by: int | None = None
    used_at: Instant | None = None
    slots: tuple[ProposedSlot, ...] = ()

    def slot(self, rank: int) -> ProposedSlot | None:
        return next((slot for slot in self.slots if slot.rank == rank), None)


class SendKind(StrEnum):
    REMINDER = "reminder"
    KICKOFF = "kickoff"
    NUDGE = "nudge"  # halfway between meetings: who still has open commitments
    TURN_WARNING = "turn_warning"  # two minutes left on the hot seat
    TURN_END = "turn_end"  # the hot-seat turn's time is up
    AUTO_END = "auto_end"  # close a meeting nobody ended
    SUMMARY = "summary"  # the pinned summary of a closed meeting
    CHECK_IN = "check_in"  # a private word with a member who has missed meetings in a row
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
    paused: frozenset[int] = frozenset()  # members paused for now: not seated unless they come anyway


class Attendance(Record):
    meeting_id: int
    user_id: int
    seconds: int
    present: bool
    paused: bool = False  # paused for this meeting and not there: neither present nor absent


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
    absent_run: int = 0  # meetings missed in a row, up to the latest, without saying "Can't make it"
    absent_since: int | None = None  # the first meeting of that run


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


CheckInAnswer = Literal["in", "pause", "leave"]


class CheckIn(Record):
    """A private word with a member who missed meetings in a row: what was asked, and what they answered."""

    id: int
    guild_id: int
    group_id: int
    user_id: int
    first_meeting_id: int
    last_meeting_id: int
    meetings: int
    created_at: Instant
    answer: CheckInAnswer | None = None
    answered_at: Instant | None = None


class MeetingTally(Record):
    """One closed meeting as the health view counts it: who was there of those it counted (paused members are
    not counted), and how the commitments due at it turned out."""

    meeting_id: int
    starts_at: Instant
    present: int
    counted: int
    done: int = 0
    partial: int = 0
    missed: int = 0
    unreported: int = 0


class MemberStanding(Record):
    """A member as the health view sees them: paused, or missing meetings in a row."""

    user_id: int
    paused_for: int = 0
    absent_run: int = 0


class GroupHealthRecord(Record):
    """What the health view reads about one active group, in the one query that reads a whole page."""

    group: Group
    schedule: Schedule | None = None
    overrides: tuple[ScheduleOverride, ...] = ()
    meetings: tuple[MeetingTally, ...] = ()  # the latest closed meetings, newest first
    members: tuple[MemberStanding, ...] = ()


class ChartHistory(Record):
    """A group's latest closed meetings for its chart (oldest first), each member's presence at them, and how many
    of their commitments due at each ended in each outcome."""

    members: tuple[int, ...]  # current members, in the order they joined
    held: int = 0  # closed meetings in the group's whole history
    meetings: tuple[tuple[int, Instant], ...] = ()  # (meeting id, start)
    presence: tuple[tuple[int, int, bool, bool], ...] = ()  # (meeting id, member, present, paused)
    outcomes: tuple[tuple[int, int, CommitmentStatus, int], ...] = ()  # (meeting id, member, outcome, how many)


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
