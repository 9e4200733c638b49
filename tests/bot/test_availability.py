"""/availability as members use it: set their usual free hours in their own zone, see them, clear them."""

from __future__ import annotations

import pytest

from tests.bot.world import make_group, make_world, refusals, said

BERLIN_HOURS = "Mon–Fri 07:00–09:00 and 18:30–21:00, Sat 10:00–13:00 (Europe/Berlin)"


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    return await make_group(simcord_env, world, members=("ada", "ben"))


async def shown_hours(actor, channel) -> str:
    return said(await actor.slash(channel, "availability show"))


async def test_set_restates_the_hours_in_words_privately(simcord_env, space):
    ada = space.members[0]
    before = space.text.last_message

    result = await ada.slash(
        space.text, "availability set", hours="mon-fri 07-09, 18:30-21; sat 10-13", timezone="Europe/Berlin"
    )

    assert result.ephemeral
    assert said(result) == (
        f"🗓️ Saved your usual free hours: {BERLIN_HOURS}. "
        "`/schedule find` uses them to find a time that suits your group."
    )
    assert await shown_hours(ada, space.text) == f"🗓️ {ada.mention}'s usual free hours: {BERLIN_HOURS}."
    assert space.text.last_message == before  # nothing is said in the channel


async def test_the_zone_given_once_is_remembered(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "availability set", hours="daily 07-08", timezone="asia/kolkata")

    result = await ada.slash(space.text, "availability set", hours="weekends 10-13")

    assert "Sat–Sun 10:00–13:00 (Asia/Kolkata)" in said(result)


async def test_without_a_zone_of_their_own_the_servers_zone_is_used(simcord_env, world, space):
    await world.organizer.slash(world.general, "setup", timezone="America/Sao_Paulo")

    result = await space.members[0].slash(space.text, "availability set", hours="tue 08-10")

    assert "Tue 08:00–10:00 (America/Sao_Paulo)" in said(result)


async def test_with_no_zone_at_all_the_member_is_asked_for_one_and_nothing_is_saved(simcord_env, space):
    ada = space.members[0]

    result = await ada.slash(space.text, "availability set", hours="tue 08-10")

    assert said(result).startswith("Which time zone are these hours in? Add the `timezone` option")
    assert refusals(simcord_env) == ["availability.which_zone"]
    assert await simcord_env.bot.store.availability.get(space.text.guild.id, ada.id) is None


async def test_settings_saved_without_a_zone_still_leave_members_to_say_theirs(simcord_env, world, space):
    await world.organizer.slash(world.general, "setup", pledge="on")  # settings saved, no zone among them
    ada = space.members[0]

    result = await ada.slash(space.text, "availability set", hours="tue 08-10")

    assert refusals(simcord_env) == ["availability.which_zone"]
    assert said(result).startswith("Which time zone are these hours in?")
    assert await simcord_env.bot.store.availability.get(space.text.guild.id, ada.id) is None


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"hours": "mon-fir 07-09"}, "availability.unknown_day", "`mon-fir` isn't a day I know."),
        ({"hours": "mon 25-26"}, "availability.bad_hour", "`25-26` isn't a time range I can use"),
        ({"hours": "mon 09-07"}, "availability.backwards", "`09-07` ends before it starts."),
        ({"hours": "mon 07:10-08"}, "availability.bad_minutes", "`07:10-08`: minutes must be :00, :15, :30 or :45"),
        ({"hours": "  "}, "availability.empty", "Tell me your usual free hours"),
        ({"hours": "mon 07-09; " * 50}, "availability.too_long", "That's 549 characters; the most is 500."),
        ({"timezone": "EST"}, "time.zone_abbreviation", "`EST` is an abbreviation, not a time zone"),
        ({"timezone": "Mars/Base"}, "time.zone_unknown", "I don't know the time zone `Mars/Base`."),
    ],
)
async def test_bad_hours_are_refused_quoting_the_part_and_nothing_changes(simcord_env, space, options, key, message):
    ada = space.members[0]
    await ada.slash(
        space.text, "availability set", hours="mon-fri 07-09, 18:30-21; sat 10-13", timezone="Europe/Berlin"
    )

    result = await ada.slash(
        space.text, "availability set", **{"hours": "sun 10-11", "timezone": "Asia/Tokyo", **options}
    )

    assert result.ephemeral
    assert said(result).startswith(message)
    assert refusals(simcord_env) == [key]
    assert await shown_hours(ada, space.text) == f"🗓️ {ada.mention}'s usual free hours: {BERLIN_HOURS}."


async def test_members_of_a_shared_group_and_organizers_see_hours_and_others_do_not(simcord_env, world, space):
    ada, ben = space.members
    outsider = world.member("oscar")
    await ben.slash(space.text, "availability set", hours="weekdays 17-19", timezone="America/New_York")

    by_member = await ada.slash(space.text, "availability show", member=ben)
    by_organizer = await world.organizer.slash(world.general, "availability show", member=ben)
    by_outsider = await outsider.slash(world.general, "availability show", member=ben)

    expected = f"🗓️ {ben.mention}'s usual free hours: Mon–Fri 17:00–19:00 (America/New_York)."
    assert said(by_member) == said(by_organizer) == expected
    assert said(by_outsider) == (
        f"Only members who share a group with {ben.mention}, and organizers, can see their free hours."
    )
    assert refusals(simcord_env) == ["availability.private"]


async def test_showing_hours_nobody_gave_says_so(simcord_env, space):
    ada, ben = space.members

    mine = await ada.slash(space.text, "availability show")
    theirs = await ada.slash(space.text, "availability show", member=ben)

    assert (
        said(mine) == "You haven't given your free hours yet. Set them with `/availability set`, like `mon-fri 18-21`."
    )
    assert said(theirs) == f"{ben.mention} hasn't given their free hours yet."
    assert refusals(simcord_env) == ["availability.none_yours", "availability.none"]


async def test_clear_forgets_the_hours_but_not_the_zone(simcord_env, space):
    ada = space.members[0]
    await ada.slash(space.text, "availability set", hours="daily 07-08", timezone="Asia/Kolkata")

    cleared = await ada.slash(space.text, "availability clear")
    again = await ada.slash(space.text, "availability clear")
    shown = await ada.slash(space.text, "availability show")
    reset = await ada.slash(space.text, "availability set", hours="mon 09-10")

    assert said(cleared).startswith("Your free hours are cleared;")
    assert (
        said(again)
        == said(shown)
        == ("You haven't given your free hours yet. Set them with `/availability set`, like `mon-fri 18-21`.")
    )
    assert refusals(simcord_env) == ["availability.none_yours", "availability.none_yours"]
    assert "Mon 09:00–10:00 (Asia/Kolkata)" in said(reset)


async def test_the_timezone_option_autocompletes(simcord_env, space):
    choices = await space.members[0].autocomplete(space.text, "availability set", "timezone", "kolk")

    assert [choice["value"] for choice in choices] == ["Asia/Kolkata"]
