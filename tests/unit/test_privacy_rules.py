"""The rules of the pledge, of retention, and of taking a member's goals out of the bot's messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from cogs.common.text import without_goals_of
from cogs.meetings.render import Kickoff, kickoff_message, summary_message
from mastermind.errors import Refusal
from mastermind.rules.meetings import Agenda, Roll
from mastermind.rules.pledge import (
    INVITATION_LIFETIME,
    invitation_expires,
    invitation_state,
    needs_pledge,
    parse_pledge_text,
    pledge_version_after,
)
from mastermind.rules.retention import (
    NOTICE_BEFORE,
    check_retention,
    deleted_after_notice,
    due_after_retention,
    group_retention_sends,
    member_purge,
    retimed,
)
from mastermind.rules.timed_sends import triage
from prompts import load_prompts
from storage.models import Commitment, Group, Invitation, Meeting, PlannedSend, SendKind

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
ADA, BEN = 11, 22


def invitation(status: str = "pending", invited_at: datetime = NOW) -> Invitation:
    return Invitation.model_validate(
        {
            "id": 1,
            "guild_id": 1,
            "group_id": 1,
            "user_id": ADA,
            "invited_by": 9,
            "invited_at": invited_at,
            "expires_at": invitation_expires(invited_at),
            "status": status,
        }
    )


# ------------------------------------------------------------------ the pledge


@pytest.mark.parametrize(
    ("enabled", "accepted", "needed"),
    [(False, False, False), (False, True, False), (True, True, False), (True, False, True)],
)
def test_joining_waits_for_the_pledge_only_when_it_is_on_and_this_version_was_not_accepted(enabled, accepted, needed):
    assert needs_pledge(pledge_enabled=enabled, accepted_current_version=accepted) is needed


def test_an_invitation_is_open_for_fourteen_days_then_expired_whatever_its_row_says():
    pending = invitation()

    assert timedelta(days=14) == INVITATION_LIFETIME
    assert invitation_state(pending, NOW + 14 * DAY - timedelta(seconds=1)) == "open"
    assert invitation_state(pending, NOW + 14 * DAY) == "expired"
    assert invitation_state(invitation("withdrawn"), NOW) == "withdrawn"
    assert invitation_state(invitation("accepted"), NOW + 30 * DAY) == "accepted"


def test_a_pledge_text_is_measured_once_made_plain():
    invisible = "\u200b" * 100
    assert parse_pledge_text("  What is said here stays here.  ") == "What is said here stays here."
    assert parse_pledge_text("x" * 1500 + invisible) == "x" * 1500
    with pytest.raises(Refusal) as too_long:
        parse_pledge_text("x" * 1501)
    assert (too_long.value.key, too_long.value.values) == ("setup.pledge_too_long", {"length": 1501, "max": 1500})
    with pytest.raises(Refusal, match=r"setup\.pledge_empty"):
        parse_pledge_text(invisible)


def test_a_new_text_is_a_new_version_and_the_same_text_is_not():
    assert pledge_version_after(1, None, "Ours") == 2
    assert pledge_version_after(2, "Ours", "Ours") == 2
    assert pledge_version_after(2, "Ours", "Ours, reworded") == 3
    assert pledge_version_after(3, "Ours", None) == 3


# ------------------------------------------------------------------ retention


@pytest.mark.parametrize(("days", "ok"), [(29, False), (30, True), (365, True), (3650, True), (3651, False)])
def test_retention_is_thirty_days_to_ten_years(days, ok):
    if ok:
        assert check_retention(days) == days
    else:
        with pytest.raises(Refusal, match=r"setup\.retention_out_of_range"):
            check_retention(days)


def test_an_archived_group_hears_a_week_before_its_history_is_deleted():
    notice, purge = group_retention_sends(group_id=5, guild_id=1, archived_at=NOW, days=365, now=NOW)

    assert (notice.kind, notice.due_at) == (SendKind.RETENTION_NOTICE, NOW + 358 * DAY)
    assert (purge.kind, purge.due_at) == (SendKind.GROUP_PURGE, NOW + 365 * DAY)
    assert notice.meeting_at == purge.meeting_at == NOW  # the moment the period counts from
    assert deleted_after_notice(notice.due_at) == purge.due_at


def test_a_period_that_ends_within_a_week_still_gives_the_week_of_notice():
    archived_long_ago = NOW - 400 * DAY

    notice = due_after_retention(SendKind.RETENTION_NOTICE, archived_long_ago, 365, NOW)
    purge = due_after_retention(SendKind.GROUP_PURGE, archived_long_ago, 365, NOW)

    assert (notice, purge) == (NOW, NOW + NOTICE_BEFORE)


def test_a_departed_members_purge_is_filed_under_a_group_of_theirs_and_needs_no_notice():
    plan = member_purge(home_group_id=5, guild_id=1, user_id=ADA, left_at=NOW - 400 * DAY, days=30)

    assert (plan.group_id, plan.kind, plan.detail) == (5, SendKind.MEMBER_PURGE, ADA)
    assert plan.due_at == NOW - 370 * DAY  # overdue: deleted as soon as it is seen


def test_a_new_period_moves_only_the_sends_whose_time_changes():
    def pending(send_id: int, kind: SendKind, due_at: datetime) -> PlannedSend:
        return PlannedSend.model_validate(
            {
                "id": send_id,
                "guild_id": 1,
                "group_id": 5,
                "meeting_at": NOW,
                "kind": kind,
                "detail": 0,
                "due_at": due_at,
                "status": "pending",
                "attempts": 0,
                "updated_at": NOW,
            }
        )

    sends = [
        pending(1, SendKind.RETENTION_NOTICE, NOW + 358 * DAY),
        pending(2, SendKind.GROUP_PURGE, NOW + 365 * DAY),
        pending(3, SendKind.MEMBER_PURGE, NOW + 30 * DAY),
    ]

    assert retimed(sends, 30, NOW) == [(1, NOW + 23 * DAY), (2, NOW + 30 * DAY)]
    assert retimed(sends, 365, NOW) == [(3, NOW + 365 * DAY)]


def test_a_notice_is_worth_sending_until_the_deletion_it_announces():
    notice = PlannedSend.model_validate(
        {
            "id": 1,
            "guild_id": 1,
            "group_id": 5,
            "meeting_at": NOW,
            "kind": SendKind.RETENTION_NOTICE,
            "detail": 0,
            "due_at": NOW,
            "status": "pending",
            "attempts": 0,
            "updated_at": NOW,
        }
    )

    assert triage([notice], NOW + NOTICE_BEFORE - timedelta(seconds=1)).deliver == [notice]
    assert triage([notice], NOW + NOTICE_BEFORE).skip == [(notice, "offline")]


# ------------------------------------------------------------------ taking a member's goals out of messages

GROUP = Group.model_validate(
    {
        "id": 5,
        "guild_id": 1,
        "name": "Founders",
        "text_channel_id": 100,
        "voice_channel_id": 101,
        "status": "active",
        "created_by": 9,
        "created_at": NOW,
    }
)


def commitment(
    commitment_id: int, user_id: int, text: str, status: str = "open", note: str | None = None
) -> Commitment:
    return Commitment.model_validate(
        {
            "id": commitment_id,
            "guild_id": 1,
            "group_id": 5,
            "user_id": user_id,
            "position": commitment_id,
            "text": text,
            "created_at": NOW,
            "status": status,
            "note": note,
        }
    )


def test_a_summary_keeps_everyone_elses_goals_and_says_the_members_were_removed():
    p = load_prompts()
    meeting = Meeting.model_validate(
        {
            "id": 7,
            "guild_id": 1,
            "group_id": 5,
            "starts_at": NOW,
            "opened_at": NOW,
            "closed_at": NOW,
            "status": "closed",
            "round_status": "finished",
        }
    )
    due = [commitment(1, ADA, "Ship it", "done", "On Friday"), commitment(2, ADA, "Hire"), commitment(3, BEN, "Write")]
    upcoming = [commitment(4, ADA, "Launch"), commitment(5, BEN, "Rest")]
    summary = summary_message(
        p, GROUP, meeting, Roll(everyone=[ADA, BEN], present=[ADA, BEN], absent=[]), due, upcoming, None
    )

    redacted = without_goals_of(summary["embed"].description, ADA, "gone")

    assert redacted.endswith(
        f"<@{ADA}>\nCommitments checked:\n• gone\nNew commitments:\n• gone\n\n"
        f"<@{BEN}>\nCommitments checked:\n• ⬜ Write\nNew commitments:\n• Rest"
    )
    assert "Ship it" not in redacted
    assert "On Friday" not in redacted
    assert without_goals_of(redacted, ADA, "gone") == redacted  # once is enough


def test_an_agenda_loses_only_the_members_goals():
    p = load_prompts()
    agenda = Agenda(
        order=[BEN, ADA],
        turn_minutes=10,
        due={ADA: [commitment(1, ADA, "Ship it")], BEN: [commitment(2, BEN, "Write")]},
    )
    kickoff = kickoff_message(p, GROUP, agenda, Kickoff(), discord.ui.Button(label="Start", custom_id="start"))

    redacted = without_goals_of(kickoff["embed"].description, ADA, "gone")

    assert f"<@{BEN}>\n• ⬜ Write\n<@{ADA}>\n• gone" in redacted
    assert f"1. <@{BEN}>\n2. <@{ADA}>" in redacted  # the order names members; it quotes nobody
