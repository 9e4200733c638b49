"""Which of the bot's languages a member's Discord language is."""

from __future__ import annotations

from collections.abc import Collection


def language_of_locale(locale: str | None, spoken: Collection[str]) -> str | None:
    """The bot's language for a Discord locale ("ru" -> "ru", "en-GB" -> "en"), or None when it speaks none."""
    if not locale:
        return None
    for candidate in (locale, locale.split("-")[0]):
        if candidate in spoken:
            return candidate
    return None
