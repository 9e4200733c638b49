"""Invitations to a group that wait for the member to accept the confidentiality pledge, and the record of who
accepted which version of it."""

from __future__ import annotations

from datetime import datetime

from storage.database import Executor
from storage.models import Invitation, InvitationStatus, PledgeAcceptance, to_epoch

_INVITATION_FIELDS = tuple(Invitation.model_fields)
_INVITATION = ", ".join(_INVITATION_FIELDS)
_ACCEPTANCE = ", ".join(PledgeAcceptance.model_fields)


def _invitation(row: object) -> Invitation:
    return Invitation.model_validate(dict(row))  # type: ignore[call-overload]


class InvitationRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def create(
        self, *, guild_id: int, group_id: int, user_id: int, invited_by: int, now: datetime, expires_at: datetime
    ) -> Invitation | None:
        """A new pending invitation; None when one is pending already (the unique index decides, so two organizers
        inviting at once make one invitation)."""
        row = await self._db.fetch_one(
            f"""
            INSERT INTO group_invitations (guild_id, group_id, user_id, invited_by, invited_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING {_INVITATION}
            """,
            (guild_id, group_id, user_id, invited_by, to_epoch(now), to_epoch(expires_at)),
        )
        return _invitation(row) if row else None

    async def get(self, guild_id: int, invitation_id: int) -> Invitation | None:
        row = await self._db.fetch_one(
            f"SELECT {_INVITATION} FROM group_invitations WHERE guild_id = ? AND id = ?", (guild_id, invitation_id)
        )
        return _invitation(row) if row else None

    async def latest(self, guild_id: int, group_id: int, user_id: int) -> Invitation | None:
        """The member's most recent invitation to the group, whatever became of it."""
        row = await self._db.fetch_one(
            f"SELECT {_INVITATION} FROM group_invitations WHERE guild_id = ? AND group_id = ? AND user_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (guild_id, group_id, user_id),
        )
        return _invitation(row) if row else None

    async def pending_of_member(self, guild_id: int, user_id: int) -> list[Invitation]:
        """The member's pending invitations in the server (expired ones included: the rules tell them apart)."""
        rows = await self._db.fetch_all(
            f"SELECT {_INVITATION} FROM group_invitations WHERE user_id = ? AND guild_id = ? AND status = 'pending' "
            "ORDER BY id",
            (user_id, guild_id),
        )
        return [_invitation(row) for row in rows]

    async def pending_in_group(self, guild_id: int, group_id: int) -> list[Invitation]:
        rows = await self._db.fetch_all(
            f"SELECT {_INVITATION} FROM group_invitations WHERE guild_id = ? AND group_id = ? AND status = 'pending' "
            "ORDER BY invited_at, id",
            (guild_id, group_id),
        )
        return [_invitation(row) for row in rows]

    async def close(
        self, guild_id: int, invitation_id: int, status: InvitationStatus, *, now: datetime
    ) -> Invitation | None:
        """Accept, withdraw or expire a pending invitation, as it now reads; None when it was no longer pending
        (someone else closed it first)."""
        row = await self._db.fetch_one(
            f"UPDATE group_invitations SET status = ?, answered_at = ? "
            f"WHERE guild_id = ? AND id = ? AND status = 'pending' RETURNING {_INVITATION}",
            (status, to_epoch(now), guild_id, invitation_id),
        )
        return _invitation(row) if row else None

    async def withdraw_in_group(self, guild_id: int, group_id: int, *, now: datetime) -> int:
        """Withdraw every pending invitation to the group (it was archived); returns how many."""
        changed = await self._db.execute(
            "UPDATE group_invitations SET status = 'withdrawn', answered_at = ? "
            "WHERE guild_id = ? AND group_id = ? AND status = 'pending'",
            (to_epoch(now), guild_id, group_id),
        )
        return changed.rowcount

    async def withdraw_of_member(self, guild_id: int, user_id: int, *, now: datetime) -> int:
        """Withdraw the member's pending invitations in the server (they left it); returns how many."""
        changed = await self._db.execute(
            "UPDATE group_invitations SET status = 'withdrawn', answered_at = ? "
            "WHERE user_id = ? AND guild_id = ? AND status = 'pending'",
            (to_epoch(now), user_id, guild_id),
        )
        return changed.rowcount

    # ---------------------------------------------------------------- the pledge accepted

    async def record_acceptance(
        self, *, guild_id: int, group_id: int, user_id: int, version: int, now: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO pledge_acceptances (guild_id, group_id, user_id, version, accepted_at) VALUES (?, ?, ?, ?, ?)",
            (guild_id, group_id, user_id, version, to_epoch(now)),
        )

    async def has_accepted(self, guild_id: int, user_id: int, version: int) -> bool:
        """Whether the member accepted this version of the server's pledge (joining any of its groups)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM pledge_acceptances WHERE user_id = ? AND guild_id = ? AND version = ? LIMIT 1",
            (user_id, guild_id, version),
        )
        return row is not None

    # ---------------------------------------------------------------- one member's data

    async def of_member(self, guild_id: int, user_id: int) -> list[Invitation]:
        rows = await self._db.fetch_all(
            f"SELECT {_INVITATION} FROM group_invitations WHERE user_id = ? AND guild_id = ? ORDER BY id",
            (user_id, guild_id),
        )
        return [_invitation(row) for row in rows]

    async def erase_member(self, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM group_invitations WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        return changed.rowcount

    async def acceptances_of_member(self, guild_id: int, user_id: int) -> list[PledgeAcceptance]:
        rows = await self._db.fetch_all(
            f"SELECT {_ACCEPTANCE} FROM pledge_acceptances WHERE user_id = ? AND guild_id = ? ORDER BY id",
            (user_id, guild_id),
        )
        return [PledgeAcceptance.model_validate(dict(row)) for row in rows]

    async def erase_acceptances_of_member(self, guild_id: int, user_id: int) -> int:
        changed = await self._db.execute(
            "DELETE FROM pledge_acceptances WHERE user_id = ? AND guild_id = ?", (user_id, guild_id)
        )
        return changed.rowcount

    async def erase_group(self, guild_id: int, group_id: int) -> int:
        """An archived group's invitations, at the end of its retention."""
        changed = await self._db.execute(
            "DELETE FROM group_invitations WHERE guild_id = ? AND group_id = ?", (guild_id, group_id)
        )
        return changed.rowcount
