"""/schedule find's message in the group's channel: the best times with who misses which meetings, each with a
"Use this time" button that sets the schedule (the first press only; it keeps working after restarts)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import discord

from cogs.common.access import member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import text_channel
from cogs.common.items import Answering, label_of
from cogs.common.text import discord_time, fit_lines, mention, shown
from cogs.schedule.announce import announce_schedule, every_text
from mastermind.errors import Refusal
from mastermind.rules.schedule import WEEKDAYS
from mastermind.rules.slots import Attendee, Candidate, missed_runs
from mastermind.rules.timezones import place_name
from mastermind.services.planner import ProposalUse
from mastermind.services.timefinder import Proposal
from prompts import Prompts
from storage.models import Group

# Each proposed time's text, so that three of them fit in one message however large the group.
CANDIDATE_TEXT_LIMIT = 1000


class UseTimeButton(
    Answering, discord.ui.DynamicItem[discord.ui.Button], template=r"find:use:(?P<proposal_id>\d+):(?P<rank>\d+)"
):
    """The "Use this time" button beside each proposed time: sets the group's schedule to it, once per proposal."""

    def __init__(self, proposal_id: int, rank: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, emoji="📅", style=discord.ButtonStyle.primary, custom_id=f"find:use:{proposal_id}:{rank}"
            )
        )
        self.proposal_id = proposal_id
        self.rank = rank

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> UseTimeButton:
        return cls(int(match["proposal_id"]), int(match["rank"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        member = member_of(interaction)
        proposal = await bot.store.proposals.get(member.guild.id, self.proposal_id)
        group = await bot.store.groups.get(member.guild.id, proposal.group_id) if proposal else None
        slot = proposal.slot(self.rank) if proposal else None
        if proposal is None or group is None or slot is None:
            raise Refusal("find.gone")
        await bot.access.require_member_or_organizer(member, group)
        if not group.is_active:
            raise Refusal("group.archived", name=group.name)
        schedule, upcoming = await bot.planner.set_schedule(
            group,
            weekday=slot.weekday,
            at=slot.local_time,
            zone_name=slot.timezone,
            every_weeks=proposal.every_weeks,
            proposal=ProposalUse(proposal.id, self.rank, member.id),
        )
        await announce_schedule(bot, interaction, group, schedule, upcoming, "find.used_note", rank=self.rank)


async def post_proposal(bot: MastermindBot, group: Group, found: Proposal) -> discord.Message:
    """The proposal, as one message in the group's channel."""
    channel = text_channel(bot, group)
    if channel is None:
        raise Refusal("find.no_channel", name=group.name)
    return await channel.send(view=proposal_view(await bot.texts.group(group), group, found))


def proposal_view(p: Prompts, group: Group, found: Proposal) -> discord.ui.LayoutView:
    proposal = found.proposal
    dates = len(found.candidates[0].starts)
    container: discord.ui.Container[discord.ui.LayoutView] = discord.ui.Container(
        accent_colour=discord.Colour.blurple()
    )
    container.add_item(
        discord.ui.TextDisplay(
            p(
                "find.heading",
                name=shown(group.name),
                length=proposal.length_minutes,
                every=every_text(p, proposal.every_weeks),
                dates=dates,
                who=mention(proposal.created_by),
            )
        )
    )
    if found.without_hours:
        members = ", ".join(mention(user_id) for user_id in found.without_hours)
        container.add_item(discord.ui.TextDisplay(p("find.no_hours", members=members)))
    if not found.candidates[0].suits_everyone:
        container.add_item(discord.ui.TextDisplay(p("find.nothing_suits_everyone")))
    people = {person.id: person for person in found.people}
    for rank, candidate in enumerate(found.candidates, start=1):
        container.add_item(
            discord.ui.Section(
                discord.ui.TextDisplay(candidate_text(p, rank, candidate, people)),
                accessory=UseTimeButton(proposal.id, rank, p("find.use_button")),
            )
        )
    view = discord.ui.LayoutView(timeout=None)
    view.add_item(container)
    return view


def candidate_text(p: Prompts, rank: int, candidate: Candidate, people: Mapping[int, Attendee]) -> str:
    """One proposed time: when, and who misses which of its meetings, in words."""
    slot = candidate.slot
    total = len(candidate.starts)
    lines = [
        p(
            "find.candidate",
            rank=rank,
            weekdays=p(f"weekday_plural.{WEEKDAYS[slot.weekday]}"),
            time=slot.at.strftime("%H:%M"),
            zone=slot.zone,
        ),
        p("find.next", when=discord_time(candidate.starts[0])),
    ]
    if candidate.suits_everyone:
        lines.append(p("find.everyone", total=total))
    for user_id, missed in candidate.missed.items():
        if missed:
            lines.append(misses_text(p, user_id, candidate, missed, zones=(slot.zone, people[user_id].zone)))
    return fit_lines(lines, p, limit=CANDIDATE_TEXT_LIMIT)


def misses_text(
    p: Prompts, user_id: int, candidate: Candidate, missed: tuple[datetime, ...], *, zones: tuple[str, ...]
) -> str:
    """Who misses which meetings, in words, like "Ben misses 9 of 26, from 29 March, when New York changes
    clocks"."""
    total = len(candidate.starts)
    if len(missed) == total:
        return p("find.misses_all", member=mention(user_id), total=total)
    runs = []
    for run in missed_runs(candidate.starts, missed, zones):
        date = discord.utils.format_dt(run.first, "D")
        if run.clocks_changed:
            places = p("common.and").join(place_name(name) for name in run.clocks_changed)
            runs.append(p("find.run_clocks", date=date, zones=places, count=len(run.clocks_changed)))
        else:
            runs.append(p("find.run", date=date))
    return p(
        "find.misses", member=mention(user_id), count=len(missed), total=total, runs=p("find.runs_joined").join(runs)
    )
