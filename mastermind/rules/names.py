"""Group names, and the Discord channel names derived from them."""

from __future__ import annotations

import re

from mastermind.errors import Refusal
from mastermind.rules.text import clean_text

MAX_GROUP_NAME = 40
# Discord text channel names are lowercase with no spaces; letters (any script), digits, - and _ survive.
_NOT_CHANNEL_SAFE = re.compile(r"[^\w-]+")
_DASHES = re.compile(r"-{2,}")


def clean_group_name(raw: str) -> str:
    """The name as it will be stored: plain text (see clean_text), 1 to 40 characters."""
    name = clean_text(raw)
    if not name:
        raise Refusal("group.name_empty", max=MAX_GROUP_NAME)
    if len(name) > MAX_GROUP_NAME:
        raise Refusal("group.name_too_long", length=len(name), max=MAX_GROUP_NAME)
    return name


def name_key(name: str) -> str:
    """What makes two names the same group: the same plain text, case ignored."""
    return clean_text(name).casefold()


def text_channel_name(name: str) -> str:
    """A valid Discord text channel name carrying the group's name ("Growth Crew!" -> "growth-crew")."""
    slug = _NOT_CHANNEL_SAFE.sub("-", name.lower().replace(" ", "-"))
    slug = _DASHES.sub("-", slug).strip("-_")
    return slug[:100] or "mastermind-group"


def voice_channel_name(name: str) -> str:
    """Voice channel names may hold spaces and capitals, so the name is kept as it reads."""
    return name[:100]
