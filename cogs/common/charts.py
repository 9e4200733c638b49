"""A group's attendance chart as a Discord attachment, with alt text that says what it shows: for /stats and for
each meeting's summary."""

from __future__ import annotations

import asyncio
import io

import discord

from cogs.common.bot import MastermindBot
from mastermind.charts import ChartText, DrawnChart, render_chart
from mastermind.rules.stats import CELLS, ChartData
from prompts import Prompts
from storage.models import Group

CHART_FILENAME = "attendance.png"
ALT_TEXT_LIMIT = 1024  # Discord's limit on an attachment's description


def _name(guild: discord.Guild | None, user_id: int, p: Prompts) -> str:
    member = guild.get_member(user_id) if guild is not None else None
    return member.display_name if member is not None else p("chart.former_member")


def chart_text(p: Prompts, group: Group, data: ChartData, names: list[str]) -> ChartText:
    return ChartText(
        title=p("chart.title", name=group.name, count=data.meetings),
        names=names,
        legend={cell: p(f"chart.{cell}") for cell in CELLS},
        kept=p("chart.kept"),
        kept_so_far=p("chart.kept_so_far"),
    )


def alt_text(p: Prompts, group: Group, data: ChartData, names: list[str]) -> str:
    """What the chart shows, for whoever can't see it: who, over how many meetings, and the counts it draws."""
    kept = [value for value in data.kept if value is not None]
    text = p(
        "chart.alt",
        name=group.name,
        members=", ".join(names),
        count=data.meetings,
        present=data.count("present"),
        absent=data.count("absent"),
        paused=data.count("paused"),
        kept=p("chart.alt_kept", low=min(kept), high=max(kept), latest=kept[-1]) if kept else p("chart.alt_no_kept"),
    )
    return text if len(text) <= ALT_TEXT_LIMIT else text[: ALT_TEXT_LIMIT - 1] + "…"


async def group_chart(bot: MastermindBot, p: Prompts, group: Group, *, only: int | None = None) -> discord.File | None:
    """The chart of the group (or of one member in it) in the reader's language, drawn off the event loop, or as
    drawn before for the same meetings, members, names and language; None before any meeting closed."""
    latest, records, members = await bot.store.stats.chart_version(group.guild_id, group.id)
    if latest == 0 or (only is not None and only not in members):
        return None
    guild = bot.get_guild(group.guild_id)
    named = tuple((m, _name(guild, m, p)) for m in members)
    key = (group.id, group.name, p.language, latest, records, only, named)
    drawn = bot.charts.get(key)
    if drawn is None:
        data = await bot.keeper.chart(group, only)
        names = [_name(guild, user_id, p) for user_id in data.members]
        png = await asyncio.to_thread(render_chart, data, chart_text(p, group, data, names))
        drawn = DrawnChart(png, alt_text(p, group, data, names))
        bot.charts.put(key, drawn)
    return discord.File(io.BytesIO(drawn.png), filename=CHART_FILENAME, description=drawn.alt_text)
