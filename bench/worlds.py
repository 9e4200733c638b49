"""Simulated servers full of groups, for the benchmarks: the real bot in simcord, on a real SQLite file."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import discord
import simcord
import simcord.env

from app import Settings, create_bot
from bench.seed import SeedGroup, SeedMeeting, SeedSchedule, seed_groups, seed_history
from cogs.common.bot import MastermindBot
from demo.simulation import follow_simcord_clock, simcord_time
from storage import Store

ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Africa/Lagos",
    "Pacific/Auckland",
)
MEMBERS_PER_GROUP = 4


@dataclass
class Bench:
    env: simcord.Env
    bot: MastermindBot
    build: Callable[[], MastermindBot]


@contextmanager
def quick_settling() -> Iterator[None]:
    """Make simcord check for finished work every millisecond instead of every 50, until the block ends.

    When bot work goes from waiting on the database to sleeping until its pacing slot, simcord's settle step
    waits up to its idle interval (a private default, 50 ms of real time) for some task to finish. That changes
    nothing the bot does or when, in virtual time, but it would make a 1,000-send burst take minutes of real
    time. The figures the benchmarks report are CPU time and virtual time, which this setting does not touch.
    """
    defaults = simcord.env.Env._settle_internal.__kwdefaults__
    before = defaults["idle"]
    defaults["idle"] = 0.001
    try:
        yield
    finally:
        defaults["idle"] = before


@asynccontextmanager
async def running_bot(database: Path, prepare: Callable[[MastermindBot], None] | None = None) -> AsyncIterator[Bench]:
    """The real bot in simcord's virtual time, on this database file."""

    def build() -> MastermindBot:
        bot = create_bot(Settings(database_path=database))
        if prepare is not None:
            prepare(bot)
        return bot

    with quick_settling(), simcord_time() as traveller:
        bot = build()
        # A thousand sends take real seconds to simulate: give each advance of virtual time room for that.
        async with simcord.run(bot, check_errors=False, settle_timeout=600) as env:
            follow_simcord_clock(env, traveller)
            bench = Bench(env, bot, build)
            try:
                yield bench
            finally:
                await bench.bot.store.close()


async def restart_on(bench: Bench) -> None:
    """Start a fresh bot on the same database (as a process restart would): it plans every group at start-up."""
    old = bench.bot
    bench.bot = bench.build()
    await bench.env.restart_bot(bench.bot)
    await old.store.close()


def random_schedule(rng: random.Random, start: date) -> SeedSchedule:
    weekday = rng.randrange(7)
    return SeedSchedule(
        weekday=weekday,
        local_time=time(rng.randrange(7, 22), rng.randrange(0, 60, 5)),
        timezone=rng.choice(ZONES),
        every_weeks=rng.choice((1, 2, 2)),
        anchor_date=start + timedelta(days=(weekday - start.weekday()) % 7 + 1),
    )


def populate(env: simcord.Env, *, guilds: int, groups_per_guild: int) -> list[tuple[int, int, int, list[int]]]:
    """Servers with a text and a voice channel and four members for each group: (guild, text, voice, members)."""
    layout = []
    for g in range(guilds):
        guild = env.create_guild(f"Community {g}")
        guild.create_text_channel("general")
        pool = [guild.add_member(env.create_user(f"member-{g}-{i}")).id for i in range(40)]
        for i in range(groups_per_guild):
            text = guild.create_text_channel(f"group-{i}")
            voice = guild.create_voice_channel(f"Group {i}")
            members = [pool[(i + k * 7) % len(pool)] for k in range(MEMBERS_PER_GROUP)]
            layout.append((guild.id, text.id, voice.id, members))
    return layout


async def seed_layout(store: Store, layout, schedules: list[SeedSchedule], *, now: datetime) -> list[int]:
    """One group per populated channel pair, with the given schedules, in order."""
    groups = [
        SeedGroup(
            guild_id=guild,
            name=f"Group {n}",
            text_channel_id=text,
            voice_channel_id=voice,
            members=members,
            schedule=schedule,
        )
        for n, ((guild, text, voice, members), schedule) in enumerate(zip(layout, schedules, strict=True))
    ]
    return await seed_groups(store.db, groups, now=now)


async def seed_synthetic_file(path: Path, *, groups: int, guilds: int, seed: int = 7) -> None:
    """A database of groups across servers, all scheduled, with channel ids that only the database knows
    (start-up planning needs no Discord state)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    store = Store(path)
    await store.open()
    try:
        await seed_groups(
            store.db,
            [
                SeedGroup(
                    guild_id=1 + n % guilds,
                    name=f"Group {n}",
                    text_channel_id=10_000_000 + 2 * n,
                    voice_channel_id=10_000_001 + 2 * n,
                    members=rng.sample(range(100_000, 150_000), MEMBERS_PER_GROUP),
                    schedule=random_schedule(rng, now.date()),
                )
                for n in range(groups)
            ],
            now=now,
        )
    finally:
        await store.close()


async def seed_two_years(store: Store, *, guild_id: int, group_id: int, members: list[int], start: datetime) -> None:
    """52 past meetings of six members with three commitments each per meeting, outcomes mixed."""
    rng = random.Random(52)
    statuses = ("done", "done", "partial", "missed", "unreported")
    meetings = []
    for n in range(52):
        starts_at = start - timedelta(weeks=2 * (52 - n))
        meetings.append(
            SeedMeeting(
                starts_at=starts_at,
                closed_at=starts_at + timedelta(hours=1),
                present=[m for m in members if rng.random() < 0.8],
                commitments=[
                    (member, f"Commitment {g + 1} of meeting {n + 1}", rng.choice(statuses))
                    for member in members
                    for g in range(3)
                ],
            )
        )
    await seed_history(store.db, guild_id=guild_id, group_id=group_id, members=members, meetings=meetings)


def message_time(message_id: int) -> datetime:
    return discord.utils.snowflake_time(message_id)
