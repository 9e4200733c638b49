"""The hot-seat round: /hotseat, the kickoff's "Start hot seat", each turn's message and buttons, and the
two-minute and time-up notices."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption, actor_of, member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import deliverable_group, in_call, post_planned, tell_group, text_channel
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.items import Answering, label_of
from cogs.common.text import mention, pinging
from cogs.goals.marking import commitment_select, open_goals_form
from cogs.meetings.render import TurnControls, turn_view
from mastermind.errors import Person, Refusal
from mastermind.rules.access import is_organizer, may_run_group
from mastermind.rules.hotseat import TURN_ACTIONS, TurnAction, active_turn, may_act_on_turn
from mastermind.services.deliveries import NothingToSend
from mastermind.services.events import CommitmentsChanged
from prompts import Prompts
from storage.models import Group, HotSeatTurn, Meeting, PlannedSend, RoundState, SendKind

log = logging.getLogger(__name__)
GROUP = command_text("options.group")

TURN_BUTTON_LOOKS: dict[TurnAction, tuple[discord.ButtonStyle, str]] = {
    "goals": (discord.ButtonStyle.primary, "🎯"),
    "carry": (discord.ButtonStyle.secondary, "↪️"),
    "next": (discord.ButtonStyle.success, "➡️"),
    "skip": (discord.ButtonStyle.secondary, "⏭️"),
}


class StartRoundButton(Answering, discord.ui.DynamicItem[discord.ui.Button], template=r"hs:start:(?P<meeting_id>\d+)"):
    """The kickoff's "Start hot seat"."""

    def __init__(self, meeting_id: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="🔥", style=discord.ButtonStyle.primary, custom_id=f"hs:start:{meeting_id}"
            )
        )
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> StartRoundButton:
        return cls(int(match["meeting_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        state = await round_for_click(bot, interaction, self.meeting_id)
        if not state.meeting.is_open:
            raise Refusal("meeting.over")
        await start_round(bot, interaction, state.group, state.meeting)


class TurnButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hs:(?P<action>next|skip|goals|carry):(?P<meeting_id>\d+):(?P<user_id>\d+)",
):
    """Set my goals / Carry over / Next / Skip, on the turn of one member in one meeting."""

    def __init__(self, action: TurnAction, meeting_id: int, user_id: int, label: str) -> None:
        style, emoji = TURN_BUTTON_LOOKS[action]
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=f"hs:{action}:{meeting_id}:{user_id}")
        )
        self.action: TurnAction = action
        self.meeting_id = meeting_id
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TurnButton:
        action: TurnAction = match["action"]  # type: ignore[assignment]
        return cls(action, int(match["meeting_id"]), int(match["user_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        state = await round_for_click(bot, interaction, self.meeting_id)
        require_turn_right(bot, interaction, state, self.user_id, self.action)
        if not state.meeting.is_open:
            raise Refusal("meeting.over")
        if self.action == "goals":
            await open_goals_form(bot, interaction, state.group, self.user_id)
        elif self.action == "carry":
            carried = await bot.ledger.carry_over(state.group, self.user_id)
            p = await bot.texts.reply(interaction, state.group)
            await reply(interaction, p("goals.carried", count=len(carried)))
        else:
            await end_turn(bot, interaction, state, self.user_id, "done" if self.action == "next" else "skipped")


async def round_for_click(bot: MastermindBot, interaction: discord.Interaction, meeting_id: int) -> RoundState:
    """The round a button belongs to, for a member of its group or an organizer."""
    member = member_of(interaction)
    state = await bot.store.meetings.round_state(member.guild.id, actor_id=member.id, meeting_id=meeting_id)
    if state is None:
        raise Refusal("meeting.over")
    organizer = is_organizer(actor_of(member), state.organizer_role_id)
    if not may_run_group(is_member=state.actor_is_member, is_organizer=organizer):
        raise Refusal("group.members_only", name=state.group.name)
    return state


def require_turn_right(
    bot: MastermindBot, interaction: discord.Interaction, state: RoundState, seated: int, action: TurnAction
) -> None:
    member = member_of(interaction)
    allowed = may_act_on_turn(
        action,
        actor_id=member.id,
        seated_id=seated,
        actor_is_organizer=is_organizer(actor_of(member), state.organizer_role_id),
        seated_in_call=seated in in_call(bot, state.group),
    )
    if not allowed:
        raise Refusal("hotseat.not_your_turn", member=Person(seated))


async def start_round(bot: MastermindBot, interaction: discord.Interaction, group: Group, meeting: Meeting) -> None:
    first = await bot.facilitator.start_round(group, meeting, in_call(bot, group))
    await reply(interaction, (await bot.texts.reply(interaction, group))("hotseat.started"))
    state = await bot.store.meetings.round_state(group.guild_id, actor_id=first.user_id, meeting_id=meeting.id)
    if state is not None:
        await post_turn(bot, state, first)


async def end_turn(
    bot: MastermindBot, interaction: discord.Interaction, state: RoundState, user_id: int, outcome: str
) -> None:
    """Next or Skip: the turn ends, its message loses its controls, and the next member's turn is posted."""
    decided = await bot.facilitator.end_turn(state, user_id, outcome)
    if decided is None:
        raise Refusal("hotseat.turn_already_over", member=Person(user_id))
    p = await bot.texts.reply(interaction, state.group)
    await reply(
        interaction, p("hotseat.skipped" if outcome == "skipped" else "hotseat.moved_on", member=mention(user_id))
    )
    turns = [decided.ended if t.user_id == user_id else t for t in state.turns]
    now_state = state.model_copy(update={"turns": tuple(turns)})
    await redraw_turn(bot, now_state, decided.ended)
    if decided.seated is not None:
        await post_turn(bot, now_state, decided.seated)
    else:
        await tell_group(bot, state.group, "hotseat.round_over")


def render_turn(p: Prompts, state: RoundState, turn: HotSeatTurn) -> discord.ui.LayoutView:
    """A turn as the group sees it, in the group's language."""
    controls = None
    if turn.status == "active" and state.meeting.is_open:
        controls = TurnControls(
            select_for=lambda commitment: commitment_select(p, commitment, surface="turn"),
            buttons=[
                TurnButton(action, state.meeting.id, turn.user_id, p(f"hotseat.button_{action}"))
                for action in TURN_ACTIONS
            ],
        )
    return turn_view(
        p,
        turn,
        total=len(state.turns),
        due=[c for c in state.due if c.user_id == turn.user_id],
        upcoming=[c for c in state.upcoming if c.user_id == turn.user_id],
        controls=controls,
    )


async def post_turn(bot: MastermindBot, state: RoundState, turn: HotSeatTurn) -> None:
    channel = text_channel(bot, state.group)
    if channel is None:
        return
    try:
        view = render_turn(await bot.texts.group(state.group), state, turn)
        message = await channel.send(view=view, allowed_mentions=pinging([turn.user_id]))
    except discord.HTTPException:
        log.warning("Could not post the hot-seat turn of %s in group %s", turn.user_id, state.group.id, exc_info=True)
        return
    await bot.store.meetings.set_turn_message(state.meeting.id, turn.user_id, message.id)


async def redraw_turn(bot: MastermindBot, state: RoundState, turn: HotSeatTurn) -> None:
    """Redraw a member's turn message after their commitments or the round changed."""
    channel = text_channel(bot, state.group)
    if turn.message_id is None or channel is None:
        return
    try:
        await channel.get_partial_message(turn.message_id).edit(
            view=render_turn(await bot.texts.group(state.group), state, turn),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException:
        log.info("Could not redraw turn message %s", turn.message_id, exc_info=True)


class HotSeat(commands.Cog):
    hotseat = app_commands.Group(name="hotseat", description=command_text("commands.hotseat"), guild_only=True)

    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.deliveries.register(SendKind.TURN_WARNING, self.deliver_turn_notice)
        self.bot.deliveries.register(SendKind.TURN_END, self.deliver_turn_notice)
        self.bot.events.subscribe(CommitmentsChanged, self.on_commitments_changed)
        self.bot.add_dynamic_items(StartRoundButton, TurnButton)

    async def cog_unload(self) -> None:
        self.bot.deliveries.unregister(SendKind.TURN_WARNING)
        self.bot.deliveries.unregister(SendKind.TURN_END)
        self.bot.events.unsubscribe(CommitmentsChanged, self.on_commitments_changed)
        self.bot.remove_dynamic_items(StartRoundButton, TurnButton)

    @hotseat.command(name="start", description=command_text("commands.hotseat_start"))
    @app_commands.describe(group=GROUP)
    async def hotseat_start(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        meeting = await self.bot.facilitator.require_open(target)
        await start_round(self.bot, interaction, target, meeting)

    @hotseat.command(name="next", description=command_text("commands.hotseat_next"))
    @app_commands.describe(group=GROUP)
    async def hotseat_next(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        await self._end_turn_from_command(interaction, group, "next")

    @hotseat.command(name="skip", description=command_text("commands.hotseat_skip"))
    @app_commands.describe(group=GROUP)
    async def hotseat_skip(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        await self._end_turn_from_command(interaction, group, "skip")

    async def _end_turn_from_command(
        self, interaction: discord.Interaction, group: str | None, action: TurnAction
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        state = await self.bot.store.meetings.round_state(
            target.guild_id, actor_id=interaction.user.id, group_id=target.id
        )
        if state is None:
            raise Refusal("meeting.none_open", name=target.name)
        turn = active_turn(state.turns)
        if turn is None:
            raise Refusal("hotseat.not_running")
        require_turn_right(self.bot, interaction, state, turn.user_id, action)
        await end_turn(self.bot, interaction, state, turn.user_id, "skipped" if action == "skip" else "done")

    async def on_commitments_changed(self, changed: CommitmentsChanged) -> None:
        """A member's commitments changed while they may be on the seat: their turn message shows them."""
        group = changed.group
        state = await self.bot.store.meetings.round_state(group.guild_id, actor_id=changed.user_id, group_id=group.id)
        turn = state.turn_of(changed.user_id) if state else None
        if state is not None and turn is not None:
            await redraw_turn(self.bot, state, turn)

    async def deliver_turn_notice(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        meeting = await self.bot.store.meetings.at(group.guild_id, group.id, send.meeting_at)
        turn = active_turn(await self.bot.store.meetings.turns(meeting.id)) if meeting and meeting.is_open else None
        if turn is None or turn.user_id != send.detail:
            raise NothingToSend("turn_over")
        key = "hotseat.two_minutes_left" if send.kind == SendKind.TURN_WARNING else "hotseat.time_up"
        content = (await self.bot.texts.group(group))(key, member=mention(turn.user_id))
        message = await post_planned(self.bot, group, content=content, nonce=f"ps{send.id}")
        return message.id
