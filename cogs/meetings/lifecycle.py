"""A meeting from kickoff to summary: /meeting, attendance from the voice channel, and the timed kickoff,
automatic end and pinned summary."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption, member_of
from cogs.common.bot import MastermindBot
from cogs.common.charts import group_chart
from cogs.common.delivery import deliverable_group, in_call, paced, post_planned, text_channel
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import shown
from cogs.meetings.hotseat import StartRoundButton
from cogs.meetings.render import Kickoff, kickoff_message, summary_message
from mastermind.errors import Refusal
from mastermind.rules.hotseat import MAX_TURN_MINUTES, MIN_TURN_MINUTES
from mastermind.rules.keeping import MAX_DRIFT, MIN_DRIFT
from mastermind.rules.meetings import opened_by_hand, roll_call
from mastermind.services.deliveries import DeliveryFailed, DeliveryRetry, NothingToSend
from storage.models import Group, Meeting, PlannedSend, SendKind

log = logging.getLogger(__name__)
GROUP = command_text("options.group")


async def post_kickoff(
    bot: MastermindBot, group: Group, meeting: Meeting, how: Kickoff, *, nonce: str | None = None
) -> discord.Message:
    p = await bot.texts.group(group)
    agenda = await bot.facilitator.agenda(group, meeting)
    message = kickoff_message(p, group, agenda, how, StartRoundButton(meeting.id, p("kickoff.start_button")))
    return await post_planned(bot, group, **message, **({"nonce": nonce} if nonce else {}))


class Meetings(commands.Cog):
    meeting = app_commands.Group(name="meeting", description=command_text("commands.meeting"), guild_only=True)

    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        deliveries = self.bot.deliveries
        deliveries.register(SendKind.KICKOFF, self.deliver_kickoff)
        deliveries.register(SendKind.AUTO_END, self.deliver_auto_end)
        deliveries.register(SendKind.SUMMARY, self.deliver_summary)

    async def cog_unload(self) -> None:
        for kind in (SendKind.KICKOFF, SendKind.AUTO_END, SendKind.SUMMARY):
            self.bot.deliveries.unregister(kind)

    # ---------------------------------------------------------------- /meeting

    @meeting.command(name="start", description=command_text("commands.meeting_start"))
    @app_commands.describe(group=GROUP)
    async def start_meeting(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        if await self.bot.store.meetings.current(target.guild_id, target.id) is not None:
            raise Refusal("meeting.already_open", name=target.name)
        await interaction.response.defer(ephemeral=True, thinking=True)
        meeting, opened = await self.bot.facilitator.open_meeting(
            target, in_call=in_call(self.bot, target), by=member_of(interaction).id
        )
        if not opened:
            raise Refusal("meeting.already_open", name=target.name)
        message = await post_kickoff(self.bot, target, meeting, Kickoff(opened_by=member_of(interaction).id))
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("meeting.started", name=shown(target.name), link=message.jump_url))

    @meeting.command(name="end", description=command_text("commands.meeting_end"))
    @app_commands.describe(group=GROUP)
    async def end_meeting(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group)
        meeting = await self.bot.facilitator.require_open(target)
        if not await self.bot.facilitator.close_meeting(target, meeting):
            raise Refusal("meeting.none_open", name=target.name)
        await reply(
            interaction, (await self.bot.texts.reply(interaction, target))("meeting.ended", name=shown(target.name))
        )

    @meeting.command(name="settings", description=command_text("commands.meeting_settings"))
    @app_commands.describe(
        turn_minutes=command_text("options.meeting_turn_minutes", min=MIN_TURN_MINUTES, max=MAX_TURN_MINUTES),
        attendance_minutes=command_text("options.meeting_attendance_minutes"),
        drift_after=command_text("options.meeting_drift_after", min=MIN_DRIFT, max=MAX_DRIFT),
        group=GROUP,
    )
    async def meeting_settings(
        self,
        interaction: discord.Interaction,
        turn_minutes: app_commands.Range[int, MIN_TURN_MINUTES, MAX_TURN_MINUTES] | None = None,
        attendance_minutes: app_commands.Range[int, 1, 180] | None = None,
        drift_after: app_commands.Range[int, MIN_DRIFT, MAX_DRIFT] | None = None,
        group: GroupOption | None = None,
    ) -> None:
        target = await self.bot.access.member_group(interaction, group)
        turn = turn_minutes or target.turn_minutes
        attendance = attendance_minutes or target.attendance_minutes
        drift = drift_after or target.drift_after
        if (turn, attendance, drift) != (target.turn_minutes, target.attendance_minutes, target.drift_after):
            await self.bot.store.groups.set_meeting_settings(
                target.guild_id, target.id, turn_minutes=turn, attendance_minutes=attendance, drift_after=drift
            )
        p = await self.bot.texts.reply(interaction, target)
        await reply(
            interaction,
            p("meeting.settings", name=shown(target.name), turn=turn, attendance=attendance, drift=drift),
        )

    # ---------------------------------------------------------------- attendance from the voice channel

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
                await self.bot.facilitator.reconcile_call(group, meeting, in_call(self.bot, group))

    # ---------------------------------------------------------------- timed sends

    async def deliver_kickoff(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send)
        try:
            meeting, _ = await self.bot.facilitator.open_meeting(
                group, scheduled_at=send.meeting_at, in_call=in_call(self.bot, group)
            )
            if not meeting.is_open:
                raise NothingToSend("meeting_over")
            how = Kickoff(already_open=opened_by_hand(meeting))
            message = await post_kickoff(self.bot, group, meeting, how, nonce=f"ps{send.id}")
        finally:
            # Whatever became of this kickoff, the group's next meeting gets planned.
            await self.bot.planner.replan(group)
        return message.id

    async def deliver_auto_end(self, send: PlannedSend) -> None:
        group = await deliverable_group(self.bot, send, archived_too=True)
        meeting = await self.bot.store.meetings.at(group.guild_id, group.id, send.meeting_at)
        if meeting is None or not meeting.is_open:
            raise NothingToSend("meeting_over")
        await self.bot.facilitator.close_meeting(group, meeting)

    async def deliver_summary(self, send: PlannedSend) -> int:
        group = await deliverable_group(self.bot, send, archived_too=True)
        store = self.bot.store
        meeting = await store.meetings.at(group.guild_id, group.id, send.meeting_at)
        if meeting is None or meeting.is_open:
            raise NothingToSend("meeting_not_closed")
        channel = text_channel(self.bot, group)
        p = await self.bot.texts.group(group)
        if send.message_id is not None and channel is not None:  # posted on an earlier try: only the pin is left
            message: discord.Message | discord.PartialMessage = channel.get_partial_message(send.message_id)
        else:
            summary = summary_message(
                p,
                group,
                meeting,
                roll_call(await store.meetings.attendance(meeting.id)),
                await store.commitments.due_at(group.guild_id, meeting.id),
                await store.commitments.upcoming(group.guild_id, group.id),
                await self.bot.planner.next_meeting(group),
                chart=await group_chart(self.bot, p, group),
            )
            message = await post_planned(self.bot, group, **summary, nonce=f"ps{send.id}")
        # The pin is part of the send: a failure is retried (pinning only) or recorded like the message's.
        try:
            reason = (await self.bot.texts.server(group.guild_id))("audit.summary")
            await paced(self.bot, lambda: message.pin(reason=reason))
        except DeliveryRetry as fault:
            raise DeliveryRetry(f"pin_{fault.reason}", message_id=message.id) from fault
        except DeliveryFailed as failure:
            raise DeliveryFailed(f"pin_{failure.reason}", message_id=message.id) from failure
        return message.id
