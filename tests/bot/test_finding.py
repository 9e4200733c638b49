"""/schedule find as a group meets it: members in four zones give their hours, the bot proposes the times that hold
over the coming year, and one press of "Use this time" sets the schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from tests.bot.world import make_group, make_world, refusals, said, text_of

USE = "Use this time"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def when(moment: datetime) -> str:
    return f"{stamp(moment)} ({stamp(moment, 'R')})"


def use_buttons(message: discord.Message) -> list[str]:
    """The custom ids of the "Use this time" buttons, in the order the times are shown."""
    found: list[str] = []

    def walk(components) -> None:
        for component in components:
            if isinstance(component, discord.Button) and component.label == USE and component.custom_id:
                found.append(component.custom_id)
            walk(getattr(component, "children", None) or [])
            accessory = getattr(component, "accessory", None)
            if accessory is not None:
                walk([accessory])

    walk(message.components)
    return found


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    return await make_group(simcord_env, world, members=("ada", "ben", "cy", "dee"))


async def four_zones(space) -> None:
    """Tuesday and Thursday evenings in Europe, afternoons in the Americas, the small hours in India: 19:00 to
    21:00 UTC suits all four all year, since São Paulo and Kolkata keep their clocks."""
    ada, ben, cy, dee = space.members
    for actor, hours, zone in [
        (ada, "tue, thu 20-23", "Europe/Berlin"),
        (ben, "tue, thu 13-17", "America/New_York"),
        (cy, "tue, thu 15-19", "America/Sao_Paulo"),
        (dee, "wed, fri 00:30-02:30", "Asia/Kolkata"),
    ]:
        await actor.slash(space.text, "availability set", hours=hours, timezone=zone)


async def test_four_members_in_four_zones_get_three_times_and_one_press_sets_the_schedule(simcord_env, space):
    ada, ben, cy, _ = space.members
    await four_zones(space)

    found = await ada.slash(space.text, "schedule find")
    proposal = space.text.last_message

    assert found.ephemeral
    assert said(found) == (
        f"I posted 3 times in the group's channel: {proposal.jump_url}. "
        "Anyone in the group can pick one with **Use this time**."
    )
    # 16:30 in São Paulo is 19:30 UTC all year: inside everyone's hours, with room on both sides; the sooner of
    # the two days comes first (2026-01-01 is a Thursday). Every other time that suits everyone touches the edge
    # of someone's hours on some dates; 15:00 in New York (21:00 in Berlin all year) touches the fewest.
    assert text_of(proposal).splitlines() == [
        f"🗓️ **Finding a time for Founders**: 60-minute calls every 2 weeks, judged over the next 26 meetings. "
        f"Asked by {ada.mention}.",
        "**1. Thursdays 16:30 America/Sao_Paulo**",
        f"Next: {when(utc(2026, 1, 1, 19, 30))}",
        "✅ Everyone can make all 26.",
        "**2. Tuesdays 16:30 America/Sao_Paulo**",
        f"Next: {when(utc(2026, 1, 6, 19, 30))}",
        "✅ Everyone can make all 26.",
        "**3. Thursdays 15:00 America/New_York**",
        f"Next: {when(utc(2026, 1, 1, 20))}",
        "✅ Everyone can make all 26.",
    ]
    assert len(use_buttons(proposal)) == 3
    assert not simcord_env.backend.messages[space.text.id][proposal.id].ping_user_ids

    used = await ben.click(proposal, custom_id=use_buttons(proposal)[1])
    shown = await cy.slash(space.text, "schedule show")

    summary = (
        "📅 **Founders** meets every 2 weeks on Tuesday at 16:30 (America/Sao_Paulo). "
        f"Next meeting: {when(utc(2026, 1, 6, 19, 30))}."
    )
    assert used.ephemeral
    assert said(used) == summary
    assert space.text.last_message.content == f"{ben.mention} chose time 2 from `/schedule find`. {summary}"
    assert said(shown).splitlines() == [
        "📅 **Founders** meets every 2 weeks on Tuesday at 16:30 (America/Sao_Paulo).",
        "Reminders go out 24h and 15m before each meeting.",
        "Next meetings:",
        f"• {when(utc(2026, 1, 6, 19, 30))}",
        f"• {when(utc(2026, 1, 20, 19, 30))}",
        f"• {when(utc(2026, 2, 3, 19, 30))}",
    ]


async def test_a_second_press_is_refused_and_changes_nothing(simcord_env, space):
    ada, ben, cy, dee = space.members
    await four_zones(space)
    await ada.slash(space.text, "schedule find")
    proposal = space.text.last_message
    first, second, _ = use_buttons(proposal)
    await ben.click(proposal, custom_id=second)
    before = said(await ada.slash(space.text, "schedule show"))
    announced = space.text.last_message

    again = [await cy.click(proposal, custom_id=first), await dee.click(proposal, custom_id=second)]

    for result in again:
        assert result.ephemeral
        assert said(result) == (
            f"These times were already used: {ben.mention} chose time 2. "
            "To change the schedule, run `/schedule set`, or `/schedule find` for new times."
        )
    assert refusals(simcord_env) == []  # answered in the button itself
    assert said(await ada.slash(space.text, "schedule show")) == before
    assert space.text.last_message == announced


async def test_the_buttons_work_after_a_restart(simcord_env, space, restart):
    ada, ben, *_ = space.members
    await four_zones(space)
    await ada.slash(space.text, "schedule find")
    proposal = space.text.last_message

    await restart()
    used = await ben.click(proposal, custom_id=use_buttons(proposal)[0])

    assert said(used).startswith("📅 **Founders** meets every 2 weeks on Thursday at 16:30 (America/Sao_Paulo).")


async def test_who_misses_which_meetings_is_said_in_words_when_no_time_suits_everyone(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ben", "cy", "eve"))
    ben, cy, eve = space.members
    await ben.slash(space.text, "availability set", hours="tue 06-07", timezone="America/New_York")
    await cy.slash(space.text, "availability set", hours="tue 08-09", timezone="America/Sao_Paulo")

    await ben.slash(space.text, "schedule find")

    # In January 06:00 in New York is 08:00 in São Paulo; from 8 March New York is an hour nearer, until November.
    assert text_of(space.text.last_message).splitlines()[1:] == [
        f"No hours given: {eve.mention}. They're left out until they run `/availability set`.",
        "⚠️ No time lets everyone make every meeting; these come closest.",
        "**1. Tuesdays 06:00 America/New_York**",
        f"Next: {when(utc(2026, 1, 6, 11))}",
        f"{cy.mention} misses 17 of 26, from {stamp(utc(2026, 3, 17, 10), 'D')}, when New York changes clocks.",
        "**2. Tuesdays 08:00 America/Sao_Paulo**",
        f"Next: {when(utc(2026, 1, 6, 11))}",
        f"{ben.mention} misses 17 of 26, from {stamp(utc(2026, 3, 17, 11), 'D')}, when New York changes clocks.",
        # New York's summer hours alone: its 06:00 in summer is 07:00 in São Paulo.
        "**3. Tuesdays 07:00 America/Sao_Paulo**",
        f"Next: {when(utc(2026, 1, 6, 10))}",
        f"{ben.mention} misses 9 of 26, from {stamp(utc(2026, 1, 6, 10), 'D')}, and from "
        f"{stamp(utc(2026, 11, 10, 10), 'D')}, when New York changes clocks.",
        f"{cy.mention} can't make any of the 26.",
    ]


async def test_fewer_than_two_members_with_hours_is_refused_naming_who_should_give_theirs(simcord_env, space):
    ada, ben, cy, dee = space.members
    await ada.slash(space.text, "availability set", hours="tue 20-23", timezone="Europe/Berlin")
    before = space.text.last_message

    result = await ada.slash(space.text, "schedule find")

    assert said(result) == (
        "I need the free hours of at least two members to find a time. "
        f"{ben.mention}, {cy.mention}, {dee.mention} can give theirs with `/availability set`."
    )
    assert refusals(simcord_env) == ["find.needs_hours"]
    assert space.text.last_message == before


async def test_hours_that_fit_no_call_are_refused(simcord_env, space):
    ada, ben, *_ = space.members
    await ada.slash(space.text, "availability set", hours="mon 10-11", timezone="UTC")
    await ben.slash(space.text, "availability set", hours="tue 10-11", timezone="UTC")
    before = space.text.last_message

    result = await ada.slash(space.text, "schedule find", length=90)

    assert said(result).startswith("No time fits anyone's free hours for a 90-minute call.")
    assert refusals(simcord_env) == ["find.nothing_fits"]
    assert space.text.last_message == before


async def test_a_cadence_the_reminders_cant_keep_is_refused_before_searching(simcord_env, space):
    ada = space.members[0]
    await four_zones(space)
    await ada.slash(space.text, "schedule reminders", before="7d")
    before = space.text.last_message

    result = await ada.slash(space.text, "schedule find", every_weeks=1)

    assert said(result).startswith("**Founders**'s reminders include one `7d` before")
    assert refusals(simcord_env) == ["schedule.reminders_dont_fit"]
    assert space.text.last_message == before


async def test_only_members_and_organizers_may_use_a_time(simcord_env, world, space):
    from simcord.backend.models.channel import Overwrite
    from simcord.enums import OverwriteType

    await four_zones(space)
    await space.members[0].slash(space.text, "schedule find")
    proposal = space.text.last_message
    guest = world.member("gus")  # let into the channel by hand, without being in the group or organizing
    seeing = discord.Permissions(view_channel=True, read_message_history=True)
    simcord_env.backend.set_overwrite(
        space.text.id, Overwrite(target_id=guest.id, type=OverwriteType.MEMBER, allow=seeing.value, deny=0)
    )

    refused = await guest.click(proposal, custom_id=use_buttons(proposal)[0])

    assert said(refused) == "Only members of **Founders** and organizers can do that."
    assert await simcord_env.bot.store.schedules.get(world.guild.id, 1) is None
    used = await space.members[3].click(proposal, custom_id=use_buttons(proposal)[0])
    assert said(used).startswith("📅 **Founders** meets")  # the refusal used nothing up


async def test_an_organizer_may_use_a_time(simcord_env, world, space):
    await four_zones(space)
    await space.members[0].slash(space.text, "schedule find")
    proposal = space.text.last_message
    organizers = world.guild.create_role("Hosts", permissions=discord.Permissions(administrator=True))
    host = world.guild.add_member(simcord_env.create_user("hana"), roles=[organizers])

    used = await host.click(proposal, custom_id=use_buttons(proposal)[2])

    assert said(used).startswith("📅 **Founders** meets every 2 weeks on Thursday at 15:00 (America/New_York).")


async def test_an_archived_groups_times_can_no_longer_be_used(simcord_env, world, space):
    await four_zones(space)
    await space.members[0].slash(space.text, "schedule find")
    proposal = space.text.last_message
    await world.organizer.slash(world.general, "group archive", group="Founders")

    refused = await space.members[1].click(proposal, custom_id=use_buttons(proposal)[0])

    assert said(refused).startswith("**Founders** is archived")
    assert await simcord_env.bot.store.schedules.get(world.guild.id, 1) is None


async def test_a_group_of_one_is_told_it_needs_two_members(simcord_env, world):
    solo = await make_group(simcord_env, world, name="Solo", members=("sol",))
    await solo.members[0].slash(solo.text, "availability set", hours="daily 08-20", timezone="UTC")

    result = await solo.members[0].slash(solo.text, "schedule find")

    assert said(result) == "**Solo** needs at least two members who gave their free hours to find a time."
    assert refusals(simcord_env) == ["find.needs_members"]
