"""Members' own data: what the bot keeps about one member in a server, exported or deleted at their request, and
deleted by itself once its time is up (an archived group's history, a departed member's data).

Every kind of personal data is one Section: where a member's rows come from and how they are deleted. Export and
deletion both walk SECTIONS, so adding a kind of data is one more Section here, pointing at
two methods of its repository: `of_member(guild_id, user_id)` and `erase_member(guild_id, user_id)`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mastermind.clock import Clock
from mastermind.errors import Refusal
from mastermind.rules.retention import (
    QUOTING_KINDS,
    RETENTION_KINDS,
    group_retention_sends,
    member_purge,
    retimed,
)
from storage import Repositories, Store
from storage.models import BotMessage, Group, GuildSettings, Record, SendKind

log = logging.getLogger(__name__)

EXPORT_FORMAT = 1

Rows = Callable[[int, int], Awaitable[Sequence[Record]]]
Erase = Callable[[int, int], Awaitable[int]]


@dataclass(frozen=True)
class Section:
    """One kind of a member's data: `rows` and `erase` name the repository methods that read and delete it."""

    name: str
    rows: Callable[[Repositories], Rows]
    erase: Callable[[Repositories], Erase]


SECTIONS: tuple[Section, ...] = (
    Section("memberships", lambda r: r.groups.memberships_of, lambda r: r.groups.erase_member),
    Section("invitations", lambda r: r.invitations.of_member, lambda r: r.invitations.erase_member),
    Section(
        "pledge_acceptances",
        lambda r: r.invitations.acceptances_of_member,
        lambda r: r.invitations.erase_acceptances_of_member,
    ),
    Section("rsvps", lambda r: r.rsvps.of_member, lambda r: r.rsvps.erase_member),
    Section("voice_sessions", lambda r: r.meetings.voice_of_member, lambda r: r.meetings.erase_voice_of_member),
    Section("attendance", lambda r: r.meetings.attendance_of_member, lambda r: r.meetings.erase_attendance_of_member),
    Section("hotseat_turns", lambda r: r.meetings.turns_of_member, lambda r: r.meetings.erase_turns_of_member),
    Section("commitments", lambda r: r.commitments.of_member, lambda r: r.commitments.erase_member),
    Section("stats", lambda r: r.stats.of_member, lambda r: r.stats.erase_member),
    Section("check_ins", lambda r: r.check_ins.of_member, lambda r: r.check_ins.erase_member),
    Section("availability", lambda r: r.availability.of_member, lambda r: r.availability.erase_member),
    Section("applications", lambda r: r.intake.of_member, lambda r: r.intake.erase_member),
)


@dataclass(frozen=True)
class Holdings:
    """What the bot keeps about one member in a server: the rows of each section, by section name."""

    sections: dict[str, Sequence[Record]]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.sections.items()}

    def group_ids(self) -> list[int]:
        """Every group the data belongs to, in id order."""
        found = {getattr(row, "group_id", None) for rows in self.sections.values() for row in rows}
        return sorted(group_id for group_id in found if group_id is not None)

    def __bool__(self) -> bool:
        return any(self.sections.values())


