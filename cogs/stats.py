"""/stats: attendance, commitments kept, and attendance streaks, with the chart of every meeting."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption
from cogs.common.bot import MastermindBot
from cogs.common.charts import group_chart
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import fit_lines, mention, shown
from mastermind.errors import Person, Refusal
from mastermind.rules.stats import MemberStats, group_totals, meetings_held, member_stats
from prompts import Prompts
from storage.models import Group


class Stats(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description=command_text("commands.stats"))
    @app_commands.describe(group=command_text("options.group"), member=command_text("options.stats_member"))
    @app_commands.guild_only()
    async def stats(
        self, interaction: discord.Interaction, group: GroupOption | None = None, member: discord.Member | None = None
    ) -> None:
        target = await self.bot.access.member_group(interaction, group, active=False)
        figures = await self.figures(target)
        if member is not None and member.id not in {figure.user_id for figure in figures}:
            raise Refusal("group.not_a_member", member=Person(member.id), name=target.name)
        only = member.id if member else None
        p = await self.bot.texts.reply(interaction, target)
        text = render(p, target, figures, only=only)
        chart = await group_chart(self.bot, p, target, only=only)
        await reply(interaction, text, **({"file": chart} if chart is not None else {}))

    async def figures(self, group: Group) -> list[MemberStats]:
        """Each member's figures, from one query however long the group's history."""
        snapshot = await self.bot.store.stats.snapshot(group.guild_id, group.id)
        return [
            member_stats(record, [status for user_id, status in snapshot.open_outcomes if user_id == record.user_id])
            for record in snapshot.records
        ]


def render(p: Prompts, group: Group, figures: list[MemberStats], *, only: int | None) -> str:
    lines = [p("stats.heading", name=shown(group.name), count=meetings_held(figures))]
    for figure in figures:
        if only is None or figure.user_id == only:
            lines.append(
                p(
                    "stats.member_line",
                    member=mention(figure.user_id),
                    attendance=_percent(p, figure.attendance),
                    attended=figure.attended,
                    meetings=figure.meetings,
                    kept=_percent(p, figure.kept),
                    checked=figure.checked,
                    streak=figure.streak,
                )
            )
    if only is None:
        totals = group_totals(figures)
        lines.append(p("stats.group_line", attendance=_percent(p, totals.attendance), kept=_percent(p, totals.kept)))
    return fit_lines(lines, p)


def _percent(p: Prompts, value: int | None) -> str:
    return p("stats.percent", value=value) if value is not None else p("stats.none")


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Stats(bot))
