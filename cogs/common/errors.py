"""The one way every command, button and form answers: privately, and on failure with what to do about it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any, Protocol, cast

import discord
from babel.dates import format_date
from discord import app_commands

from cogs.common.i18n import Texts
from cogs.common.text import mention, shorten, shown
from mastermind.errors import People, Person, Refusal, Terms
from prompts import Prompts

log = logging.getLogger(__name__)


class _Speaks(Protocol):
    """What answering needs of the bot: its texts in every language."""

    texts: Texts


def _texts(client: discord.Client) -> Texts:
    return cast(_Speaks, client).texts


async def reply(interaction: discord.Interaction, content: str, **kwargs: Any) -> None:
    """An ephemeral reply, whether or not the interaction was already answered or deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


def refusal_text(prompts: Prompts, refusal: Refusal) -> str:
    """The refusal's sentence: text as typed but unable to ping, a person as a mention, the bot's own terms and
    dates in the reader's language, an instant as a Discord timestamp (each reader sees their own time zone)."""
    return prompts(refusal.key, **{name: _shown_value(prompts, value) for name, value in refusal.values.items()})


# A value quoted back in a refusal may be anything a member typed; quoting the first words is enough.
QUOTED_LENGTH = 100


def _shown_value(prompts: Prompts, value: object) -> object:
    if isinstance(value, str):
        return shown(shorten(value, QUOTED_LENGTH))
    if isinstance(value, Terms):
        return ", ".join(prompts(key) for key in value.keys)
    if isinstance(value, Person):
        return mention(value.user_id)
    if isinstance(value, People):
        return ", ".join(mention(user_id) for user_id in value.user_ids)
    if isinstance(value, datetime):
        return discord.utils.format_dt(value, "F")
    if isinstance(value, date):
        return format_date(value, format="long", locale=prompts.locale)
    return value


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Say what to do and change nothing; anything unforeseen is logged and answered with a short apology."""
    prompts = await _texts(interaction.client).reply(interaction)
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        cause = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(error, app_commands.TransformerError) and error.type in (
            discord.AppCommandOptionType.user,
            discord.AppCommandOptionType.mentionable,
        ):
            cause = Refusal("errors.not_in_server")
        error = cause or error
    if isinstance(error, Refusal):
        text = refusal_text(prompts, error)
    elif isinstance(error, app_commands.NoPrivateMessage):
        text = prompts("errors.guild_only")
    elif isinstance(error, app_commands.MissingPermissions):
        text = prompts("errors.organizers_only")
    elif isinstance(error, discord.Forbidden):
        log.warning("Discord refused an action for lack of permission: %s", error)
        text = prompts("errors.bot_forbidden")
    else:
        log.error("Unexpected error in %s", _where(interaction), exc_info=error)
        text = prompts("errors.unexpected")
    try:
        await reply(interaction, text)
    except discord.HTTPException:
        log.warning("Could not tell %s about an error", interaction.user, exc_info=True)


def _where(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    custom_id = interaction.data.get("custom_id") if interaction.data else None
    return f"component {custom_id}" if custom_id else f"interaction {interaction.type}"


@asynccontextmanager
async def answering(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Around a button or form callback: any failure is answered the same way commands answer it.

    discord.py only logs errors raised in persistent (dynamic) items, leaving the member with "interaction
    failed"; this gives them the same clear, ephemeral answer as a slash command would.
    """
    try:
        yield
    except Exception as error:
        await report_error(interaction, error)


class MastermindTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)
