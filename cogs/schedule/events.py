"""The Discord scheduled event on a group's voice channel, kept showing its next meeting."""

from __future__ import annotations

import logging
from datetime import timedelta

import discord
from discord.ext import commands

from cogs.common.bot import MastermindBot
from mastermind.services.events import NextMeetingChanged

log = logging.getLogger(__name__)

# The scheduled event shows the call as this long; Discord marks it completed afterwards.
EVENT_LENGTH = timedelta(hours=1)


class ScheduledEvents(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.events.subscribe(NextMeetingChanged, self.sync_event)

    async def cog_unload(self) -> None:
        self.bot.events.unsubscribe(NextMeetingChanged, self.sync_event)

    async def sync_event(self, changed: NextMeetingChanged) -> None:
        """Keep one Discord scheduled event on the group's voice channel showing its next meeting."""
        group, upcoming = changed.group, changed.upcoming
        guild = self.bot.get_guild(group.guild_id)
        voice = guild.get_channel(group.voice_channel_id) if guild else None
        if guild is None or not isinstance(voice, discord.VoiceChannel) or not guild.me.guild_permissions.manage_events:
            return
        event = guild.get_scheduled_event(group.event_id) if group.event_id else None
        if upcoming is None and group.event_id is None:
            return  # nothing shown, nothing to show
        if upcoming is not None and event is not None and group.event_starts_at == upcoming.starts_at:
            return  # already in step
        p, audit = await self.bot.texts.group(group), await self.bot.texts.server(group.guild_id)
        await self.bot.pacer.wait()  # a thousand meetings starting together must not mean a burst of requests
        # Only an event that hasn't started yet can be moved or removed; a started one ends on its own.
        editable = event if event is not None and event.status is discord.EventStatus.scheduled else None
        try:
            if upcoming is None:
                if editable is not None:
                    await editable.delete(reason=audit("audit.no_next_meeting"))
                if group.event_id is not None:
                    await self.bot.store.groups.set_event(group.guild_id, group.id, None, None)
                return
            name = p("event.name", name=group.name)[:100]
            if editable is not None:
                await editable.edit(
                    start_time=upcoming.starts_at, end_time=upcoming.starts_at + EVENT_LENGTH, name=name
                )
                event_id = editable.id
            else:
                created = await guild.create_scheduled_event(
                    name=name,
                    description=p("event.description", name=group.name),
                    channel=voice,
                    start_time=upcoming.starts_at,
                    end_time=upcoming.starts_at + EVENT_LENGTH,
                    entity_type=discord.EntityType.voice,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    reason=audit("audit.next_meeting", name=group.name),
                )
                event_id = created.id
            await self.bot.store.groups.set_event(group.guild_id, group.id, event_id, upcoming.starts_at)
        except discord.HTTPException:
            log.warning("Could not update the scheduled event of group %s", group.id, exc_info=True)
