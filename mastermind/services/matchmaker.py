"""Forming groups from the waiting pool: proposals an organizer previews and uses once, the bookkeeping of the groups
made from one, and the applicant to suggest when a group loses a seat."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from mastermind.clock import Clock
from mastermind.errors import Person, Refusal
from mastermind.rules.matching import (
    DEFAULT_GROUP_SIZE,
    MIN_GROUP,
    Applicant,
    Matching,
    best_for_seat,
    check_group_size,
    form_groups,
    pool_key,
)
from mastermind.rules.names import MAX_GROUP_NAME, name_key
from mastermind.rules.schedule import occurrences
from mastermind.rules.slots import DEFAULT_DATES
from mastermind.services.intake import Intake, Pool
from storage import Store
from storage.models import Group, MatchGroup, MatchProposal, RefillStatus, RefillSuggestion

PROPOSAL_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Preview:
    """A proposal as stored (what its buttons stand for), the matching it came from, and the pool it read."""

    proposal: MatchProposal | None  # None when no group could be formed: there is nothing to create
    matching: Matching
    pool: Pool
    names: tuple[str, ...]  # the name each proposed group would get now

    def applicant(self, user_id: int) -> Applicant:
        return next(applicant for applicant in self.pool.applicants if applicant.id == user_id)


@dataclass(frozen=True)
class Seat:
    """A suggestion for a seat a group lost: the stored suggestion, the applicant, and the group's size and target."""

    suggestion: RefillSuggestion
    applicant: Applicant
    members: int
    target: int


