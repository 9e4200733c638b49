"""Every sentence a member reads lives in a TOML file per language, loaded by load_prompts()."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
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

    def keys(self) -> list[str]:
        return sorted(self._templates)

    def fields(self, key: str) -> set[str]:
        """The placeholders a template expects."""
        return {name for _, name, _, _ in Formatter().parse(self._templates[key]) if name}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[key] = str(value)
    return flat


def load_prompts(locale: str = "en") -> Prompts:
    text = resources.files("prompts").joinpath(f"{locale}.toml").read_text(encoding="utf-8")
    return Prompts(_flatten(tomllib.loads(text)))
