"""Forming groups as an organizer and applicants meet it: the intake is set up, eight people apply from eight zones in
two languages, a preview proposes two groups, one press creates them (private channels, schedules, a welcome), and
when a member leaves, the organizers are offered the next applicant who fits, whom one press adds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo.simulation import advance_to
from tests.bot.world import buttons_of, can_see, make_world, refreshed, refusals, said

CREATE, CANCEL = "Create these groups", "Cancel"
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)  # simcord's epoch, a Thursday
SOFTWARE_FIRST = datetime(2026, 1, 5, 18, tzinfo=UTC)  # Monday 19:00 in Berlin
DESIGN_FIRST = datetime(2026, 1, 7, 1, tzinfo=UTC)  # Tuesday 19:00 in Mexico City


def stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def when(moment: datetime) -> str:
    return f"{stamp(moment)} ({stamp(moment, 'R')})"


# name: (field, experience, languages, zone, hours). Software people meet after work in Europe, Lagos and New York
# (19:00 in Berlin holds for all four all year, across the weeks New York has changed clocks and Berlin not yet);
# Design people in Latin America on Tuesday and Thursday evenings, in Spanish, with one of them in Software.
APPLICANTS = {
    "ada": ("Software", 1, "English", "Europe/Berlin", "mon-fri 18-21"),
    "ben": ("Software", 2, "English", "Europe/London", "mon-fri 17-20"),
    "cy": ("Software", 1, "English", "Africa/Lagos", "mon-fri 18-21"),
    "dee": ("Software", 2, "English", "America/New_York", "mon-fri 12-15"),
    "eva": ("Design", 0, "Spanish", "America/Mexico_City", "tue, thu 19-22"),
    "fer": ("Design", 1, "Spanish, English", "America/Bogota", "tue, thu 20-23"),
    "gil": ("Design", 0, "spanish", "America/Lima", "tue, thu 20-22"),
    "hal": ("Software", 1, "Spanish", "America/Argentina/Buenos_Aires", "tue, thu 22-24"),
    # Applying later: two more for the Software group's seats, then one who fits no group.
    "ivy": ("Software", 1, "English", "Europe/Paris", "mon-fri 18-21"),
    "jo": ("Design", 3, "English", "Europe/Madrid", "mon, wed 18:30-20:30"),
    "kim": ("Software", 1, "English", "Asia/Tokyo", "mon-fri 07-09"),
}


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def organizers(world):
    channel = world.guild.create_text_channel("organizers")
    await world.organizer.slash(world.general, "setup", organizer_channel=channel)
    return channel


@pytest.fixture
async def intake(world):
    return await world.organizer.slash(
        world.general, "intake setup", fields="Software; Design; E-commerce", languages="English, Spanish"
    )


class Applicants(dict):
    """The applicants as members of the server, made the first time they apply."""

    def __init__(self, world) -> None:
        super().__init__()
        self.world = world

    async def apply(self, name: str, **changes):
        if name not in self:
            self[name] = self.world.member(name)
        field, experience, languages, zone, hours = APPLICANTS[name]
        options = {"field": field, "experience": experience, "languages": languages, "timezone": zone, "hours": hours}
        return await self[name].slash(self.world.general, "apply", **{**options, **changes})


@pytest.fixture
async def applicants(world, intake):
    found = Applicants(world)
    for name in ("ada", "ben", "cy", "dee", "eva", "fer", "gil", "hal"):
        await found.apply(name)
    return found


async def create_groups(world):
    preview = await world.organizer.slash(world.general, "match preview")
    return preview, await world.organizer.click(preview.response.message, label=CREATE)


def channel(world, name: str):
    return world.guild.channels[name]


def organizers_notes(env, organizers) -> list:
    bot_id = env.backend.bot_user.id
    return [m for m in organizers.history() if m.author.id == bot_id]


async def test_the_whole_path_from_applications_to_groups_and_a_refilled_seat(
    simcord_env, world, organizers, intake, applicants
):
    ada, ben, cy, dee, eva, fer, gil, hal = (
        applicants[n] for n in ("ada", "ben", "cy", "dee", "eva", "fer", "gil", "hal")
    )
    assert said(intake) == (
        "Saved. 📋 **Applications are open.**\nFields: Software, Design, E-commerce\n"
        "Languages: English and Spanish\nGroups are formed for 4 members. Apply with `/apply`."
    )

    # Where each stands, honestly: Eva's Design group needs one more of her field.
    assert said(await ada.slash(world.general, "application status")).splitlines() == [
        "⏳ **Waiting.** You are 1st of 8 waiting. 3 others share your field, language and hours: enough for a group "
        "of 4 at the next matching.",
        "**Software** · 1 to 3 years · speaks English · free Mon–Fri 18:00–21:00 (Europe/Berlin)",
    ]
    assert said(await eva.slash(world.general, "application status")).splitlines()[0] == (
        "⏳ **Waiting.** You are 5th of 8 waiting. 2 others share your field, language and hours; a group forms at 4."
    )

    preview = await world.organizer.slash(world.general, "match preview")

    assert preview.ephemeral
    assert said(preview).splitlines() == [
        f"🧩 **Proposed: 2 groups** placing 8 of 8 waiting. Asked by {world.organizer.mention}.",
        f"**1. Software 1** · Software · English · Mondays 19:00 (Europe/Berlin), every 2 weeks; first "
        f"{when(SOFTWARE_FIRST)}",
        f"• {ada.mention} (Software, 1 to 3 years): Mondays 19:00 (Europe/Berlin)",
        f"• {ben.mention} (Software, 3 to 10 years): Mondays 18:00 (Europe/London)",
        f"• {cy.mention} (Software, 1 to 3 years): Mondays 19:00 (Africa/Lagos)",
        f"• {dee.mention} (Software, 3 to 10 years): Mondays 13:00 (America/New_York)",
        f"**2. Design 1** · Design · Spanish · Tuesdays 19:00 (America/Mexico_City), every 2 weeks; first "
        f"{when(DESIGN_FIRST)}",
        f"• {eva.mention} (Design, less than 1 year): Tuesdays 19:00 (America/Mexico_City)",
        f"• {fer.mention} (Design, 1 to 3 years): Tuesdays 20:00 (America/Bogota)",
        f"• {gil.mention} (Design, less than 1 year): Tuesdays 20:00 (America/Lima)",
        f"• {hal.mention} (Software, 1 to 3 years): Tuesdays 22:00 (America/Argentina/Buenos_Aires)",
        f"These buttons work until {when(NEW_YEAR + timedelta(days=1))}, while nobody applies, withdraws or changes "
        "their hours.",
    ]
    assert buttons_of(preview.response.message) == [CREATE, CANCEL]

    created = await world.organizer.click(preview.response.message, label=CREATE)

    software, design = channel(world, "software-1"), channel(world, "design-1")
    assert said(created).splitlines() == [
        "🧩 Creating 2 groups:",
        f"✅ **Software 1**: {software.mention}, 4 members, schedule set.",
        f"✅ **Design 1**: {design.mention}, 4 members, schedule set.",
    ]
    for members, text, voice in [
        ((ada, ben, cy, dee), software, channel(world, "Software 1")),
        ((eva, fer, gil, hal), design, channel(world, "Design 1")),
    ]:
        for actor in (ada, ben, cy, dee, eva, fer, gil, hal, world.organizer):
            assert can_see(simcord_env, world.guild, actor, text) == (actor in members)
            assert can_see(simcord_env, world.guild, actor, voice) == (actor in members)
    welcome = software.last_message
    assert welcome.content.splitlines()[0] == (
        f"👋 Welcome, {ada.mention} {ben.mention} {cy.mention} {dee.mention}! You were put together by field "
        "(**Software**), by a language you share (**English**) and by a time you can all keep all year: "
        f"**Mondays 19:00 (Europe/Berlin)**, every 2 weeks. Your first meeting is {when(SOFTWARE_FIRST)}."
    )
    assert set(simcord_env.backend.messages[software.id][welcome.id].ping_user_ids) == {ada.id, ben.id, cy.id, dee.id}
    assert said(await fer.slash(design, "schedule show")).splitlines()[:1] == [
        "📅 **Design 1** meets every 2 weeks on Tuesday at 19:00 (America/Mexico_City)."
    ]
    assert said(await hal.slash(world.general, "application status")).splitlines()[0] == (
        f"✅ **Matched** into **Design 1**, {when(NEW_YEAR)}."
    )

    # A second press creates nothing more.
    again = await world.organizer.click(preview.response.message, label=CREATE)
    assert said(again) == (
        f"These groups were already created by {world.organizer.mention} ({stamp(NEW_YEAR)}). "
        "Run `/match preview` for the applicants still waiting."
    )
    assert len(world.guild.channels) == 6  # general, organizers, and two channels for each group

    # Ivy applies later; Ben leaves Software 1, which drops to 3 of 4: the organizers are offered Ivy.
    applied = await applicants.apply("ivy")
    ivy = applicants["ivy"]
    assert said(applied).splitlines()[-1] == (
        "You are 1st of 1 waiting. 0 others share your field, language and hours; a group forms at 4."
    )
    await ben.slash(software, "group leave")

    (suggestion,) = organizers_notes(simcord_env, organizers)
    assert suggestion.content == (
        f"🪑 **Software 1** has 3 of 4 members. Waiting applicant who fits: {ivy.mention}: Software · 1 to 3 years · "
        "speaks English · Europe/Paris; free at the group's meeting time for all of its next 26 meetings."
    )
    assert buttons_of(suggestion) == ["Add ivy", "Skip"]
    assert not simcord_env.backend.messages[organizers.id][suggestion.id].ping_user_ids

    await world.organizer.click(suggestion, label="Add ivy")

    assert (
        refreshed(organizers, suggestion).content
        == f"✅ {world.organizer.mention} added {ivy.mention} to **Software 1**."
    )
    assert buttons_of(refreshed(organizers, suggestion)) == []
    assert can_see(simcord_env, world.guild, ivy, software)
    assert software.last_message.content == f"🎉 Welcome {ivy.mention} to **Software 1**!"
    assert (
        said(await ivy.slash(world.general, "application status"))
        .splitlines()[0]
        .startswith("✅ **Matched** into **Software 1**")
    )
    assert refusals(simcord_env) == []


async def test_skip_offers_the_next_applicant_who_fits_and_the_buttons_survive_a_restart(
    simcord_env, world, organizers, applicants, restart
):
    await create_groups(world)
    for name in ("kim", "jo", "ivy"):  # Kim's mornings in Tokyo fit no group; Jo is in Design, Ivy in Software
        await applicants.apply(name)
    await applicants["dee"].slash(channel(world, "software-1"), "group leave")
    (suggestion,) = organizers_notes(simcord_env, organizers)
    assert f"Waiting applicant who fits: {applicants['ivy'].mention}: Software" in suggestion.content

    await restart()
    await world.organizer.click(suggestion, label="Skip")

    offered = refreshed(organizers, suggestion)
    assert offered.content.splitlines()[0] == f"⏭️ {world.organizer.mention} skipped {applicants['ivy'].mention}."
    assert f"Waiting applicant who fits: {applicants['jo'].mention}: Design" in offered.content
    assert buttons_of(offered) == ["Add jo", "Skip"]

    await world.organizer.click(offered, label="Skip")

    assert refreshed(organizers, suggestion).content.splitlines()[1] == (
        "No waiting applicant fits **Software 1**: none speaks its language and is free at its meeting time for all "
        "of the next meetings."
    )
    asked = await world.organizer.slash(world.general, "match refill", group="Software 1")
    assert said(asked).startswith("No waiting applicant fits **Software 1**")
    assert not can_see(simcord_env, world.guild, applicants["ivy"], channel(world, "software-1"))
    assert refusals(simcord_env) == []


async def test_the_same_field_comes_first_then_the_queue(simcord_env, world, organizers, applicants):
    await create_groups(world)
    await applicants.apply("jo")  # Design, first in the queue, free at Software 1's time
    await applicants.apply("ivy")  # Software

    asked = await world.organizer.slash(world.general, "match refill", group="Software 1")

    assert f"Waiting applicant who fits: {applicants['ivy'].mention}: Software" in said(asked)
    assert buttons_of(asked.response.message) == ["Add ivy", "Skip"]
    assert organizers_notes(simcord_env, organizers) == []  # asked by command: the answer is private


async def test_re_applying_keeps_the_place_and_leaving_the_server_withdraws(simcord_env, world, applicants):
    ada, ben = applicants["ada"], applicants["ben"]

    again = await applicants.apply("ada", field="e-commerce", about="I run a shop; I can help with @everyone's ads")

    assert said(again).splitlines() == [
        "📝 Your application is in:",
        "**E-commerce** · 1 to 3 years · speaks English · free Mon–Fri 18:00–21:00 (Europe/Berlin)",
        "About you: I run a shop; I can help with @\u200beveryone's ads",
        "You are 1st of 8 waiting. 0 others share your field, language and hours; a group forms at 4.",
    ]
    world.guild.remove_member(ben)
    await simcord_env.settle()
    # Nothing of Ben's belongs to a group: his application and hours go when he leaves.
    assert await simcord_env.bot.store.intake.application(world.guild.id, ben.id) is None
    assert await simcord_env.bot.store.availability.get(world.guild.id, ben.id) is None
    listed = await world.organizer.slash(world.general, "applicants")
    assert said(listed).splitlines()[:3] == [
        "📋 **7 waiting** (all fields), first in the queue first:",
        f"1. {ada.mention} · E-commerce · 1 to 3 years · English · Europe/Berlin · could be grouped with 2 · "
        f"since {stamp(NEW_YEAR, 'D')}",
        f"2. {applicants['cy'].mention} · Software · 1 to 3 years · English · Africa/Lagos · could be grouped with 2 · "
        f"since {stamp(NEW_YEAR, 'D')}",
    ]
    design = await world.organizer.slash(world.general, "applicants", field="design")
    assert said(design).splitlines()[0] == "📋 **3 waiting** (Design), first in the queue first:"


async def test_a_proposal_is_refused_once_the_pool_changed_or_a_day_passed_or_it_was_cancelled(
    simcord_env, world, applicants
):
    first = await world.organizer.slash(world.general, "match preview")
    await applicants.apply("ivy")

    changed = await world.organizer.click(first.response.message, label=CREATE)

    second = await world.organizer.slash(world.general, "match preview")
    await advance_to(simcord_env, NEW_YEAR + timedelta(hours=25))
    expired = await world.organizer.click(second.response.message, label=CREATE)
    third = await world.organizer.slash(world.general, "match preview")
    cancelled = await world.organizer.click(third.response.message, label=CANCEL)
    after_cancel = await world.organizer.click(third.response.message, label=CREATE)

    assert said(changed) == (
        "Applications or free hours changed since this proposal was made. Run `/match preview` again."
    )
    assert said(expired) == (
        "This proposal is more than 24 hours old. Run `/match preview` again for one that fits the applicants now."
    )
    assert said(cancelled) == "Cancelled: nothing was created."
    assert said(after_cancel) == "This proposal was cancelled. Run `/match preview` again."
    assert len(world.guild.channels) == 1  # nothing was created
    assert said(await applicants["ada"].slash(world.general, "application status")).startswith("⏳ **Waiting.**")


async def test_refusals_say_how_to_fix_it_and_change_nothing(simcord_env, world, organizers):
    member = world.member("ada")

    before_setup = await member.slash(
        world.general, "apply", field="Software", experience=1, languages="English", timezone="UTC", hours="mon 18-20"
    )
    not_organizer = [
        await member.slash(world.general, "intake setup", fields="Software"),
        await member.slash(world.general, "match preview"),
        await member.slash(world.general, "applicants"),
    ]
    bad_size = await world.organizer.slash(world.general, "intake setup", fields="Software", group_size=7)
    too_many = await world.organizer.slash(world.general, "intake setup", fields="; ".join(f"F{i}" for i in range(26)))
    assert said(before_setup) == (
        "This server doesn't take applications yet. An organizer sets it up with `/intake setup`."
    )
    assert said(bad_size) == "Groups can have 3 to 6 members; 7 is outside that. Pick a size from 3 to 6."
    assert said(too_many).startswith("That's 26 fields; the most is 25.")
    assert all(said(result).startswith("Only organizers can do that") for result in not_organizer)
    assert said(await member.slash(world.general, "intake show")).startswith("This server doesn't take applications")

    await world.organizer.slash(world.general, "intake setup", fields="Software; Design", languages="English, Spanish")
    options = {"field": "Software", "experience": 1, "languages": "English", "timezone": "UTC", "hours": "mon 18-20"}
    wrong = [
        await member.slash(world.general, "apply", **{**options, "field": "Knitting"}),
        await member.slash(world.general, "apply", **{**options, "languages": "English, Portuguese"}),
        await member.slash(world.general, "apply", **{**options, "hours": "mon-fir 18-20"}),
        await member.slash(world.general, "apply", **{**options, "about": "x" * 501}),
        await member.slash(world.general, "apply", **{**options, "timezone": "EST"}),
    ]
    assert [said(result) for result in wrong] == [
        "`Knitting` isn't one of this server's fields. Pick one from the list as you type: Software, Design.",
        "`Portuguese` isn't one of the languages groups here meet in: English, Spanish. Name yours from those, "
        "separated by commas.",
        "`mon-fir` isn't a day I know. Use `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, a range like `mon-fri`, "
        "or `weekdays`, `weekends`, `daily`.",
        "That's 501 characters about you; the most is 500. Shorten it and try again.",
        "`EST` is an abbreviation, not a time zone: abbreviations are ambiguous and don't follow daylight saving. "
        "Pick a zone from the list as you type, like `America/New_York` or `Europe/London`.",
    ]
    await world.organizer.slash(world.general, "intake setup", fields="Software; Design", open="no")
    closed = await member.slash(world.general, "apply", **options)
    too_few = await world.organizer.slash(world.general, "match preview")
    wrong_size = await world.organizer.slash(world.general, "match preview", size=2)
    assert refusals(simcord_env) == [
        "intake.not_set_up",
        "errors.organizers_only",
        "errors.organizers_only",
        "errors.organizers_only",
        "intake.bad_group_size",
        "intake.too_many_fields",
        "intake.not_set_up",
        "application.unknown_field",
        "application.unknown_language",
        "availability.unknown_day",
        "application.about_too_long",
        "time.zone_abbreviation",
        "application.closed",
        "match.too_few",
        "intake.bad_group_size",
    ]
    assert said(closed) == "Applications are closed in this server for now. Ask an organizer when they open again."
    assert said(too_few) == "Only 0 waiting applicants have given their hours; matching needs at least 3."
    assert said(await member.slash(world.general, "application status")) == (
        "You haven't applied to join a group here. Apply with `/apply`."
    )
    assert said(await member.slash(world.general, "availability show")).startswith("You haven't given your free hours")
    assert said(wrong_size) == "Groups can have 3 to 6 members; 2 is outside that. Pick a size from 3 to 6."
    assert refusals(simcord_env)[-2:] == ["application.none", "availability.none_yours"]


async def test_only_organizers_answer_a_suggestion(simcord_env, world, organizers, applicants):
    await create_groups(world)
    await applicants.apply("ivy")
    await applicants["ada"].slash(channel(world, "software-1"), "group leave")
    (suggestion,) = organizers_notes(simcord_env, organizers)

    pressed = await applicants["eva"].click(suggestion, label="Add ivy")

    assert said(pressed).startswith("Only organizers can do that")
    assert refusals(simcord_env) == []  # answered in the button itself
    assert refreshed(organizers, suggestion).content == suggestion.content
    assert not can_see(simcord_env, world.guild, applicants["ivy"], channel(world, "software-1"))


async def test_a_discord_failure_part_way_keeps_the_groups_made_and_the_rest_waiting(simcord_env, world, applicants):
    """Discord fails the second group's first channel: the first group is whole, nothing of the second is left."""
    seen = []

    def fail_the_third_channel(name: str, payload) -> None:
        if name == "CHANNEL_CREATE":
            seen.append(payload)
            if len(seen) == 2:
                simcord_env.backend.subscribers.remove(fail_the_third_channel)
                simcord_env.backend.faults.append(
                    {
                        "method": "POST",
                        "path": f"/guilds/{world.guild.id}/channels",
                        "status": 500,
                        "code": 0,
                        "message": "Internal Server Error (injected by test)",
                        "times": 1,
                    }
                )

    simcord_env.backend.subscribers.append(fail_the_third_channel)

    _, created = await create_groups(world)

    assert said(created).splitlines() == [
        "🧩 Creating 2 groups:",
        f"✅ **Software 1**: {channel(world, 'software-1').mention}, 4 members, schedule set.",
        "⚠️ Stopped at **Design 1**: Discord returned an error (HTTP 500) part-way through, so I undid what I'd done "
        "and nothing was changed. Please try again. The groups above are complete; the applicants of the rest keep "
        "waiting for the next `/match preview`.",
    ]
    assert set(world.guild.channels) == {"general", "software-1", "Software 1"}
    assert said(await applicants["eva"].slash(world.general, "application status")).startswith("⏳ **Waiting.**")
    again = await world.organizer.slash(world.general, "match preview")
    assert said(again).splitlines()[:2] == [
        f"🧩 **Proposed: 1 group** placing 4 of 4 waiting. Asked by {world.organizer.mention}.",
        f"**1. Design 1** · Design · Spanish · Tuesdays 19:00 (America/Mexico_City), every 2 weeks; first "
        f"{when(DESIGN_FIRST)}",
    ]


