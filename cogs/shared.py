"""What every cog shares at the Discord edge: the error-owning command tree, who may do what, which group."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from mastermind.deliveries import DeliveryFailed, DeliveryRetry
from mastermind.errors import Refusal
from mastermind.timezones import suggest_zones
from storage.models import Commitment, Group, GroupForMember, PlannedSend

if TYPE_CHECKING:
    from bot import MastermindBot
    from prompts import Prompts

log = logging.getLogger(__name__)

# A member of a group: sees and uses both of its channels.
MEMBER_ACCESS = discord.PermissionOverwrite(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    add_reactions=True,
    embed_links=True,
    attach_files=True,
    use_application_commands=True,
    connect=True,
    speak=True,
    stream=True,
    use_voice_activation=True,
)
# A member of an archived group: can still read the history, but no longer write or join the call.
READ_ONLY_ACCESS = discord.PermissionOverwrite(
    view_channel=True,
    read_message_history=True,
    send_messages=False,
    add_reactions=False,
    create_public_threads=False,
    create_private_threads=False,
    send_messages_in_threads=False,
    connect=False,
)
# Everyone else: the channels don't exist for them.
HIDDEN = discord.PermissionOverwrite(view_channel=False, connect=False)
# The bot itself, so a server-wide role change can't lock it out of a group it runs.
BOT_ACCESS = discord.PermissionOverwrite(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    manage_messages=True,
    pin_messages=True,
    connect=True,
)


def guild_of(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise Refusal("errors.guild_only")
    return interaction.guild


def member_of(interaction: discord.Interaction) -> discord.Member:
    if not isinstance(interaction.user, discord.Member):
        raise Refusal("errors.guild_only")
    return interaction.user


def mentions(user_ids: Iterable[int]) -> str:
    return " ".join(f"<@{user_id}>" for user_id in user_ids)


def pinging(user_ids: Iterable[int]) -> discord.AllowedMentions:
    """Allow exactly these members to be notified, and nobody else."""
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(id=i) for i in user_ids]
    )


def shown(text: str) -> str:
    """Member-typed text, made safe to display: @everyone, @here and mentions show as plain text."""
    return discord.utils.escape_mentions(text)


STATUS_MARKS = {"open": "⬜", "done": "✅", "partial": "🟡", "missed": "❌", "unreported": "❔"}
# Agenda and summary lines quote goals; long ones are shortened there so the message stays within Discord's limits.
QUOTE_LENGTH = 100
EMBED_LIMIT = 4000


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def goal_lines(commitments: Sequence[Commitment], limit: int, *, marks: bool = True) -> list[str]:
    return [
        f"{STATUS_MARKS[c.status] + ' ' if marks else ''}{shown(shorten(c.text, limit))}"
        + (f" — *{shown(shorten(c.note, limit))}*" if c.note else "")
        for c in commitments
    ]


def fit_embed(build: Callable[[int], str], limit: int = EMBED_LIMIT) -> str:
    """The longest rendering of build(quote_length) that fits an embed description."""
    length = QUOTE_LENGTH
    text = build(length)
    while len(text) > limit and length > 20:
        length -= 10
        text = build(length)
    return text[:limit]


def fit_lines(lines: Sequence[str], prompts: Prompts, *, limit: int = 1900) -> str:
    """Join lines into one message under Discord's 2,000 characters, saying how many were left out."""
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            kept.append(prompts("common.and_more", count=len(lines) - index))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


async def reply(interaction: discord.Interaction, content: str, **kwargs: object) -> None:
    """An ephemeral reply, whether or not the interaction was already answered or deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)  # type: ignore[arg-type]
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)  # type: ignore[arg-type]


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one way every command, button and form answers a failure: say what to do, change nothing."""
    bot: MastermindBot = interaction.client  # type: ignore[assignment]
    prompts = bot.prompts
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        cause = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(error, app_commands.TransformerError) and error.type in (
            discord.AppCommandOptionType.user,
            discord.AppCommandOptionType.mentionable,
        ):
            cause = Refusal("errors.not_in_server")
        error = cause or error
    if isinstance(error, Refusal):
        text = prompts(error.key, **error.values)
    elif isinstance(error, app_commands.NoPrivateMessage):
        text = prompts("errors.guild_only")
    elif isinstance(error, app_commands.MissingPermissions):
        text = prompts("errors.organizers_only")
    elif isinstance(error, discord.Forbidden):
        log.warning("Discord refused an action for lack of permission: %s", error)
        text = prompts("errors.bot_forbidden")
    else:
        log.error("Unexpected error in %s", _where(interaction), exc_info=error)
        text = prompts("errors.unexpected")
    try:
        await reply(interaction, text)
    except discord.HTTPException:
        log.warning("Could not tell %s about an error", interaction.user, exc_info=True)


