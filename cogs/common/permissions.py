"""Who sees a group's channels, and which server permissions the bot needs (named as Discord's settings name
them, from prompts/)."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from mastermind.errors import Terms
from prompts import Prompts

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

# What creating and changing group channels needs.
CHANNEL_PERMISSIONS = ("manage_channels", "manage_roles")
# Everything the bot needs server-wide.
REQUIRED_PERMISSIONS = (
    *CHANNEL_PERMISSIONS,
    "view_channel",
    "send_messages",
    "embed_links",
    "read_message_history",
    "manage_messages",
    "connect",
    "manage_events",
)


def missing(permissions: discord.Permissions, needed: tuple[str, ...]) -> list[str]:
    return [name for name in needed if not getattr(permissions, name)]


def labels(prompts: Prompts, names: list[str]) -> str:
    """Permission names as Discord's settings screen shows them, e.g. "Manage Channels, Manage Roles"."""
    return ", ".join(prompts(f"permissions.{name}") for name in names)


def permission_terms(names: Iterable[str]) -> Terms:
    """Permission names for a refusal, shown in the reader's language."""
    return Terms(tuple(f"permissions.{name}" for name in names))
