"""Which of the bot's languages a Discord locale is."""

from __future__ import annotations

import pytest

from cogs.common.i18n import bot_language_named, spoken
from mastermind.errors import Refusal
from mastermind.rules.languages import language_named, language_of_locale
from prompts import languages

SPOKEN = ("en", "id", "ru")


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("en-US", "en"),
        ("en-GB", "en"),
        ("id", "id"),
        ("ru", "ru"),
        ("uk", None),  # Ukrainian is a language of its own, not Russian
        ("pt-BR", None),
        ("zh-CN", None),
        ("", None),
        (None, None),
    ],
)
def test_a_discord_locale_is_one_of_the_bots_languages_or_none(locale, language):
    assert language_of_locale(locale, SPOKEN) == language


def test_a_regional_locale_matches_its_language_only_when_the_bot_has_no_closer_file():
    assert language_of_locale("pt-BR", ("en", "pt-BR", "pt")) == "pt-BR"
    assert language_of_locale("pt-PT", ("en", "pt-BR", "pt")) == "pt"


def test_the_bot_speaks_english_first_then_each_prompts_file():
    assert languages() == ("en", "id", "ru")


def test_a_language_no_prompts_file_speaks_is_refused_naming_those_that_do():
    with pytest.raises(Refusal) as refused:
        spoken("klingon")

    assert refused.value.key == "language.unknown"
    assert refused.value.values == {"value": "klingon", "languages": "English, Bahasa Indonesia, Русский"}
    assert spoken("ru") == "ru"


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("English", "en"),
        ("english", "en"),
        ("Bahasa Indonesia", "id"),
        ("Indonesian", "id"),
        ("  bahasa   indonesia ", "id"),
        ("Русский", "ru"),
        ("Russian", "ru"),
        ("ru", "ru"),
        ("Deutsch", None),
        ("Tagalog", None),
    ],
)
def test_a_language_a_server_names_is_one_of_the_bots_or_none(typed, language):
    assert bot_language_named(typed) == language


def test_a_name_is_matched_against_each_languages_own_names_only():
    names = {"en": ("English",), "id": ("Bahasa Indonesia", "Indonesian")}
    assert language_named("indonesian", names) == "id"
    assert language_named("Indonesia Raya", names) is None