class Privacy:
    def __init__(self, store: Store, clock: Clock, *, expect: Callable[[Iterable[datetime]], None]) -> None:
        self._store = store
        self._clock = clock
        self._expect = expect

    # ---------------------------------------------------------------- a member's own data

    async def holdings(self, guild_id: int, user_id: int) -> Holdings:
        """Everything kept about the member in this server (their own rows only), read in one transaction."""
        async with self._store.atomic() as tx:
            return Holdings({section.name: await section.rows(tx)(guild_id, user_id) for section in SECTIONS})

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """The member's data as a JSON-ready document: who and when, the groups it mentions, then each section."""
        holdings = await self.holdings(guild_id, user_id)
        groups = await self._store.groups.mentioned(guild_id, holdings.group_ids())
        return {
            "format": EXPORT_FORMAT,
            "server_id": guild_id,
            "user_id": user_id,
            "exported_at": self._clock.now().isoformat(),
            "groups": [group.model_dump(mode="json") for group in groups],
            **{name: [row.model_dump(mode="json") for row in rows] for name, rows in holdings.sections.items()},
        }

    async def erasable(self, guild_id: int, user_id: int) -> Holdings:
        """What deleting the member's data would delete; refused when there is nothing, or while they are on the
        hot seat (their turn's record is being written)."""
        holdings = await self.holdings(guild_id, user_id)
        if not holdings:
            raise Refusal("privacy.nothing_to_delete")
        if await self._store.meetings.seated(guild_id, user_id) is not None:
            raise Refusal("privacy.on_the_seat")
        return holdings

    async def quoting_messages(self, guild_id: int, user_id: int) -> list[BotMessage]:
        """The bot's messages that may repeat the member's goals: their turn messages, and the agendas, nudges
        and summaries of the groups they made commitments in. Read before the data that finds them is deleted."""
        turns = await self._store.meetings.turn_messages(guild_id, user_id)
        return turns + await self._store.sends.messages_quoting(guild_id, user_id, QUOTING_KINDS)

    async def erase(self, guild_id: int, user_id: int) -> dict[str, int]:
        """Delete everything kept about the member in this server, in one transaction: how many rows of each
        section. Other members' records are their own and stay as they were."""
        async with self._store.atomic() as tx:
            # A meeting of theirs closing at this moment waits, or has written its records before they go.
            await tx.lock(*(group.id for group in await tx.groups.groups_of(guild_id, user_id)))
            erased = {section.name: await section.erase(tx)(guild_id, user_id) for section in SECTIONS}
        log.info("Deleted the data of member %s in server %s: %s", user_id, guild_id, erased)
        return erased

    # ---------------------------------------------------------------- retention

    async def save_settings(self, settings: GuildSettings, *, previous: GuildSettings) -> None:
        """Save the server's settings; a new retention period moves the purges already planned, in the same
        transaction."""
        now = self._clock.now()
        async with self._store.atomic() as tx:
            await tx.settings.save(settings, now=now)
            if settings.retention_days == previous.retention_days:
                return
            pending = await tx.sends.pending_in_guild(settings.guild_id, RETENTION_KINDS)
            changes = retimed(pending, settings.retention_days, now)
            await tx.sends.move(changes, now=now)
        self._expect(due for _, due in changes)

    async def group_archived(self, group: Group) -> None:
        """Plan the archived group's notice and purge (planned once: archiving again plans nothing new)."""
        await self._plan_groups([group])

    async def plan_unplanned(self) -> int:
        """At start-up: archived groups without a purge get theirs (groups archived before retention existed, or
        archived just before a crash). Returns how many."""
        groups = await self._store.groups.archived_without(SendKind.GROUP_PURGE)
        await self._plan_groups(groups)
        return len(groups)

    async def _plan_groups(self, groups: Sequence[Group]) -> None:
        now = self._clock.now()
        days: dict[int, int] = {}
        plans = []
        for group in groups:
            if group.archived_at is None:
                continue
            if group.guild_id not in days:
                days[group.guild_id] = (await self._store.settings.get(group.guild_id)).retention_days
            plans += group_retention_sends(
                group_id=group.id,
                guild_id=group.guild_id,
                archived_at=group.archived_at,
                days=days[group.guild_id],
                now=now,
            )
        await self._store.sends.insert(plans, now=now)
        self._expect(plan.due_at for plan in plans)

    async def member_left(self, guild_id: int, user_id: int) -> datetime | None:
        """Someone left the server: plan the purge of what is kept about them; when, or None (nothing is kept, or
        nothing tied to a group: that is deleted now). The purge is filed under a group their data is in, as every
        planned send belongs to a group."""
        holdings = await self.holdings(guild_id, user_id)
        if not holdings:
            return None
        if not holdings.group_ids():
            # Nothing of theirs belongs to a group (only free hours, or an application never matched): there is
            # no group's history to keep it with, and no group to file its purge under, so it goes now.
            erased = await self.erase(guild_id, user_id)
            log.info("Deleted the data of %s, who left server %s in no group: %s", user_id, guild_id, erased)
            return None
        now = self._clock.now()
        days = (await self._store.settings.get(guild_id)).retention_days
        plan = member_purge(
            home_group_id=holdings.group_ids()[0], guild_id=guild_id, user_id=user_id, left_at=now, days=days
        )
        await self._store.sends.insert([plan], now=now)
        self._expect([plan.due_at])
        return plan.due_at

    async def member_returned(self, guild_id: int, user_id: int) -> int:
        """Someone came back to the server: their data is no longer due for deletion."""
        return await self._store.sends.cancel_member_purge(guild_id, user_id, now=self._clock.now())

    async def purge_group(self, group: Group) -> dict[str, int]:
        """An archived group's retention is over: its commitments, attendance, voice time, hot-seat turns, RSVPs,
        records and invitations are deleted, in one transaction. The group, its meetings' dates and its channels
        stay (the channels are the server admins' to remove)."""
        async with self._store.atomic() as tx:
            erased = {
                "commitments": await tx.commitments.erase_group(group.guild_id, group.id),
                "meetings": await tx.meetings.erase_group(group.guild_id, group.id),
                "rsvps": await tx.rsvps.erase_group(group.guild_id, group.id),
                "stats": await tx.stats.erase_group(group.guild_id, group.id),
                "invitations": await tx.invitations.erase_group(group.guild_id, group.id),
                "check_ins": await tx.check_ins.erase_group(group.guild_id, group.id),
            }
        log.info("Retention: deleted the history of archived group %s: %s", group.id, erased)
        return erased
