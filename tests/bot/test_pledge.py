"""The confidentiality pledge as members meet it: invited, the channels hidden until they accept, by direct message
or with /group accept; versions, expiry, withdrawal, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.simulation import advance_to
from tests.bot.world import buttons_of, can_connect, can_see, make_world, refusals, said, text_of

DAY = 24 * 3600


@pytest.fixture
async def world(simcord_env):
    world = await make_world(simcord_env)
    await world.organizer.slash(world.general, "setup", pledge="on")
    await world.organizer.slash(world.general, "group create", name="Founders")
    return world


def last_dm(member):
    return member.user.dm_channel.history()[-1]


async def test_an_invited_member_sees_nothing_until_they_accept_the_pledge_by_direct_message(
    simcord_env, world, restart
):
    ada = world.member("ada")
    text, voice = world.guild.channels["founders"], world.guild.channels["Founders"]

    added = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    assert said(added).startswith(
        f"Invited {ada.mention} to **Founders**: I've sent them the confidentiality pledge by direct message"
    )
    assert not can_see(simcord_env, world.guild, ada, text)
    assert not can_connect(simcord_env, world.guild, ada, voice)
    pledge = last_dm(ada)
    assert "you're invited to the mastermind group **Founders**" in pledge.content
    assert "What is said in this group stays in this group." in text_of(pledge)
    assert buttons_of(pledge) == ["I agree, let me in"]
    info = said(await world.organizer.slash(world.general, "group info", group="Founders"))
    assert "Members (0): nobody yet" in info
    assert f"Invited, waiting for the pledge (1): {ada.mention} (until" in info

    await restart()  # the button carries what it needs
    accepted = await ada.user.click(pledge, label="I agree, let me in")

    assert (
        said(accepted)
        == f"✅ You're in **Founders**: {text.mention} and its voice channel are in your channel list now."
    )
    assert can_see(simcord_env, world.guild, ada, text)
    assert can_connect(simcord_env, world.guild, ada, voice)
    assert text.last_message.content == f"🎉 Welcome {ada.mention} to **Founders**!"
    info = said(await world.organizer.slash(world.general, "group info", group="Founders"))
    assert f"Members (1): {ada.mention}" in info
    assert "Invited" not in info
    (acceptance,) = await simcord_env.bot.store.invitations.acceptances_of_member(world.guild.id, ada.id)
    assert (acceptance.version, acceptance.accepted_at) == (1, simcord_env.now().replace(microsecond=0))


def close_dms(env, member) -> None:
    """The member doesn't accept direct messages from the bot: Discord refuses every one (403, code 50007)."""
    env.inject_error(
        "POST",
        f"/channels/{member.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )


async def test_with_closed_direct_messages_the_organizer_is_told_and_group_accept_works(simcord_env, world):
    ada = world.member("ada")
    close_dms(simcord_env, ada)
    text = world.guild.channels["founders"]

    added = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    assert said(added).startswith(
        f"Invited {ada.mention} to **Founders**, but I couldn't send them the confidentiality pledge: they don't "
        "accept direct messages from me. Ask them to run `/group accept` in this server;"
    )
    assert not can_see(simcord_env, world.guild, ada, text)

    shown = await ada.slash(world.general, "group accept")

    assert shown.ephemeral
    assert "What is said in this group stays in this group." in text_of(shown.response.message)
    assert buttons_of(shown.response.message) == ["I agree, let me in"]
    assert not can_see(simcord_env, world.guild, ada, text)

    accepted = await ada.click(shown.response.message, label="I agree, let me in")

    assert said(accepted).startswith("✅ You're in **Founders**")
    assert can_see(simcord_env, world.guild, ada, text)


async def test_a_member_who_accepted_joins_other_groups_at_once_until_the_text_changes(simcord_env, world):
    ada, ben = world.member("ada"), world.member("ben")
    for name in ("Writers", "Makers"):
        await world.organizer.slash(world.general, "group create", name=name)
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    await world.organizer.slash(world.general, "group add", member=ben, group="Founders")
    await ada.user.click(last_dm(ada), label="I agree, let me in")
    bens_first = last_dm(ben)

    at_once = await world.organizer.slash(world.general, "group add", member=ada, group="Writers")
    changed = await world.organizer.slash(world.general, "setup", pledge_text="Nothing said here leaves the room.")
    again = await world.organizer.slash(world.general, "group add", member=ada, group="Makers")

    assert said(at_once) == f"Added {ada.mention} to **Writers**."
    assert can_see(simcord_env, world.guild, ada, world.guild.channels["writers"])
    assert "Confidentiality pledge: on, version 2 (your server's own text)" in said(changed)
    assert said(again).startswith(f"Invited {ada.mention} to **Makers**")
    assert not can_see(simcord_env, world.guild, ada, world.guild.channels["makers"])
    assert "Nothing said here leaves the room." in text_of(last_dm(ada))
    assert "Version 2" in text_of(last_dm(ada))

    # Ben's button shows the old text: he is asked to read the new one first.
    stale = await ben.user.click(bens_first, label="I agree, let me in")

    assert said(stale) == (
        "The server's confidentiality pledge has changed since this invitation to **Founders** was sent. "
        "Run `/group accept` in the server to read the current one."
    )
    assert not can_see(simcord_env, world.guild, ben, world.guild.channels["founders"])

    current = await ben.slash(world.general, "group accept", group="Founders")
    await ben.click(current.response.message, label="I agree, let me in")
    await ada.user.click(last_dm(ada), label="I agree, let me in")

    assert can_see(simcord_env, world.guild, ben, world.guild.channels["founders"])
    assert can_see(simcord_env, world.guild, ada, world.guild.channels["makers"])
    store = simcord_env.bot.store
    assert [a.version for a in await store.invitations.acceptances_of_member(world.guild.id, ben.id)] == [2]
    assert [a.version for a in await store.invitations.acceptances_of_member(world.guild.id, ada.id)] == [1, 2]


async def test_an_invitation_expires_after_fourteen_days(simcord_env, world):
    ada = world.member("ada")
    text = world.guild.channels["founders"]
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    pledge = last_dm(ada)
    await advance_to(simcord_env, simcord_env.now() + timedelta(days=14))

    late = await ada.user.click(pledge, label="I agree, let me in")
    by_command = await ada.slash(world.general, "group accept", group="Founders")
    without_name = await ada.slash(world.general, "group accept")

    assert said(late).startswith("Your invitation to **Founders** expired on <t:")
    assert said(late).endswith("Ask an organizer to invite you again.")
    assert said(by_command) == said(late)
    assert said(without_name) == "You have no open invitation to a group. An organizer adds you with `/group add`."
    assert refusals(simcord_env) == [
        "pledge.expired",
        "pledge.no_invitations",
    ]  # a button's refusal is answered, not raised
    assert not can_see(simcord_env, world.guild, ada, text)
    assert "Invited" not in said(await world.organizer.slash(world.general, "group info", group="Founders"))

    # Inviting again makes a new invitation, and that one can be accepted.
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    await ada.user.click(last_dm(ada), label="I agree, let me in")

    assert can_see(simcord_env, world.guild, ada, text)


async def test_a_withdrawn_invitation_or_one_already_used_is_refused(simcord_env, world):
    ada, ben = world.member("ada"), world.member("ben")
    text = world.guild.channels["founders"]
    for member in (ada, ben):
        await world.organizer.slash(world.general, "group add", member=member, group="Founders")

    withdrawn = await world.organizer.slash(world.general, "group remove", member=ada, group="Founders")
    pressed = await ada.user.click(last_dm(ada), label="I agree, let me in")
    await ben.user.click(last_dm(ben), label="I agree, let me in")
    twice = await ben.user.click(last_dm(ben), label="I agree, let me in")
    by_command = await ben.slash(world.general, "group accept", group="Founders")

    assert said(withdrawn) == f"Withdrew {ada.mention}'s invitation to **Founders**."
    assert said(pressed) == (
        "Your invitation to **Founders** was withdrawn, so it can't be accepted. "
        "Ask an organizer if you think that's a mistake."
    )
    assert said(twice) == said(by_command) == "You're already in **Founders**."
    assert refusals(simcord_env) == ["pledge.already_member"]
    assert not can_see(simcord_env, world.guild, ada, text)
    members = await simcord_env.bot.store.groups.members(world.guild.id, 1)
    assert [m.user_id for m in members] == [ben.id]
    welcomes = [m for m in text.history() if m.content.startswith("🎉")]
    assert len(welcomes) == 1


async def test_inviting_twice_is_refused_and_says_until_when(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    again = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    assert said(again).startswith(f"{ada.mention} is already invited to **Founders**, until <t:")
    assert refusals(simcord_env) == ["group.already_invited"]
    assert len(ada.user.dm_channel.history()) == 1


async def test_with_the_pledge_off_again_members_join_at_once(simcord_env, world):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "setup", pledge="off")

    added = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")

    assert said(added) == f"Added {ada.mention} to **Founders**."
    assert can_see(simcord_env, world.guild, ada, world.guild.channels["founders"])
    assert ada.user.dm_channel.history() == []


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        (
            {"pledge_text": "x" * 1501},
            "setup.pledge_too_long",
            "That pledge is 1501 characters long; the limit is 1500.",
        ),
        ({"pledge_text": " \u200b "}, "setup.pledge_empty", "The pledge needs some text: up to 1500 characters."),
        ({"retention_days": 29}, "setup.retention_out_of_range", "29 days is out of range: data can be kept from 30"),
        ({"retention_days": 3651}, "setup.retention_out_of_range", "3651 days is out of range"),
    ],
)
async def test_a_pledge_or_retention_out_of_bounds_is_refused_and_nothing_changes(
    simcord_env, world, options, key, message
):
    before = await simcord_env.bot.store.settings.get(world.guild.id)

    result = await world.organizer.slash(world.general, "setup", pledge="off", **options)

    assert said(result).startswith(message)
    assert refusals(simcord_env) == [key]
    assert await simcord_env.bot.store.settings.get(world.guild.id) == before


async def test_a_member_invited_before_the_pledge_was_turned_off_joins_at_once_and_is_no_longer_listed(
    simcord_env, world
):
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    await world.organizer.slash(world.general, "setup", pledge="off")

    added = await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    pressed = await ada.user.click(last_dm(ada), label="I agree, let me in")

    assert said(added) == f"Added {ada.mention} to **Founders**."
    assert said(pressed) == "You're already in **Founders**."
    info = said(await world.organizer.slash(world.general, "group info", group="Founders"))
    assert f"Members (1): {ada.mention}" in info
    assert "Invited" not in info
