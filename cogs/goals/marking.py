"""Marking commitments done, partly done or missed (on a hot-seat turn, or in a member's private panel), and the
"Set my goals" form. Other features place these controls; the work they do happens here."""

from __future__ import annotations

import re
from typing import Any, Literal

import discord
from discord.ext import commands

from cogs.common.access import actor_of, member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.errors import answering, reply
from cogs.common.items import Answering, label_of, select_looks
from cogs.common.text import STATUS_MARKS, goal_lines, shorten, shown
from mastermind.errors import Person, Refusal
from mastermind.rules.access import is_organizer
from mastermind.rules.ledger import CHECK_STATUSES, MAX_GOAL_LENGTH, MAX_GOALS, may_mark, parse_goals
from prompts import Prompts
from storage.models import Commitment, CommitmentStatus, Group

GOALS_FORM = re.compile(r"goals:form:(?P<group_id>\d+):(?P<user_id>\d+)")
Surface = Literal["turn", "panel"]


def commitment_select(p: Prompts, commitment: Commitment, *, surface: Surface) -> CommitmentSelect:
    options = [
        discord.SelectOption(
            label=p(f"goals.status_{status}"),
            value=status,
            emoji=STATUS_MARKS[status],
            default=commitment.status == status,
        )
        for status in CHECK_STATUSES
    ]
    placeholder = shorten(p("goals.mark_placeholder", goal=commitment.text), 150)
    return CommitmentSelect(commitment.id, surface, placeholder=placeholder, options=options)


class CommitmentSelect(
    Answering,
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"goal:mark:(?P<commitment_id>\d+):(?P<surface>turn|panel)",
):
    """Done / partly done / missed, for one commitment: on the owner's turn, or in their private panel."""

    def __init__(
        self, commitment_id: int, surface: Surface, *, placeholder: str | None, options: list[discord.SelectOption]
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"goal:mark:{commitment_id}:{surface}", placeholder=placeholder, options=options
            )
        )
        self.commitment_id = commitment_id
        self.surface: Surface = surface

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CommitmentSelect:
        surface: Surface = match["surface"]  # type: ignore[assignment]
        placeholder, options = select_looks(item)
        return cls(int(match["commitment_id"]), surface, placeholder=placeholder, options=options)

    async def act(self, interaction: discord.Interaction) -> None:
        status: CommitmentStatus = self.item.values[0]  # type: ignore[assignment]
        await mark(bot_of(interaction), interaction, self.commitment_id, self.surface, status)


