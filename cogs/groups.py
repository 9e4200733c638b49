"""/group: private spaces (a text and a voice channel) that only a group's members can see."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption, member_of
from cogs.common.bot import MastermindBot
from cogs.common.delivery import tell_group
from cogs.common.errors import reply
from cogs.common.i18n import command_text, language_choices, language_name, spoken
from cogs.common.membership import (
    PledgeButton,
    admit_member,
    group_channels,
    leave_group,
    pledge_message,
    require_channel_permissions,
    set_access,
    take_out,
)
from cogs.common.permissions import READ_ONLY_ACCESS
from cogs.common.spaces import create_space
from cogs.common.text import discord_time, fit_lines, mention, shown
from mastermind.errors import Person, Refusal
from mastermind.rules.keeping import DEFAULT_PAUSE, MAX_PAUSE, MIN_PAUSE
from mastermind.rules.names import MAX_GROUP_NAME, clean_group_name, name_key
from mastermind.services.events import MemberLeftGroup
from prompts import Prompts
from storage.models import Group

log = logging.getLogger(__name__)
GROUP = command_text("options.group")


@app_commands.guild_only()
class Groups(commands.GroupCog, group_name="group", group_description=command_text("commands.group")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PledgeButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PledgeButton)

    # ---------------------------------------------------------------- commands

    @app_commands.command(name="create", description=command_text("commands.group_create"))
    @app_commands.describe(name=command_text("options.group_name", max=MAX_GROUP_NAME))
    async def create(self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        name = clean_group_name(name)
        if await self.bot.store.groups.by_key(organizer.guild.id, name_key(name)) is not None:
            raise Refusal("group.name_taken", name=name)
        require_channel_permissions(organizer.guild)
        await interaction.response.defer(ephemeral=True, thinking=True)
        space = await create_space(self.bot, organizer.guild, name=name, created_by=organizer)
        p = await self.bot.texts.reply(interaction, space.group)
        text, voice = space.text.mention, space.voice.mention
        await reply(interaction, p("group.created", name=shown(space.group.name), text=text, voice=voice))

    @app_commands.command(name="add", description=command_text("commands.group_add"))
    @app_commands.describe(member=command_text("options.group_add_member"), group=GROUP)
    async def add(
        self, interaction: discord.Interaction, member: discord.Member, group: GroupOption | None = None
    ) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        target = await self.bot.access.group(interaction, group)
        await interaction.response.defer(ephemeral=True, thinking=True)
        admitted = await admit_member(self.bot, target, member, invited_by=organizer.id)
        p = await self.bot.texts.reply(interaction, target)
        if admitted.invited is None:
            await reply(interaction, p("group.added", member=member.mention, name=shown(target.name)))
            return
        await reply(
            interaction,
            p(
                "pledge.invited" if admitted.pledge_delivered else "pledge.invited_no_dm",
                member=member.mention,
                name=shown(target.name),
                until=discord_time(admitted.invited.invitation.expires_at),
            ),
        )

    @app_commands.command(name="accept", description=command_text("commands.group_accept"))
    @app_commands.describe(group=command_text("options.group_accept"))
    async def accept(self, interaction: discord.Interaction, group: str | None = None) -> None:
        member = member_of(interaction)
        target = (await self.bot.access.group(interaction, group, active=False)) if group and group.strip() else None
        invited = await self.bot.membership.invitation_to(member.guild.id, member.id, target)
        p = await self.bot.texts.reply(interaction, invited.group)
        await reply(interaction, **pledge_message(p, member.guild, invited))

    @accept.autocomplete("group")
    async def _invitation_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The groups the member is invited to and may still join."""
        if interaction.guild is None:
            return []
        typed = name_key(current)
        return [
            app_commands.Choice(name=name, value=name)
            for _, name in await self.bot.membership.open_invitations(interaction.guild.id, interaction.user.id)
            if typed in name_key(name)
        ][:25]

    @app_commands.command(name="remove", description=command_text("commands.group_remove"))
    @app_commands.describe(member=command_text("options.group_remove_member"), group=GROUP)
    async def remove(
        self, interaction: discord.Interaction, member: discord.Member, group: GroupOption | None = None
    ) -> None:
        await self.bot.access.require_organizer(interaction)
        target = await self.bot.access.group(interaction, group)
        if not await self.bot.store.groups.is_member(target.guild_id, target.id, member.id):
            if await self.bot.membership.withdraw(target, member.id):
                p = await self.bot.texts.reply(interaction, target)
                await reply(
                    interaction, p("group.invitation_withdrawn", member=member.mention, name=shown(target.name))
                )
                return
            raise Refusal("group.not_a_member", member=Person(member.id), name=target.name)
        await self._defer_change(interaction, member)
        await take_out(self.bot, target, member)
        await tell_group(self.bot, target, "group.farewell", member=member.mention)
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("group.removed", member=member.mention, name=shown(target.name)))

    @app_commands.command(name="leave", description=command_text("commands.group_leave"))
    @app_commands.describe(group=GROUP)
    async def leave(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        member = member_of(interaction)
        target = await self.bot.access.group(interaction, group)
        if not await self.bot.store.groups.is_member(target.guild_id, target.id, member.id):
            raise Refusal("group.you_are_not_a_member", name=target.name)
        await self._defer_change(interaction, member)
        await leave_group(self.bot, target, member)
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("group.you_left", name=shown(target.name)))

    @app_commands.command(name="pause", description=command_text("commands.group_pause"))
    @app_commands.describe(
        meetings=command_text("options.group_pause_meetings", min=MIN_PAUSE, max=MAX_PAUSE, default=DEFAULT_PAUSE),
        group=GROUP,
    )
    async def pause(
        self, interaction: discord.Interaction, meetings: int = DEFAULT_PAUSE, group: GroupOption | None = None
    ) -> None:
        member = member_of(interaction)
        target = await self.bot.access.group(interaction, group)
        await self.bot.keeper.pause(target, member.id, meetings)
        await tell_group(self.bot, target, "pause.note", member=member.mention, count=meetings)
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("pause.paused", name=shown(target.name), count=meetings))

    @app_commands.command(name="resume", description=command_text("commands.group_resume"))
    @app_commands.describe(group=GROUP)
    async def resume(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        member = member_of(interaction)
        target = await self.bot.access.group(interaction, group)
        await self.bot.keeper.resume(target, member.id)
        await tell_group(self.bot, target, "pause.back_note", member=member.mention)
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("pause.resumed", name=shown(target.name)))

    @app_commands.command(name="language", description=command_text("commands.group_language"))
    @app_commands.describe(language=command_text("options.group_language"), group=GROUP)
    @app_commands.choices(language=language_choices())
    async def language(self, interaction: discord.Interaction, language: str, group: GroupOption | None = None) -> None:
        member = member_of(interaction)
        target = await self.bot.access.member_group(interaction, group)
        name = language_name(spoken(language))
        if language == await self.bot.texts.group_language(target):
            p = await self.bot.texts.reply(interaction, target)
            await reply(interaction, p("group.language_same", name=shown(target.name), language=name))
            return
        await self.bot.store.groups.set_language(target.guild_id, target.id, language)
        changed = target.model_copy(update={"language": language})
        await tell_group(self.bot, changed, "group.language_note", who=member.mention, language=name)
        p = await self.bot.texts.reply(interaction, changed)
        await reply(interaction, p("group.language_set", name=shown(target.name), language=name))

    @app_commands.command(name="list", description=command_text("commands.group_list"))
    async def list_groups(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        organizer = await self.bot.access.is_organizer(member)
        summaries = await self.bot.store.groups.summaries(member.guild.id, member_id=None if organizer else member.id)
        p = await self.bot.texts.reply(interaction)
        if not summaries:
            await reply(interaction, p("group.list_empty_organizer" if organizer else "group.list_empty_member"))
            return
        lines = [
            p(
                "group.list_line" if summary.group.is_active else "group.list_line_archived",
                name=shown(summary.group.name),
                count=summary.member_count,
                text=f"<#{summary.group.text_channel_id}>",
            )
            for summary in summaries
        ]
        heading = p("group.list_heading_all" if organizer else "group.list_heading_mine", count=len(summaries))
        await reply(interaction, fit_lines([heading, *lines], p))

    @app_commands.command(name="info", description=command_text("commands.group_info"))
    @app_commands.describe(group=GROUP)
    async def info(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        target = await self.bot.access.member_group(interaction, group, active=False)
        await reply(interaction, await self.describe(target, await self.bot.texts.reply(interaction, target)))

    @app_commands.command(name="archive", description=command_text("commands.group_archive"))
    @app_commands.describe(group=GROUP)
    async def archive(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        target = await self.bot.access.group(interaction, group)
        require_channel_permissions(organizer.guild)
        await interaction.response.defer(ephemeral=True, thinking=True)
        records = await self.bot.store.groups.members(target.guild_id, target.id)
        members = [m for m in (organizer.guild.get_member(r.user_id) for r in records) if m is not None]
        channels = group_channels(self.bot, target)
        reason = (await self.bot.texts.server(target.guild_id))("audit.group_archived", name=target.name, who=organizer)
        try:
            async with AsyncExitStack() as undo:
                for channel in channels:
                    for member in members:
                        await set_access(self.bot, undo, channel, member, READ_ONLY_ACCESS, reason)
                if not await self.bot.store.groups.archive(target.guild_id, target.id, now=self.bot.clock.now()):
                    raise Refusal("group.archived", name=target.name)
                undo.pop_all()
        except discord.HTTPException as error:
            raise Refusal("group.discord_failed", status=error.status) from error
        archived = await self.bot.store.groups.get(target.guild_id, target.id)
        assert archived is not None
        await self.bot.membership.group_archived(archived)
        await self.bot.privacy.group_archived(archived)
        await tell_group(self.bot, target, "group.archived_note", name=shown(target.name))
        # A meeting under way ends now, as /meeting end would: attendance counts and its summary is pinned.
        meeting = await self.bot.store.meetings.current(archived.guild_id, archived.id)
        if meeting is not None:
            await self.bot.facilitator.close_meeting(archived, meeting)
        await self.bot.planner.replan(archived)  # an archived group meets no more: its pending sends are cancelled
        p = await self.bot.texts.reply(interaction, target)
        await reply(interaction, p("group.archived_done", name=shown(target.name)))

    # ---------------------------------------------------------------- events

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """Someone left the server: they leave their groups too, each group hears of it, their invitations and
        application are withdrawn, and what the bot keeps about them is deleted once the server's retention period
        is over."""
        store = self.bot.store
        reason = (await self.bot.texts.server(payload.guild_id))("audit.member_left_server")
        for group in await store.groups.groups_of(payload.guild_id, payload.user.id):
            # Leaving the server ends their time in a meeting's call, as Discord ends their voice state.
            meeting = await store.meetings.current(group.guild_id, group.id)
            if meeting is not None:
                await self.bot.facilitator.left_call(meeting, payload.user.id)
            if not await store.groups.remove_member(group.guild_id, group.id, payload.user.id):
                continue
            for channel in group_channels(self.bot, group):
                try:
                    # They are no longer a Member of the server; discord.py takes any user here.
                    await channel.set_permissions(
                        payload.user,  # type: ignore[arg-type]
                        overwrite=None,
                        reason=reason,
                    )
                except discord.HTTPException:
                    log.warning(
                        "Could not clear %s's access to channel %s",
                        payload.user.id,
                        channel.id,
                        exc_info=True,
                    )
            if group.is_active:
                await tell_group(self.bot, group, "group.left_server", member=mention(payload.user.id))
            await self.bot.events.publish(MemberLeftGroup(group, payload.user.id))
        await self.bot.membership.left_server(payload.guild_id, payload.user.id)
        await self.bot.intake.left_server(payload.guild_id, payload.user.id)
        await self.bot.privacy.member_left(payload.guild_id, payload.user.id)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """Someone came back to the server before their data was deleted: it is kept after all."""
        await self.bot.privacy.member_returned(member.guild.id, member.id)

    # ---------------------------------------------------------------- helpers

    async def describe(self, group: Group, p: Prompts) -> str:
        members = await self.bot.store.groups.members(group.guild_id, group.id)
        listed = ", ".join(mention(m.user_id) for m in members) or p("group.no_members")
        paused = [
            p("group.info_paused_member", member=mention(m.user_id), count=m.paused_for) for m in members if m.is_paused
        ]
        lines = [
            p(
                "group.info_heading" if group.is_active else "group.info_heading_archived",
                name=shown(group.name),
            ),
            p("group.info_members", count=len(members), members=listed),
            *([p("group.info_paused", members=", ".join(paused))] if paused else []),
        ]
        invited = await self.bot.membership.invited(group)
        if invited:
            waiting = ", ".join(
                p("group.info_invited_one", member=mention(i.user_id), until=discord.utils.format_dt(i.expires_at, "D"))
                for i in invited
            )
            lines.append(p("group.info_invited", count=len(invited), members=waiting))
        lines += [
            p(
                "group.info_channels",
                text=f"<#{group.text_channel_id}>",
                voice=f"<#{group.voice_channel_id}>",
            ),
            p("group.info_created", created=discord.utils.format_dt(group.created_at, "D")),
            p("group.info_language", language=language_name(await self.bot.texts.group_language(group))),
        ]
        upcoming = await self.bot.planner.next_meeting(group)
        if upcoming is not None:
            lines.append(p("group.info_next", when=discord_time(upcoming.starts_at)))
        elif group.is_active:
            lines.append(p("group.info_no_schedule"))
        problem = await self.bot.store.sends.latest_problem(group.guild_id, group.id)
        if problem is not None:
            lines.append(
                p(
                    "group.info_problem",
                    what=p(f"sends.kind_{problem.kind}"),
                    due=discord.utils.format_dt(problem.due_at, "f"),
                    reason=p(f"sends.reason_{problem.reason or 'error'}"),
                )
            )
        return "\n".join(lines)

    async def _defer_change(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Changing who sees the channels takes several requests: check the bot may, then answer "thinking"."""
        require_channel_permissions(member.guild)
        await interaction.response.defer(ephemeral=True, thinking=True)


async def setup(bot: MastermindBot) -> None:
    await bot.add_cog(Groups(bot))
