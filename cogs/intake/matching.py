"""/match: proposing groups from the waiting applicants and creating them (each as /group create and /group add
would make it), and keeping groups full: when a member leaves, the organizers are offered the best waiting
applicant for the seat, with "Add" and "Skip"."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.common.access import GroupOption
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.delivery import tell_group, tell_organizers
from cogs.common.errors import refusal_text, reply
from cogs.common.i18n import command_text
from cogs.common.items import Answering, label_of
from cogs.common.membership import admit_member, member_in, require_channel_permissions
from cogs.common.spaces import create_space
from cogs.common.text import discord_time, fit_lines, mention, mentions, shorten, shown
from cogs.intake.commands import experience_text, names_text
from mastermind.errors import Person, Refusal
from mastermind.rules.matching import MAX_GROUP, MEETING_EVERY_WEEKS, MIN_GROUP
from mastermind.rules.schedule import WEEKDAYS
from mastermind.rules.slots import DEFAULT_DATES, meeting_starts
from mastermind.rules.timezones import zone
from mastermind.services.events import MemberLeftGroup
from mastermind.services.matchmaker import PROPOSAL_LIFETIME, Preview, Seat
from prompts import Prompts
from storage.models import Group, MatchGroup, MatchProposal

log = logging.getLogger(__name__)
GROUP = command_text("options.group")
# Discord's requests for one group formed: its two channels and the channel's first note; then for each member the
# two channels' permissions and their welcome.
GROUP_REQUESTS, MEMBER_REQUESTS = 3, 3


def weekly_text(p: Prompts, weekday: int, at: str, zone_name: str) -> str:
    """Tuesdays 18:00 (Europe/Berlin)"""
    return p("match.weekly", weekdays=p(f"weekday_plural.{WEEKDAYS[weekday]}"), time=at, zone=zone_name)


def local_text(p: Prompts, start: datetime, zone_name: str) -> str:
    """The first meeting as a member reads it on their own clock: Tuesdays 12:00 (America/New_York)."""
    local = start.astimezone(zone(zone_name))
    return weekly_text(p, local.weekday(), local.strftime("%H:%M"), zone_name)


def preview_text(p: Prompts, preview: Preview, *, by: int, now: datetime) -> str:
    """The proposal as the organizer reads it: each group with its members on their own clocks, then who waits and
    why."""
    matching, pool = preview.matching, preview.pool
    placed = sum(len(group.members) for group in matching.groups)
    lines = [
        p(
            "match.heading",
            groups=len(matching.groups),
            placed=placed,
            waiting=len(pool.applicants) + len(pool.without_hours),
            who=mention(by),
        )
    ]
    for number, (group, name) in enumerate(zip(matching.groups, preview.names, strict=True), start=1):
        first = meeting_starts(group.slot, every_weeks=MEETING_EVERY_WEEKS, after=now, count=1)[0]
        lines.append(
            p(
                "match.group",
                number=number,
                name=shown(name),
                field=shown(group.field),
                language=shown(group.language),
                weekly=weekly_text(p, group.slot.weekday, group.slot.at.strftime("%H:%M"), group.slot.zone),
                first=discord_time(first),
            )
        )
        for member in group.members:
            applicant = preview.applicant(member)
            lines.append(
                p(
                    "match.member",
                    member=mention(member),
                    field=shown(applicant.field),
                    experience=experience_text(p, applicant.experience),
                    local=local_text(p, first, applicant.zone),
                )
            )
    waiting = [
        p("match.waiting_one", member=mention(left.applicant), why=why_text(p, preview, left.applicant, left.reason))
        for left in matching.waiting
    ] + [
        p("match.waiting_one", member=mention(application.user_id), why=p("match.why_no_hours"))
        for application in pool.without_hours
    ]
    if waiting:
        lines.append(p("match.waiting", count=len(waiting)))
        lines += waiting
    if preview.proposal is not None:
        lines.append(p("match.until", until=discord_time(preview.proposal.created_at + PROPOSAL_LIFETIME)))
    else:
        lines.append(p("match.nothing_to_create"))
    return fit_lines(lines, p)


def why_text(p: Prompts, preview: Preview, user_id: int, reason: str) -> str:
    if reason == "language":
        languages = preview.applicant(user_id).languages
        return p("match.why_language", languages=p("match.or").join(shown(name) for name in languages))
    return p(f"match.why_{reason}", weeks=MEETING_EVERY_WEEKS, dates=DEFAULT_DATES)


class ProposalButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"match:(?P<action>create|cancel):(?P<proposal_id>\d+)",
):
    """ "Create these groups" and "Cancel" under a proposal: organizers only, once, within a day, and only while the
    pool is as it was; they keep working after restarts."""

    def __init__(self, action: str, proposal_id: int, label: str) -> None:
        style = discord.ButtonStyle.success if action == "create" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"match:{action}:{proposal_id}"))
        self.action = action
        self.proposal_id = proposal_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ProposalButton:
        return cls(match["action"], int(match["proposal_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        organizer = await bot.access.require_organizer(interaction)
        if self.action == "cancel":
            await bot.matchmaker.cancel(organizer.guild.id, self.proposal_id, by=organizer.id)
            await reply(interaction, (await bot.texts.reply(interaction))("match.cancelled_now"))
            return
        require_channel_permissions(organizer.guild)
        proposal = await bot.matchmaker.use(organizer.guild.id, self.proposal_id, by=organizer.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        p = await bot.texts.reply(interaction)
        await reply(interaction, fit_lines(await create_groups(bot, p, organizer, proposal), p))


def proposal_view(p: Prompts, proposal: MatchProposal) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ProposalButton("create", proposal.id, p("match.create_button")))
    view.add_item(ProposalButton("cancel", proposal.id, p("match.cancel_button")))
    return view


async def create_groups(
    bot: MastermindBot, p: Prompts, organizer: discord.Member, proposal: MatchProposal
) -> list[str]:
    """Make each proposed group as /group create and /group add would, set its schedule, welcome its members and
    mark their applications matched; the lines that say what was done. Discord's requests are paced. If Discord
    fails part-way, what was made stays whole (a group is made with the members admitted so far, and its schedule),
    the rest is not made, and those applicants keep waiting for the next preview. The lines are in `p`, the
    organizer's language."""
    lines = [p("match.created_heading", count=len(proposal.groups))]
    for proposed in proposal.groups:
        name = await bot.matchmaker.group_name(organizer.guild.id, proposed.field)
        await bot.pacer.wait(GROUP_REQUESTS)
        try:
            space = await create_space(
                bot,
                organizer.guild,
                name=name,
                created_by=organizer,
                target_size=proposal.target_size,
                shared_language=proposed.language,
            )
        except Refusal as refusal:
            lines.append(p("match.stopped", name=shown(name), reason=refusal_text(p, refusal)))
            break
        admitted, invited, stopped = await _admit_all(bot, p, organizer, space.group, proposed)
        await _start(bot, space.group, proposed, admitted)
        key = "match.created_invited" if invited else "match.created_one"
        lines.append(p(key, name=shown(space.group.name), text=space.text.mention, count=len(admitted)))
        if stopped is not None:
            lines.append(stopped)
            break
    return lines