def _where(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    custom_id = interaction.data.get("custom_id") if interaction.data else None
    return f"component {custom_id}" if custom_id else f"interaction {interaction.type}"


@asynccontextmanager
async def answering(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Around a button or form callback: any failure is answered the same way commands answer it.

    discord.py only logs errors raised in persistent (dynamic) items, leaving the member with "interaction
    failed"; this gives them the same clear, ephemeral answer as a slash command would.
    """
    try:
        yield
    except Exception as error:
        await report_error(interaction, error)


def discord_time(moment: datetime) -> str:
    """A time every reader sees in their own time zone: full date and time, then how far away it is."""
    return f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"


async def timezone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for every time-zone option."""
    return [app_commands.Choice(name=name, value=name) for name in suggest_zones(current)]


async def tell_group(
    bot: MastermindBot, group: Group, content: str, *, ping: Iterable[int] = ()
) -> discord.Message | None:
    """A note in the group's text channel. Best effort: a failure here is logged and never undoes what was done."""
    channel = bot.get_channel(group.text_channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning("Group %s has no text channel to post to", group.id)
        return None
    try:
        return await channel.send(content, allowed_mentions=pinging(ping))
    except discord.HTTPException:
        log.warning("Could not post a note in group %s's channel", group.id, exc_info=True)
        return None


def cog_of(interaction: discord.Interaction, name: str) -> Any:
    """The cog that owns a persistent button, or a polite refusal while it is (re)loading."""
    cog = interaction.client.get_cog(name)  # type: ignore[attr-defined]
    if cog is None:
        raise Refusal("errors.unavailable")
    return cog


async def deliverable_group(bot: MastermindBot, send: PlannedSend) -> Group:
    """The group a timed send is for, as long as it still meets."""
    group = await bot.store.groups.get(send.guild_id, send.group_id)
    if group is None or not group.is_active:
        raise DeliveryFailed("group_archived")
    return group


async def post_planned(bot: MastermindBot, channel_id: int, **message: Any) -> discord.Message:
    """Post a timed message, turning Discord's answer into "try again later" or "give up, here's why"."""
    channel = bot.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel):
        raise DeliveryFailed("channel_missing")
    await bot.pacer.wait()
    try:
        return await channel.send(**message)
    except discord.Forbidden as error:
        raise DeliveryFailed("forbidden") from error
    except discord.NotFound as error:
        raise DeliveryFailed("channel_missing") from error
    except discord.HTTPException as error:
        if error.status >= 500 or error.status == 429:
            raise DeliveryRetry("discord_unavailable") from error
        raise DeliveryFailed("discord_rejected") from error


class MastermindTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class Access:
    """Who may do what: organizers run the server's groups, members run their own group."""

    def __init__(self, bot: MastermindBot) -> None:
        self._bot = bot

    async def is_organizer(self, member: discord.Member) -> bool:
        if member.guild_permissions.manage_guild:
            return True
        settings = await self._bot.store.settings.get(member.guild.id)
        return settings.organizer_role_id is not None and member.get_role(settings.organizer_role_id) is not None

    async def require_organizer(self, interaction: discord.Interaction) -> discord.Member:
        member = member_of(interaction)
        if not await self.is_organizer(member):
            raise Refusal("errors.organizers_only")
        return member

    async def locate(self, interaction: discord.Interaction, name: str | None, *, active: bool) -> GroupForMember:
        """The group named, or else the group whose channel this is; refused when neither says which."""
        guild = guild_of(interaction)
        named = name.strip() if name else None
        if not named and interaction.channel_id is None:
            raise Refusal("group.which")
        found = await self._bot.store.groups.locate(
            guild.id, user_id=interaction.user.id, name=named or None, channel_id=interaction.channel_id
        )
        if found is None:
            raise Refusal("group.not_found", name=shown(named)) if named else Refusal("group.which")
        if active and not found.group.is_active:
            raise Refusal("group.archived", name=shown(found.group.name))
        return found

    async def group(self, interaction: discord.Interaction, name: str | None, *, active: bool = True) -> Group:
        return (await self.locate(interaction, name, active=active)).group

    async def member_group(self, interaction: discord.Interaction, name: str | None, *, active: bool = True) -> Group:
        """The group, for someone who must be in it or be an organizer."""
        found = await self.locate(interaction, name, active=active)
        await self.require_member_or_organizer(member_of(interaction), found.group, is_member=found.is_member)
        return found.group

    async def require_member_or_organizer(
        self, member: discord.Member, group: Group, *, is_member: bool | None = None
    ) -> None:
        """Refused unless the member is in the group or is an organizer (is_member: when already known)."""
        if is_member is None:
            is_member = await self._bot.store.groups.is_member(group.guild_id, group.id, member.id)
        if not is_member and not await self.is_organizer(member):
            raise Refusal("group.members_only", name=shown(group.name))

    async def group_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for the group option: organizers see every group, members their own."""
        if not isinstance(interaction.user, discord.Member):
            return []
        organizer = await self.is_organizer(interaction.user)
        groups = await self._bot.store.groups.search(
            interaction.user.guild.id, current, member_id=None if organizer else interaction.user.id
        )
        archived = self._bot.prompts("group.archived_suffix")
        return [
            app_commands.Choice(name=group.name if group.is_active else f"{group.name} {archived}", value=group.name)
            for group in groups
        ]
