"""Every language the bot speaks is complete: the same keys and placeholders as English, plural forms its own rules
need, every template renders, and texts with a Discord limit stay within it."""

from __future__ import annotations

from string import Formatter

import pytest
from babel import Locale

from prompts import DEFAULT_LANGUAGE, languages, load_prompts, plural_forms

OTHERS = [language for language in languages() if language != DEFAULT_LANGUAGE]
# What Discord accepts: slash command and option descriptions and choice names 100 characters, button labels 80.
LIMITS = {"commands.": 100, "options.": 100, "weekday.": 100, "goals.status_": 100}
SAMPLE_NUMBERS = (0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111)


def fields(template: str) -> dict[str, list[str]]:
    """Each placeholder of a template, with the format specs it is used with."""
    found: dict[str, list[str]] = {}
    for _, name, spec, _ in Formatter().parse(template):
        if name:
            found.setdefault(name, []).append(spec or "")
    return found


def sample_values(template: str, number: int) -> dict[str, object]:
    """A number for a placeholder used as one (plural, number, percent), else a word."""
    return {
        name: number
        if any(spec.startswith(("plural:", "ordinal:", "number", "percent")) for spec in specs)
        else f"<{name}>"
        for name, specs in fields(template).items()
    }


@pytest.mark.parametrize("language", OTHERS)
def test_every_language_has_every_key_and_nothing_else(language):
    english, translated = load_prompts(), load_prompts(language)
    assert sorted(set(english) - set(translated)) == []
    assert sorted(set(translated) - set(english)) == []


@pytest.mark.parametrize("language", OTHERS)
def test_placeholders_are_the_same_as_in_english(language):
    english, translated = load_prompts(), load_prompts(language)
    different = [
        key
        for key in english
        if key in translated and set(fields(english.template(key))) != set(fields(translated.template(key)))
    ]
    assert different == []


@pytest.mark.parametrize("language", languages())
def test_plural_forms_cover_the_languages_own_categories(language):
    prompts = load_prompts(language)
    # The categories whole numbers fall in: English one and other, Russian one, few and many, Indonesian other.
    needed = {Locale.parse(language, sep="-").plural_form(n) for n in range(200)}
    faulty = [
        (key, spec)
        for key in prompts
        for specs in fields(prompts.template(key)).values()
        for spec in specs
        if spec.startswith("plural:")
        and (not needed <= set(forms := plural_forms(spec.removeprefix("plural:"))) or not all(forms.values()))
    ]
    assert faulty == []


@pytest.mark.parametrize("language", languages())
def test_ordinal_forms_cover_the_languages_own_categories(language):
    prompts = load_prompts(language)
    # English: 1st (one), 2nd (two), 3rd (few), 4th (other); Russian and Indonesian have "other" only.
    needed = {Locale.parse(language).ordinal_form(n) for n in range(200)}
    faulty = [
        (key, spec)
        for key in prompts
        for specs in fields(prompts.template(key)).values()
        for spec in specs
        if spec.startswith("ordinal:") and not needed <= set(plural_forms(spec.removeprefix("ordinal:")))
    ]
    assert faulty == []


@pytest.mark.parametrize("language", languages())
def test_every_template_renders_for_many_numbers(language):
    prompts = load_prompts(language)
    for key in prompts:
        for number in SAMPLE_NUMBERS:
            assert prompts(key, **sample_values(prompts.template(key), number)), key


@pytest.mark.parametrize("language", languages())
def test_texts_with_a_discord_limit_fit_it(language):
    prompts = load_prompts(language)
    too_long = [
        (key, len(rendered))
        for key in prompts
        for prefix, limit in LIMITS.items()
        if key.startswith(prefix) and len(rendered := prompts(key, **sample_values(prompts.template(key), 100))) > limit
    ]
    assert too_long == []
