"""The four measurements. Every timing comes with a baseline measured in the same run, because the machines
these run on are shared and noisy: the ratio is the figure that travels."""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import discord
from discord import app_commands

from bench.queries import sends_of_group
from bench.seed import SeedGroup, SeedSchedule, seed_groups
from bench.worlds import (
    Bench,
    message_time,
    populate,
    random_schedule,
    restart_on,
    running_bot,
    seed_layout,
    seed_synthetic_file,
    seed_two_years,
)
from cogs.common.bot import MastermindBot
from demo.simulation import advance_to
from mastermind.rules.availability import parse_hours
from mastermind.rules.slots import CANDIDATE_STEP, Attendee, find_slots
from storage.models import SendKind

ROOT = Path(__file__).resolve().parents[1]


def _trivial_command(bot: MastermindBot) -> None:
    """The baseline: a command that does nothing but answer."""

    @bot.tree.command(name="bench-ping", description="Benchmark baseline")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)


def _time_callbacks(bot: MastermindBot, names: list[str], samples: dict[str, list[float]]) -> None:
    """Record how long each command's own handler runs (bot-side), apart from simcord's work around it."""
    for name in names:
        command = bot.tree.get_command(name.split()[0])
        if " " in name and isinstance(command, app_commands.Group):
            command = command.get_command(name.split()[1])
        assert isinstance(command, app_commands.Command), name
        original = command._callback

        async def timed(*args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return await _original(*args, **kwargs)
            finally:
                samples[_name].append(time.perf_counter() - start)

        command._callback = timed  # type: ignore[assignment]


# ---------------------------------------------------------------------- 1. command cost


async def command_cost(runs: int, calls: int) -> dict:
    commands = ["bench-ping", "group info", "goals list", "stats"]
    with tempfile.TemporaryDirectory() as folder:
        handler: dict[str, list[float]] = defaultdict(list)
        async with running_bot(Path(folder) / "bench.sqlite3", prepare=_trivial_command) as bench:
            env, bot = bench.env, bench.bot
            _time_callbacks(bot, commands, handler)
            guild = env.create_guild("Bench")
            general = guild.create_text_channel("general")
            hosts = guild.create_role("Hosts", permissions=discord.Permissions(manage_guild=True))
            host = guild.add_member(env.create_user("host"), roles=[hosts])
            members = [guild.add_member(env.create_user(f"m{i}")) for i in range(6)]
            await bot.tree.sync()
            await host.slash(general, "group create", name="Two Years")
            for member in members:
                await host.slash(general, "group add", member=member, group="Two Years")
            await seed_two_years(
                bot.store, guild_id=guild.id, group_id=1, members=[m.id for m in members], start=env.now()
            )
            text = guild.channels["two-years"]
            caller = members[0]
            await caller.slash(text, "goals set", goals="One; Two; Three")
            totals: dict[str, list[float]] = defaultdict(list)
            for run in range(runs + 1):  # the first run warms caches and is not counted
                for name in commands:
                    elapsed = []
                    for _ in range(calls):
                        start = time.perf_counter()
                        await caller.slash(text, name)
                        elapsed.append(time.perf_counter() - start)
                    if run:
                        totals[name].append(statistics.median(elapsed))
            if env.errors:  # a refused or failed command answers fast, and its timing would mean nothing
                raise RuntimeError(f"commands failed while being measured: {env.errors!r}")
            handler = {name: values[calls:] for name, values in handler.items()}  # drop the warm-up run
    base = statistics.median(totals["bench-ping"])
    result = {}
    for name in commands:
        total = statistics.median(totals[name])
        result[name] = {
            "total_ms": 1000 * total,
            "ratio": total / base,
            "handler_ms": 1000 * statistics.median(handler[name]),
        }
    return result


# ---------------------------------------------------------------------- 2. start-up at scale


def startup(sizes: list[int], runs: int, guilds: int) -> dict:
    """Each measurement in a fresh process on a fresh copy of the database, so memory figures don't mix."""
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in [0, *sizes]:
            master = Path(folder) / f"seed-{size}.sqlite3"
            asyncio.run(seed_synthetic_file(master, groups=size, guilds=guilds))
            samples = []
            for run in range(runs):
                copy = Path(folder) / f"run-{size}-{run}.sqlite3"
                shutil.copy(master, copy)
                probe = subprocess.run(
                    [sys.executable, "-m", "bench.startup_probe", str(copy)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                samples.append(json.loads(probe.stdout.strip().splitlines()[-1]))
            results[size] = {
                "seconds": statistics.median(s["seconds"] for s in samples),
                "rss_mb": statistics.median(s["rss_mb"] for s in samples),
                "planned": samples[0]["planned"],
            }
    base = results.pop(0)
    for figures in results.values():
        figures["ratio"] = figures["seconds"] / base["seconds"] if base["seconds"] else float("nan")
        figures["baseline_seconds"] = base["seconds"]
        figures["baseline_rss_mb"] = base["rss_mb"]
    return results


# ---------------------------------------------------------------------- 3. burst


_STDLIB = sysconfig.get_paths()["stdlib"]
_IDLE = ("~", 0, "<method 'poll' of 'select.epoll' objects>")  # blocked waiting: nobody's work
_HARNESS = (str(ROOT / "bench"), str(ROOT / "demo" / "simulation.py"))


def bot_share(profile: cProfile.Profile) -> float:
    """The bot's share of the work in a profiled burst.

    simcord's frames are the simulated Discord; our code and the libraries the bot runs on in production
    (discord.py, aiosqlite, APScheduler, pydantic) are the bot. The standard library, built-ins and generated or
    frozen code ("<string>", "<frozen ...>") belong to whoever called them: each such function's time is split
    like its callers' (weighted by the time each caller spent in it), worked out as a fixed point so recursion
    and cycles settle. Time blocked waiting, the benchmark's own frames and the roots above them count for
    neither side, so the event loop's own upkeep is shared in proportion to the work it serves."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    fixed: dict[tuple, tuple[float, float]] = {}  # (bot part, simulated part) of functions whose owner is known
    inherited: list[tuple] = []
    for key in stats:
        filename = key[0]
        if key == _IDLE or filename.startswith(_HARNESS):
            fixed[key] = (0.0, 0.0)
        elif "/simcord/" in filename:
            fixed[key] = (0.0, 1.0)
        elif "site-packages" in filename or not filename.startswith(("~", "<", _STDLIB)):
            fixed[key] = (1.0, 0.0)
        else:
            inherited.append(key)
    split = dict(fixed) | {key: (0.0, 0.0) for key in inherited}
    for _ in range(100):
        for key in inherited:
            callers = [(caller, info[3]) for caller, info in stats[key][4].items() if caller in split]
            total = sum(weight for _, weight in callers)
            if total:
                split[key] = (
                    sum(weight * split[caller][0] for caller, weight in callers) / total,
                    sum(weight * split[caller][1] for caller, weight in callers) / total,
                )
    bot = sum(info[2] * split[key][0] for key, info in stats.items())
    simulated = sum(info[2] * split[key][1] for key, info in stats.items())
    return bot / (bot + simulated)


async def burst(groups: int, runs: int) -> dict:
    """CPU totals from unprofiled runs; the bot's share of the event loop's thread from one more run under the
    profiler (whose own overhead would distort a total, but not much a share)."""
    samples: dict[str, list[float]] = defaultdict(list)
    shares: dict[str, float] = {}
    for run in range(runs + 1):
        profiled = run == runs
        with tempfile.TemporaryDirectory() as folder:
            async with running_bot(Path(folder) / "bench.sqlite3") as bench:
                figures = await _one_burst(bench, groups, profiled=profiled)
        for key, value in figures.items():
            if profiled and key.endswith("_share"):
                shares[key.removesuffix("_share")] = value
            elif not profiled:
                samples[key].append(value)
    result = {key: statistics.median(values) for key, values in samples.items()}
    for label, share in shares.items():
        # The profile sees the event-loop thread only; the database thread's time is all the bot's.
        database_thread = result[f"{label}_cpu_s"] - result[f"{label}_loop_cpu_s"]
        result[f"{label}_bot_s"] = result[f"{label}_loop_cpu_s"] * share + database_thread
        result[f"{label}_share"] = share
    return result


async def _one_burst(bench: Bench, groups: int, *, profiled: bool) -> dict:
    env = bench.env
    guild_count = max(1, groups // 100)
    layout = populate(env, guilds=guild_count, groups_per_guild=groups // guild_count)
    meeting_day = env.now().date() + timedelta(days=(1 - env.now().weekday()) % 7 + 7)  # a Tuesday, a week on
    meeting = datetime.combine(meeting_day, clock_time(18, 0), tzinfo=UTC)
    same_time = SeedSchedule(
        weekday=1, local_time=clock_time(18, 0), timezone="UTC", every_weeks=2, anchor_date=meeting_day
    )
    await seed_layout(bench.bot.store, layout, [same_time] * len(layout), now=env.now())
    await restart_on(bench)  # the new bot plans all of them at start-up

    figures: dict[str, float] = {}
    for label, due, kind in (
        ("reminders_24h", meeting - timedelta(hours=24), SendKind.REMINDER),
        ("reminders_15m", meeting - timedelta(minutes=15), SendKind.REMINDER),
        ("kickoffs", meeting, SendKind.KICKOFF),
    ):
        await advance_to(env, due - timedelta(seconds=1))
        profile = cProfile.Profile()
        start_cpu, start_loop_cpu = time.process_time(), time.thread_time()
        if profiled:
            profile.enable()
        await advance_to(env, due + timedelta(minutes=2))
        if profiled:
            profile.disable()
            figures[f"{label}_share"] = bot_share(profile)
        figures[f"{label}_cpu_s"] = time.process_time() - start_cpu  # every thread
        figures[f"{label}_loop_cpu_s"] = time.thread_time() - start_loop_cpu  # the event loop's thread
        sent = await _sent(bench.bot, kind, due)
        lateness = [(message_time(s.message_id) - s.due_at).total_seconds() for s in sent]
        figures[f"{label}_count"] = len(sent)
        figures[f"{label}_last_late_s"] = max(lateness)
        figures[f"{label}_requests_per_s"] = _peak_rate([message_time(s.message_id) for s in sent])
    return figures


def _peak_rate(moments: list[datetime]) -> float:
    """The most messages sent in any one-second window."""
    moments.sort()
    peak = start = 0
    for end, moment in enumerate(moments):
        while moment - moments[start] >= timedelta(seconds=1):
            start += 1
        peak = max(peak, end - start + 1)
    return float(peak)


async def _sent(bot: MastermindBot, kind: SendKind, due: datetime):
    rows = []
    for summary in await _all_groups(bot):
        rows += [
            s
            for s in await sends_of_group(bot.store, summary.group.guild_id, summary.group.id, statuses=["sent"])
            if s.kind == kind and s.due_at == due
        ]
    return rows


async def _all_groups(bot: MastermindBot):
    summaries = []
    for guild in bot.guilds:
        summaries += await bot.store.groups.summaries(guild.id)
    return summaries


# ---------------------------------------------------------------------- 4. timer accuracy


async def timer_accuracy(groups: int, days: int, runs: int) -> dict:
    samples: dict[str, list[float]] = defaultdict(list)
    for run in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            async with running_bot(Path(folder) / "bench.sqlite3") as bench:
                env = bench.env
                guild_count = max(1, groups // 100)
                layout = populate(env, guilds=guild_count, groups_per_guild=groups // guild_count)
                rng = random.Random(run)
                start = env.now().date()
                schedules = [random_schedule(rng, start) for _ in layout]
                await seed_layout(bench.bot.store, layout, schedules, now=env.now())
                await restart_on(bench)
                began = time.perf_counter()
                end = env.now() + timedelta(days=days)
                while env.now() < end:
                    await advance_to(env, min(end, env.now() + timedelta(hours=6)))
                wall = time.perf_counter() - began
                lateness = []
                for summary in await _all_groups(bench.bot):
                    for send in await sends_of_group(
                        bench.bot.store, summary.group.guild_id, summary.group.id, statuses=["sent"]
                    ):
                        if send.kind in (SendKind.REMINDER, SendKind.KICKOFF):
                            lateness.append((message_time(send.message_id) - send.due_at).total_seconds())
        lateness.sort()
        samples["count"].append(len(lateness))
        samples["p50_s"].append(statistics.median(lateness))
        samples["p99_s"].append(lateness[int(0.99 * (len(lateness) - 1))])
        samples["max_s"].append(lateness[-1])
        samples["wall_s"].append(wall)
    return {key: statistics.median(values) for key, values in samples.items()}


# ---------------------------------------------------------------------- 5. finding a time

# Six members in six zones: three that change clocks on different dates in the north, one in the south, one that
# never does and one on a half hour. Hours like people give them: a window before work, one in the evening.
SIX_ZONES = (
    ("America/New_York", "mon-fri 07-09, 17-22; sat 09-12"),
    ("America/Sao_Paulo", "weekdays 08-10, 18-22"),
    ("Europe/Berlin", "mon-fri 12-14, 19-23; weekends 10-18"),
    ("Asia/Kolkata", "daily 06-09, 20-24"),
    ("Australia/Sydney", "mon-fri 06-08:30, 19-22"),
    ("Asia/Tokyo", "daily 06-09, 21-24"),
)


def slot_search(runs: int) -> dict:
    """/schedule find's search on its own (plain Python, no Discord, no database): a 60-minute call every 2 weeks,
    every weekday every 30 minutes anchored in each of the six zones, over the next 26 meetings. Each run starts at
    another moment of the year, so the changes of clocks fall on other dates."""
    people = [Attendee(index, zone, parse_hours(hours)) for index, (zone, hours) in enumerate(SIX_ZONES)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    find_slots(people, length=60, every_weeks=2, after=start)  # not counted: the zone files are read once
    samples = []
    proposed = []
    for run in range(runs):
        after = start + timedelta(days=37 * run, hours=5 * run)
        began = time.perf_counter()
        found = find_slots(people, length=60, every_weeks=2, after=after)
        samples.append(time.perf_counter() - began)
        proposed.append(len(found))
    return {
        "median_ms": 1000 * statistics.median(samples),
        "max_ms": 1000 * max(samples),
        "runs": runs,
        "candidates": 7 * (24 * 60 // CANDIDATE_STEP) * len(SIX_ZONES),
        "proposed": min(proposed),
    }


# ---------------------------------------------------------------------- 6. the attendance chart


async def chart_cost(runs: int) -> dict:
    """CPU time to draw the 2-year group's chart (52 meetings, 6 members, names in Latin and Cyrillic), the part
    the bot runs off the event loop; and the time to read its data, for comparison. The first run warms caches
    (the font) and is not counted."""
    from cogs.common.charts import chart_text
    from mastermind.charts import render_chart
    from mastermind.rules.stats import chart_data
    from mastermind.services.keeping import CHART_MEETINGS
    from prompts import load_prompts
    from storage import Store

    prompts = load_prompts()
    names = ["Ada Lovelace", "Борис Пастернак", "Chen Wei", "Dee Okafor", "Фёдор", "Grace Hopper"]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.sqlite3")
        await store.open()
        try:
            start = datetime(2026, 1, 1, tzinfo=UTC)
            layout = [
                SeedGroup(
                    guild_id=1, name="Two Years", text_channel_id=2, voice_channel_id=3, members=list(range(10, 16))
                )
            ]
            (group_id,) = await seed_groups(store.db, layout, now=start - timedelta(weeks=110))
            await seed_two_years(store, guild_id=1, group_id=group_id, members=list(range(10, 16)), start=start)
            group = await store.groups.get(1, group_id)
            assert group is not None
            reads, draws = [], []
            size = 0
            for run in range(runs + 1):
                began = time.perf_counter()
                data = chart_data(await store.stats.chart_history(1, group_id, meetings=CHART_MEETINGS))
                read = time.perf_counter() - began
                text = chart_text(prompts, group, data, names)
                cpu = time.process_time()
                png = render_chart(data, text)
                drawn = time.process_time() - cpu
                if run:
                    reads.append(read)
                    draws.append(drawn)
                size = len(png)
        finally:
            await store.close()
    return {
        "render_cpu_ms": 1000 * statistics.median(draws),
        "read_ms": 1000 * statistics.median(reads),
        "meetings": data.meetings,
        "members": len(data.members),
        "png_kb": size / 1024,
    }


Scenario = Callable[[], Awaitable[dict]]
