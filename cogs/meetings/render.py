"""What members read around a meeting: the kickoff, a hot-seat turn, the summary. Plain values and prompts in,
Discord messages out; nothing here reads or writes the store, and the interactive parts are handed in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from cogs.common.text import discord_time, fit_embed, goal_lines, mention, mentions, pinging, shown
from mastermind.rules.meetings import Agenda, Roll
from mastermind.rules.schedule import Occurrence
from prompts import Prompts
from storage.models import Commitment, Group, HotSeatTurn, Meeting


@dataclass(frozen=True)
class Kickoff:
    """Who opened the meeting: the schedule (None), a member by hand (their id), or it was already under way."""

    opened_by: int | None = None
    already_open: bool = False


def kickoff_message(
    p: Prompts, group: Group, agenda: Agenda, how: Kickoff, start_button: discord.ui.Item[Any]
) -> dict[str, Any]:
    """The message that opens a meeting: everyone is called in, with the agenda and the hot-seat button."""
    voice = f"<#{group.voice_channel_id}>"
    members = mentions(agenda.order)
    if how.opened_by is not None:
        content = p(
            "kickoff.opened_by", members=members, who=mention(how.opened_by), name=shown(group.name), voice=voice
        )
    elif how.already_open:
        content = p("kickoff.already_open", members=members, name=shown(group.name), voice=voice)
    else:
        content = p("kickoff.message", members=members, name=shown(group.name), voice=voice)

    def describe(limit: int) -> str:
        lines = [p("kickoff.order", minutes=agenda.turn_minutes)]
        lines += [f"{number}. {mention(user_id)}" for number, user_id in enumerate(agenda.order, start=1)]
        lines.append("")
        lines.append(p("kickoff.due_heading") if agenda.due else p("kickoff.nothing_due"))
        for user_id in agenda.order:
            if agenda.due.get(user_id):
                lines.append(mention(user_id))
                lines += [f"• {line}" for line in goal_lines(agenda.due[user_id], limit)]
        return "\n".join(lines)

    view = discord.ui.View(timeout=None)
    view.add_item(start_button)
    return {
        "content": content,
        "embed": discord.Embed(
            title=p("kickoff.agenda_title"), description=fit_embed(describe), colour=discord.Colour.orange()
        ),
        "view": view,
        "allowed_mentions": pinging(agenda.order),
    }


@dataclass(frozen=True)
class TurnControls:
    """What a member can do on their turn while it runs: mark each commitment, and the turn's buttons."""

    select_for: Callable[[Commitment], discord.ui.Item[Any]]
    buttons: Sequence[discord.ui.Item[Any]] = field(default_factory=tuple)


def turn_view(
    p: Prompts,
    turn: HotSeatTurn,
    *,
    total: int,
    due: Sequence[Commitment],
    upcoming: Sequence[Commitment],
    controls: TurnControls | None,
) -> discord.ui.LayoutView:
    """The turn message: whose turn and until when, last meeting's commitments each with its control, the goals
    set for next time, and the buttons. A finished turn keeps its record and loses its controls (None)."""
    active = controls is not None
    colour = discord.Colour.orange() if active else discord.Colour.dark_grey()
    container: discord.ui.Container[discord.ui.LayoutView] = discord.ui.Container(accent_colour=colour)
    if active and turn.ends_at is not None:
        heading = p(
            "hotseat.turn_heading",
            member=mention(turn.user_id),
            position=turn.position + 1,
            total=total,
            until=discord.utils.format_dt(turn.ends_at, "t"),
            left=discord.utils.format_dt(turn.ends_at, "R"),
        )
    else:
        heading = p("hotseat.turn_over_heading", member=mention(turn.user_id))
    container.add_item(discord.ui.TextDisplay(heading))
    container.add_item(discord.ui.TextDisplay(p("hotseat.from_last_meeting") if due else p("hotseat.nothing_due")))
    for number, commitment in enumerate(due, start=1):
        container.add_item(discord.ui.TextDisplay(f"{number}. {goal_lines([commitment], 200)[0]}"))
        if controls is not None:
            container.add_item(discord.ui.ActionRow(controls.select_for(commitment)))
    next_goals = "\n".join(f"• {line}" for line in goal_lines(upcoming, 200, marks=False))
    container.add_item(
        discord.ui.TextDisplay(
            p("hotseat.for_next_meeting", goals=next_goals) if upcoming else p("hotseat.no_goals_yet")
        )
    )
    if controls is not None and controls.buttons:
        container.add_item(discord.ui.ActionRow(*controls.buttons))
    view = discord.ui.LayoutView(timeout=None)
    view.add_item(container)
    return view


def removed_turn_view(p: Prompts, user_id: int) -> discord.ui.LayoutView:
    """A turn message once its member's goals were removed at their request: whose turn it was, and no goals."""
    container: discord.ui.Container[discord.ui.LayoutView] = discord.ui.Container(
        accent_colour=discord.Colour.dark_grey()
    )
    container.add_item(discord.ui.TextDisplay(p("hotseat.turn_over_heading", member=mention(user_id))))
    container.add_item(discord.ui.TextDisplay(p("privacy.goals_removed")))
    view = discord.ui.LayoutView(timeout=None)
    view.add_item(container)
    return view


def summary_message(
    p: Prompts,
    group: Group,
    meeting: Meeting,
    roll: Roll,
    due: Sequence[Commitment],
    upcoming: Sequence[Commitment],
    next_meeting: Occurrence | None,
    *,
    chart: discord.File | None = None,
) -> dict[str, Any]:
    """The pinned summary: who was there, what each member checked and committed to next, the next meeting, and
    the group's attendance chart (when there is one) as its picture."""

    def describe(limit: int) -> str:
        lines = [
            p("summary.present", members=mentions(roll.present) or p("summary.nobody")),
            p("summary.absent", members=mentions(roll.absent) or p("summary.nobody")),
            *([p("summary.paused", members=mentions(roll.paused))] if roll.paused else []),
            p("summary.next", when=discord_time(next_meeting.starts_at)) if next_meeting else p("summary.no_next"),
        ]
        for user_id in roll.everyone:
            checked = [c for c in due if c.user_id == user_id]
            new = [c for c in upcoming if c.user_id == user_id]
            if not checked and not new:
                continue
            lines += ["", mention(user_id)]
            if checked:
                lines.append(p("summary.checked"))
                lines += [f"• {line}" for line in goal_lines(checked, limit)]
            if new:
                lines.append(p("summary.new"))
                lines += [f"• {line}" for line in goal_lines(new, limit, marks=False)]
        return "\n".join(lines)

    embed = discord.Embed(
        title=p("summary.title", name=group.name),
        description=fit_embed(describe),
        timestamp=meeting.closed_at,
        colour=discord.Colour.green(),
    )
    if chart is None:
        return {"content": p("summary.content", name=shown(group.name)), "embed": embed}
    embed.set_image(url=f"attachment://{chart.filename}")
    return {"content": p("summary.content", name=shown(group.name)), "embed": embed, "file": chart}
