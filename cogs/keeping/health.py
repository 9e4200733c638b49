"""/groups health: every active group of the server in one view for organizers, worst first, paged."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.bot import MastermindBot, bot_of
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.items import Answering, label_of
from cogs.common.text import mention, shown
from mastermind.rules.health import PAGE_SIZE, Flag, GroupHealth, page_of
from prompts import Prompts

TREND_MARKS = {"up": "↑", "down": "↓", "flat": "→"}


class HealthPageButton(Answering, discord.ui.DynamicItem[discord.ui.Button], template=r"gh:page:(?P<page>\d+)"):
    """Previous / Next on the health view: each press reads the server's groups afresh (one query)."""

    def __init__(self, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"gh:page:{page}", disabled=disabled
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HealthPageButton:
        return cls(int(match["page"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        member = await bot.access.require_organizer(interaction)
        healths = await bot.keeper.health(member.guild.id)
        await interaction.response.edit_message(
            **health_message(await bot.texts.reply(interaction), healths, self.page)
        )


def flag_text(p: Prompts, flag: Flag) -> str:
    return p(f"health.flag_{flag.reason}", count=flag.amount)


def group_lines(p: Prompts, health: GroupHealth) -> list[str]:
    """One group: its state and why, when it last met and meets next, attendance and commitments of its latest
    meetings, and who is at risk."""
    group = health.group
    mark = "🚩" if health.flags else "⚠️" if health.drifting or health.paused else "✅"
    reasons = "; ".join(flag_text(p, flag) for flag in health.flags)
    lines = [p("health.group_flagged" if reasons else "health.group", mark=mark, name=shown(group.name), flags=reasons)]
    lines.append(
        p(
            "health.when",
            last=discord.utils.format_dt(health.last_held, "D") if health.last_held else p("health.never"),
            next=discord.utils.format_dt(health.next_meeting, "D") if health.next_meeting else p("health.none_next"),
        )
    )
    if health.attendance:
        lines.append(
            p(
                "health.attendance",
                meetings=" ".join(f"{present}/{counted}" for present, counted in health.attendance),
                trend=f" {TREND_MARKS[health.trend]}" if health.trend else "",
                kept=p("stats.percent", value=health.kept) if health.kept is not None else p("stats.none"),
                count=len(health.attendance),
            )
        )
    else:
        lines.append(p("health.no_meetings"))
    at_risk = [p("health.drifting", member=mention(m.user_id), count=m.absent_run) for m in health.drifting]
    at_risk += [p("health.paused", member=mention(m.user_id), count=m.paused_for) for m in health.paused]
    if at_risk:
        lines.append(p("health.at_risk", members=", ".join(at_risk)))
    return lines


def health_message(p: Prompts, healths: Sequence[GroupHealth], page: int) -> dict[str, Any]:
    """One page of the view, with its page buttons when there is more than one page."""
    page, pages = page_of(len(healths), page)
    shown_groups = healths[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    heading = p("health.heading", count=len(healths), page=page + 1, pages=pages)
    blocks = ["\n".join(group_lines(p, health)) for health in shown_groups] or [p("health.empty")]
    view = discord.ui.View(timeout=None)
    if pages > 1:
        view.add_item(HealthPageButton(max(page - 1, 0), p("health.previous"), disabled=page == 0))
        view.add_item(HealthPageButton(page + 1, p("health.next"), disabled=page == pages - 1))
    return {
        "content": heading,
        "embed": discord.Embed(description="\n\n".join(blocks)[:4096], colour=discord.Colour.blurple()),
        "view": view,
    }


class Health(commands.Cog):
    groups = app_commands.Group(name="groups", description=command_text("commands.groups"), guild_only=True)

    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(HealthPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(HealthPageButton)

    @groups.command(name="health", description=command_text("commands.groups_health"))
    async def health(self, interaction: discord.Interaction) -> None:
        member = await self.bot.access.require_organizer(interaction)
        healths = await self.bot.keeper.health(member.guild.id)
        await reply(interaction, **health_message(await self.bot.texts.reply(interaction), healths, 0))
