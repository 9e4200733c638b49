"""Meetings: the kickoff and its agenda, attendance from the voice channel, the hot-seat round, the summary."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.goals import commitment_select
from cogs.shared import (
    answering,
    cog_of,
    deliverable_group,
    discord_time,
    fit_embed,
    goal_lines,
    member_of,
    mentions,
    pinging,
    post_planned,
    reply,
    shown,
    tell_group,
)
from mastermind.deliveries import NothingToSend
from mastermind.errors import Refusal
from mastermind.hotseat import MAX_TURN_MINUTES, MIN_TURN_MINUTES
from storage.models import Group, HotSeatTurn, Meeting, PlannedSend, SendKind

if TYPE_CHECKING:
    from bot import MastermindBot

log = logging.getLogger(__name__)


class StartRoundButton(discord.ui.DynamicItem[discord.ui.Button], template=r"hs:start:(?P<meeting_id>\d+)"):
    """The kickoff's "Start hot seat"."""

    def __init__(self, meeting_id: int, label: str = "Start hot seat") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="🔥", style=discord.ButtonStyle.primary, custom_id=f"hs:start:{meeting_id}"
            )
        )
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> StartRoundButton:
        return cls(int(match["meeting_id"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await cog_of(interaction, "Meetings").start_round_from_button(interaction, self.meeting_id)


TURN_BUTTON_LOOKS = {
    "goals": (discord.ButtonStyle.primary, "🎯"),
    "carry": (discord.ButtonStyle.secondary, "↪️"),
    "next": (discord.ButtonStyle.success, "➡️"),
    "skip": (discord.ButtonStyle.secondary, "⏭️"),
}


class TurnButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hs:(?P<action>next|skip|goals|carry):(?P<meeting_id>\d+):(?P<user_id>\d+)",
):
    """Set my goals / Carry over / Next / Skip, on the turn of one member in one meeting."""

    def __init__(self, action: str, meeting_id: int, user_id: int, label: str = "") -> None:
        style, emoji = TURN_BUTTON_LOOKS[action]
        super().__init__(
            discord.ui.Button(
                label=label or action, emoji=emoji, style=style, custom_id=f"hs:{action}:{meeting_id}:{user_id}"
            )
        )
        self.action = action
        self.meeting_id = meeting_id
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> TurnButton:
        return cls(match["action"], int(match["meeting_id"]), int(match["user_id"]), item.label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answering(interaction):
            await cog_of(interaction, "Meetings").turn_action(interaction, self.action, self.meeting_id, self.user_id)


class Meetings(commands.Cog):
    meeting = app_commands.Group(name="meeting", description="Open and close your group's meeting", guild_only=True)
    hotseat = app_commands.Group(name="hotseat", description="Run the hot-seat round", guild_only=True)

    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        deliveries = self.bot.deliveries
        deliveries.register(SendKind.KICKOFF, self.deliver_kickoff)
        deliveries.register(SendKind.AUTO_END, self.deliver_auto_end)
        deliveries.register(SendKind.SUMMARY, self.deliver_summary)
        deliveries.register(SendKind.TURN_WARNING, self.deliver_turn_notice)
        deliveries.register(SendKind.TURN_END, self.deliver_turn_notice)
        self.bot.add_dynamic_items(StartRoundButton, TurnButton)

    async def cog_unload(self) -> None:
        for kind in (SendKind.KICKOFF, SendKind.AUTO_END, SendKind.SUMMARY, SendKind.TURN_WARNING, SendKind.TURN_END):
            self.bot.deliveries.unregister(kind)
        self.bot.remove_dynamic_items(StartRoundButton, TurnButton)

    async def _group_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self.bot.access.group_choices(interaction, current)

    # ---------------------------------------------------------------- /meeting

    @meeting.command(name="start", description="Open the meeting now (it also opens by itself at the scheduled time)")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def start_meeting(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if await self.bot.store.meetings.current(target.guild_id, target.id) is not None:
            raise Refusal("meeting.already_open", name=shown(target.name))
        await interaction.response.defer(ephemeral=True, thinking=True)
        meeting, opened = await self.bot.facilitator.open_meeting(target, starts_at=None, in_call=self._in_call(target))
        if not opened:
            raise Refusal("meeting.already_open", name=shown(target.name))
        message = await self.post_kickoff(target, meeting, opened_by=member_of(interaction))
        await reply(interaction, self.bot.prompts("meeting.started", name=shown(target.name), link=message.jump_url))

    @meeting.command(name="end", description="Close the meeting: attendance is counted and the summary is pinned")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def end_meeting(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        meeting = await self.bot.facilitator.require_open(target)
        if not await self.bot.facilitator.close_meeting(target, meeting):
            raise Refusal("meeting.none_open", name=shown(target.name))
        await reply(interaction, self.bot.prompts("meeting.ended", name=shown(target.name)))

    @meeting.command(
        name="settings", description="Hot-seat turn length and the time in the call that counts as present"
    )
    @app_commands.describe(
        turn_minutes=f"Minutes per hot-seat turn, {MIN_TURN_MINUTES} to {MAX_TURN_MINUTES} (default 10)",
        attendance_minutes="Minutes in the call that count as present, 1 to 180 (default 10)",
        group="Which group (default: the group of this channel)",
    )
    async def meeting_settings(
        self,
        interaction: discord.Interaction,
        turn_minutes: app_commands.Range[int, MIN_TURN_MINUTES, MAX_TURN_MINUTES] | None = None,
        attendance_minutes: app_commands.Range[int, 1, 180] | None = None,
        group: str | None = None,
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        turn = turn_minutes or target.turn_minutes
        attendance = attendance_minutes or target.attendance_minutes
        if (turn, attendance) != (target.turn_minutes, target.attendance_minutes):
            await self.bot.store.groups.set_meeting_settings(
                target.guild_id, target.id, turn_minutes=turn, attendance_minutes=attendance
            )
        await reply(
            interaction,
            self.bot.prompts("meeting.settings", name=shown(target.name), turn=turn, attendance=attendance),
        )

    # ---------------------------------------------------------------- /hotseat

    @hotseat.command(name="start", description="Start the hot-seat round of the open meeting")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def hotseat_start(self, interaction: discord.Interaction, group: str | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        meeting = await self.bot.facilitator.require_open(target)
        await self.start_round(interaction, target, meeting)

    @hotseat.command(name="next", description="End the current turn and seat the next member")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def hotseat_next(self, interaction: discord.Interaction, group: str | None = None) -> None:
        await self._end_turn_from_command(interaction, group, "done")

    @hotseat.command(name="skip", description="Skip the member on the seat (for someone who isn't there)")
    @app_commands.describe(group="Which group (default: the group of this channel)")
    async def hotseat_skip(self, interaction: discord.Interaction, group: str | None = None) -> None:
        await self._end_turn_from_command(interaction, group, "skipped")

    start_meeting.autocomplete("group")(_group_choices)
    end_meeting.autocomplete("group")(_group_choices)
    meeting_settings.autocomplete("group")(_group_choices)
    hotseat_start.autocomplete("group")(_group_choices)
    hotseat_next.autocomplete("group")(_group_choices)
    hotseat_skip.autocomplete("group")(_group_choices)

    async def _end_turn_from_command(self, interaction: discord.Interaction, group: str | None, outcome: str) -> None:
        target = await self.bot.access.member_group(interaction, group)
        meeting = await self.bot.facilitator.require_open(target)
        turn = await self.bot.store.meetings.active_turn(meeting.id)
        if turn is None:
            raise Refusal("hotseat.not_running")
        await self._require_seat_or_organizer(
            interaction, target, turn.user_id, "skip" if outcome == "skipped" else "next"
        )
        await self._end_turn(interaction, target, meeting, turn.user_id, outcome)

    async def _require_seat_or_organizer(
        self, interaction: discord.Interaction, group: Group, seated: int, action: str
    ) -> None:
        """The member on the seat runs their turn, or an organizer does. So the round never stalls on someone who
        isn't there, any member of the group may skip a seat whose member is not in the call."""
        clicker = member_of(interaction)
        if clicker.id == seated or await self.bot.access.is_organizer(clicker):
            return
        if action == "skip" and seated not in self._in_call(group):
            return
        raise Refusal("hotseat.not_your_turn", member=f"<@{seated}>")

    # ---------------------------------------------------------------- buttons

    async def start_round_from_button(self, interaction: discord.Interaction, meeting_id: int) -> None:
        meeting, group = await self._meeting_for(interaction, meeting_id)
        if not meeting.is_open:
            raise Refusal("meeting.over")
        await self.start_round(interaction, group, meeting)

    async def turn_action(self, interaction: discord.Interaction, action: str, meeting_id: int, user_id: int) -> None:
        meeting, group = await self._meeting_for(interaction, meeting_id)
        await self._require_seat_or_organizer(interaction, group, user_id, action)
        if not meeting.is_open:
            raise Refusal("meeting.over")
        if action == "goals":
            await cog_of(interaction, "Goals").show_goals_form(interaction, group, user_id)
        elif action == "carry":
            carried = await self.bot.ledger.carry_over(group, user_id)
            await reply(interaction, self.bot.prompts("goals.carried", count=len(carried)))
            await self.refresh_turn(group, meeting, user_id)
        else:
            await self._end_turn(interaction, group, meeting, user_id, "done" if action == "next" else "skipped")

    async def _meeting_for(self, interaction: discord.Interaction, meeting_id: int) -> tuple[Meeting, Group]:
        member = member_of(interaction)
        meeting = await self.bot.store.meetings.get(member.guild.id, meeting_id)
        group = await self.bot.store.groups.get(member.guild.id, meeting.group_id) if meeting else None
        if meeting is None or group is None:
            raise Refusal("meeting.over")
        await self.bot.access.require_member_or_organizer(member, group)
        return meeting, group

    # ---------------------------------------------------------------- the round

    async def start_round(self, interaction: discord.Interaction, group: Group, meeting: Meeting) -> None:
        first = await self.bot.facilitator.start_round(group, meeting, self._in_call(group))
        await reply(interaction, self.bot.prompts("hotseat.started"))
        await self.post_turn(group, meeting, first)

    async def _end_turn(
        self, interaction: discord.Interaction, group: Group, meeting: Meeting, user_id: int, outcome: str
    ) -> None:
        ended, following = await self.bot.facilitator.end_turn(group, meeting, user_id, outcome)
        if not ended:
            raise Refusal("hotseat.turn_already_over", member=f"<@{user_id}>")
        p = self.bot.prompts
        await reply(
            interaction, p("hotseat.skipped" if outcome == "skipped" else "hotseat.moved_on", member=f"<@{user_id}>")
        )
        await self.refresh_turn(group, meeting, user_id)
        if following is not None:
            await self.post_turn(group, meeting, following)
        else:
            await tell_group(self.bot, group, p("hotseat.round_over"))

    async def post_turn(self, group: Group, meeting: Meeting, turn: HotSeatTurn) -> None:
        channel = self.bot.get_channel(group.text_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        view = await self.turn_view(group, meeting, turn)
        try:
            message = await channel.send(view=view, allowed_mentions=pinging([turn.user_id]))
        except discord.HTTPException:
            log.warning("Could not post the hot-seat turn of %s in group %s", turn.user_id, group.id, exc_info=True)
            return
        await self.bot.store.meetings.set_turn_message(meeting.id, turn.user_id, message.id)

    async def refresh_turn(self, group: Group, meeting: Meeting, user_id: int) -> None:
        """Redraw a member's turn message after their commitments or the round changed."""
        turn = next((t for t in await self.bot.store.meetings.turns(meeting.id) if t.user_id == user_id), None)
        channel = self.bot.get_channel(group.text_channel_id)
        if turn is None or turn.message_id is None or not isinstance(channel, discord.TextChannel):
            return
        current = await self.bot.store.meetings.get(group.guild_id, meeting.id)
        view = await self.turn_view(group, current or meeting, turn)
        try:
            await channel.get_partial_message(turn.message_id).edit(
                view=view, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException:
            log.info("Could not redraw turn message %s", turn.message_id, exc_info=True)

    @commands.Cog.listener()
    async def on_commitments_changed(self, guild_id: int, group_id: int, user_id: int) -> None:
        group = await self.bot.store.groups.get(guild_id, group_id)
        meeting = await self.bot.store.meetings.current(guild_id, group_id) if group else None
        if group is not None and meeting is not None:
            await self.refresh_turn(group, meeting, user_id)

    async def turn_view(self, group: Group, meeting: Meeting, turn: HotSeatTurn) -> discord.ui.LayoutView:
        """The turn message: whose turn and until when, last meeting's commitments each with its controls,
        the goals set for next time, and the buttons. A finished turn keeps its record and loses its controls."""
        p = self.bot.prompts
        store = self.bot.store
        active = turn.status == "active" and meeting.is_open
        turns = await store.meetings.turns(meeting.id)
        due = await store.commitments.due_at(group.guild_id, meeting.id, turn.user_id)
        upcoming = await store.commitments.upcoming(group.guild_id, group.id, turn.user_id)

        container = discord.ui.Container(
            accent_colour=discord.Colour.orange() if active else discord.Colour.dark_grey()
        )
        if active and turn.ends_at is not None:
            heading = p(
                "hotseat.turn_heading",
                member=f"<@{turn.user_id}>",
                position=turn.position + 1,
                total=len(turns),
                until=discord.utils.format_dt(turn.ends_at, "t"),
                left=discord.utils.format_dt(turn.ends_at, "R"),
            )
        else:
            heading = p("hotseat.turn_over_heading", member=f"<@{turn.user_id}>")
        container.add_item(discord.ui.TextDisplay(heading))
        container.add_item(discord.ui.TextDisplay(p("hotseat.from_last_meeting") if due else p("hotseat.nothing_due")))
        for number, commitment in enumerate(due, start=1):
            container.add_item(discord.ui.TextDisplay(f"{number}. {goal_lines([commitment], 200)[0]}"))
            if active:
                container.add_item(discord.ui.ActionRow(commitment_select(self.bot, commitment, surface="turn")))
        next_goals = "\n".join(f"• {line}" for line in goal_lines(upcoming, 200, marks=False))
        container.add_item(
            discord.ui.TextDisplay(
                p("hotseat.for_next_meeting", goals=next_goals) if upcoming else p("hotseat.no_goals_yet")
            )
        )
        if active:
            container.add_item(
                discord.ui.ActionRow(
                    *(
                        TurnButton(action, meeting.id, turn.user_id, p(f"hotseat.button_{action}"))
                        for action in ("goals", "carry", "next", "skip")
                    )
                )
            )
        view = discord.ui.LayoutView(timeout=None)
        view.add_item(container)
        return view

    # ---------------------------------------------------------------- attendance from the voice channel

    def _in_call(self, group: Group) -> list[int]:
        channel = self.bot.get_channel(group.voice_channel_id)
        return list(channel.voice_states) if isinstance(channel, discord.VoiceChannel) else []

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        if member.bot or before.channel == after.channel:
            return  # muting, deafening or streaming changes nothing
        store = self.bot.store
        for channel, joined in ((before.channel, False), (after.channel, True)):
            if channel is None:
                continue
            group = await store.groups.by_voice_channel(member.guild.id, channel.id)
            meeting = await store.meetings.current(group.guild_id, group.id) if group else None
            if group is None or meeting is None:
                continue
            if joined and await store.groups.is_member(group.guild_id, group.id, member.id):
                await self.bot.facilitator.joined_call(meeting, member.id)
            elif not joined:
                await self.bot.facilitator.left_call(meeting, member.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """After a restart or reconnect, count whoever is in each open meeting's call right now."""
        for meeting in await self.bot.store.meetings.open_in_guild(guild.id):
            group = await self.bot.store.groups.get(guild.id, meeting.group_id)
            if group is not None:
                await self.bot.facilitator.reconcile_call(group, meeting, self._in_call(group))

    # ---------------------------------------------------------------- timed sends

    async def deliver_kickoff(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        try:
            meeting, _ = await self.bot.facilitator.open_meeting(
                group, starts_at=send.meeting_at, in_call=self._in_call(group)
            )
            if not meeting.is_open:
                raise NothingToSend("meeting_over")
            # A meeting opened by hand before the scheduled time is this meeting, already under way.
            early = meeting.starts_at != send.meeting_at
            message = await self.post_kickoff(group, meeting, already_open=early, nonce=f"ps{send.id}")
        finally:
            # Whatever became of this kickoff, the group's next meeting gets planned.
            await self.bot.replan(group)
        return message.id

    async def post_kickoff(
        self,
        group: Group,
        meeting: Meeting,
        *,
        opened_by: discord.Member | None = None,
        already_open: bool = False,
        nonce: str | None = None,
    ) -> discord.Message:
        """The message that opens a meeting: everyone is called in, with the agenda and the hot-seat button."""
        p = self.bot.prompts
        agenda = await self.bot.facilitator.agenda(group, meeting)
        member_ids = agenda.order
        voice = f"<#{group.voice_channel_id}>"
        if opened_by is not None:
            content = p(
                "kickoff.opened_by",
                members=mentions(member_ids),
                who=opened_by.mention,
                name=shown(group.name),
                voice=voice,
            )
        elif already_open:
            content = p("kickoff.already_open", members=mentions(member_ids), name=shown(group.name), voice=voice)
        else:
            content = p("kickoff.message", members=mentions(member_ids), name=shown(group.name), voice=voice)

        def describe(limit: int) -> str:
            lines = [p("kickoff.order", minutes=agenda.turn_minutes)]
            lines += [f"{number}. <@{user_id}>" for number, user_id in enumerate(agenda.order, start=1)]
            lines.append("")
            lines.append(p("kickoff.due_heading") if agenda.due else p("kickoff.nothing_due"))
            for user_id in agenda.order:
                if agenda.due.get(user_id):
                    lines.append(f"<@{user_id}>")
                    lines += [f"• {line}" for line in goal_lines(agenda.due[user_id], limit)]
            return "\n".join(lines)

        embed = discord.Embed(
            title=p("kickoff.agenda_title"), description=fit_embed(describe), colour=discord.Colour.orange()
        )
        view = discord.ui.View(timeout=None)
        view.add_item(StartRoundButton(meeting.id, p("kickoff.start_button")))
        message = await post_planned(
            self.bot,
            group.text_channel_id,
            content=content,
            embed=embed,
            view=view,
            allowed_mentions=pinging(member_ids),
            **({"nonce": nonce} if nonce else {}),
        )
        return message

    async def deliver_auto_end(self, send: PlannedSend) -> None:
        group = await deliverable_group(self.bot, send)
        meeting = await self.bot.store.meetings.at(group.guild_id, group.id, send.meeting_at)
        if meeting is None or not meeting.is_open:
            raise NothingToSend("meeting_over")
        await self.bot.facilitator.close_meeting(group, meeting)

    async def deliver_summary(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        meeting = await self.bot.store.meetings.at(group.guild_id, group.id, send.meeting_at)
        if meeting is None or meeting.is_open:
            raise NothingToSend("meeting_not_closed")
        message = await post_planned(
            self.bot,
            group.text_channel_id,
            content=self.bot.prompts("summary.content", name=shown(group.name)),
            embed=await self.summary_embed(group, meeting),
            nonce=f"ps{send.id}",
        )
        await self.bot.pacer.wait()
        try:
            await message.pin(reason="Meeting summary")
        except discord.HTTPException:
            log.warning("Could not pin the summary of meeting %s in group %s", meeting.id, group.id, exc_info=True)
        return message.id

    async def summary_embed(self, group: Group, meeting: Meeting) -> discord.Embed:
        p = self.bot.prompts
        store = self.bot.store
        attendance = await store.meetings.attendance(meeting.id)
        due = await store.commitments.due_at(group.guild_id, meeting.id)
        upcoming = await store.commitments.upcoming(group.guild_id, group.id)
        upcoming_meeting = await self.bot.planner.next_meeting(group)
        present = [a.user_id for a in attendance if a.present]
        absent = [a.user_id for a in attendance if not a.present]
        people = [a.user_id for a in attendance]

        def describe(limit: int) -> str:
            lines = [
                p("summary.present", members=mentions(present) or p("summary.nobody")),
                p("summary.absent", members=mentions(absent) or p("summary.nobody")),
                p("summary.next", when=discord_time(upcoming_meeting.starts_at))
                if upcoming_meeting
                else p("summary.no_next"),
            ]
            for user_id in people:
                checked = [c for c in due if c.user_id == user_id]
                new = [c for c in upcoming if c.user_id == user_id]
                if not checked and not new:
                    continue
                lines += ["", f"<@{user_id}>"]
                if checked:
                    lines.append(p("summary.checked"))
                    lines += [f"• {line}" for line in goal_lines(checked, limit)]
                if new:
                    lines.append(p("summary.new"))
                    lines += [f"• {line}" for line in goal_lines(new, limit, marks=False)]
            return "\n".join(lines)

        return discord.Embed(
            title=p("summary.title", name=group.name),
            description=fit_embed(describe),
            timestamp=meeting.closed_at,
            colour=discord.Colour.green(),
        )

    async def deliver_turn_notice(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        meeting = await self.bot.store.meetings.at(group.guild_id, group.id, send.meeting_at)
        turn = await self.bot.store.meetings.active_turn(meeting.id) if meeting and meeting.is_open else None
        if turn is None or turn.user_id != send.detail:
            raise NothingToSend("turn_over")
        key = "hotseat.two_minutes_left" if send.kind == SendKind.TURN_WARNING else "hotseat.time_up"
        message = await post_planned(
            self.bot,
            group.text_channel_id,
            content=self.bot.prompts(key, member=f"<@{turn.user_id}>"),
            nonce=f"ps{send.id}",
        )
        return message.id


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Meetings(bot))