async def test_with_the_pledge_on_matched_members_are_invited(simcord_env, world, applicants):
    await world.organizer.slash(world.general, "setup", pledge="on")

    _, created = await create_groups(world)

    software = channel(world, "software-1")
    assert said(created).splitlines()[1] == (
        f"✅ **Software 1**: {software.mention}, 4 invited (its channels open to each once they accept the "
        "confidentiality pledge), schedule set."
    )
    assert not can_see(simcord_env, world.guild, applicants["ada"], software)  # until she accepts the pledge
    info = said(await world.organizer.slash(world.general, "group info", group="Software 1")).splitlines()
    assert info[1] == "Members (0): nobody yet"
    assert info[2].startswith("Invited, waiting for the pledge (4): ")
    assert said(await applicants["ada"].slash(world.general, "application status")).startswith("✅ **Matched**")


async def test_deleting_ones_data_deletes_the_application(simcord_env, world, applicants):
    ada = applicants["ada"]
    asked = await ada.slash(world.general, "privacy delete")
    assert "your application to join a group" in said(asked)

    await ada.click(asked.response.message, label="Delete my data")

    assert said(await ada.slash(world.general, "application status")) == (
        "You haven't applied to join a group here. Apply with `/apply`."
    )
    assert refusals(simcord_env) == ["application.none"]


async def test_the_proposals_buttons_work_after_a_restart(simcord_env, world, applicants, restart):
    preview = await world.organizer.slash(world.general, "match preview")

    await restart()
    created = await world.organizer.click(preview.response.message, label=CREATE)

    assert said(created).splitlines()[0] == "🧩 Creating 2 groups:"
    assert can_see(simcord_env, world.guild, applicants["eva"], channel(world, "design-1"))


async def test_a_group_formed_around_a_language_the_bot_speaks_writes_in_it(simcord_env, world):
    await world.organizer.slash(world.general, "intake setup", fields="Software", languages="Bahasa Indonesia, English")
    found = Applicants(world)
    for name in ("ada", "ben", "cy", "dee"):
        await found.apply(name, languages="Bahasa Indonesia")
    for name in ("ivy", "kim"):
        await found.apply(name)

    await create_groups(world)

    groups = {g.name: g for g in await simcord_env.bot.store.groups.search(world.guild.id, "", member_id=None)}
    assert (groups["Software 1"].shared_language, groups["Software 1"].language) == ("Bahasa Indonesia", "id")
    intro = channel(world, "software-1").history()[0]
    assert intro.content.startswith("👋 Ini ruang privat **Software 1**")
