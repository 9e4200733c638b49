"""Prints what the members of a simulated server see, in order and readably: messages, buttons, private replies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

import discord
from simcord.builders import ChannelHandle

_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")
_CHANNEL = re.compile(r"<#(\d+)>")
_STAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,3} ", re.MULTILINE)


class Narrator:
    """Watches the simulated server and writes what happens to `out`, with each time shown in the readers' zones."""

    def __init__(self, env, out: TextIO, zones: dict[str, ZoneInfo]) -> None:
        self._env = env
        self._out = out
        self._zones = zones  # e.g. {"Berlin": ZoneInfo("Europe/Berlin"), "New York": ...}
        self._seen: dict[int, str] = {}
        self._last_heading = ""

    # ---------------------------------------------------------------- what happens

    def chapter(self, title: str) -> None:
        self._write(f"\n{'═' * 78}\n  {title}\n{'═' * 78}")
        self._last_heading = ""

    def act(self, who: str, what: str) -> None:
        """A member does something in Discord."""
        self._heading()
        self._write(f"\n▸ {who} {what}")

    def privately(self, who: str, result) -> None:
        """What only that member sees: an ephemeral reply, or a form that opened."""
        if result.modal:
            self._write(f"  (a form opens for {who}: “{result.modal['title']}”)")
        replies = [*([result.response] if result.response else []), *result.followups]
        for reply in replies:
            if reply.ephemeral and (reply.content or reply.message.embeds):
                text = self._raw_text(reply.message)
                self._write(self._indent(self.render(text, self._env.now()), f"  (only {who} sees) "))

    def note(self, text: str) -> None:
        """A word from the narrator, not something a member sees."""
        self._write(f"  {text}")

    def catch_up(self) -> None:
        """Print every message that appeared or changed since last time, oldest first."""
        changes = []
        channels = [channel for guild in self._env._guilds for channel in guild.channels.values()]
        for channel_id in self._env.backend.dm_channels.values():
            channels.append(ChannelHandle(self._env, None, self._env.backend.get_channel(channel_id)))
        for channel in channels:
            for message in channel.history():
                raw = self._raw_text(message)  # compared unrendered: "in 2 days" changing is not an edit
                if self._seen.get(message.id) != raw and message.type is not discord.MessageType.pins_add:
                    changes.append((message.id, channel, message, message.id in self._seen))
                    self._seen[message.id] = raw
        for _, channel, message, edited in sorted(changes, key=lambda change: change[0]):
            author = "🤖 Mastermind" if message.author.bot else message.author.display_name
            # Relative times ("in 2 days") read as they did when the reader saw the message arrive or change.
            if edited:
                seen_at = self._env.now()
                label = f"{author} ✎ edited its message of {message.created_at:%H:%M}"
            else:
                seen_at = message.created_at
                label = author
            self._heading(seen_at)
            pin = " 📌 pinned" if message.pinned else ""
            where = (
                f"#{channel.name}" if channel.guild is not None else f"direct message to @{self._dm_reader(channel)}"
            )
            self._write(f"  {where} · {label}{pin}")
            self._write(self._indent(self.render(self._raw_text(message), seen_at), "    "))

    # ---------------------------------------------------------------- rendering

    def render(self, text: str, now: datetime) -> str:
        """Mentions as names, Discord timestamps as each reader's local time, and Markdown markers dropped."""
        text = _HEADING.sub("", _BOLD.sub(r"\1", text))
        text = _USER.sub(lambda m: "@" + self._user_name(int(m.group(1))), text)
        text = _ROLE.sub(lambda m: "@" + self._role_name(int(m.group(1))), text)
        text = _CHANNEL.sub(lambda m: self._channel_name(int(m.group(1))), text)
        return _STAMP.sub(lambda m: self._stamp(int(m.group(1)), m.group(2) or "f", now), text)

    def _raw_text(self, message: discord.Message) -> str:
        parts = [message.content] if message.content else []
        for embed in message.embeds:
            lines = [f"┌ {embed.title}"] if embed.title else []
            lines += [f"│ {line}" for line in (embed.description or "").splitlines()]
            parts.append("\n".join(lines))
        parts += self._components(message.components)
        parts += [f"📎 {a.filename}: {a.description or ''}" for a in message.attachments]
        return "\n".join(parts)

    def _components(self, components: Iterable) -> list[str]:
        parts: list[str] = []
        controls: list[str] = []
        for component in components:
            if isinstance(component, discord.Button) and component.label:
                controls.append(f"[{component.emoji or ''}{' ' if component.emoji else ''}{component.label}]")
            elif isinstance(component, discord.SelectMenu):
                controls.append(f"⟨{component.placeholder or 'choose'} ▾⟩")
            elif getattr(component, "content", None):
                parts.append(component.content)
            children = getattr(component, "children", None)
            if children:
                nested = self._components(children)
                if isinstance(component, discord.ActionRow):
                    controls.extend(nested)
                else:
                    parts.extend(nested)
        if controls:
            parts.append("  ".join(controls))
        return parts

    def _stamp(self, unix: int, style: str, now: datetime) -> str:
        moment = datetime.fromtimestamp(unix, UTC)
        if style == "R":
            return _relative(moment - now)
        if style == "D":
            return f"{moment.day} {moment:%b %Y}"
        local = [(name, moment.astimezone(zone)) for name, zone in self._zones.items()]
        if style == "t":
            return " / ".join(f"{at:%H:%M} {name}" for name, at in local)
        return " / ".join(f"{at:%a} {at.day} {at:%b %H:%M} {name}" for name, at in local)

    def _dm_reader(self, channel) -> str:
        user_id = next(user for user, channel_id in self._env.backend.dm_channels.items() if channel_id == channel.id)
        return self._user_name(user_id)

    def _user_name(self, user_id: int) -> str:
        user = self._env.backend.users.get(user_id)
        return user.name if user is not None else str(user_id)

    def _role_name(self, role_id: int) -> str:
        for guild in self._env.backend.guilds.values():
            if role_id in guild.roles:
                return guild.roles[role_id].name
        return "role"

    def _channel_name(self, channel_id: int) -> str:
        channel = self._env.backend.channels.get(channel_id)
        if channel is None:
            return "#deleted-channel"
        return f"🔊{channel.name}" if channel.type == discord.ChannelType.voice.value else f"#{channel.name}"

    # ---------------------------------------------------------------- output

    def _heading(self, moment: datetime | None = None) -> None:
        moment = moment or self._env.now()
        heading = f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} UTC"
        if heading != self._last_heading:
            self._write(f"\n── {heading} " + "─" * max(0, 60 - len(heading)))
            self._last_heading = heading

    def _indent(self, text: str, prefix: str) -> str:
        pad = " " * len(prefix)
        return "\n".join((prefix if index == 0 else pad) + line for index, line in enumerate(text.splitlines()))

    def _write(self, text: str) -> None:
        print(text, file=self._out)


def _relative(delta) -> str:
    seconds = int(delta.total_seconds())
    future = seconds >= 0
    seconds = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            words = f"{count} {unit}{'' if count == 1 else 's'}"
            return f"in {words}" if future else f"{words} ago"
    return "now"
