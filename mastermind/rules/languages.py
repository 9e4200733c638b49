"""Which of the bot's languages a member's Discord language is."""

from __future__ import annotations

from collections.abc import Collection, Mapping


def language_of_locale(locale: str | None, spoken: Collection[str]) -> str | None:
    """The bot's language for a Discord locale ("ru" -> "ru", "en-GB" -> "en"), or None when it speaks none."""
    if not locale:
        return None
    for candidate in (locale, locale.split("-")[0]):
        if candidate in spoken:
            return candidate
    return None


def language_named(name: str, names: Mapping[str, Collection[str]]) -> str | None:
    """Which of the bot's languages a language typed by people is ("Bahasa Indonesia", "russian", "ru"), given
    each language's code and the names it goes by; None when it is none of them (the bot doesn't write in it)."""
    wanted = " ".join(name.split()).casefold()
    for code, known in names.items():
        if wanted == code.casefold() or wanted in {known_name.casefold() for known_name in known}:
            return code
    return None
