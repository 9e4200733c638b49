"""Small builders of SQL text, shared by the repositories. Values are never put in the text: only placeholders
and column names the code itself names."""

from __future__ import annotations

from collections.abc import Iterable

from storage.models import Shards


def values_rows(count: int, width: int) -> str:
    """ "(?, ?), (?, ?)": placeholders for `count` rows of `width` values, to insert many rows in one statement."""
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)


def json_object(dialect: str, alias: str, fields: Iterable[str]) -> str:
    """A row as one JSON object, so a whole aggregate comes back in one statement."""
    function = "json_object" if dialect == "sqlite" else "json_build_object"
    return f"{function}(" + ", ".join(f"'{field}', {alias}.{field}" for field in fields) + ")"


def json_rows(dialect: str, alias: str, fields: Iterable[str], source: str) -> str:
    """A JSON array of the rows of `source` (a FROM ... WHERE ... clause whose table is `alias`)."""
    return json_array(dialect, json_object(dialect, alias, fields), source)


def json_array(dialect: str, element: str, source: str) -> str:
    """A JSON array of `element` (any JSON expression) over the rows of `source`: [] when there are none."""
    if dialect == "sqlite":
        return f"json((SELECT json_group_array({element}) {source}))"
    return f"COALESCE((SELECT json_agg({element}) {source}), '[]'::json)"


def json_one(dialect: str, element: str, source: str) -> str:
    """The JSON `element` of the one row of `source`, or null."""
    if dialect == "sqlite":
        return f"json((SELECT {element} {source}))"
    return f"(SELECT {element} {source})"


def json_exists(dialect: str, condition_sql: str) -> str:
    """A JSON true or false for an EXISTS (...) test."""
    if dialect == "sqlite":
        return f"json(CASE WHEN EXISTS ({condition_sql}) THEN 'true' ELSE 'false' END)"
    return f"EXISTS ({condition_sql})"


def json_document(dialect: str, members: dict[str, str]) -> str:
    """One JSON object whose members are SQL expressions (objects, arrays, scalars)."""
    function = "json_object" if dialect == "sqlite" else "json_build_object"
    return f"{function}(" + ", ".join(f"'{name}', {expression}" for name, expression in members.items()) + ")"


DIALECTS = ("sqlite", "postgres")


def placeholders(count: int) -> str:
    """ "?, ?, ?": for an `IN (...)` list of `count` values; SQL has no empty list, so callers skip the query."""
    if count < 1:
        raise ValueError("an IN list needs at least one value")
    return ", ".join("?" * count)


def on_shards(shards: Shards | None, column: str = "guild_id") -> tuple[str, list[int]]:
    """An `AND ...` condition keeping the rows of the servers on these shards (Discord's own formula), and its
    values; nothing when one process serves every shard."""
    if shards is None or shards.everything:
        return "", []
    return f" AND (({column} >> 22) % ?) IN ({placeholders(len(shards.ids))})", [shards.count, *shards.ids]
