"""/schedule, the reminders with their RSVP buttons, and the Discord scheduled event that mirrors the next meeting."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs.shared import (
    answering,
    cog_of,
    deliverable_group,
    discord_time,
    member_of,
    mentions,
    pinging,
    post_planned,
    reply,
    shown,
    tell_group,
    timezone_choices,
)
from mastermind.deliveries import NothingToSend
from mastermind.errors import Refusal
from mastermind.schedule import (
    WEEKDAYS,
    Occurrence,
    first_meeting_date,
    format_offset,
    local_instant,
    parse_offsets,
    parse_time_of_day,
    parse_when,
)
from mastermind.timezones import parse_zone
from storage.models import Group, PlannedSend, Rsvp, RsvpChoice, Schedule, ScheduleOverride, SendKind, from_epoch

if TYPE_CHECKING:
    from bot import MastermindBot

log = logging.getLogger(__name__)

# How long after its start a meeting still takes RSVPs ("running late" makes sense until it is over).
RSVP_OPEN_AFTER_START = timedelta(hours=3)
# The scheduled event shows the call as this long; Discord marks it completed afterwards.
EVENT_LENGTH = timedelta(hours=1)
RSVP_CHOICES: tuple[tuple[RsvpChoice, str, discord.ButtonStyle], ...] = (
    ("yes", "✅", discord.ButtonStyle.success),
    ("late", "⏱️", discord.ButtonStyle.secondary),
    ("no", "❌", discord.ButtonStyle.danger),
)


def cadence_text(bot: MastermindBot, schedule: Schedule) -> str:
    p = bot.prompts
    every = (
        p("schedule.every_week") if schedule.every_weeks == 1 else p("schedule.every_weeks", weeks=schedule.every_weeks)
    )
    return p(
        "schedule.cadence",
        every=every,
        weekday=p(f"weekday.{WEEKDAYS[schedule.weekday]}"),
        time=schedule.local_time.strftime("%H:%M"),
        zone=schedule.timezone,
    )


def reminders_text(bot: MastermindBot, minutes: tuple[int, ...]) -> str:
    p = bot.prompts
    if not minutes:
        return p("schedule.no_reminders")
    return p("schedule.reminders", offsets=p("common.and").join(format_offset(m) for m in minutes))


class RsvpButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"rsvp:(?P<group_id>\d+):(?P<meeting_at>\d+):(?P<choice>yes|late|no)",
):
    """I'll be there / Running late / Can't make it, on every reminder; works after restarts."""

    def __init__(self, group_id: int, meeting_at: int, choice: RsvpChoice, label: str = "") -> None:
        emoji, style = next((e, s) for c, e, s in RSVP_CHOICES if c == choice)
        super().__init__(
            discord.ui.Button(
                label=label or None, emoji=emoji, style=style, custom_id=f"rsvp:{group_id}:{meeting_at}:{choice}"
            )
        )
        self.group_id = group_id
        self.meeting_at = meeting_at
        self.choice: RsvpChoice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RsvpButton:
        return cls(int(match["group_id"]), int(match["meeting_at"]), match["choice"], item.label or "")  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await cog_of(interaction, "Schedules").answer_rsvp(
                interaction, self.group_id, from_epoch(self.meeting_at), self.choice
            )


def rsvp_view(bot: MastermindBot, group_id: int, meeting_at: datetime) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    stamp = int(meeting_at.timestamp())
    for choice, _, _ in RSVP_CHOICES:
        view.add_item(RsvpButton(group_id, stamp, choice, bot.prompts(f"rsvp.button_{choice}")))
    return view


@app_commands.guild_only()
class Schedules(commands.GroupCog, group_name="schedule", group_description="When your group meets"):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.REMINDER, self.deliver_reminder)
        self.bot.next_meeting_listeners.append(self.sync_event)
        self.bot.add_dynamic_items(RsvpButton)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.REMINDER)
        self.bot.next_meeting_listeners.remove(self.sync_event)
        self.bot.remove_dynamic_items(RsvpButton)

    async def _group_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.bot.access.group_choices(interaction, current)

    # ---------------------------------------------------------------- commands

    @app_commands.command(name="set", description="Meet on this weekday at this local time, every few weeks")
    @app_commands.describe(
        weekday="Day of the week",
        time="Local start time, 24-hour HH:MM, e.g. 18:30",
        timezone="IANA time zone, e.g. Europe/Berlin (default: the server's)",
        every_weeks="Weeks between meetings, 1 to 8 (default 2)",
        group="Which group (default: the group of this channel)",
    )
    @app_commands.choices(weekday=[app_commands.Choice(name=day.capitalize(), value=day) for day in WEEKDAYS])
    async def set_schedule(
        self,
        interaction: discord.Interaction,
        weekday: str,
        time: str,
        timezone: str | None = None,
        every_weeks: app_commands.Range[int, 1, 8] = 2,
        group: str | None = None,
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        at = parse_time_of_day(time)
        zone_name = parse_zone(timezone) if timezone else (await self.bot.store.settings.get(target.guild_id)).timezone
        now = self.bot.clock.now()
        day = WEEKDAYS.index(weekday)
        schedule = Schedule(
            group_id=target.id,
            guild_id=target.guild_id,
            weekday=day,
            local_time=at,
            timezone=zone_name,
            every_weeks=every_weeks,
            anchor_date=first_meeting_date(day, at, ZoneInfo(zone_name), now),
        )
        await self.bot.store.schedules.save(schedule, now=now)
        upcoming = await self.bot.replan(target)
        assert upcoming is not None
        p = self.bot.prompts
        summary = p(
            "schedule.set",
            name=shown(target.name),
            cadence=cadence_text(self.bot, schedule),
            next=discord_time(upcoming.starts_at),
        )
        await self._confirm(interaction, target, summary, "schedule.set_note")

    @app_commands.command(name="show", description="The next three meetings")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def show(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        p = self.bot.prompts
        if schedule is None:
            raise Refusal("schedule.none", name=shown(target.name))
        upcoming = await self.bot.planner.upcoming(target, 3)
        lines = [
            p("schedule.show_heading", name=shown(target.name), cadence=cadence_text(self.bot, schedule)),
            reminders_text(self.bot, target.reminder_minutes),
            p("schedule.show_next"),
            *(
                p(
                    "schedule.show_moved" if meeting.moved else "schedule.show_line",
                    when=discord_time(meeting.starts_at),
                )
                for meeting in upcoming
            ),
        ]
        await reply(interaction, "\n".join(lines))

    @app_commands.command(name="skip", description="Skip the next meeting; the one after stays")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def skip(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        upcoming = await self._require_next(target)
        await self.bot.store.schedules.set_override(
            ScheduleOverride(
                group_id=target.id, guild_id=target.guild_id, regular_date=upcoming.regular_date, action="skip"
            )
        )
        following = await self.bot.replan(target)
        p = self.bot.prompts
        summary = p(
            "schedule.skipped",
            skipped=discord.utils.format_dt(upcoming.starts_at, "F"),
            next=discord_time(following.starts_at) if following else p("schedule.nothing_planned"),
        )
        await self._confirm(interaction, target, summary, "schedule.changed_note")

    @app_commands.command(name="move", description="Move only the next meeting to another local date and time")
    @app_commands.describe(
        when="Local date and time in the group's zone, YYYY-MM-DD HH:MM", group="Which group (default: this channel's)"
    )
    async def move(self, interaction: discord.Interaction, when: str, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        day, at = parse_when(when)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        if schedule is None:
            raise Refusal("schedule.none", name=shown(target.name))
        upcoming = await self.bot.planner.upcoming(target, 2)
        if not upcoming:
            raise Refusal("schedule.none", name=shown(target.name))
        moved_to = local_instant(day, at, ZoneInfo(schedule.timezone))
        if moved_to <= self.bot.clock.now():
            raise Refusal("schedule.move_past", zone=schedule.timezone)
        if len(upcoming) > 1 and moved_to >= upcoming[1].starts_at:
            raise Refusal("schedule.move_past_following", following=discord.utils.format_dt(upcoming[1].starts_at, "F"))
        await self.bot.store.schedules.set_override(
            ScheduleOverride(
                group_id=target.id,
                guild_id=target.guild_id,
                regular_date=upcoming[0].regular_date,
                action="move",
                moved_to=moved_to,
            )
        )
        await self.bot.replan(target)
        p = self.bot.prompts
        summary = p(
            "schedule.moved", before=discord.utils.format_dt(upcoming[0].starts_at, "F"), after=discord_time(moved_to)
        )
        await self._confirm(interaction, target, summary, "schedule.changed_note")

    @app_commands.command(name="clear", description="Stop scheduling meetings until a new schedule is set")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def clear(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if not await self.bot.store.schedules.delete(target.guild_id, target.id):
            raise Refusal("schedule.none", name=shown(target.name))
        await self.bot.replan(target)
        await self._confirm(
            interaction, target, self.bot.prompts("schedule.cleared", name=shown(target.name)), "schedule.cleared_note"
        )

    @app_commands.command(name="reminders", description="When reminders go out before each meeting")
    @app_commands.describe(
        before="Up to 4, each 5m to 7d before the meeting, e.g. 24h, 15m (or none)",
        group="Which group (default: the group of this channel)",
    )
    async def reminders(self, interaction: discord.Interaction, before: str, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        minutes = parse_offsets(before)
        await self.bot.store.groups.set_reminders(target.guild_id, target.id, minutes)
        updated = await self.bot.store.groups.get(target.guild_id, target.id)
        assert updated is not None
        await self.bot.replan(updated)
        await reply(
            interaction,
            self.bot.prompts(
                "schedule.reminders_saved", name=shown(target.name), reminders=reminders_text(self.bot, minutes)
            ),
        )

    set_schedule.autocomplete("timezone")(timezone_choices)
    set_schedule.autocomplete("group")(_group_choices)
    show.autocomplete("group")(_group_choices)
    skip.autocomplete("group")(_group_choices)
    move.autocomplete("group")(_group_choices)
    clear.autocomplete("group")(_group_choices)
    reminders.autocomplete("group")(_group_choices)

    # ---------------------------------------------------------------- deliveries

    async def deliver_reminder(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        if await self.bot.store.meetings.current(group.guild_id, group.id) is not None:
            raise NothingToSend("meeting_already_open")  # they started early: "starts soon" would be wrong
        member_ids = [m.user_id for m in await self.bot.store.groups.members(group.guild_id, group.id)]
        rsvps = await self.bot.store.rsvps.for_meeting(group.guild_id, group.id, send.meeting_at)
        message = await post_planned(
            self.bot,
            group.text_channel_id,
            content=self.reminder_text(group, send.meeting_at, member_ids, rsvps),
            view=rsvp_view(self.bot, group.id, send.meeting_at),
            allowed_mentions=pinging(member_ids),
            nonce=f"ps{send.id}",
        )
        return message.id

    def reminder_text(self, group: Group, meeting_at: datetime, member_ids: list[int], rsvps: list[Rsvp]) -> str:
        p = self.bot.prompts
        lines = [
            p(
                "reminder.message",
                members=mentions(member_ids),
                name=shown(group.name),
                when=discord_time(meeting_at),
                voice=f"<#{group.voice_channel_id}>",
            )
        ]
        # Mentions show each reader the member's current name; edits never notify, so the tally pings nobody.
        for choice, emoji, _ in RSVP_CHOICES:
            answered = [r.user_id for r in rsvps if r.choice == choice]
            if answered:
                lines.append(
                    p(
                        "rsvp.tally_line",
                        emoji=emoji,
                        label=p(f"rsvp.button_{choice}"),
                        names=", ".join(f"<@{i}>" for i in answered),
                    )
                )
        return "\n".join(lines)

    async def answer_rsvp(
        self, interaction: discord.Interaction, group_id: int, meeting_at: datetime, choice: RsvpChoice
    ) -> None:
        member = member_of(interaction)
        store = self.bot.store
        group = await store.groups.get(member.guild.id, group_id)
        if group is None or not await store.groups.is_member(group.guild_id, group.id, member.id):
            raise Refusal("rsvp.members_only")
        if self.bot.clock.now() > meeting_at + RSVP_OPEN_AFTER_START:
            raise Refusal("rsvp.closed")
        await store.rsvps.answer(
            guild_id=group.guild_id,
            group_id=group.id,
            meeting_at=meeting_at,
            user_id=member.id,
            choice=choice,
            now=self.bot.clock.now(),
        )
        member_ids = [m.user_id for m in await store.groups.members(group.guild_id, group.id)]
        content = self.reminder_text(
            group, meeting_at, member_ids, await store.rsvps.for_meeting(group.guild_id, group.id, meeting_at)
        )
        await interaction.response.edit_message(content=content)
        await interaction.followup.send(self.bot.prompts(f"rsvp.noted_{choice}"), ephemeral=True)
        # Earlier reminders for the same meeting show the same tally.
        channel = self.bot.get_channel(group.text_channel_id)
        clicked = interaction.message.id if interaction.message else None
        for message_id in await store.sends.sent_messages(group.id, meeting_at, SendKind.REMINDER):
            if message_id != clicked and isinstance(channel, discord.TextChannel):
                try:
                    await channel.get_partial_message(message_id).edit(content=content)
                except discord.HTTPException:
                    log.info("Could not refresh the tally on reminder %s", message_id, exc_info=True)

    # ---------------------------------------------------------------- the scheduled event

    async def sync_event(self, group: Group, upcoming: Occurrence | None) -> None:
        """Keep one Discord scheduled event on the group's voice channel showing its next meeting."""
        guild = self.bot.get_guild(group.guild_id)
        voice = guild.get_channel(group.voice_channel_id) if guild else None
        if guild is None or not isinstance(voice, discord.VoiceChannel) or not guild.me.guild_permissions.manage_events:
            return
        event = guild.get_scheduled_event(group.event_id) if group.event_id else None
        if upcoming is None and group.event_id is None:
            return  # nothing shown, nothing to show
        if upcoming is not None and event is not None and group.event_starts_at == upcoming.starts_at:
            return  # already in step
        await self.bot.pacer.wait()  # a thousand meetings starting together must not mean a burst of requests
        # Only an event that hasn't started yet can be moved or removed; a started one ends on its own.
        editable = event if event is not None and event.status is discord.EventStatus.scheduled else None
        try:
            if upcoming is None:
                if editable is not None:
                    await editable.delete(reason="The group has no next meeting")
                if group.event_id is not None:
                    await self.bot.store.groups.set_event(group.guild_id, group.id, None, None)
                return
            name = self.bot.prompts("event.name", name=group.name)[:100]
            description = self.bot.prompts("event.description", name=group.name)
            if editable is not None:
                await editable.edit(
                    start_time=upcoming.starts_at, end_time=upcoming.starts_at + EVENT_LENGTH, name=name
                )
                event_id = editable.id
            else:
                created = await guild.create_scheduled_event(
                    name=name,
                    description=description,
                    channel=voice,
                    start_time=upcoming.starts_at,
                    end_time=upcoming.starts_at + EVENT_LENGTH,
                    entity_type=discord.EntityType.voice,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    reason=f"Next meeting of mastermind group {group.name!r}",
                )
                event_id = created.id
            await self.bot.store.groups.set_event(group.guild_id, group.id, event_id, upcoming.starts_at)
        except discord.HTTPException:
            log.warning("Could not update the scheduled event of group %s", group.id, exc_info=True)

    # ---------------------------------------------------------------- helpers

    async def _require_next(self, group: Group) -> Occurrence:
        upcoming = await self.bot.planner.next_meeting(group)
        if upcoming is None:
            raise Refusal("schedule.none", name=shown(group.name))
        return upcoming

    async def _confirm(self, interaction: discord.Interaction, group: Group, summary: str, note: str) -> None:
        """Answer the member who changed the schedule, and tell the group's channel who changed what."""
        await reply(interaction, summary)
        await tell_group(self.bot, group, self.bot.prompts(note, who=member_of(interaction).mention, summary=summary))


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Schedules(bot))
