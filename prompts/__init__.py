"""Every sentence a member reads lives in a TOML file per language, loaded by load_prompts()."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any


class _PromptFormatter(Formatter):
    """str.format, plus "{count:plural:member,members}" to pick the word that fits the number."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            one, _, many = format_spec.removeprefix("plural:").partition(",")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _PromptFormatter()


class Prompts:
    """Renders a named template: prompts("group.created", name="Founders")."""

    def __init__(self, templates: Mapping[str, str]) -> None:
        self._templates = dict(templates)

    def __call__(self, key: str, /, **values: object) -> str:
        return _FORMATTER.vformat(self._templates[key], (), values)

    def __contains__(self, key: str) -> bool:
        return key in self._templates


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


def language_of_locale(locale: str) -> str | None:
    """The bot's language for a Discord locale ("ru" -> "ru", "en-GB" -> "en"), or None when it has none."""
    for candidate in (locale, locale.split("-")[0]):
        if candidate in languages():
            return candidate
    return None


@cache
def load_prompts(language: str = DEFAULT_LANGUAGE) -> Prompts:
    """The prompts of one language; read once, as they never change while the bot runs."""
    text = resources.files("prompts").joinpath(f"{language}.toml").read_text(encoding="utf-8")
    return Prompts(_flatten(tomllib.loads(text)))
