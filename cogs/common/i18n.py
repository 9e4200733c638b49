"""Slash-command descriptions and choice names come from prompts/ like every other sentence: the English text
is what Discord shows by default, and the translator hands Discord the same text in each other language the
bot speaks (a prompts file of that language is all it takes)."""

from __future__ import annotations

import discord
from discord import app_commands

from prompts import DEFAULT_LANGUAGE, language_of_locale, load_prompts


def command_text(key: str, /, **values: object) -> app_commands.locale_str:
    """A command's or option's description, or a choice's name: the English from prompts/, carrying its key
    (and the values it was filled with) so the translator can render it in other languages."""
    return app_commands.locale_str(load_prompts(DEFAULT_LANGUAGE)(key, **values), key=key, values=values)


class CommandTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = language_of_locale(locale.value)
        if key is None or language is None or language == DEFAULT_LANGUAGE:
            return None  # Discord shows the English default
        prompts = load_prompts(language)
        return prompts(key, **string.extras.get("values", {})) if key in prompts else None
