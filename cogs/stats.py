"""/stats: attendance, commitments kept, and attendance streaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.shared import fit_lines, reply, shown
from mastermind.errors import Refusal
from mastermind.stats import MemberStats, group_totals, member_stats
from prompts import Prompts
from storage.models import Group

if TYPE_CHECKING:
    from bot import MastermindBot


class Stats(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description="Attendance and commitments kept, per member and for the group")
    @app_commands.describe(group="Which group (default: the group of this channel)", member="Only this member")
    @app_commands.guild_only()
    async def stats(
        self, interaction: discord.Interaction, group: str | None = None, member: discord.Member | None = None
    ) -> None:
        target = await self.bot.access.member_group(interaction, group, active=False)
        figures = await self.figures(target)
        if member is not None and member.id not in {figure.user_id for figure in figures}:
            raise Refusal("group.not_a_member", member=member.mention, name=shown(target.name))
        await reply(interaction, self.render(target, figures, only=member.id if member else None))

    @stats.autocomplete("group")
    async def _group_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.bot.access.group_choices(interaction, current)

    async def figures(self, group: Group) -> list[MemberStats]:
        """Each member's figures, from one query however long the group's history."""
        return [member_stats(record) for record in await self.bot.store.stats.member_records(group.guild_id, group.id)]

    def render(self, group: Group, figures: list[MemberStats], *, only: int | None) -> str:
        p = self.bot.prompts
        held = max((f.meetings for f in figures), default=0)
        lines = [p("stats.heading", name=shown(group.name), count=held)]
        for figure in figures:
            if only is None or figure.user_id == only:
                lines.append(
                    p(
                        "stats.member_line",
                        member=f"<@{figure.user_id}>",
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
            lines.append(
                p("stats.group_line", attendance=_percent(p, totals.attendance), kept=_percent(p, totals.kept))
            )
        return fit_lines(lines, p)


def _percent(prompts: Prompts, value: int | None) -> str:
    return f"{value}%" if value is not None else prompts("stats.none")


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Stats(bot))
