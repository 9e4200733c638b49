"""/schedule: set, show, skip, move and clear a group's meetings, and choose when reminders go out."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption, member_of
from cogs.common.bot import MastermindBot
from cogs.common.delivery import tell_group
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import discord_time, shown
from cogs.common.timezones import timezone_choices
from mastermind.errors import Refusal
from mastermind.rules import timezones
from mastermind.rules.schedule import (
    MAX_REMINDERS,
    WEEKDAYS,
    Occurrence,
    check_move,
    format_offset,
    latest_reminder,
    moved_start,
    new_schedule,
    parse_offsets,
    parse_time_of_day,
    parse_when,
    too_early_reminder,
)
from prompts import Prompts
from storage.models import Group, Schedule, ScheduleOverride

GROUP = command_text("options.group")


def cadence_text(p: Prompts, schedule: Schedule) -> str:
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


def reminders_text(p: Prompts, minutes: tuple[int, ...]) -> str:
    if not minutes:
        return p("schedule.no_reminders")
    return p("schedule.reminders", offsets=p("common.and").join(format_offset(m) for m in minutes))


@app_commands.guild_only()
class Schedules(commands.GroupCog, group_name="schedule", group_description=command_text("commands.schedule")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="set", description=command_text("commands.schedule_set"))
    @app_commands.describe(
        weekday=command_text("options.schedule_weekday"),
        time=command_text("options.schedule_time"),
        timezone=command_text("options.schedule_timezone"),
        every_weeks=command_text("options.schedule_every_weeks"),
        group=GROUP,
    )
    @app_commands.choices(
        weekday=[app_commands.Choice(name=command_text(f"weekday.{day}"), value=day) for day in WEEKDAYS]
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    async def set_schedule(
        self,
        interaction: discord.Interaction,
        weekday: str,
        time: str,
        timezone: str | None = None,
        every_weeks: app_commands.Range[int, 1, 8] = 2,
        group: GroupOption | None = None,
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        at = parse_time_of_day(time)
        too_early = too_early_reminder(target.reminder_minutes, every_weeks)
        if too_early is not None:
            raise Refusal(
                "schedule.reminders_dont_fit",
                name=target.name,
                value=format_offset(too_early),
                weeks=every_weeks,
                latest=format_offset(latest_reminder(every_weeks)),
            )
        if timezone:
            zone_name = timezones.parse_zone(timezone)
        else:
            zone_name = (await self.bot.store.settings.get(target.guild_id)).timezone
        now = self.bot.clock.now()
        schedule = new_schedule(
            group_id=target.id,
            guild_id=target.guild_id,
            weekday=WEEKDAYS.index(weekday),
            at=at,
            zone_name=zone_name,
            every_weeks=every_weeks,
            now=now,
        )
        await self.bot.store.schedules.save(schedule, now=now)
        upcoming = await self.bot.planner.replan(target)
        assert upcoming is not None
        p = self.bot.prompts
        summary = p(
            "schedule.set",
            name=shown(target.name),
            cadence=cadence_text(p, schedule),
            next=discord_time(upcoming.starts_at),
        )
        await self._confirm(interaction, target, summary, "schedule.set_note")

    @app_commands.command(name="show", description=command_text("commands.schedule_show"))
    @app_commands.describe(group=GROUP)
    async def show(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        p = self.bot.prompts
        if schedule is None:
            raise Refusal("schedule.none", name=target.name)
        upcoming = await self.bot.planner.upcoming(target, 3)
        lines = [
            p("schedule.show_heading", name=shown(target.name), cadence=cadence_text(p, schedule)),
            reminders_text(p, target.reminder_minutes),
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

    @app_commands.command(name="skip", description=command_text("commands.schedule_skip"))
    @app_commands.describe(group=GROUP)
    async def skip(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        upcoming = await self._require_next(target)
        await self.bot.store.schedules.set_override(
            ScheduleOverride(
                group_id=target.id, guild_id=target.guild_id, regular_date=upcoming.regular_date, action="skip"
            )
        )
        following = await self.bot.planner.replan(target)
        p = self.bot.prompts
        summary = p(
            "schedule.skipped",
            skipped=discord.utils.format_dt(upcoming.starts_at, "F"),
            next=discord_time(following.starts_at) if following else p("schedule.nothing_planned"),
        )
        await self._confirm(interaction, target, summary, "schedule.changed_note")

    @app_commands.command(name="move", description=command_text("commands.schedule_move"))
    @app_commands.describe(when=command_text("options.schedule_when"), group=GROUP)
    async def move(self, interaction: discord.Interaction, when: str, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        day, at = parse_when(when)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        if schedule is None:
            raise Refusal("schedule.none", name=target.name)
        upcoming = await self.bot.planner.upcoming(target, 2)
        if not upcoming:
            raise Refusal("schedule.none", name=target.name)
        now = self.bot.clock.now()
        moved_to = moved_start(day, at, schedule.timezone, now=now)
        check_move(moved_to, now=now, upcoming=upcoming, zone_name=schedule.timezone)
        await self.bot.store.schedules.set_override(
            ScheduleOverride(
                group_id=target.id,
                guild_id=target.guild_id,
                regular_date=upcoming[0].regular_date,
                action="move",
                moved_to=moved_to,
            )
        )
        await self.bot.planner.replan(target)
        summary = self.bot.prompts(
            "schedule.moved", before=discord.utils.format_dt(upcoming[0].starts_at, "F"), after=discord_time(moved_to)
        )
        await self._confirm(interaction, target, summary, "schedule.changed_note")

    @app_commands.command(name="clear", description=command_text("commands.schedule_clear"))
    @app_commands.describe(group=GROUP)
    async def clear(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if not await self.bot.store.schedules.delete(target.guild_id, target.id, now=self.bot.clock.now()):
            raise Refusal("schedule.none", name=target.name)
        await self.bot.planner.replan(target)
        await self._confirm(
            interaction, target, self.bot.prompts("schedule.cleared", name=shown(target.name)), "schedule.cleared_note"
        )

    @app_commands.command(name="reminders", description=command_text("commands.schedule_reminders"))
    @app_commands.describe(before=command_text("options.schedule_before", max=MAX_REMINDERS), group=GROUP)
    async def reminders(self, interaction: discord.Interaction, before: str, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        minutes = parse_offsets(before)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        too_early = too_early_reminder(minutes, schedule.every_weeks) if schedule else None
        if schedule is not None and too_early is not None:
            raise Refusal(
                "schedule.reminder_too_early",
                name=target.name,
                value=format_offset(too_early),
                weeks=schedule.every_weeks,
                latest=format_offset(latest_reminder(schedule.every_weeks)),
            )
        await self.bot.store.groups.set_reminders(target.guild_id, target.id, minutes)
        await self.bot.planner.replan(target.model_copy(update={"reminder_minutes": minutes}))
        await reply(
            interaction,
            self.bot.prompts(
                "schedule.reminders_saved", name=shown(target.name), reminders=reminders_text(self.bot.prompts, minutes)
            ),
        )

    async def _require_next(self, group: Group) -> Occurrence:
        upcoming = await self.bot.planner.next_meeting(group)
        if upcoming is None:
            raise Refusal("schedule.none", name=group.name)
        return upcoming

    async def _confirm(self, interaction: discord.Interaction, group: Group, summary: str, note: str) -> None:
        """Answer the member who changed the schedule, and tell the group's channel who changed what."""
        await reply(interaction, summary)
        await tell_group(self.bot, group, self.bot.prompts(note, who=member_of(interaction).mention, summary=summary))
