"""/goals: the ledger of commitments, the goals form, the per-commitment controls, and the halfway nudge."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from cogs.shared import (
    STATUS_MARKS,
    answering,
    cog_of,
    deliverable_group,
    discord_time,
    fit_embed,
    fit_lines,
    goal_lines,
    member_of,
    mentions,
    pinging,
    post_planned,
    reply,
    shorten,
    shown,
)
from mastermind.deliveries import NothingToSend
from mastermind.errors import Refusal
from mastermind.ledger import CHECK_STATUSES, MAX_GOAL_LENGTH, MAX_GOALS, parse_goals
from storage.models import Commitment, Group, PlannedSend, SendKind

if TYPE_CHECKING:
    from bot import MastermindBot

log = logging.getLogger(__name__)

GOALS_FORM = re.compile(r"goals:form:(?P<group_id>\d+):(?P<user_id>\d+)")
HISTORY_MEETINGS = 3
Surface = Literal["turn", "panel"]


def commitment_select(bot: MastermindBot, commitment: Commitment, *, surface: Surface) -> CommitmentSelect:
    p = bot.prompts
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
    discord.ui.DynamicItem[discord.ui.Select], template=r"goal:mark:(?P<commitment_id>\d+):(?P<surface>turn|panel)"
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
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> CommitmentSelect:
        return cls(
            int(match["commitment_id"]),
            match["surface"],  # type: ignore[arg-type]
            placeholder=item.placeholder,
            options=list(item.options),
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await cog_of(interaction, "Goals").mark(interaction, self.commitment_id, self.surface, self.item.values[0])


class UpdateCommitmentsButton(discord.ui.DynamicItem[discord.ui.Button], template=r"goals:update:(?P<group_id>\d+)"):
    """On the nudge: opens the clicker's own commitments, privately, to mark them."""

    def __init__(self, group_id: int, label: str = "Update my commitments") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="🎯", style=discord.ButtonStyle.primary, custom_id=f"goals:update:{group_id}"
            )
        )
        self.group_id = group_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> UpdateCommitmentsButton:
        return cls(int(match["group_id"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await cog_of(interaction, "Goals").show_panel(interaction, self.group_id)


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


@app_commands.guild_only()
class Goals(commands.GroupCog, group_name="goals", group_description="Your commitments for the next meeting"):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.NUDGE, self.deliver_nudge)
        self.bot.add_dynamic_items(CommitmentSelect, UpdateCommitmentsButton)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.NUDGE)
        self.bot.remove_dynamic_items(CommitmentSelect, UpdateCommitmentsButton)

    async def _group_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.bot.access.group_choices(interaction, current)

    # ---------------------------------------------------------------- commands

    @app_commands.command(name="set", description="Your commitments for the next meeting (replaces earlier ones)")
    @app_commands.describe(
        goals=f"Up to {MAX_GOALS}, separated by new lines or ; (each up to {MAX_GOAL_LENGTH} characters)",
        carry_over="Also carry over what you didn't finish from the last meeting",
        group="Which group (default: the group of this channel)",
    )
    async def set_goals(
        self,
        interaction: discord.Interaction,
        goals: app_commands.Range[str, 1, 2000] | None = None,
        carry_over: bool = False,
        group: str | None = None,
    ) -> None:
        target, member = await self._own_group(interaction, group)
        if goals is None and not carry_over:
            raise Refusal("goals.nothing_given")
        if goals is not None:
            saved = await self.bot.ledger.set_goals(target, member.id, parse_goals(goals), carry_over=carry_over)
        else:
            saved = await self.bot.ledger.carry_over(target, member.id)
        await reply(interaction, self._saved_text(saved))
        self.bot.dispatch("commitments_changed", target.guild_id, target.id, member.id)

    @app_commands.command(name="check", description="Mark one of your commitments from the last meeting")
    @app_commands.describe(
        goal="Which commitment (pick from the list)",
        status="How it went",
        note="A word on it (optional)",
        group="Which group (default: the group of this channel)",
    )
    @app_commands.choices(
        status=[
            app_commands.Choice(name="Done", value="done"),
            app_commands.Choice(name="Partly done", value="partial"),
            app_commands.Choice(name="Missed", value="missed"),
        ]
    )
    async def check(
        self,
        interaction: discord.Interaction,
        goal: str,
        status: str,
        note: app_commands.Range[str, 1, 500] | None = None,
        group: str | None = None,
    ) -> None:
        target, member = await self._own_group(interaction, group)
        if not goal.strip().isdigit():
            raise Refusal("goals.unknown")
        checked = await self.bot.ledger.check(target, member.id, int(goal), status, note)  # type: ignore[arg-type]
        await reply(interaction, self.bot.prompts(f"goals.checked_{status}", goal=shown(checked.text)))
        self.bot.dispatch("commitments_changed", target.guild_id, target.id, member.id)

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

    @app_commands.command(name="list", description="A member's open commitments and recent history")
    @app_commands.describe(member="Whose (default: yours)", group="Which group (default: the group of this channel)")
    async def list_goals(
        self, interaction: discord.Interaction, member: discord.Member | None = None, group: str | None = None
    ) -> None:
        target = await self.bot.access.member_group(interaction, group, active=False)
        whose = member or member_of(interaction)
        store = self.bot.store
        if not await store.groups.is_member(target.guild_id, target.id, whose.id):
            raise Refusal("group.not_a_member", member=whose.mention, name=shown(target.name))
        p = self.bot.prompts
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

    set_goals.autocomplete("group")(_group_choices)
    check.autocomplete("group")(_group_choices)
    list_goals.autocomplete("group")(_group_choices)

    async def _own_group(self, interaction: discord.Interaction, group: str | None) -> tuple[Group, discord.Member]:
        """The group, for a member acting on their own commitments."""
        found = await self.bot.access.locate(interaction, group, active=True)
        if not found.is_member:
            raise Refusal("goals.members_only", name=shown(found.group.name))
        return found.group, member_of(interaction)

    def _saved_text(self, saved: list[Commitment]) -> str:
        lines = [self.bot.prompts("goals.saved", count=len(saved))]
        lines += [f"{number}. {shown(c.text)}" for number, c in enumerate(saved, start=1)]
        return "\n".join(lines)

    # ---------------------------------------------------------------- marking, the panel, the form

    async def mark(self, interaction: discord.Interaction, commitment_id: int, surface: Surface, status: str) -> None:
        member = member_of(interaction)
        store = self.bot.store
        commitment = await store.commitments.get(member.guild.id, commitment_id)
        group = await store.groups.get(member.guild.id, commitment.group_id) if commitment else None
        if commitment is None or group is None:
            raise Refusal("goals.unknown")
        if member.id != commitment.user_id and not await self.bot.access.is_organizer(member):
            key = "hotseat.not_your_turn" if surface == "turn" else "goals.not_yours"
            raise Refusal(key, member=f"<@{commitment.user_id}>")
        await self.bot.ledger.check(group, commitment.user_id, commitment_id, status)  # type: ignore[arg-type]
        if surface == "panel":
            content, view = await self._panel(group, commitment.user_id)
            await interaction.response.edit_message(content=content, view=view)
        else:
            await interaction.response.defer()  # the turn message is redrawn for everyone
        self.bot.dispatch("commitments_changed", group.guild_id, group.id, commitment.user_id)

    async def show_panel(self, interaction: discord.Interaction, group_id: int) -> None:
        member = member_of(interaction)
        group = await self.bot.store.groups.get(member.guild.id, group_id)
        if group is None or not await self.bot.store.groups.is_member(group.guild_id, group.id, member.id):
            raise Refusal("goals.members_only", name=shown(group.name) if group else "?")
        content, view = await self._panel(group, member.id)
        await reply(interaction, content, view=view)

    async def _panel(self, group: Group, user_id: int) -> tuple[str, discord.ui.View]:
        """A member's private panel: each commitment they can mark now, with its control."""
        p = self.bot.prompts
        commitments = await self.bot.ledger.checkable(group, user_id)
        view = discord.ui.View(timeout=None)
        if not commitments:
            return p("goals.panel_empty"), view
        for commitment in commitments:
            view.add_item(commitment_select(self.bot, commitment, surface="panel"))
        lines = [p("goals.panel_heading", name=shown(group.name))]
        lines += [f"{number}. {line}" for number, line in enumerate(goal_lines(commitments, 200), start=1)]
        return "\n".join(lines), view

    async def show_goals_form(self, interaction: discord.Interaction, group: Group, user_id: int) -> None:
        """The "Set my goals" form, filled with what is set already."""
        p = self.bot.prompts
        current = await self.bot.store.commitments.upcoming(group.guild_id, group.id, user_id)
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
        # Submissions are answered by on_interaction below, from the form's id alone, so a form opened before a
        # restart still saves after it; nothing needs to stay in memory while the member types.
        form.stop()

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
            return
        match = GOALS_FORM.fullmatch(str(interaction.data.get("custom_id", "")))
        if match is None:
            return
        async with answering(interaction):
            text = submitted_value(interaction.data.get("components", []), "goals") or ""  # type: ignore[arg-type]
            await self.submit_goals_form(interaction, int(match["group_id"]), int(match["user_id"]), text)

    async def submit_goals_form(self, interaction: discord.Interaction, group_id: int, user_id: int, text: str) -> None:
        member = member_of(interaction)
        group = await self.bot.store.groups.get(member.guild.id, group_id)
        if group is None or not group.is_active:
            raise Refusal("group.archived", name=shown(group.name) if group else "?")
        if member.id != user_id and not await self.bot.access.is_organizer(member):
            raise Refusal("goals.not_yours")
        saved = await self.bot.ledger.set_goals(group, user_id, parse_goals(text))
        await reply(interaction, self._saved_text(saved))
        self.bot.dispatch("commitments_changed", group.guild_id, group.id, user_id)

    # ---------------------------------------------------------------- the halfway nudge

    async def deliver_nudge(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        p = self.bot.prompts
        members = {m.user_id for m in await self.bot.store.groups.members(group.guild_id, group.id)}
        open_by_member: dict[int, list[Commitment]] = {}
        for commitment in await self.bot.store.commitments.upcoming(group.guild_id, group.id):
            if commitment.status == "open" and commitment.user_id in members:
                open_by_member.setdefault(commitment.user_id, []).append(commitment)
        if not open_by_member:
            raise NothingToSend("nothing_open")

        def describe(limit: int) -> str:
            lines: list[str] = []
            for user_id, commitments in open_by_member.items():
                lines.append(f"<@{user_id}>")
                lines += [f"• {line}" for line in goal_lines(commitments, limit, marks=False)]
            return "\n".join(lines)

        view = discord.ui.View(timeout=None)
        view.add_item(UpdateCommitmentsButton(group.id, p("goals.update_button")))
        message = await post_planned(
            self.bot,
            group.text_channel_id,
            content=p("nudge.message", members=mentions(open_by_member), when=discord_time(send.meeting_at)),
            embed=discord.Embed(
                title=p("nudge.title"), description=fit_embed(describe), colour=discord.Colour.blurple()
            ),
            view=view,
            allowed_mentions=pinging(open_by_member),
            nonce=f"ps{send.id}",
        )
        return message.id


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Goals(bot))
