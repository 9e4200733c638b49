"""Which of the bot's languages a Discord locale is."""

from __future__ import annotations

import pytest

from cogs.common.i18n import spoken
from mastermind.errors import Refusal
from mastermind.rules.languages import language_of_locale
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
