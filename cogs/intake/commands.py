"""/intake, /apply, /application and /applicants: what applicants choose from, applying, where one stands, and the
waiting list as organizers see it. Applications are shown to the applicant and to organizers only."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from cogs.availability import hours_text
from cogs.common.access import guild_of, member_of
from cogs.common.bot import MastermindBot, bot_of
from cogs.common.errors import reply
from cogs.common.i18n import command_text
from cogs.common.text import discord_time, fit_lines, mention, shown
from cogs.common.timezones import timezone_choices
from mastermind.errors import Refusal
from mastermind.rules.availability import WeeklyHours
from mastermind.rules.intake import EXPERIENCE, MAX_ABOUT, MAX_FIELDS, Standing, chosen_field
from mastermind.rules.matching import MAX_GROUP, MIN_GROUP
from mastermind.rules.names import name_key
from prompts import Prompts
from storage.models import Application, IntakeSettings

EXPERIENCE_CHOICES = [
    app_commands.Choice(name=command_text(f"intake.experience_{name}"), value=level)
    for level, name in enumerate(EXPERIENCE)
]


def experience_text(p: Prompts, level: int) -> str:
    return p(f"intake.experience_{EXPERIENCE[level]}")


def names_text(p: Prompts, names: tuple[str, ...]) -> str:
    """English, Spanish and Indonesian"""
    if len(names) < 2:
        return ", ".join(shown(name) for name in names)
    return ", ".join(shown(name) for name in names[:-1]) + p("common.and") + shown(names[-1])


def standing_text(p: Prompts, standing: Standing) -> str:
    """ "You are 3rd of 7 waiting. 2 others share your field, language and hours; a group forms at 4." """
    key = "application.standing_enough" if standing.enough else "application.standing"
    return p(key, place=standing.place, waiting=standing.waiting, peers=standing.peers, forms_at=standing.forms_at)


def intake_text(p: Prompts, settings: IntakeSettings) -> str:
    return p(
        "intake.show",
        state=p("intake.open" if settings.accepting else "intake.closed"),
        fields=", ".join(shown(field) for field in settings.fields),
        languages=names_text(p, settings.languages),
        size=settings.group_size,
    )


def application_text(p: Prompts, application: Application, hours: str) -> str:
    """What an application says, as its applicant and organizers read it back."""
    lines = [
        p(
            "application.summary",
            field=shown(application.field),
            experience=experience_text(p, application.experience),
            languages=names_text(p, application.languages),
            hours=hours,
        )
    ]
    if application.about:
        lines.append(p("application.about", about=shown(application.about)))
    return "\n".join(lines)


async def field_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's fields, as the `field` options suggest them while someone types."""
    if interaction.guild is None:
        return []
    settings = await bot_of(interaction).store.intake.settings(interaction.guild.id)
    typed = name_key(current)
    fields = settings.fields if settings else ()
    return [app_commands.Choice(name=field, value=field) for field in fields if typed in name_key(field)][:25]


class IntakeCommands(commands.GroupCog, group_name="intake", group_description=command_text("commands.intake")):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="setup", description=command_text("commands.intake_setup"))
    @app_commands.describe(
        fields=command_text("options.intake_fields", max=MAX_FIELDS),
        languages=command_text("options.intake_languages"),
        group_size=command_text("options.intake_group_size", min=MIN_GROUP, max=MAX_GROUP),
        accepting=command_text("options.intake_open"),
    )
    @app_commands.rename(accepting="open")
    @app_commands.choices(
        accepting=[app_commands.Choice(name=command_text(f"intake.choice_{v}"), value=v) for v in ("yes", "no")]
    )
    @app_commands.guild_only()
    async def setup_intake(
        self,
        interaction: discord.Interaction,
        fields: str,
        languages: str | None = None,
        group_size: int | None = None,
        accepting: str | None = None,
    ) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        settings = await self.bot.intake.setup(
            organizer.guild.id,
            fields=fields,
            languages=languages,
            group_size=group_size,
            accepting=accepting == "yes" if accepting else None,
        )
        p = await self.bot.texts.reply(interaction)
        await reply(interaction, p("intake.saved", intake=intake_text(p, settings)))

    @app_commands.command(name="show", description=command_text("commands.intake_show"))
    @app_commands.guild_only()
    async def show(self, interaction: discord.Interaction) -> None:
        settings = await self.bot.intake.settings(guild_of(interaction).id)
        await reply(interaction, intake_text(await self.bot.texts.reply(interaction), settings))


