"""Which group a command means, and whether the person asking may act on it; the group option's autocomplete."""

from __future__ import annotations

import discord
from discord import app_commands

from cogs.common.i18n import Texts
from mastermind.errors import Refusal
from mastermind.rules.access import Actor, is_organizer, may_run_group
from mastermind.rules.names import name_key
from storage import Store
from storage.models import Group, GroupForMember


def actor_of(member: discord.Member) -> Actor:
    return Actor(
        user_id=member.id,
        manages_server=member.guild_permissions.manage_guild,
        role_ids=frozenset(role.id for role in member.roles),
    )


def guild_of(interaction: discord.Interaction) -> discord.Guild:
    if interaction.guild is None:
        raise Refusal("errors.guild_only")
    return interaction.guild


def member_of(interaction: discord.Interaction) -> discord.Member:
    if not isinstance(interaction.user, discord.Member):
        raise Refusal("errors.guild_only")
    return interaction.user


class Access:
    """Organizers run the server's groups, members run their own group (the rules are in mastermind.rules)."""

    def __init__(self, store: Store, texts: Texts) -> None:
        self._store = store
        self._texts = texts

    async def is_organizer(self, member: discord.Member, *, organizer_role_id: int | None = None) -> bool:
        """Whether the member organizes; the server's organizer role is read unless given (or not needed)."""
        actor = actor_of(member)
        if actor.manages_server or organizer_role_id is not None:
            return is_organizer(actor, organizer_role_id)
        settings = await self._store.settings.get(member.guild.id)
        return is_organizer(actor, settings.organizer_role_id)

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
        found = await self._store.groups.locate(
            guild.id,
            user_id=interaction.user.id,
            name_key=name_key(named) if named else None,
            channel_id=interaction.channel_id,
        )
        if found is None:
            raise Refusal("group.not_found", name=named) if named else Refusal("group.which")
        if active and not found.group.is_active:
            raise Refusal("group.archived", name=found.group.name)
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
            is_member = await self._store.groups.is_member(group.guild_id, group.id, member.id)
        if not may_run_group(is_member=is_member, is_organizer=is_member or await self.is_organizer(member)):
            raise Refusal("group.members_only", name=group.name)

    async def group_choices(
        self, interaction: discord.Interaction, member: discord.Member, typed: str
    ) -> list[app_commands.Choice[str]]:
        """What the group option suggests: organizers see every group of the server, members their own."""
        organizer = await self.is_organizer(member)
        groups = await self._store.groups.search(
            member.guild.id, name_key(typed), member_id=None if organizer else member.id
        )
        archived = (await self._texts.reply(interaction))("group.archived_suffix")
        return [
            app_commands.Choice(name=group.name if group.is_active else f"{group.name} {archived}", value=group.name)
            for group in groups
        ]


class GroupName(app_commands.Transformer):
    """The `group` option of every command that acts on a group: typed as text, suggested from the groups the
    member may pick."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value.strip()

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        if not isinstance(interaction.user, discord.Member):
            return []
        access: Access = interaction.client.access  # type: ignore[attr-defined]
        return await access.group_choices(interaction, interaction.user, value)


GroupOption = app_commands.Transform[str, GroupName]