class UpdateCommitmentsButton(
    Answering, discord.ui.DynamicItem[discord.ui.Button], template=r"goals:update:(?P<group_id>\d+)"
):
    """On the nudge: opens the clicker's own commitments, privately, to mark them."""

    def __init__(self, group_id: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="🎯", style=discord.ButtonStyle.primary, custom_id=f"goals:update:{group_id}"
            )
        )
        self.group_id = group_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> UpdateCommitmentsButton:
        return cls(int(match["group_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        await show_panel(bot_of(interaction), interaction, self.group_id)


async def mark(
    bot: MastermindBot, interaction: discord.Interaction, commitment_id: int, surface: Surface, status: CommitmentStatus
) -> None:
    """A member marks one of their commitments from a menu (an organizer may mark it for them)."""
    member = member_of(interaction)
    context = await bot.ledger.context(member.guild.id, commitment_id, actor_id=member.id)
    owner = context.commitment.user_id
    if not may_mark(member.id, owner, actor_is_organizer=is_organizer(actor_of(member), context.organizer_role_id)):
        raise Refusal("hotseat.not_your_turn" if surface == "turn" else "goals.not_yours", member=Person(owner))
    await bot.ledger.mark(context, status)
    if surface == "panel":
        content, view = await _panel(bot, await bot.texts.reply(interaction, context.group), context.group, owner)
        await interaction.response.edit_message(content=content, view=view)
    else:
        await interaction.response.defer()  # the turn message is redrawn for everyone


async def show_panel(bot: MastermindBot, interaction: discord.Interaction, group_id: int) -> None:
    member = member_of(interaction)
    group = await bot.store.groups.get(member.guild.id, group_id)
    if group is None or not await bot.store.groups.is_member(group.guild_id, group.id, member.id):
        raise Refusal("goals.members_only", name=group.name if group else "?")
    content, view = await _panel(bot, await bot.texts.reply(interaction, group), group, member.id)
    await reply(interaction, content, view=view)


async def _panel(bot: MastermindBot, p: Prompts, group: Group, user_id: int) -> tuple[str, discord.ui.View]:
    """A member's private panel: each commitment they can mark now, with its control."""
    commitments = await bot.ledger.checkable(group, user_id)
    view = discord.ui.View(timeout=None)
    if not commitments:
        return p("goals.panel_empty"), view
    for commitment in commitments:
        view.add_item(commitment_select(p, commitment, surface="panel"))
    lines = [p("goals.panel_heading", name=shown(group.name))]
    lines += [f"{number}. {line}" for number, line in enumerate(goal_lines(commitments, 200), start=1)]
    return "\n".join(lines), view


def saved_text(p: Prompts, saved: list[Commitment]) -> str:
    lines = [p("goals.saved", count=len(saved))]
    lines += [f"{number}. {shown(c.text)}" for number, c in enumerate(saved, start=1)]
    return "\n".join(lines)


async def open_goals_form(bot: MastermindBot, interaction: discord.Interaction, group: Group, user_id: int) -> None:
    """The "Set my goals" form, filled with what is set already."""
    p = await bot.texts.reply(interaction, group)
    current = await bot.store.commitments.upcoming(group.guild_id, group.id, user_id)
    form = discord.ui.Modal(title=p("goals.form_title"), custom_id=f"goals:form:{group.id}:{user_id}", timeout=None)
    form.add_item(
        discord.ui.TextInput(
            label=p("goals.form_label", max=MAX_GOALS),
            custom_id="goals",
            style=discord.TextStyle.paragraph,
            placeholder=p("goals.form_placeholder"),
            default="\n".join(c.text for c in current) or None,
            max_length=MAX_GOALS * (MAX_GOAL_LENGTH + 1),
        )
    )
    await interaction.response.send_modal(form)
    # Submissions are answered by Marking.on_interaction, from the form's id alone, so a form opened before a
    # restart still saves after it; nothing needs to stay in memory while the member types.
    form.stop()


def submitted_value(components: list[dict[str, Any]], custom_id: str) -> str | None:
    """A text field's value in a submitted form, wherever Discord nested it (rows or labels)."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component.get("value")
        nested = component.get("components") or ([component["component"]] if "component" in component else [])
        found = submitted_value(nested, custom_id)
        if found is not None:
            return found
    return None


class Marking(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CommitmentSelect, UpdateCommitmentsButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CommitmentSelect, UpdateCommitmentsButton)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
            return
        match = GOALS_FORM.fullmatch(str(interaction.data.get("custom_id", "")))
        if match is None:
            return
        async with answering(interaction):
            components: list[dict[str, Any]] = interaction.data.get("components", [])  # type: ignore[assignment]
            text = submitted_value(components, "goals") or ""
            await self.submit_goals_form(interaction, int(match["group_id"]), int(match["user_id"]), text)

    async def submit_goals_form(self, interaction: discord.Interaction, group_id: int, user_id: int, text: str) -> None:
        member = member_of(interaction)
        group = await self.bot.store.groups.get(member.guild.id, group_id)
        if group is None or not group.is_active:
            raise Refusal("group.archived", name=group.name if group else "?")
        if member.id != user_id and not await self.bot.access.is_organizer(member):
            raise Refusal("goals.not_yours")
        saved = await self.bot.ledger.set_goals(group, user_id, parse_goals(text))
        await reply(interaction, saved_text(await self.bot.texts.reply(interaction, group), saved))
