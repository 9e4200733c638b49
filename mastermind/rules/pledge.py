"""The confidentiality pledge: when joining waits for it, how long an invitation lasts, what a pledge text may be."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from mastermind.errors import Refusal
from mastermind.rules.text import clean_text
from storage.models import Invitation

INVITATION_LIFETIME = timedelta(days=14)
MAX_PLEDGE_LENGTH = 1500

InvitationState = Literal["open", "expired", "withdrawn", "accepted"]


def needs_pledge(*, pledge_enabled: bool, accepted_current_version: bool) -> bool:
    """Joining waits for the pledge when the server asks for one and the member has not accepted this version of
    it yet (in any of the server's groups). A new text is a new version: members accept it the next time they join."""
    return pledge_enabled and not accepted_current_version


def invitation_expires(invited_at: datetime) -> datetime:
    return invited_at + INVITATION_LIFETIME


def invitation_state(invitation: Invitation, now: datetime) -> InvitationState:
    """What a member finds when they come to accept: a pending invitation past its time has expired, whether or
    not anyone has marked it so."""
    if invitation.status == "pending":
        return "open" if now < invitation.expires_at else "expired"
    return invitation.status


def parse_pledge_text(raw: str) -> str:
    """A server's own pledge: plain text (see clean_text), 1 to 1,500 characters."""
    text = clean_text(raw, keep_lines=True)
    if not text:
        raise Refusal("setup.pledge_empty", max=MAX_PLEDGE_LENGTH)
    if len(text) > MAX_PLEDGE_LENGTH:
        raise Refusal("setup.pledge_too_long", length=len(text), max=MAX_PLEDGE_LENGTH)
    return text


def pledge_version_after(version: int, current_text: str | None, new_text: str | None) -> int:
    """The pledge's version once its text is set: a different text is the next version, the same text keeps it."""
    return version if new_text is None or new_text == current_text else version + 1
