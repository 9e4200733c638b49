"""Turning plain values into what members read in Discord: mentions, timestamps, safe quotes, fitting limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import discord

from prompts import Prompts
from storage.models import Commitment

STATUS_MARKS = {"open": "⬜", "done": "✅", "partial": "🟡", "missed": "❌", "unreported": "❔"}
# Agenda and summary lines quote goals; long ones are shortened there so the message stays within Discord's limits.
QUOTE_LENGTH = 100
EMBED_LIMIT = 4000
MESSAGE_LIMIT = 1900


def mention(user_id: int) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: Iterable[int]) -> str:
    return " ".join(mention(user_id) for user_id in user_ids)


def pinging(user_ids: Iterable[int]) -> discord.AllowedMentions:
    """Allow exactly these members to be notified, and nobody else."""
    return discord.AllowedMentions(
        everyone=False, roles=False, replied_user=False, users=[discord.Object(id=i) for i in user_ids]
    )


def shown(text: str) -> str:
    """Member-typed text, made safe to display: @everyone, @here and mentions show as plain text."""
    return discord.utils.escape_mentions(text)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def discord_time(moment: datetime) -> str:
    """A time every reader sees in their own time zone: full date and time, then how far away it is."""
    return f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"


def goal_lines(commitments: Sequence[Commitment], limit: int, *, marks: bool = True) -> list[str]:
    return [
        f"{STATUS_MARKS[c.status] + ' ' if marks else ''}{shown(shorten(c.text, limit))}"
        + (f" — *{shown(shorten(c.note, limit))}*" if c.note else "")
        for c in commitments
    ]


# Agendas, nudges and summaries list each member's goals as bullet lines under a line that is just their mention.
BULLET = "• "
_MENTION_LINE = re.compile(r"<@!?\d+>")


def without_goals_of(text: str, user_id: int, removed: str) -> str:
    """An agenda, nudge or summary as it reads once a member's goals are removed at their request: under the line
    that names them, each run of their goal lines becomes one line saying so; everyone else's stay as they were."""
    kept: list[str] = []
    theirs = False
    for line in text.split("\n"):
        if line == mention(user_id):
            theirs = True
        elif not line or _MENTION_LINE.fullmatch(line):
            theirs = False
        if theirs and line.startswith(BULLET):
            if kept[-1] != BULLET + removed:
                kept.append(BULLET + removed)
            continue
        kept.append(line)
    return "\n".join(kept)


def fit_embed(build: Callable[[int], str], limit: int = EMBED_LIMIT) -> str:
    """The longest rendering of build(quote_length) that fits an embed description."""
    length = QUOTE_LENGTH
    text = build(length)
    while len(text) > limit and length > 20:
        length -= 10
        text = build(length)
    return text[:limit]


def fit_lines(lines: Sequence[str], prompts: Prompts, *, limit: int = MESSAGE_LIMIT) -> str:
    """Join lines into one message under Discord's 2,000 characters, saying how many were left out."""
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        if size + len(line) + 1 > limit:
            kept.append(prompts("common.and_more", count=len(lines) - index))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)