async def _admit_all(
    bot: MastermindBot, p: Prompts, organizer: discord.Member, group: Group, proposed: MatchGroup
) -> tuple[list[int], bool, str | None]:
    """Let each member in as /group add does (with the pledge on, invite them); stops at the first Discord failure,
    saying so. Returns who is in or invited, whether they were invited, and the failure if any."""
    admitted: list[int] = []
    invited = False
    for user_id in proposed.members:
        member = await member_in(bot, organizer.guild.id, user_id)
        if member is None:
            continue  # they left the server since the preview: their application was withdrawn
        await bot.pacer.wait(MEMBER_REQUESTS)
        try:
            invited = (await admit_member(bot, group, member, invited_by=organizer.id)).invited is not None
        except Refusal as refusal:
            failure = refusal_text(p, refusal)
            return (
                admitted,
                invited,
                p("match.member_failed", member=mention(user_id), name=shown(group.name), reason=failure),
            )
        admitted.append(user_id)
    return admitted, invited, None


async def _start(bot: MastermindBot, group: Group, proposed: MatchGroup, admitted: list[int]) -> None:
    """The group's schedule at the time found, its members' applications matched, and a welcome that says why
    these people were put together."""
    _, upcoming = await bot.planner.set_schedule(
        group,
        weekday=proposed.weekday,
        at=proposed.local_time,
        zone_name=proposed.timezone,
        every_weeks=MEETING_EVERY_WEEKS,
    )
    await bot.matchmaker.matched(group, admitted)
    in_group = await bot.texts.group(group)
    await tell_group(
        bot,
        group,
        "match.welcome",
        ping=admitted,
        members=mentions(admitted),
        field=shown(proposed.field),
        language=shown(proposed.language),
        weekly=weekly_text(in_group, proposed.weekday, proposed.local_time.strftime("%H:%M"), proposed.timezone),
        every=MEETING_EVERY_WEEKS,
        first=discord_time(upcoming.starts_at),
    )


# ---------------------------------------------------------------- refilling a seat


