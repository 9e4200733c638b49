"""Joining a group at the edge, the one way every feature adds someone (/group add today; matching and refilling
a seat later): the decision is the Membership service's; here the channels are opened, the member welcomed, or
the confidentiality pledge sent for them to accept first."""

from __future__ import annotations

import logging
import re
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import discord

from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import tell_group
from cogs.common.errors import reply
from cogs.common.items import Answering, label_of
from cogs.common.permissions import CHANNEL_PERMISSIONS, MEMBER_ACCESS, missing, permission_terms
from cogs.common.text import shown
from mastermind.errors import Person, Refusal
from mastermind.services.events import MemberLeftGroup
from mastermind.services.membership import OpenInvitation
from prompts import Prompts
from storage.models import Group

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Admitted:
    """How someone was let in: at once (invited is None), or invited to accept the pledge, which reached them by
    direct message or not (closed DMs: then they accept with /group accept)."""

    invited: OpenInvitation | None = None
    pledge_delivered: bool = False


async def admit_member(bot: MastermindBot, group: Group, member: discord.Member, *, invited_by: int) -> Admitted:
    """Let a member into a group: with the pledge off (or already accepted in its current version) they get the
    channels and are welcomed now; otherwise they are invited and sent the pledge. Defer before calling: opening
    channels takes several requests."""
    if member.bot:
        raise Refusal("group.add_bot", member=Person(member.id))
    invited = await bot.membership.admit(group, member.id, invited_by=invited_by)
    if invited is None:
        await enter(bot, group, member)
        return Admitted()
    return Admitted(invited, pledge_delivered=await send_pledge(bot, member, invited))


async def enter(
    bot: MastermindBot, group: Group, member: discord.Member, *, accepting: OpenInvitation | None = None
) -> None:
    """Give the member the group's channels and record it (accepting their invitation, if any), all of it or
    none of it, then welcome them in the group's channel."""
    require_channel_permissions(member.guild)
    reason = (await bot.texts.server(group.guild_id))("audit.member_joined", who=member, name=group.name)
    try:
        async with AsyncExitStack() as undo:
            for channel in group_channels(bot, group):
                await set_access(bot, undo, channel, member, MEMBER_ACCESS, reason)
            if not await bot.membership.join(group, member.id, accepting=accepting):
                undo.pop_all()  # let in meanwhile (a second click): the access just given is right, keep it
                raise Refusal("group.already_member", member=Person(member.id), name=group.name)
            undo.pop_all()
    except discord.HTTPException as error:
        raise Refusal("group.discord_failed", status=error.status) from error
    await tell_group(bot, group, "group.welcome", member=member.mention, name=shown(group.name), ping=[member.id])


async def take_out(bot: MastermindBot, group: Group, member: discord.Member) -> None:
    """Take away the group's channels and record that the member is out: all of it, or none of it; then whoever
    follows members leaving hears of it. (Several requests: defer first.)"""
    require_channel_permissions(member.guild)
    reason = (await bot.texts.server(group.guild_id))("audit.member_left", who=member, name=group.name)
    try:
        async with AsyncExitStack() as undo:
            for channel in group_channels(bot, group):
                await set_access(bot, undo, channel, member, None, reason)
            if not await bot.store.groups.remove_member(group.guild_id, group.id, member.id):
                undo.pop_all()  # taken out meanwhile (a second click): no access is right, keep it that way
                raise Refusal("group.not_a_member", member=Person(member.id), name=group.name)
            undo.pop_all()
    except discord.HTTPException as error:
        raise Refusal("group.discord_failed", status=error.status) from error
    await bot.events.publish(MemberLeftGroup(group, member.id))


async def leave_group(bot: MastermindBot, group: Group, member: discord.Member) -> None:
    """The member leaves the group themselves (by command, or from a check-in), and the group hears of it."""
    await take_out(bot, group, member)
    await tell_group(bot, group, "group.left", member=member.mention)


# ---------------------------------------------------------------- the pledge


class PledgeButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"pledge:accept:(?P<guild_id>\d+):(?P<invitation_id>\d+):(?P<version>\d+)",
):
    """ "I agree, let me in", under the pledge (in a direct message or a /group accept reply); works after restarts.
    It carries the server (a direct message has none) and the version of the pledge the member read."""

    def __init__(self, guild_id: int, invitation_id: int, version: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="🤝",
                style=discord.ButtonStyle.success,
                custom_id=f"pledge:accept:{guild_id}:{invitation_id}:{version}",
            )
        )
        self.guild_id = guild_id
        self.invitation_id = invitation_id
        self.version = version

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PledgeButton:
        return cls(int(match["guild_id"]), int(match["invitation_id"]), int(match["version"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        member = await member_in(bot, self.guild_id, interaction.user.id)
        if member is None:
            raise Refusal("pledge.not_in_server")
        opened = await bot.membership.invitation(
            self.guild_id, member.id, self.invitation_id, seen_version=self.version
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await enter(bot, opened.group, member, accepting=opened)
        p = await bot.texts.reply(interaction, opened.group)
        await reply(
            interaction, p("pledge.accepted", name=shown(opened.group.name), text=f"<#{opened.group.text_channel_id}>")
        )


async def member_in(bot: MastermindBot, guild_id: int, user_id: int) -> discord.Member | None:
    """The person as a member of the server (a direct message knows them only as a user); None when they aren't
    one, or the bot isn't in that server any more."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        return None
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None


def pledge_message(p: Prompts, guild: discord.Guild, invited: OpenInvitation) -> dict[str, Any]:
    """The pledge as a member reads it before joining: which group, until when, the text, and the button."""
    text = invited.pledge.text or p("pledge.default_text")
    embed = discord.Embed(title=p("pledge.title"), description=shown(text), colour=discord.Colour.dark_teal())
    embed.set_footer(text=p("pledge.version", version=invited.pledge.version))
    view = discord.ui.View(timeout=None)
    view.add_item(PledgeButton(guild.id, invited.invitation.id, invited.pledge.version, p("pledge.button")))
    content = p(
        "pledge.invitation",
        server=shown(guild.name),
        name=shown(invited.group.name),
        until=discord.utils.format_dt(invited.invitation.expires_at, "f"),
    )
    return {"content": content, "embed": embed, "view": view}


async def send_pledge(bot: MastermindBot, member: discord.Member, invited: OpenInvitation) -> bool:
    """Send the pledge by direct message; False when it could not be delivered (the member doesn't accept direct
    messages from the bot), so whoever invited them can point them at /group accept."""
    try:
        await member.send(**pledge_message(await bot.texts.group(invited.group), member.guild, invited))
    except discord.Forbidden:
        return False
    except discord.HTTPException:
        log.warning("Could not send the pledge to %s", member.id, exc_info=True)
        return False
    return True


# ---------------------------------------------------------------- channel access


def require_channel_permissions(guild: discord.Guild) -> None:
    lacking = missing(guild.me.guild_permissions, CHANNEL_PERMISSIONS)
    if lacking:
        raise Refusal("group.bot_missing", permissions=permission_terms(lacking))


def group_channels(bot: MastermindBot, group: Group) -> list[discord.abc.GuildChannel]:
    guild = bot.get_guild(group.guild_id)
    if guild is None:
        return []
    channels = [guild.get_channel(group.text_channel_id), guild.get_channel(group.voice_channel_id)]
    return [channel for channel in channels if channel is not None]


async def set_access(
    bot: MastermindBot,
    undo: AsyncExitStack,
    channel: discord.abc.GuildChannel,
    member: discord.Member,
    overwrite: discord.PermissionOverwrite | None,
    reason: str,
) -> None:
    """Change one member's access to one channel, and remember how to put it back."""
    previous = next((o for target, o in channel.overwrites.items() if target.id == member.id), None)
    await channel.set_permissions(member, overwrite=overwrite, reason=reason)
    undone = (await bot.texts.server(channel.guild.id))("audit.undo", reason=reason)
    undo.push_async_callback(channel.set_permissions, member, overwrite=previous, reason=undone)
