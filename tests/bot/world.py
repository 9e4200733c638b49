"""Builders for the simulated server the tests play in, and ways to read what members see."""

from __future__ import annotations

from dataclasses import dataclass

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle


@dataclass
class World:
    guild: GuildHandle
    general: ChannelHandle
    organizer: MemberActor

    def member(self, name: str) -> MemberActor:
        env = self.guild._env
        return self.guild.add_member(env.create_user(name))


async def make_world(env, *, name: str = "Founders Hub") -> World:
    guild = env.create_guild(name)
    general = guild.create_text_channel("general")
    organizers = guild.create_role("Organizers", permissions=discord.Permissions(manage_guild=True))
    organizer = guild.add_member(env.create_user("olivia"), roles=[organizers])
    await env.bot.tree.sync()
    return World(guild=guild, general=general, organizer=organizer)


def text_of(message: discord.Message) -> str:
    """Everything a member reads in a message: its content, embeds, and Components V2 text."""
    parts = [message.content]
    for embed in message.embeds:
        parts.extend(filter(None, [embed.title, embed.description]))
        parts.extend(f"{field.name}\n{field.value}" for field in embed.fields)
        if embed.footer and embed.footer.text:
            parts.append(embed.footer.text)
    parts.extend(_component_text(message.components))
    return "\n".join(part for part in parts if part)


def _component_text(components) -> list[str]:
    texts: list[str] = []
    for component in components:
        content = getattr(component, "content", None)
        if isinstance(content, str):
            texts.append(content)
        children = getattr(component, "children", None) or getattr(component, "components", None)
        if children:
            texts.extend(_component_text(children))
        accessory = getattr(component, "accessory", None)
        if accessory is not None:
            texts.extend(_component_text([accessory]))
    return texts


def buttons_of(message: discord.Message) -> list[str]:
    """The labels of the buttons a member can click on a message."""
    labels: list[str] = []

    def walk(components) -> None:
        for component in components:
            if isinstance(component, discord.Button) and component.label:
                labels.append(component.label)
            children = getattr(component, "children", None)
            if children:
                walk(children)
            accessory = getattr(component, "accessory", None)
            if accessory is not None:
                walk([accessory])

    walk(message.components)
    return labels


def can_see(env, guild: GuildHandle, user, channel: ChannelHandle) -> bool:
    permissions = discord.Permissions(env.backend.compute_permissions(guild.id, user.id, channel.id))
    return permissions.view_channel


def can_write(env, guild: GuildHandle, user, channel: ChannelHandle) -> bool:
    permissions = discord.Permissions(env.backend.compute_permissions(guild.id, user.id, channel.id))
    return permissions.view_channel and permissions.send_messages


def can_connect(env, guild: GuildHandle, user, channel: ChannelHandle) -> bool:
    permissions = discord.Permissions(env.backend.compute_permissions(guild.id, user.id, channel.id))
    return permissions.view_channel and permissions.connect


def take_bot_permissions(env, guild: GuildHandle, **denied: bool) -> None:
    """An admin takes permissions from the bot's role: take_bot_permissions(env, guild, manage_channels=False)."""
    backend = env.backend
    me = backend.get_guild(guild.id).members[backend.bot_user.id]
    role_id = next(role_id for role_id in me.role_ids if backend.get_role(guild.id, role_id).managed)
    permissions = discord.Permissions(backend.get_role(guild.id, role_id).permissions)
    permissions.update(**denied)
    backend.edit_role(guild.id, role_id, {"permissions": permissions.value})


def fail_after(env, event: str, method: str, path: str, *, status: int = 500) -> None:
    """Discord fails the next matching request once `event` has been seen: a failure part-way through."""

    def arm(name: str, payload) -> None:
        if name == event:
            env.backend.subscribers.remove(arm)
            env.backend.faults.append(
                {
                    "method": method,
                    "path": path,
                    "status": status,
                    "code": 0,
                    "message": "Internal Server Error (injected by test)",
                    "times": 1,
                }
            )

    env.backend.subscribers.append(arm)


def group_channels(guild: GuildHandle) -> dict[str, ChannelHandle]:
    """Every channel in the server except the ones the test world starts with."""
    return {name: channel for name, channel in guild.channels.items() if name != "general"}


def said(result) -> str:
    """What the member read in reply to an interaction (the last follow-up, else the response)."""
    if result.followups:
        return result.followups[-1].content
    assert result.response is not None, "the bot never answered"
    return result.response.content


def refusals(env) -> list[str]:
    """The refusal keys the bot raised, checking nothing else went wrong; reading them acknowledges them."""
    from discord import app_commands

    from mastermind.errors import Refusal

    keys = []
    for error in env.errors:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        assert isinstance(original, Refusal), f"unexpected error: {error!r}"
        keys.append(original.key)
    return keys


@dataclass
class GroupSpace:
    """A group as the test sees it: its channels and the members in it."""

    name: str
    text: ChannelHandle
    voice: ChannelHandle
    members: list[MemberActor]


async def make_group(
    env, world: World, name: str = "Founders", members: tuple[str, ...] = ("ada", "ben")
) -> GroupSpace:
    """An organizer creates a group and adds the members, as they would in Discord."""
    from mastermind.rules.names import text_channel_name, voice_channel_name

    await world.organizer.slash(world.general, "group create", name=name)
    actors = [world.member(member) for member in members]
    for actor in actors:
        await world.organizer.slash(world.general, "group add", member=actor, group=name)
    channels = world.guild.channels
    return GroupSpace(name, channels[text_channel_name(name)], channels[voice_channel_name(name)], actors)


def sent_by_bot(env, channel: ChannelHandle, prefix: str) -> list[discord.Message]:
    """The bot's messages in a channel that start with a marker (⏰ reminders, 📞 kickoffs, ...)."""
    bot_id = env.backend.bot_user.id
    return [m for m in channel.history() if m.author.id == bot_id and m.content.startswith(prefix)]


def deny_bot(env, channel: ChannelHandle, permissions: discord.Permissions):
    """An admin denies the bot some permissions in one channel; call the result to put things back."""
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    bot_id = env.backend.bot_user.id
    previous = next(o for o in env.backend.get_channel(channel.id).overwrites if o.target_id == bot_id)
    env.backend.set_overwrite(
        channel.id, Overwrite(target_id=bot_id, type=OverwriteType.MEMBER, allow=0, deny=permissions.value)
    )
    return lambda: env.backend.set_overwrite(channel.id, previous)


def select_ids(message: discord.Message) -> list[str]:
    """The custom ids of the select menus on a message, in the order a member sees them."""
    found: list[str] = []

    def walk(components) -> None:
        for component in components:
            if isinstance(component, discord.SelectMenu) and component.custom_id:
                found.append(component.custom_id)
            walk(getattr(component, "children", None) or [])

    walk(message.components)
    return found


def refreshed(channel: ChannelHandle, message: discord.Message) -> discord.Message:
    """The message as it reads now (after the bot edited it)."""
    return next(m for m in channel.history() if m.id == message.id)


def bot_messages_containing(env, channel: ChannelHandle, text: str) -> list[discord.Message]:
    bot_id = env.backend.bot_user.id
    return [m for m in channel.history() if m.author.id == bot_id and text in text_of(m)]