class RefillButton(
    Answering,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"refill:(?P<action>add|skip):(?P<suggestion_id>\d+)",
):
    """ "Add <name>" and "Skip" under a suggestion for a seat: organizers only, answered once; Skip offers the next
    applicant who fits. They keep working after restarts."""

    def __init__(self, action: str, suggestion_id: int, label: str) -> None:
        style = discord.ButtonStyle.success if action == "add" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"refill:{action}:{suggestion_id}"))
        self.action = action
        self.suggestion_id = suggestion_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RefillButton:
        return cls(match["action"], int(match["suggestion_id"]), label_of(item))

    async def act(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        organizer = await bot.access.require_organizer(interaction)
        suggestion, group = await bot.matchmaker.suggestion(organizer.guild.id, self.suggestion_id)
        p = await bot.texts.server(group.guild_id)  # the suggestion is in the organizers' channel, for all of them
        if self.action == "skip":
            await bot.matchmaker.answer(suggestion, "skipped", by=organizer.id)
            await interaction.response.defer()
            skipped = p("refill.skipped", who=organizer.mention, member=mention(suggestion.user_id))
            content, view = await _offer(bot, p, group, before=skipped)
            await interaction.edit_original_response(content=content, view=view)
            return
        member = await member_in(bot, organizer.guild.id, suggestion.user_id)
        if member is None:
            raise Refusal("refill.not_in_server", member=Person(suggestion.user_id))
        application = await bot.store.intake.application(group.guild_id, member.id)
        if application is None or application.status != "waiting":
            raise Refusal("refill.not_waiting", member=Person(member.id))
        require_channel_permissions(organizer.guild)
        await bot.matchmaker.answer(suggestion, "added", by=organizer.id)
        await interaction.response.defer()
        try:
            await admit_member(bot, group, member, invited_by=organizer.id)
        except BaseException:
            await bot.matchmaker.reopen(suggestion)
            raise
        await bot.matchmaker.matched(group, [member.id])
        await interaction.edit_original_response(
            content=p("refill.added", who=organizer.mention, member=member.mention, name=shown(group.name)), view=None
        )


def seat_message(p: Prompts, group: Group, seat: Seat, member: discord.Member | None) -> tuple[str, discord.ui.View]:
    """A suggestion for a seat, as organizers read it, with its two buttons."""
    applicant = seat.applicant
    content = p(
        "refill.suggestion",
        name=shown(group.name),
        members=seat.members,
        target=seat.target,
        member=mention(applicant.id),
        field=shown(applicant.field),
        experience=experience_text(p, applicant.experience),
        languages=names_text(p, applicant.languages),
        zone=applicant.zone,
        dates=DEFAULT_DATES,
    )
    shown_name = member.display_name if member is not None else str(applicant.id)
    view = discord.ui.View(timeout=None)
    view.add_item(RefillButton("add", seat.suggestion.id, shorten(p("refill.add_button", name=shown_name), 80)))
    view.add_item(RefillButton("skip", seat.suggestion.id, p("refill.skip_button")))
    return content, view


async def _offer(
    bot: MastermindBot, p: Prompts, group: Group, *, before: str = ""
) -> tuple[str, discord.ui.View | None]:
    """The next suggestion for the group's seat (after `before`), or word that nobody waiting fits, in `p`."""
    try:
        seat = await bot.matchmaker.suggest(group)
    except Refusal as refusal:
        return "\n".join(filter(None, [before, refusal_text(p, refusal)])), None
    if seat is None:
        return "\n".join(filter(None, [before, p("refill.nobody", name=shown(group.name))])), None
    content, view = seat_message(p, group, seat, await member_in(bot, group.guild_id, seat.applicant.id))
    return "\n".join(filter(None, [before, content])), view


class Matching(commands.GroupCog, group_name="match", group_description=command_text("commands.match")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ProposalButton, RefillButton)
        self.bot.events.subscribe(MemberLeftGroup, self.member_left)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ProposalButton, RefillButton)
        self.bot.events.unsubscribe(MemberLeftGroup, self.member_left)

    @app_commands.command(name="preview", description=command_text("commands.match_preview"))
    @app_commands.describe(size=command_text("options.match_size", min=MIN_GROUP, max=MAX_GROUP))
    @app_commands.guild_only()
    async def preview(self, interaction: discord.Interaction, size: int | None = None) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.bot.matchmaker.preview(organizer.guild.id, by=organizer.id, size=size)
        p = await self.bot.texts.reply(interaction)
        text = preview_text(p, found, by=organizer.id, now=self.bot.clock.now())
        if found.proposal is None:
            await reply(interaction, text)
        else:
            await reply(interaction, text, view=proposal_view(p, found.proposal))

    @app_commands.command(name="refill", description=command_text("commands.match_refill"))
    @app_commands.describe(group=GROUP)
    @app_commands.guild_only()
    async def refill(self, interaction: discord.Interaction, group: GroupOption | None = None) -> None:
        await self.bot.access.require_organizer(interaction)
        target = await self.bot.access.group(interaction, group)
        await self.bot.intake.settings(target.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        content, view = await _offer(self.bot, await self.bot.texts.reply(interaction, target), target)
        await reply(interaction, content, **({"view": view} if view else {}))

    async def member_left(self, event: MemberLeftGroup) -> None:
        """A member is out of a group: if it is now short of its size, the organizers hear who could take the seat
        (a suggestion still unanswered stands, and is not posted again)."""
        group = await self.bot.store.groups.get(event.group.guild_id, event.group.id)
        if group is None or not await self.bot.matchmaker.short_of_target(group):
            return
        standing = await self.bot.store.matches.open_suggestion(group.guild_id, group.id)
        if standing is not None:
            return
        content, view = await _offer(self.bot, await self.bot.texts.server(group.guild_id), group)
        await tell_organizers(self.bot, group.guild_id, content, view=view)