class Matchmaker:
    def __init__(self, store: Store, clock: Clock, intake: Intake) -> None:
        self._store = store
        self._clock = clock
        self._intake = intake

    # ---------------------------------------------------------------- proposals

    async def preview(self, guild_id: int, *, by: int, size: int | None = None) -> Preview:
        """Propose groups from the waiting pool (the matching runs off the event loop) and keep the proposal.
        Refused with fewer than three waiting applicants who gave their hours."""
        pool = await self._intake.pool(guild_id)
        target = check_group_size(size) if size is not None else pool.settings.group_size
        if len(pool.applicants) < MIN_GROUP:
            raise Refusal("match.too_few", count=len(pool.applicants), min=MIN_GROUP)
        now = self._clock.now()
        matching = await asyncio.to_thread(
            form_groups, pool.applicants, target=target, after=now, languages=pool.settings.languages
        )
        names = await self._names(guild_id, [group.field for group in matching.groups])
        if not matching.groups:
            return Preview(None, matching, pool, names)
        proposal = await self._store.matches.propose(
            guild_id=guild_id,
            created_by=by,
            target_size=target,
            pool=pool_key(pool.applicants, target),
            groups=[
                MatchGroup(
                    number=number,
                    weekday=group.slot.weekday,
                    local_time=group.slot.at,
                    timezone=group.slot.zone,
                    language=group.language,
                    field=group.field,
                    members=group.members,
                )
                for number, group in enumerate(matching.groups, start=1)
            ],
            now=now,
        )
        return Preview(proposal, matching, pool, names)

    async def use(self, guild_id: int, proposal_id: int, *, by: int) -> MatchProposal:
        """Take the proposal for creating its groups: only once, only within a day, and only while the pool is as
        it was (else the organizer previews again)."""
        proposal = await self._open_proposal(guild_id, proposal_id)
        pool = await self._intake.pool(guild_id)
        if pool_key(pool.applicants, proposal.target_size) != proposal.pool:
            raise Refusal("match.pool_changed")
        if not await self._store.matches.close_proposal(
            guild_id, proposal_id, "used", user_id=by, now=self._clock.now()
        ):
            await self._open_proposal(guild_id, proposal_id)  # says who got there first
            raise Refusal("match.gone")
        return proposal

    async def cancel(self, guild_id: int, proposal_id: int, *, by: int) -> None:
        await self._open_proposal(guild_id, proposal_id)
        if not await self._store.matches.close_proposal(
            guild_id, proposal_id, "cancelled", user_id=by, now=self._clock.now()
        ):
            await self._open_proposal(guild_id, proposal_id)  # says who got there first
            raise Refusal("match.gone")

    async def _open_proposal(self, guild_id: int, proposal_id: int) -> MatchProposal:
        proposal = await self._store.matches.proposal(guild_id, proposal_id)
        if proposal is None:
            raise Refusal("match.gone")
        if proposal.status == "used":
            assert proposal.used_by is not None
            assert proposal.used_at is not None
            raise Refusal("match.used", who=Person(proposal.used_by), when=proposal.used_at)
        if proposal.status == "cancelled":
            raise Refusal("match.cancelled")
        if self._clock.now() - proposal.created_at > PROPOSAL_LIFETIME:
            raise Refusal("match.expired", hours=int(PROPOSAL_LIFETIME.total_seconds() // 3600))
        return proposal

    async def group_name(self, guild_id: int, field: str) -> str:
        """A name for a new group of this field, unique in the server: `Software 1`, `Software 2`, ..."""
        return (await self._names(guild_id, [field]))[0]

    async def _names(self, guild_id: int, fields: list[str]) -> tuple[str, ...]:
        taken: set[str] = set()
        read: set[str] = set()
        names: list[str] = []
        for field in fields:
            prefix = name_key(field)[: MAX_GROUP_NAME - 4]
            if prefix not in read:
                read.add(prefix)
                taken |= await self._store.groups.names_starting(guild_id, prefix)
            number = 1
            while True:
                suffix = f" {number}"
                name = field[: MAX_GROUP_NAME - len(suffix)].rstrip() + suffix
                if name_key(name) not in taken:
                    break
                number += 1
            taken.add(name_key(name))
            names.append(name)
        return tuple(names)

    async def matched(self, group: Group, user_ids: list[int]) -> int:
        """These members' applications are matched into the group."""
        return await self._store.intake.mark_matched(group.guild_id, user_ids, group.id, now=self._clock.now())

    # ---------------------------------------------------------------- refilling a seat

    async def target_of(self, group: Group) -> int:
        """The size a group is kept at: the one it was formed for, else the server's intake size."""
        if group.target_size is not None:
            return group.target_size
        settings = await self._store.intake.settings(group.guild_id)
        return settings.group_size if settings else DEFAULT_GROUP_SIZE

    async def short_of_target(self, group: Group) -> bool:
        """Whether the group has fewer members (counting those invited and not yet in) than its target size."""
        if not group.is_active or await self._store.intake.settings(group.guild_id) is None:
            return False
        return await self._seats_taken(group) < await self.target_of(group)

    async def suggest(self, group: Group) -> Seat | None:
        """The applicant to suggest for a seat in the group (an unanswered suggestion stands until answered), or
        None when no waiting applicant fits. Refused for a group without a schedule: there is no meeting time to
        check anyone's hours against."""
        planned = await self._store.schedules.planned(group.guild_id, group.id)
        if planned is None:
            raise Refusal("refill.no_schedule", name=group.name)
        pool = await self._intake.pool(group.guild_id)
        members = {member.user_id for member in await self._store.groups.members(group.guild_id, group.id)}
        target, taken = await self.target_of(group), await self._seats_taken(group)
        standing = await self._store.matches.open_suggestion(group.guild_id, group.id)
        if standing is not None:
            applicant = next((a for a in pool.applicants if a.id == standing.user_id), None)
            if applicant is not None:
                return Seat(standing, applicant, taken, target)
        skipped = await self._store.matches.skipped(group.guild_id, group.id)
        candidates = [a for a in pool.applicants if a.id not in skipped and a.id not in members]
        now = self._clock.now()
        starts = [o.starts_at for o in occurrences(planned.schedule, planned.overrides, after=now, count=DEFAULT_DATES)]
        field = await self._field_of(group, members)
        chosen = await asyncio.to_thread(
            best_for_seat, candidates, language=group.shared_language, field=field, starts=starts
        )
        if chosen is None:
            return None
        suggestion = await self._store.matches.suggest(
            guild_id=group.guild_id, group_id=group.id, user_id=chosen.id, now=now
        )
        return Seat(suggestion, chosen, taken, target)

    async def suggestion(self, guild_id: int, suggestion_id: int) -> tuple[RefillSuggestion, Group]:
        """A suggestion that can still be answered, with its group."""
        suggestion = await self._store.matches.suggestion(guild_id, suggestion_id)
        group = await self._store.groups.get(guild_id, suggestion.group_id) if suggestion else None
        if suggestion is None or group is None:
            raise Refusal("refill.gone")
        if suggestion.status != "open":
            assert suggestion.answered_by is not None
            raise Refusal(f"refill.already_{suggestion.status}", who=Person(suggestion.answered_by))
        if not group.is_active:
            raise Refusal("group.archived", name=group.name)
        return suggestion, group

    async def answer(self, suggestion: RefillSuggestion, status: RefillStatus, *, by: int) -> None:
        """Record the organizers' answer, once; a second answer is refused with who gave the first."""
        answered = await self._store.matches.answer(
            suggestion.guild_id, suggestion.id, status, user_id=by, now=self._clock.now()
        )
        if not answered:
            await self.suggestion(suggestion.guild_id, suggestion.id)  # says who answered first
            raise Refusal("refill.gone")

    async def reopen(self, suggestion: RefillSuggestion) -> None:
        """Adding the applicant failed: the suggestion stands again."""
        await self._store.matches.reopen(suggestion.guild_id, suggestion.id)

    async def _seats_taken(self, group: Group) -> int:
        members = await self._store.groups.members(group.guild_id, group.id)
        invited = await self._store.invitations.pending_in_group(group.guild_id, group.id)
        now = self._clock.now()
        return len(members) + sum(1 for invitation in invited if invitation.expires_at > now)

    async def _field_of(self, group: Group, members: set[int]) -> str | None:
        """The field most of the group's members applied with, if any of them applied."""
        fields: Counter[str] = Counter()
        for user_id in sorted(members):
            application = await self._store.intake.application(group.guild_id, user_id)
            if application is not None:
                fields[application.field] += 1
        return fields.most_common(1)[0][0] if fields else None
