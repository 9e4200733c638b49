"""Joining a group, the one way every feature adds someone: at once, or (with the server's confidentiality pledge
on) by an invitation that waits for the member to accept the pledge. Withdrawing and listing invitations too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mastermind.clock import Clock
from mastermind.errors import Person, Refusal
from mastermind.rules.pledge import invitation_expires, invitation_state, needs_pledge
from storage import Repositories, Store
from storage.models import Group, Invitation


@dataclass(frozen=True)
class Pledge:
    """The server's pledge as a member is asked to accept it: its own text (None: the default one) and version."""

    text: str | None
    version: int


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation a member may accept now, with its group and the pledge they are accepting."""

    invitation: Invitation
    group: Group
    pledge: Pledge


class Membership:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def admit(self, group: Group, user_id: int, *, invited_by: int) -> OpenInvitation | None:
        """Decide how someone joins the group: None when they join at once (the edge grants access, then records
        the join with `join`), else the invitation made for them to accept the pledge first. Refused when they
        are in the group or invited to it already."""
        now = self._clock.now()
        async with self._store.atomic() as tx:
            await tx.lock(group.id)  # two organizers adding the same member: the second sees the first's invitation
            if await tx.groups.is_member(group.guild_id, group.id, user_id):
                raise Refusal("group.already_member", member=Person(user_id), name=group.name)
            settings = await tx.settings.get(group.guild_id)
            accepted = await tx.invitations.has_accepted(group.guild_id, user_id, settings.pledge_version)
            if not needs_pledge(pledge_enabled=settings.pledge_enabled, accepted_current_version=accepted):
                return None
            latest = await tx.invitations.latest(group.guild_id, group.id, user_id)
            if latest is not None and latest.status == "pending":
                if invitation_state(latest, now) == "open":
                    raise Refusal(
                        "group.already_invited", member=Person(user_id), name=group.name, until=latest.expires_at
                    )
                await tx.invitations.close(group.guild_id, latest.id, "expired", now=now)
            invitation = await tx.invitations.create(
                guild_id=group.guild_id,
                group_id=group.id,
                user_id=user_id,
                invited_by=invited_by,
                now=now,
                expires_at=invitation_expires(now),
            )
            assert invitation is not None  # the pending one, if any, was closed above in this transaction
            return OpenInvitation(invitation, group, Pledge(settings.pledge_text, settings.pledge_version))

    async def join(self, group: Group, user_id: int, *, accepting: OpenInvitation | None = None) -> bool:
        """Record that the member is in the group (the edge has given them the channels). Accepting an invitation,
        it is closed and the pledge version they accepted is recorded, all in one transaction. False when they were
        in the group already."""
        now = self._clock.now()
        async with self._store.atomic() as tx:
            await tx.lock(group.id)
            if accepting is not None:
                current = await tx.invitations.get(group.guild_id, accepting.invitation.id)
                if current is None:
                    raise Refusal("pledge.gone")
                await _require_open(tx, current, group, now=now)
            if not await tx.groups.add_member(group.guild_id, group.id, user_id, now=now):
                return False
            if accepting is None:
                # Joined without the pledge (it was turned off meanwhile): an invitation still open is spent.
                latest = await tx.invitations.latest(group.guild_id, group.id, user_id)
                if latest is not None and latest.status == "pending":
                    await tx.invitations.close(group.guild_id, latest.id, "withdrawn", now=now)
            else:
                await tx.invitations.close(group.guild_id, accepting.invitation.id, "accepted", now=now)
                await tx.invitations.record_acceptance(
                    guild_id=group.guild_id,
                    group_id=group.id,
                    user_id=user_id,
                    version=accepting.pledge.version,
                    now=now,
                )
            return True

    async def invitation(self, guild_id: int, user_id: int, invitation_id: int, *, seen_version: int) -> OpenInvitation:
        """The invitation a pledge's button carries, if the member may accept it now: refused when the pledge they
        read has since changed (they read the new one with /group accept)."""
        async with self._store.atomic() as tx:
            invitation = await tx.invitations.get(guild_id, invitation_id)
            if invitation is None:
                raise Refusal("pledge.gone")
            if invitation.user_id != user_id:
                raise Refusal("pledge.not_yours")
            opened = await self._open(tx, invitation)
            if opened.pledge.version != seen_version:
                raise Refusal("pledge.changed", name=opened.group.name)
            return opened

    async def invitation_to(self, guild_id: int, user_id: int, group: Group | None) -> OpenInvitation:
        """The member's invitation to this group, or their only open one, if they may accept it now."""
        async with self._store.atomic() as tx:
            if group is not None:
                invitation = await tx.invitations.latest(guild_id, group.id, user_id)
                if invitation is None:
                    if await tx.groups.is_member(guild_id, group.id, user_id):
                        raise Refusal("pledge.already_member", name=group.name)
                    raise Refusal("pledge.no_invitation", name=group.name)
                return await self._open(tx, invitation)
            now = self._clock.now()
            pending = [
                i
                for i in await tx.invitations.pending_of_member(guild_id, user_id)
                if invitation_state(i, now) == "open"
            ]
            if not pending:
                raise Refusal("pledge.no_invitations")
            if len(pending) > 1:
                names = [g.name for g in await tx.groups.mentioned(guild_id, [i.group_id for i in pending])]
                raise Refusal("pledge.which", names=", ".join(names))
            return await self._open(tx, pending[0])

    async def open_invitations(self, guild_id: int, user_id: int) -> list[tuple[Invitation, str]]:
        """The member's invitations they may still accept, with their groups' names (for autocomplete)."""
        now = self._clock.now()
        pending = [
            invitation
            for invitation in await self._store.invitations.pending_of_member(guild_id, user_id)
            if invitation_state(invitation, now) == "open"
        ]
        names = {
            g.group_id: g.name for g in await self._store.groups.mentioned(guild_id, [i.group_id for i in pending])
        }
        return [(invitation, names[invitation.group_id]) for invitation in pending if invitation.group_id in names]

    async def invited(self, group: Group) -> list[Invitation]:
        """Who is invited to the group and may still accept (expired invitations are no longer listed)."""
        now = self._clock.now()
        return [
            invitation
            for invitation in await self._store.invitations.pending_in_group(group.guild_id, group.id)
            if invitation_state(invitation, now) == "open"
        ]

    async def withdraw(self, group: Group, user_id: int) -> bool:
        """Withdraw the member's open invitation to the group; False when there was none to withdraw."""
        invitation = await self._store.invitations.latest(group.guild_id, group.id, user_id)
        if invitation is None or invitation_state(invitation, self._clock.now()) != "open":
            return False
        return (
            await self._store.invitations.close(group.guild_id, invitation.id, "withdrawn", now=self._clock.now())
            is not None
        )

    async def group_archived(self, group: Group) -> int:
        """An archived group takes nobody in: its invitations are withdrawn."""
        return await self._store.invitations.withdraw_in_group(group.guild_id, group.id, now=self._clock.now())

    async def left_server(self, guild_id: int, user_id: int) -> int:
        """Someone who left the server can't join its groups: their invitations are withdrawn."""
        return await self._store.invitations.withdraw_of_member(guild_id, user_id, now=self._clock.now())

    async def _open(self, tx: Repositories, invitation: Invitation) -> OpenInvitation:
        group = await tx.groups.get(invitation.guild_id, invitation.group_id)
        if group is None:
            raise Refusal("pledge.gone")
        await _require_open(tx, invitation, group, now=self._clock.now())
        settings = await tx.settings.get(group.guild_id)
        return OpenInvitation(invitation, group, Pledge(settings.pledge_text, settings.pledge_version))


async def _require_open(tx: Repositories, invitation: Invitation, group: Group, *, now: datetime) -> None:
    """Refused, with the reason a member can act on, unless the invitation can be accepted now."""
    if await tx.groups.is_member(group.guild_id, group.id, invitation.user_id):
        raise Refusal("pledge.already_member", name=group.name)
    if not group.is_active:
        raise Refusal("group.archived", name=group.name)
    state = invitation_state(invitation, now)
    if state == "expired":
        raise Refusal("pledge.expired", name=group.name, expired=invitation.expires_at)
    if state == "withdrawn":
        raise Refusal("pledge.withdrawn", name=group.name)
    if state == "accepted":
        raise Refusal("pledge.used", name=group.name)
