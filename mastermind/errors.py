"""A refusal is an expected "no": it names the prompt that tells the member how to fix their request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A member named in a refusal: shown as a mention (the text values of a refusal are shown as typed)."""

    user_id: int


@dataclass(frozen=True)
class People:
    """Several members named in a refusal: shown as mentions, separated by commas."""

    user_ids: tuple[int, ...]


@dataclass(frozen=True)
class Terms:
    """Words of the bot's own named by their prompt keys (e.g. permission names): shown in the reader's language,
    separated by commas."""

    keys: tuple[str, ...]


class Refusal(Exception):
    """Raised when a request can't be done as asked; nothing has been changed when it is raised.

    Values fill the prompt's placeholders: text (which may be member-typed) is shown as plain text that can't
    ping, a Person as a mention (People as mentions), Terms in the reader's language, an instant as a time in each
    reader's own zone and a date as the reader's language writes it."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def __repr__(self) -> str:
        return f"Refusal({self.key!r}, {self.values!r})"