class Applying(commands.Cog):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="apply", description=command_text("commands.apply"))
    @app_commands.describe(
        field=command_text("options.apply_field"),
        experience=command_text("options.apply_experience"),
        languages=command_text("options.apply_languages"),
        timezone=command_text("options.apply_timezone"),
        hours=command_text("options.apply_hours"),
        about=command_text("options.apply_about", max=MAX_ABOUT),
    )
    @app_commands.choices(experience=EXPERIENCE_CHOICES)
    @app_commands.autocomplete(field=field_choices, timezone=timezone_choices)
    @app_commands.guild_only()
    async def apply(
        self,
        interaction: discord.Interaction,
        field: str,
        experience: int,
        languages: str,
        timezone: str,
        hours: app_commands.Range[str, 1, 1000],
        about: str | None = None,
    ) -> None:
        member = member_of(interaction)
        if not 0 <= experience < len(EXPERIENCE):
            raise Refusal("application.unknown_experience")
        applied = await self.bot.intake.apply(
            member.guild.id,
            member.id,
            field=field,
            experience=experience,
            languages=languages,
            timezone=timezone,
            hours=hours,
            about=about,
        )
        p = await self.bot.texts.reply(interaction)
        summary = application_text(p, applied.application, hours_text(p, applied.hours, applied.zone))
        await reply(interaction, p("application.saved", summary=summary, standing=standing_text(p, applied.standing)))

    @app_commands.command(name="applicants", description=command_text("commands.applicants"))
    @app_commands.describe(field=command_text("options.applicants_field"))
    @app_commands.autocomplete(field=field_choices)
    @app_commands.guild_only()
    async def applicants(self, interaction: discord.Interaction, field: str | None = None) -> None:
        organizer = await self.bot.access.require_organizer(interaction)
        pool = await self.bot.intake.pool(organizer.guild.id)
        only = chosen_field(field, pool.settings.fields) if field and field.strip() else None
        await interaction.response.defer(ephemeral=True, thinking=True)
        mates = await self.bot.intake.mates(pool)
        p = await self.bot.texts.reply(interaction)
        by_id = {applicant.id: applicant for applicant in pool.applicants}
        lines = []
        for place, (user_id, application) in enumerate(pool.applications.items(), start=1):
            if only is not None and application.field != only:
                continue
            applicant = by_id.get(user_id)
            lines.append(
                p(
                    "applicants.line",
                    place=place,
                    member=mention(user_id),
                    field=shown(application.field),
                    experience=experience_text(p, application.experience),
                    languages=names_text(p, application.languages),
                    zone=applicant.zone if applicant else p("applicants.no_hours"),
                    mates=mates[user_id].anyone if applicant else 0,
                    since=discord.utils.format_dt(application.queued_at, "D"),
                )
            )
        if not lines:
            raise Refusal("applicants.none_in_field", field=only) if only else Refusal("applicants.none")
        heading = p("applicants.heading", count=len(lines), field=shown(only) if only else p("applicants.all_fields"))
        await reply(interaction, fit_lines([heading, *lines], p))


class ApplicationCommands(
    commands.GroupCog, group_name="application", group_description=command_text("commands.application")
):
    def __init__(self, bot: MastermindBot) -> None:
        self.bot = bot

    @app_commands.command(name="status", description=command_text("commands.application_status"))
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        found = await self.bot.intake.status(member.guild.id, member.id)
        p = await self.bot.texts.reply(interaction)
        application = found.application
        known = await self.bot.store.availability.get(member.guild.id, member.id)
        hours = (
            hours_text(p, WeeklyHours.of(known.ranges), known.timezone)
            if known is not None and known.ranges
            else p("application.no_hours")
        )
        summary = application_text(p, application, hours)
        if found.standing is not None:
            state = p("application.waiting", standing=standing_text(p, found.standing))
        elif application.status == "matched" and application.group_id is not None:
            group = await self.bot.store.groups.get(member.guild.id, application.group_id)
            state = p(
                "application.matched",
                name=shown(group.name) if group else "?",
                when=discord_time(application.closed_at or application.updated_at),
            )
        else:
            state = p("application.withdrawn", when=discord_time(application.closed_at or application.updated_at))
        await reply(interaction, f"{state}\n{summary}")

    @app_commands.command(name="withdraw", description=command_text("commands.application_withdraw"))
    @app_commands.guild_only()
    async def withdraw(self, interaction: discord.Interaction) -> None:
        member = member_of(interaction)
        await self.bot.intake.withdraw(member.guild.id, member.id)
        await reply(interaction, (await self.bot.texts.reply(interaction))("application.withdrawn_now"))
