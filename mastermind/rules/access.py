"""Who may do what: organizers run the server's groups, members run their own group."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Someone pressing a button or running a command, as the rules need to know them."""

    user_id: int
    manages_server: bool
    role_ids: frozenset[int]


def is_organizer(actor: Actor, organizer_role_id: int | None) -> bool:
    """Members with Manage Server organize; so does anyone holding the organizer role set with /setup."""
    return actor.manages_server or (organizer_role_id is not None and organizer_role_id in actor.role_ids)


def may_run_group(*, is_member: bool, is_organizer: bool) -> bool:
    """A group's meetings, schedule and records are run by its members, and by organizers from outside it."""
    return is_member or is_organizer


def may_see_hours(*, is_self: bool, shares_group: bool, is_organizer: bool) -> bool:
    """A member's free hours are for the people they meet with: themselves, members of a group they are in, and
    organizers (who form the groups)."""
    return is_self or shares_group or is_organizer
