"""/availability: members' usual free hours in their own time zone, which /schedule find works from."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import mention
from cogs.common.timezones import timezone_choices
from mastermind.errors import Person, Refusal
from mastermind.rules.access import may_see_hours
from mastermind.rules.availability import WeeklyHours, clock_text, day_runs, parse_hours, zone_for_hours
from mastermind.rules.schedule import WEEKDAYS
from prompts import Prompts
from storage.models import MemberHours


def hours_text(p: Prompts, hours: WeeklyHours, zone: str) -> str:
    """The hours in words: "Mon–Fri 07:00–09:00 and 18:30–21:00, Sat 10:00–13:00 (Europe/Berlin)"."""
    parts = []
    for run in day_runs(hours):
        first, last = (p(f"weekday_short.{WEEKDAYS[day]}") for day in (run.first, run.last))
        if (run.first, run.last) == (0, 6):
            days = p("availability.every_day")
        else:
            days = first if run.first == run.last else p("availability.day_range", first=first, last=last)
        ranges = p("common.and").join(
            p("availability.time_range", start=clock_text(start), end=clock_text(end)) for start, end in run.ranges
        )
        parts.append(p("availability.day_hours", days=days, ranges=ranges))
    return p("availability.hours", hours=", ".join(parts), zone=zone)


@app_commands.guild_only()
class Availability(
    commands.GroupCog, group_name="availability", group_description=command_text("commands.availability")
):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="set", description=command_text("commands.availability_set"))
    @app_commands.describe(
        hours=command_text("options.availability_hours"), timezone=command_text("options.availability_timezone")
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    async def set_hours(
        self, interaction: discord.Interaction, hours: app_commands.Range[str, 1, 1000], timezone: str | None = None
    ) -> None:
        member = member_of(interaction)
        parsed = parse_hours(hours)
        store = self.bot.store
        known = await store.availability.get(member.guild.id, member.id)
        zone_name = zone_for_hours(
            timezone,
            remembered=known.timezone if known else None,
            server=await store.settings.default_zone(member.guild.id),
        )
        await store.availability.save(
            MemberHours(guild_id=member.guild.id, user_id=member.id, timezone=zone_name, ranges=tuple(parsed.ranges())),
            now=self.bot.clock.now(),
        )
        p = await self.bot.texts.reply(interaction)
        await reply(interaction, p("availability.saved", hours=hours_text(p, parsed, zone_name)))

    @app_commands.command(name="show", description=command_text("commands.availability_show"))
    @app_commands.describe(member=command_text("options.availability_member"))
    async def show(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        viewer = member_of(interaction)
        whose = member or viewer
        store = self.bot.store
        if whose.id != viewer.id:
            shares_group = await store.groups.share_a_group(viewer.guild.id, viewer.id, whose.id)
            organizer = not shares_group and await self.bot.access.is_organizer(viewer)
            if not may_see_hours(is_self=False, shares_group=shares_group, is_organizer=organizer):
                raise Refusal("availability.private", member=Person(whose.id))
        known = await store.availability.get(viewer.guild.id, whose.id)
        if known is None or not known.ranges:
            if whose.id == viewer.id:
                raise Refusal("availability.none_yours")
            raise Refusal("availability.none", member=Person(whose.id))
        p = await self.bot.texts.reply(interaction)
        hours = hours_text(p, WeeklyHours.of(known.ranges), known.timezone)
        await reply(interaction, p("availability.show", member=mention(whose.id), hours=hours))

    @app_commands.command(name="clear", description=command_text("commands.availability_clear"))
    async def clear(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        if not await self.bot.store.availability.clear(member.guild.id, member.id):
            raise Refusal("availability.none_yours")
        await reply(interaction, (await self.bot.texts.reply(interaction))("availability.cleared"))


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Availability(bot))
