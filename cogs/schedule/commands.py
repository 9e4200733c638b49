"""/schedule: set, find, show, skip, move and clear a group's meetings, and choose when reminders go out."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption
from cogs.common.bot import MastermindBot
from cogs.common.delivery import text_channel
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import discord_time, shown
from cogs.common.timezones import timezone_choices
from cogs.schedule.announce import announce_schedule, cadence_text, confirm
from cogs.schedule.finding import UseTimeButton, post_proposal
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
    parse_offsets,
    parse_time_of_day,
    parse_when,
    too_early_reminder,
)
from prompts import Prompts
from storage.models import Group, ScheduleOverride

GROUP = command_text("options.group")


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
        if timezone:
            zone_name = timezones.parse_zone(timezone)
        else:
            zone_name = await self.bot.store.settings.default_zone(target.guild_id) or "UTC"
        schedule, upcoming = await self.bot.planner.set_schedule(
            target, weekday=WEEKDAYS.index(weekday), at=at, zone_name=zone_name, every_weeks=every_weeks
        )
        await announce_schedule(self.bot, interaction, target, schedule, upcoming, "schedule.set_note")

    @app_commands.command(name="find", description=command_text("commands.schedule_find"))
    @app_commands.describe(
        group=GROUP,
        length=command_text("options.find_length"),
        every_weeks=command_text("options.schedule_every_weeks"),
    )
    async def find(
        self,
        interaction: discord.Interaction,
        group: GroupOption | None = None,
        length: app_commands.Range[int, 30, 180] = 60,
        every_weeks: app_commands.Range[int, 1, 8] = 2,
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if text_channel(self.bot, target) is None:
            raise Refusal("find.no_channel", name=target.name)  # before a proposal is kept that nobody could see
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.time_finder.propose(
            target, length=length, every_weeks=every_weeks, by=interaction.user.id
        )
        message = await post_proposal(self.bot, target, found)
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("find.posted", count=len(found.candidates), link=message.jump_url))

    @app_commands.command(name="show", description=command_text("commands.schedule_show"))
    @app_commands.describe(group=GROUP)
    async def show(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        schedule = await self.bot.store.schedules.get(target.guild_id, target.id)
        if schedule is None:
            raise Refusal("schedule.none", name=target.name)
        upcoming = await self.bot.planner.upcoming(target, 3)
        p = await self.bot.texts.reply(interaction, target)
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

        def summary(p: Prompts) -> str:
            return p(
                "schedule.skipped",
                skipped=discord.utils.format_dt(upcoming.starts_at, "F"),
                next=discord_time(following.starts_at) if following else p("schedule.nothing_planned"),
            )

        await confirm(self.bot, interaction, target, summary, "schedule.changed_note")

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

        def summary(p: Prompts) -> str:
            return p(
                "schedule.moved",
                before=discord.utils.format_dt(upcoming[0].starts_at, "F"),
                after=discord_time(moved_to),
            )

        await confirm(self.bot, interaction, target, summary, "schedule.changed_note")

    @app_commands.command(name="clear", description=command_text("commands.schedule_clear"))
    @app_commands.describe(group=GROUP)
    async def clear(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if not await self.bot.store.schedules.delete(target.guild_id, target.id, now=self.bot.clock.now()):
            raise Refusal("schedule.none", name=target.name)
        await self.bot.planner.replan(target)
        await confirm(
            self.bot,
            interaction,
            target,
            lambda p: p("schedule.cleared", name=shown(target.name)),
            "schedule.cleared_note",
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
        p = await self.bot.texts.reply(interaction, target)
        await reply(
            interaction, p("schedule.reminders_saved", name=shown(target.name), reminders=reminders_text(p, minutes))
        )

    async def _require_next(self, group: Group) -> Occurrence:
        upcoming = await self.bot.planner.next_meeting(group)
        if upcoming is None:
            raise Refusal("schedule.none", name=group.name)
        return upcoming

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(UseTimeButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(UseTimeButton)
