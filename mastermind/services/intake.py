"""A server's intake: what applicants choose from, their applications and their honest place in the queue, and the
waiting pool as matching reads it (each application with the applicant's free hours)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from mastermind.clock import Clock
from mastermind.errors import Refusal
from mastermind.rules.availability import WeeklyHours, parse_hours, zone_for_hours
from mastermind.rules.intake import (
    DEFAULT_LANGUAGES,
    Standing,
    chosen_field,
    clean_about,
    parse_fields,
    parse_languages,
    spoken_languages,
    standing,
)
from mastermind.rules.matching import DEFAULT_GROUP_SIZE, Applicant, Mates, check_group_size, mates
from storage import Store
from storage.models import Application, IntakeSettings, MemberHours


@dataclass(frozen=True)
class Pool:
    """The waiting applicants as matching reads them (queue order), and the waiting ones who have no free hours
    any more (they cleared them after applying), who can't be matched until they give them again."""

    settings: IntakeSettings
    applicants: tuple[Applicant, ...]
    without_hours: tuple[Application, ...]
    applications: dict[int, Application]  # every waiting application, by user id

    @property
    def queue(self) -> list[int]:
        return list(self.applications)


@dataclass(frozen=True)
class Applied:
    """An application as saved, with the hours it was read with, and where it stands."""

    application: Application
    hours: WeeklyHours
    zone: str
    standing: Standing


@dataclass(frozen=True)
class Status:
    application: Application
    standing: Standing | None  # while waiting


class Intake:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    # ---------------------------------------------------------------- the server's intake

    async def setup(
        self,
        guild_id: int,
        *,
        fields: str | None = None,
        languages: str | None = None,
        group_size: int | None = None,
        accepting: bool | None = None,
    ) -> IntakeSettings:
        """Set what applicants choose from; what isn't given stays as it was (the first time, fields are needed)."""
        current = await self._store.intake.settings(guild_id)
        if current is None and fields is None:
            raise Refusal("intake.needs_fields")
        base = current or IntakeSettings(guild_id=guild_id, languages=DEFAULT_LANGUAGES, group_size=DEFAULT_GROUP_SIZE)
        updated = base.model_copy(
            update={
                "fields": parse_fields(fields) if fields is not None else base.fields,
                "languages": parse_languages(languages) if languages is not None else base.languages,
                "group_size": check_group_size(group_size) if group_size is not None else base.group_size,
                "accepting": accepting if accepting is not None else base.accepting,
            }
        )
        await self._store.intake.save_settings(updated, now=self._clock.now())
        return updated

    async def settings(self, guild_id: int) -> IntakeSettings:
        found = await self._store.intake.settings(guild_id)
        if found is None:
            raise Refusal("intake.not_set_up")
        return found

    # ---------------------------------------------------------------- applications

    async def apply(
        self,
        guild_id: int,
        user_id: int,
        *,
        field: str,
        experience: int,
        languages: str,
        timezone: str,
        hours: str,
        about: str | None,
    ) -> Applied:
        """Save the application, and the hours and zone as /availability set would, in one transaction. Refused,
        with nothing saved, while applications are closed or when anything typed can't be read."""
        settings = await self.settings(guild_id)
        if not settings.accepting:
            raise Refusal("application.closed")
        picked = chosen_field(field, settings.fields)
        spoken = spoken_languages(languages, settings.languages)
        free = parse_hours(hours)
        about_text = clean_about(about)
        now = self._clock.now()
        async with self._store.atomic() as tx:
            known = await tx.availability.get(guild_id, user_id)
            zone = zone_for_hours(
                timezone, remembered=known.timezone if known else None, server=await tx.settings.default_zone(guild_id)
            )
            await tx.availability.save(
                MemberHours(guild_id=guild_id, user_id=user_id, timezone=zone, ranges=tuple(free.ranges())), now=now
            )
            application = await tx.intake.apply(
                guild_id=guild_id,
                user_id=user_id,
                field=picked,
                experience=experience,
                languages=spoken,
                about=about_text,
                now=now,
            )
        pool = await self.pool(guild_id)
        return Applied(application, free, zone, await self._standing(pool, user_id))

    async def status(self, guild_id: int, user_id: int) -> Status:
        application = await self._store.intake.application(guild_id, user_id)
        if application is None:
            raise Refusal("application.none")
        if application.status != "waiting":
            return Status(application, None)
        return Status(application, await self._standing(await self.pool(guild_id), user_id))

    async def withdraw(self, guild_id: int, user_id: int) -> None:
        if not await self._store.intake.withdraw(guild_id, user_id, now=self._clock.now()):
            raise Refusal("application.nothing_to_withdraw")

    async def left_server(self, guild_id: int, user_id: int) -> bool:
        """Someone who left the server is no longer waiting to be placed."""
        return await self._store.intake.withdraw(guild_id, user_id, now=self._clock.now())

    # ---------------------------------------------------------------- the pool

    async def pool(self, guild_id: int) -> Pool:
        """The waiting applications with their applicants' hours, as matching reads them."""
        settings = await self.settings(guild_id)
        waiting = await self._store.intake.waiting(guild_id)
        hours = {
            found.user_id: found
            for found in await self._store.availability.of_users(guild_id, [a.user_id for a in waiting])
            if found.ranges
        }
        applicants = tuple(
            Applicant(
                id=application.user_id,
                field=application.field,
                experience=application.experience,
                languages=tuple(language for language in application.languages if language in settings.languages),
                zone=hours[application.user_id].timezone,
                hours=WeeklyHours.of(hours[application.user_id].ranges),
            )
            for application in waiting
            if application.user_id in hours
        )
        without = tuple(application for application in waiting if application.user_id not in hours)
        return Pool(settings, applicants, without, {application.user_id: application for application in waiting})

    async def mates(self, pool: Pool) -> dict[int, Mates]:
        """How many others each waiting applicant could be grouped with (worked out off the event loop)."""
        return await asyncio.to_thread(mates, pool.applicants, after=self._clock.now())

    async def _standing(self, pool: Pool, user_id: int) -> Standing:
        me = next((applicant for applicant in pool.applicants if applicant.id == user_id), None)
        peers = 0
        if me is not None:
            # Only those who share the field and a language can count: read the hours of those alone.
            alike = [a for a in pool.applicants if a.field == me.field and set(a.languages) & set(me.languages)]
            found = await asyncio.to_thread(mates, alike, after=self._clock.now())
            peers = found[user_id].same_field
        return standing(pool.queue, user_id, peers=peers, forms_at=pool.settings.group_size)
