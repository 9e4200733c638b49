"""What matching proposed: the groups of a /match preview (used once), and the applicants suggested for a seat a
group lost (answered once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from storage.database import Executor
from storage.models import MatchGroup, MatchProposal, MatchProposalStatus, RefillStatus, RefillSuggestion, to_epoch

_PROPOSAL = "id, guild_id, created_by, created_at, target_size, pool, status, used_by, used_at"
_SUGGESTION = ", ".join(RefillSuggestion.model_fields)


def _suggestion(row: object) -> RefillSuggestion:
    return RefillSuggestion.model_validate(dict(row))  # type: ignore[call-overload]


class MatchRepository:
    def __init__(self, db: Executor) -> None:
        self._db = db

    # ---------------------------------------------------------------- proposals

    async def propose(
        self,
        *,
        guild_id: int,
        created_by: int,
        target_size: int,
        pool: str,
        groups: Sequence[MatchGroup],
        now: datetime,
    ) -> MatchProposal:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "INSERT INTO match_proposals (guild_id, created_by, created_at, target_size, pool) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, created_by, to_epoch(now), target_size, pool),
            )
            assert row is not None
            await tx.execute_many(
                "INSERT INTO proposed_groups (proposal_id, guild_id, number, weekday, local_time, timezone, language, "
                "field) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row["id"],
                        guild_id,
                        group.number,
                        group.weekday,
                        group.local_time.strftime("%H:%M"),
                        group.timezone,
                        group.language,
                        group.field,
                    )
                    for group in groups
                ],
            )
            await tx.execute_many(
                "INSERT INTO proposed_members (proposal_id, guild_id, number, place, user_id) VALUES (?, ?, ?, ?, ?)",
                [
                    (row["id"], guild_id, group.number, place, member)
                    for group in groups
                    for place, member in enumerate(group.members)
                ],
            )
        return MatchProposal(
            id=row["id"],
            guild_id=guild_id,
            created_by=created_by,
            created_at=now,
            target_size=target_size,
            pool=pool,
            status="open",
            groups=tuple(groups),
        )

    async def proposal(self, guild_id: int, proposal_id: int) -> MatchProposal | None:
        """The proposal with its groups and their members."""
        row = await self._db.fetch_one(
            f"SELECT {_PROPOSAL} FROM match_proposals WHERE guild_id = ? AND id = ?", (guild_id, proposal_id)
        )
        if row is None:
            return None
        groups = await self._db.fetch_all(
            "SELECT number, weekday, local_time, timezone, language, field FROM proposed_groups "
            "WHERE proposal_id = ? ORDER BY number",
            (proposal_id,),
        )
        members: defaultdict[int, list[int]] = defaultdict(list)
        for member in await self._db.fetch_all(
            "SELECT number, user_id FROM proposed_members WHERE proposal_id = ? ORDER BY number, place",
            (proposal_id,),
        ):
            members[member["number"]].append(member["user_id"])
        return MatchProposal.model_validate(
            {
                **dict(row),
                "groups": tuple(
                    MatchGroup.model_validate({**dict(group), "members": tuple(members[group["number"]])})
                    for group in groups
                ),
            }
        )

    async def close_proposal(
        self, guild_id: int, proposal_id: int, status: MatchProposalStatus, *, user_id: int, now: datetime
    ) -> bool:
        """Use or cancel the proposal; False when it was already used or cancelled (someone got there first)."""
        changed = await self._db.execute(
            "UPDATE match_proposals SET status = ?, used_by = ?, used_at = ? "
            "WHERE guild_id = ? AND id = ? AND status = 'open'",
            (status, user_id, to_epoch(now), guild_id, proposal_id),
        )
        return changed.rowcount == 1

    # ---------------------------------------------------------------- refill suggestions

    async def suggest(self, *, guild_id: int, group_id: int, user_id: int, now: datetime) -> RefillSuggestion:
        row = await self._db.fetch_one(
            f"INSERT INTO refill_suggestions (guild_id, group_id, user_id, created_at) VALUES (?, ?, ?, ?) "
            f"RETURNING {_SUGGESTION}",
            (guild_id, group_id, user_id, to_epoch(now)),
        )
        assert row is not None
        return _suggestion(row)

    async def suggestion(self, guild_id: int, suggestion_id: int) -> RefillSuggestion | None:
        row = await self._db.fetch_one(
            f"SELECT {_SUGGESTION} FROM refill_suggestions WHERE guild_id = ? AND id = ?", (guild_id, suggestion_id)
        )
        return _suggestion(row) if row else None

    async def open_suggestion(self, guild_id: int, group_id: int) -> RefillSuggestion | None:
        """The suggestion for the group that nobody has answered yet, while its applicant is still waiting."""
        columns = ", ".join(f"s.{field}" for field in RefillSuggestion.model_fields)
        row = await self._db.fetch_one(
            f"""
            SELECT {columns} FROM refill_suggestions s
            JOIN applications a ON a.guild_id = s.guild_id AND a.user_id = s.user_id AND a.status = 'waiting'
            WHERE s.group_id = ? AND s.guild_id = ? AND s.status = 'open'
            ORDER BY s.id DESC LIMIT 1
            """,
            (group_id, guild_id),
        )
        return _suggestion(row) if row else None

    async def skipped(self, guild_id: int, group_id: int) -> set[int]:
        """Who organizers skipped for this group's seats: they are not suggested for it again."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM refill_suggestions WHERE group_id = ? AND guild_id = ? AND status = 'skipped'",
            (group_id, guild_id),
        )
        return {row["user_id"] for row in rows}

    async def answer(
        self, guild_id: int, suggestion_id: int, status: RefillStatus, *, user_id: int, now: datetime
    ) -> bool:
        """Record the organizers' answer; False when the suggestion was answered already."""
        changed = await self._db.execute(
            "UPDATE refill_suggestions SET status = ?, answered_by = ?, answered_at = ? "
            "WHERE guild_id = ? AND id = ? AND status = 'open'",
            (status, user_id, to_epoch(now), guild_id, suggestion_id),
        )
        return changed.rowcount == 1

    async def reopen(self, guild_id: int, suggestion_id: int) -> None:
        """Adding the applicant failed: the suggestion may be answered again."""
        await self._db.execute(
            "UPDATE refill_suggestions SET status = 'open', answered_by = NULL, answered_at = NULL "
            "WHERE guild_id = ? AND id = ? AND status = 'added'",
            (guild_id, suggestion_id),
        )
