"""Slash-command descriptions and choice names come from prompts/ like every other sentence: the English text
is what Discord shows by default, and the translator hands Discord the same text in each other language the
bot speaks (a prompts file of that language is all it takes)."""

from __future__ import annotations

import time
from functools import cache

import discord
from babel import Locale
from discord import app_commands

from mastermind.errors import Refusal
from mastermind.rules.languages import language_named, language_of_locale
from prompts import DEFAULT_LANGUAGE, Prompts, languages, load_prompts, prompts_for
from storage import Store
from storage.models import Group


def command_text(key: str, /, **values: object) -> app_commands.locale_str:
    """A command's or option's description, or a choice's name: the English from prompts/, carrying its key
    (and the values it was filled with) so the translator can render it in other languages."""
    return app_commands.locale_str(load_prompts(DEFAULT_LANGUAGE)(key, **values), key=key, values=values)


def language_name(language: str) -> str:
    """A language as its own speakers name it ("Bahasa Indonesia", "Русский"), from its prompts file."""
    return load_prompts(language)("language.name")


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Each of the bot's languages by the names people call it: its own name, and its name in every language the
    bot speaks (Babel's CLDR data: "Indonesian", "Indonesia", "индонезийский")."""
    return {
        code: (
            language_name(code),
            *(Locale.parse(code, sep="-").get_display_name(other) or "" for other in languages()),
        )
        for code in languages()
    }


def bot_language_named(name: str) -> str | None:
    """The bot's language for a language as a server names it (an intake's "English"), or None."""
    return language_named(name, _names())


def spoken(language: str) -> str:
    """A language picked from the choices, checked: Discord offers only those, but nothing stops a client from
    sending another value."""
    if language not in languages():
        raise Refusal("language.unknown", value=language, languages=", ".join(map(language_name, languages())))
    return language


def language_choices() -> list[app_commands.Choice[str]]:
    """Every language the bot speaks, each named in itself: a reader looks for their own language's name."""
    return [app_commands.Choice(name=language_name(language), value=language) for language in languages()]


class CommandTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = language_of_locale(locale.value, languages())
        if key is None or language is None or language == DEFAULT_LANGUAGE:
            return None  # Discord shows the English default
        prompts = load_prompts(language)
        return prompts(key, **string.extras.get("values", {})) if key in prompts else None


class Texts:
    """The prompts to write in, by who reads: a group's channel in the group's language, a member's private reply
    in their own Discord language when the bot speaks it (else the group's, else the server's)."""

    # How long a server's language is trusted before it is read again: /setup in this process forgets it at once;
    # another process on the same database follows within this long.
    SERVER_LANGUAGE_SECONDS = 60.0

    def __init__(self, store: Store) -> None:
        self._store = store
        self._servers: dict[int, tuple[float, str]] = {}

    def of(self, language: str) -> Prompts:
        return prompts_for(language if language in languages() else DEFAULT_LANGUAGE)

    async def server_language(self, guild_id: int) -> str:
        known = self._servers.get(guild_id)
        if known is not None and time.monotonic() - known[0] < self.SERVER_LANGUAGE_SECONDS:
            return known[1]
        language = (await self._store.settings.get(guild_id)).language
        self._servers[guild_id] = (time.monotonic(), language)
        return language

    def forget(self, guild_id: int) -> None:
        """The server's language changed: read it again next time."""
        self._servers.pop(guild_id, None)

    async def server(self, guild_id: int) -> Prompts:
        """For what the server's people read together: audit-log reasons, the organizers' channel."""
        return self.of(await self.server_language(guild_id))

    async def group_language(self, group: Group) -> str:
        """The group's language: its own, by default the server's."""
        return group.language or await self.server_language(group.guild_id)

    async def group(self, group: Group) -> Prompts:
        """For the group's channel, and what the bot sends its members about it: the group's language, by
        default the server's."""
        return self.of(await self.group_language(group))

    async def reply(self, interaction: discord.Interaction, group: Group | None = None) -> Prompts:
        """For a private reply to the member who asked: their Discord language when the bot speaks it, else the
        language of the group the reply is about (by default the group whose channel they asked in), else the
        server's."""
        own = language_of_locale(interaction.locale.value if interaction.locale else None, languages())
        if own is not None:
            return self.of(own)
        if group is None and interaction.guild_id is not None and interaction.channel_id is not None:
            here = await self._store.groups.locate(
                interaction.guild_id, user_id=interaction.user.id, channel_id=interaction.channel_id
            )
            group = here.group if here is not None else None
        if group is not None:
            return await self.group(group)
        if interaction.guild_id is not None:
            return await self.server(interaction.guild_id)
        return self.of(DEFAULT_LANGUAGE)  # a direct message about no group
