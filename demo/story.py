"""`python bot.py --demo`: the real bot, a simulated Discord, ten weeks of a mastermind group in a few seconds. Run
from a checkout, it also leaves the group's chart in docs/stats-chart.png for the README."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

import discord
import simcord

from app import Settings, create_bot
from demo.narrator import Narrator
from demo.simulation import advance_to, follow_simcord_clock, simcord_time

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)  # Tuesday 18:00 in Berlin, 12:00 in New York
SECOND = FIRST + timedelta(weeks=2)
THIRD = FIRST + timedelta(weeks=4)
FOURTH = FIRST + timedelta(weeks=6)
FIFTH = FIRST + timedelta(weeks=8)
# Where the demo leaves the group's chart, for the README (written when that folder exists, as in a checkout).
CHART = Path("docs") / "stats-chart.png"
READERS = {"Berlin": ZoneInfo("Europe/Berlin"), "New York": ZoneInfo("America/New_York")}


async def tell(out: TextIO, chart: Path = CHART) -> None:
    with tempfile.TemporaryDirectory() as folder, simcord_time() as traveller:
        bot = create_bot(Settings(database_path=Path(folder) / "demo.sqlite3"))
        async with simcord.run(bot) as env:
            follow_simcord_clock(env, traveller)
            try:
                await _story(env, Narrator(env, out, READERS), chart)
            finally:
                await bot.store.close()


async def _story(env, n: Narrator, chart: Path) -> None:
    guild = env.create_guild("Indie Founders")
    general = guild.create_text_channel("general")
    organizers = guild.create_text_channel("organizers")
    hosts = guild.create_role("Hosts", permissions=discord.Permissions(manage_guild=True))
    olivia = guild.add_member(env.create_user("Olivia"), roles=[hosts])
    ada, ben, cy, dee = (guild.add_member(env.create_user(name)) for name in ("Ada", "Ben", "Cy", "Dee"))
    await env.bot.tree.sync()

    async def do(actor, who: str, what: str, action):
        n.act(who, what)
        result = await action
        if result is not None:
            n.privately(who, result)
        n.catch_up()
        return result

    async def wait_until(moment: datetime) -> None:
        await advance_to(env, moment)
        n.catch_up()

    def latest_turn(channel):
        return [m for m in channel.history() if m.author.bot and "Hot seat:" in str(m.components)][-1]

    def select_ids(message) -> list[str]:
        ids: list[str] = []

        def walk(components) -> None:
            for component in components:
                if isinstance(component, discord.SelectMenu):
                    ids.append(component.custom_id)
                walk(getattr(component, "children", None) or [])

        walk(message.components)
        return ids

    n.chapter("1. An organizer sets up a group of four (Ada and Cy are in Berlin, Ben in New York, Dee in London)")
    await do(
        olivia,
        "Olivia",
        "(a host) runs /group create name:Founders",
        olivia.slash(general, "group create", name="Founders"),
    )
    for member in (ada, ben, cy, dee):
        await do(
            olivia,
            "Olivia",
            f"runs /group add member:@{member.name} group:Founders",
            olivia.slash(general, "group add", member=member, group="Founders"),
        )
    founders, voice = guild.channels["founders"], guild.channels["Founders"]
    await do(
        olivia,
        "Olivia",
        "runs /setup organizer_channel:#organizers",
        olivia.slash(general, "setup", organizer_channel=organizers),
    )
    await do(
        olivia,
        "Olivia",
        "runs /group create name:Writers (and never gets round to scheduling it)",
        olivia.slash(general, "group create", name="Writers"),
    )

    n.chapter("2. The biweekly call: Tuesdays 18:00 in Berlin, which each reader sees in their own time zone")
    await do(
        ada,
        "Ada",
        "runs /schedule set weekday:Tuesday time:18:00 timezone:Europe/Berlin",
        ada.slash(founders, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin"),
    )
    await do(ben, "Ben", "runs /schedule show", ben.slash(founders, "schedule show"))
    await do(
        ada, "Ada", "runs /goals set", ada.slash(founders, "goals set", goals="Ship the landing page; Call 3 customers")
    )

    n.chapter("3. Reminders arrive, and members answer")
    await wait_until(FIRST - timedelta(hours=24))
    reminder = [m for m in founders.history() if m.content.startswith("⏰")][-1]
    await do(ada, "Ada", "clicks “I'll be there”", ada.click(reminder, label="I'll be there"))
    await do(ben, "Ben", "clicks “Running late”", ben.click(reminder, label="Running late"))
    await do(dee, "Dee", "clicks “Can't make it”", dee.click(reminder, label="Can't make it"))
    await wait_until(FIRST - timedelta(minutes=15))

    n.chapter("4. The kickoff opens the meeting; members join the voice channel")
    await wait_until(FIRST)
    kickoff = [m for m in founders.history() if m.content.startswith("📞")][-1]
    for member in (ada, cy):
        n.act(member.name, f"joins 🔊{voice.name}")
        await member.join_voice(voice)
    await wait_until(FIRST + timedelta(minutes=4))
    n.act("Ben", f"joins 🔊{voice.name}, a little late")
    await ben.join_voice(voice)
    await do(cy, "Cy", "clicks “Start hot seat”", cy.click(kickoff, label="Start hot seat"))

    n.chapter("5. The hot seat: last meeting's commitments are checked, new goals are set")
    turn = latest_turn(founders)
    landing, customers = select_ids(turn)
    await do(ada, "Ada", "marks “Ship the landing page” as Done", ada.select(turn, ["done"], custom_id=landing))
    await do(ada, "Ada", "marks “Call 3 customers” as Partly done", ada.select(turn, ["partial"], custom_id=customers))
    form = await do(ada, "Ada", "clicks “Set my goals”", ada.click(turn, label="Set my goals"))
    await do(
        ada,
        "Ada",
        "types two goals and sends the form",
        ada.submit_modal(form, {"goals": "Launch the beta\nHire a designer"}),
    )
    await wait_until(FIRST + timedelta(minutes=15))
    await do(ada, "Ada", "clicks “Next”", ada.click(turn, label="Next"))
    await do(ben, "Ben", "runs /goals set", ben.slash(founders, "goals set", goals="Write 3 blog posts"))
    await do(ben, "Ben", "runs /hotseat next", ben.slash(founders, "hotseat next"))
    await do(cy, "Cy", "runs /goals set", cy.slash(founders, "goals set", goals="Finish the pricing study"))
    await do(cy, "Cy", "clicks “Next”", cy.click(latest_turn(founders), label="Next"))
    await do(
        ada,
        "Ada",
        "clicks “Skip” on Dee's turn (Dee isn't in the call)",
        ada.click(latest_turn(founders), label="Skip"),
    )

    n.chapter("6. The meeting ends with its summary, pinned")
    await wait_until(FIRST + timedelta(minutes=55))
    await do(ben, "Ben", "runs /meeting end", ben.slash(founders, "meeting end"))

    n.chapter("7. Two weeks pass: a nudge halfway, then the reminders")
    await wait_until(FIRST + timedelta(weeks=1))
    nudge = [m for m in founders.history() if m.content.startswith("🧭")][-1]
    panel = await do(ben, "Ben", "clicks “Update my commitments”", ben.click(nudge, label="Update my commitments"))
    (posts,) = select_ids(panel.response.message)
    await do(
        ben,
        "Ben",
        "marks “Write 3 blog posts” as Done, privately",
        ben.select(panel.response.message, ["done"], custom_id=posts),
    )
    await do(
        dee,
        "Dee",
        "runs /goals set (writing in, after missing the call)",
        dee.slash(founders, "goals set", goals="Interview 5 users"),
    )
    await wait_until(SECOND - timedelta(minutes=15))

    n.chapter("8. The next meeting brings the commitments back to be checked")
    await wait_until(SECOND)
    for member in (ada, ben, cy, dee):
        n.act(member.name, f"joins 🔊{voice.name}")
        await member.join_voice(voice)
    await do(ada, "Ada", "runs /hotseat start", ada.slash(founders, "hotseat start"))
    for _ in range(4):
        turn = latest_turn(founders)
        seated = next(
            m for m in (ada, ben, cy, dee) if f"Hot seat: <@{m.id}>" in turn.components[0].children[0].content
        )
        for index, custom_id in enumerate(select_ids(turn)):
            outcome = "missed" if (seated is ada and index == 1) else "done"
            await do(
                seated,
                seated.name,
                f"marks commitment {index + 1} as {outcome}",
                seated.select(turn, [outcome], custom_id=custom_id),
            )
        await do(seated, seated.name, "clicks “Next”", seated.click(turn, label="Next"))
    await wait_until(SECOND + timedelta(minutes=50))
    await do(cy, "Cy", "runs /meeting end", cy.slash(founders, "meeting end"))

    n.chapter("9. How everyone is doing")
    await do(olivia, "Olivia", "runs /stats group:Founders", olivia.slash(general, "stats", group="Founders"))

    n.chapter("10. Dee drifts away: two meetings missed without a word, and one private check-in")
    for member in (ada, ben, cy, dee):
        await member.leave_voice()
    for meeting in (THIRD, FOURTH):
        await wait_until(meeting)
        for member in (ada, ben, cy):
            await member.join_voice(voice)
        await wait_until(meeting + timedelta(minutes=45))
        for member in (ada, ben, cy):
            await member.leave_voice()
        await do(ada, "Ada", "runs /meeting end", ada.slash(founders, "meeting end"))
    check_in = [m for m in dee.user.dm_channel.history() if m.author.bot][-1]
    await do(dee, "Dee", "clicks “Pause me for a while”", dee.user.click(check_in, label="Pause me for a while"))

    n.chapter("11. Dee's break: the next meeting calls only the others, and doesn't count against her")
    await wait_until(FIFTH - timedelta(minutes=15))
    await wait_until(FIFTH)
    for member in (ada, ben, cy):
        await member.join_voice(voice)
    await wait_until(FIFTH + timedelta(minutes=45))
    for member in (ada, ben, cy):
        await member.leave_voice()
    await do(ben, "Ben", "runs /meeting end", ben.slash(founders, "meeting end"))

    n.chapter("12. The organizers' view: every group, those needing attention first")
    await do(olivia, "Olivia", "runs /groups health", olivia.slash(general, "groups health"))

    n.chapter("13. The group's chart")
    result = await do(olivia, "Olivia", "runs /stats group:Founders", olivia.slash(general, "stats", group="Founders"))
    (picture,) = result.response.attachments
    if save_chart(chart, env.backend.cdn.get(picture.url)):
        n.note(f"(the chart is saved as {chart})")

    n.chapter("14. Another group writes in Russian: its channel follows, each member's own replies stay theirs")
    await do(
        olivia,
        "Olivia",
        "runs /group language language:Русский group:Writers",
        olivia.slash(general, "group language", language="ru", group="Writers"),
    )


def save_chart(path: Path, png: bytes) -> bool:
    """Leave the chart where the README shows it, when run from a checkout (where that folder exists)."""
    if not path.parent.is_dir():
        return False
    path.write_bytes(png)
    return True


def main(out: TextIO = sys.stdout, chart: Path = CHART) -> int:
    asyncio.run(tell(out, chart))
    return 0
