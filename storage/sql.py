"""Small builders of SQL text, shared by the repositories. Values are never put in the text: only placeholders
and column names the code itself names."""

from __future__ import annotations

from collections.abc import Iterable


def values_rows(count: int, width: int) -> str:
    """ "(?, ?), (?, ?)": placeholders for `count` rows of `width` values, to insert many rows in one statement."""
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)


def json_object(alias: str, fields: Iterable[str]) -> str:
    """json_object('id', m.id, ...): a row as one JSON value, so a whole aggregate comes back in one statement."""
    return "json_object(" + ", ".join(f"'{field}', {alias}.{field}" for field in fields) + ")"


def json_rows(alias: str, fields: Iterable[str], source: str) -> str:
    """A JSON array of the rows of `source` (a FROM ... WHERE ... clause whose table is `alias`)."""
    return f"json((SELECT json_group_array({json_object(alias, fields)}) {source}))"


def json_exists(condition_sql: str) -> str:
    """A JSON true or false for an EXISTS (...) test."""
    return f"json(CASE WHEN EXISTS ({condition_sql}) THEN 'true' ELSE 'false' END)"
