"""Every sentence a member reads lives in a TOML file per language, loaded by load_prompts().

Templates are str.format strings with three additions, so each language writes numbers its own way:
- `{count:plural:one=member|other=members}` picks the form the language's plural rules (CLDR, through Babel) give
  for the number: Russian has one, few and many (`{n:plural:one=встреча|few=встречи|many=встреч}`), Indonesian
  has one form; `{count:plural:member,members}` is English shorthand for one and other;
- `{place:ordinal:one=st|two=nd|few=rd|other=th}` picks by the language's ordinal rules (CLDR): 1st, 2nd, 3rd,
  4th, 11th, 21st in English;
- `{value:number}` writes a number with the language's separators (1,234 or 1 234);
- `{value:percent}` writes a whole percentage (63 as 63% or 63 %).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent


class _PromptFormatter(Formatter):
    """str.format, plus plural and ordinal forms, numbers and percentages written as the language writes them."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(language, sep="-")  # files are named by Discord locales: pt-BR

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            return self._plural(value, format_spec.removeprefix("plural:"))
        if format_spec.startswith("ordinal:"):
            forms = plural_forms(format_spec.removeprefix("ordinal:"))
            return forms.get(self.locale.ordinal_form(abs(value))) or forms.get("other", "")
        if format_spec == "number":
            return format_decimal(value, locale=self.locale)
        if format_spec == "percent":
            return format_percent(value / 100, locale=self.locale)
        return super().format_field(value, format_spec)

    def _plural(self, value: Any, spec: str) -> str:
        forms = plural_forms(spec)
        category = self.locale.plural_form(abs(value))
        return forms.get(category) or forms.get("other") or next(reversed(forms.values()))


def plural_forms(spec: str) -> dict[str, str]:
    """The forms of a plural spec by CLDR category: "one=a|few=b|many=c", or English's "a,b" (one, other)."""
    if "=" not in spec:
        one, _, other = spec.partition(",")
        return {"one": one, "other": other}
    return dict(part.split("=", 1) for part in spec.split("|"))


class Prompts:
    """Renders a named template in one language: prompts("group.created", name="Founders")."""

    def __init__(self, templates: Mapping[str, str], language: str = "en") -> None:
        self._templates = dict(templates)
        self.language = language
        self._formatter = _PromptFormatter(language)

    def __call__(self, key: str, /, **values: object) -> str:
        return self._formatter.vformat(self._templates[key], (), values)

    def __contains__(self, key: str) -> bool:
        return key in self._templates

    def over(self, fallback: Prompts) -> Prompts:
        """These templates, with the fallback's for the keys these lack, written in this language."""
        return Prompts({**fallback._templates, **self._templates}, self.language)

    @property
    def locale(self) -> Locale:
        """The language's CLDR data, for dates and numbers written outside a template."""
        return self._formatter.locale

    def template(self, key: str) -> str:
        return self._templates[key]

    def __iter__(self) -> Iterator[str]:
        """The keys, in order."""
        return iter(sorted(self._templates))


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[key] = str(value)
    return flat


DEFAULT_LANGUAGE = "en"


@cache
def languages() -> tuple[str, ...]:
    """The languages the bot speaks: one TOML file each in this folder, English first."""
    names = sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files("prompts").iterdir()
        if entry.name.endswith(".toml")
    )
    return (DEFAULT_LANGUAGE, *(name for name in names if name != DEFAULT_LANGUAGE))


@cache
def load_prompts(language: str = DEFAULT_LANGUAGE) -> Prompts:
    """The prompts of one language; read once, as they never change while the bot runs."""
    text = resources.files("prompts").joinpath(f"{language}.toml").read_text(encoding="utf-8")
    return Prompts(_flatten(tomllib.loads(text)), language)


@cache
def prompts_for(language: str) -> Prompts:
    """What the bot writes in a language: its own file, and English for a key it doesn't have yet (a translation
    a release behind shows a sentence in English rather than failing). Tests hold every file complete."""
    own = load_prompts(language)
    return own if language == DEFAULT_LANGUAGE else own.over(load_prompts())
