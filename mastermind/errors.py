"""A refusal is an expected "no": it names the prompt that tells the member how to fix their request."""

from __future__ import annotations


class Refusal(Exception):
    """Raised when a request can't be done as asked; nothing has been changed when it is raised."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def __repr__(self) -> str:
        return f"Refusal({self.key!r}, {self.values!r})"
