"""/goals: set your commitments for the next meeting, mark them, and read a member's ledger."""

from __future__ import annotations

from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption, member_of
from cogs.common.bot import MastermindBot
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import STATUS_MARKS, fit_lines, goal_lines, shorten, shown
from cogs.goals.marking import saved_text
from mastermind.errors import Person, Refusal
from mastermind.rules.ledger import (
    CHECK_STATUSES,
    MAX_GOAL_LENGTH,
    MAX_GOALS,
    parse_commitment_id,
    parse_goals,
    parse_note,
)
from storage.models import Commitment, CommitmentStatus, Group

GROUP = command_text("options.group")
HISTORY_MEETINGS = 3


@app_commands.guild_only()
class Goals(commands.GroupCog, group_name="goals", group_description=command_text("commands.goals")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="set", description=command_text("commands.goals_set"))
    @app_commands.describe(
        goals=command_text("options.goals_goals", max=MAX_GOALS, length=MAX_GOAL_LENGTH),
        carry_over=command_text("options.goals_carry_over"),
        group=GROUP,
    )
    async def set_goals(
        self,
        interaction: discord.Interaction,
        goals: app_commands.Range[str, 1, 2000] | None = None,
        carry_over: bool = False,
        group: GroupOption | None = None,
    ) -> None:
        target, member = await self._own_group(interaction, group)
        if goals is None and not carry_over:
            raise Refusal("goals.nothing_given")
        if goals is not None:
            saved = await self.bot.ledger.set_goals(target, member.id, parse_goals(goals), carry_over=carry_over)
        else:
            saved = await self.bot.ledger.carry_over(target, member.id)
        await reply(interaction, saved_text(await self.bot.texts.reply(interaction, target), saved))

    @app_commands.command(name="check", description=command_text("commands.goals_check"))
    @app_commands.describe(
        goal=command_text("options.goals_goal"),
        status=command_text("options.goals_status"),
        note=command_text("options.goals_note"),
        group=GROUP,
    )
    @app_commands.choices(
        status=[app_commands.Choice(name=command_text(f"goals.status_{s}"), value=s) for s in CHECK_STATUSES]
    )
    async def check(
        self,
        interaction: discord.Interaction,
        goal: str,
        status: str,
        note: app_commands.Range[str, 1, 500] | None = None,
        group: GroupOption | None = None,
    ) -> None:
        target, member = await self._own_group(interaction, group)
        commitment_id = parse_commitment_id(goal)
        remark = parse_note(note)
        context = await self.bot.ledger.context(target.guild_id, commitment_id, actor_id=member.id)
        if context.group.id != target.id:
            raise Refusal("goals.unknown")
        if context.commitment.user_id != member.id:
            raise Refusal("goals.not_yours")
        outcome: CommitmentStatus = status  # type: ignore[assignment]
        checked = await self.bot.ledger.mark(context, outcome, remark)
        p = await self.bot.texts.reply(interaction, context.group)
        await reply(interaction, p(f"goals.checked_{status}", goal=shown(checked.text)))

    @check.autocomplete("goal")
    async def _goal_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """The caller's commitments they can mark now; the value is the commitment's id."""
        try:
            group = await self.bot.access.group(interaction, getattr(interaction.namespace, "group", None))
        except Refusal:
            return []
        commitments = await self.bot.ledger.checkable(group, interaction.user.id)
        typed = current.casefold()
        return [
            app_commands.Choice(name=shorten(f"{STATUS_MARKS[c.status]} {c.text}", 100), value=str(c.id))
            for c in commitments
            if typed in c.text.casefold()
        ][:25]

    @app_commands.command(name="list", description=command_text("commands.goals_list"))
    @app_commands.describe(member=command_text("options.goals_member"), group=GROUP)
    async def list_goals(
        self, interaction: discord.Interaction, member: discord.Member | None = None, group: GroupOption | None = None
    ) -> None:
        target = await self.bot.access.member_group(interaction, group, active=False)
        whose = member or member_of(interaction)
        store = self.bot.store
        if not await store.groups.is_member(target.guild_id, target.id, whose.id):
            raise Refusal("group.not_a_member", member=Person(whose.id), name=target.name)
        p = await self.bot.texts.reply(interaction, target)
        # The meeting under way (if any) plus the last few held: one query.
        entries = await store.commitments.ledger(target.guild_id, target.id, whose.id, meetings=HISTORY_MEETINGS + 1)
        upcoming = [e.commitment for e in entries if e.meeting_starts_at is None]
        due_now = [e.commitment for e in entries if e.meeting_open]
        past: dict[datetime, list[Commitment]] = {}  # newest meeting first, as the ledger orders them
        for entry in entries:
            if entry.meeting_starts_at is not None and not entry.meeting_open:
                past.setdefault(entry.meeting_starts_at, []).append(entry.commitment)
        lines = [p("goals.list_heading", member=whose.mention, name=shown(target.name))]
        if due_now:
            lines += [p("goals.list_due_now"), *(f"• {line}" for line in goal_lines(due_now, 200))]
        lines += [p("goals.list_upcoming")]
        lines += [f"• {line}" for line in goal_lines(upcoming, 200)] or [p("goals.list_none")]
        if past:
            lines.append(p("goals.list_history"))
            for starts_at, commitments in list(past.items())[:HISTORY_MEETINGS]:
                lines.append(f"{discord.utils.format_dt(starts_at, 'D')}: " + " · ".join(goal_lines(commitments, 80)))
        await reply(interaction, fit_lines(lines, p))

    async def _own_group(self, interaction: discord.Interaction, group: str | None) -> tuple[Group, discord.Member]:
        """The group, for a member acting on their own commitments."""
        found = await self.bot.access.locate(interaction, group, active=True)
        if not found.is_member:
            raise Refusal("goals.members_only", name=found.group.name)
        return found.group, member_of(interaction)
