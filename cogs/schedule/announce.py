"""How a schedule reads, and how a change to it is announced: shared by /schedule and the proposals' buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot
from cogs.common.delivery import tell_group
from cogs.common.errors import reply
from cogs.common.text import discord_time, shown
from mastermind.rules.schedule import WEEKDAYS, Occurrence
from prompts import Prompts
from storage.models import Group, Schedule


def every_text(p: Prompts, weeks: int) -> str:
    """every week, every 2 weeks"""
    return p("schedule.every_week") if weeks == 1 else p("schedule.every_weeks", weeks=weeks)


def cadence_text(p: Prompts, schedule: Schedule) -> str:
    return p(
        "schedule.cadence",
        every=every_text(p, schedule.every_weeks),
        weekday=p(f"weekday.{WEEKDAYS[schedule.weekday]}"),
        time=schedule.local_time.strftime("%H:%M"),
        zone=schedule.timezone,
    )


async def confirm(
    bot: MastermindBot,
    interaction: discord.Interaction,
    group: Group,
    summary: Callable[[Prompts], str],
    note: str,
    **note_values: Any,
) -> None:
    """Answer the member who changed the schedule, and tell the group's channel who changed what: the summary is
    written for each, in the reader's language."""
    await reply(interaction, summary(await bot.texts.reply(interaction, group)))
    in_group = summary(await bot.texts.group(group))
    await tell_group(bot, group, note, who=member_of(interaction).mention, summary=in_group, **note_values)


async def announce_schedule(
    bot: MastermindBot,
    interaction: discord.Interaction,
    group: Group,
    schedule: Schedule,
    upcoming: Occurrence,
    note: str,
    **note_values: Any,
) -> None:
    """Say what a newly set schedule is, to the member who set it and in the group's channel."""

    def summary(p: Prompts) -> str:
        return p(
            "schedule.set",
            name=shown(group.name),
            cadence=cadence_text(p, schedule),
            next=discord_time(upcoming.starts_at),
        )

    await confirm(bot, interaction, group, summary, note, **note_values)
