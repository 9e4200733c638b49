"""Languages as members meet them: a group's channel in the group's language, private replies in the member's own
Discord language when the bot speaks it (else the group's, else the server's), and command descriptions in every
language Discord shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import simcord.interactions

from demo.simulation import advance_to
from prompts import languages
from storage.models import GuildSettings
from tests.bot.world import (
    bot_messages_containing,
    buttons_of,
    make_group,
    make_world,
    refusals,
    said,
    sent_by_bot,
    text_of,
)

FIRST = datetime(2026, 1, 6, 17, tzinfo=UTC)  # Tuesdays 18:00 in Berlin, every two weeks


@pytest.fixture
def client_language(monkeypatch):
    """Members' Discord clients are set to this language (simcord's own interactions say en-US)."""

    def use(locale: str) -> None:
        build = simcord.interactions.base_payload

        def localized(*args, **kwargs):
            record, payload = build(*args, **kwargs)
            payload["locale"] = locale
            return record, payload

        monkeypatch.setattr(simcord.interactions, "base_payload", localized)

    return use


@pytest.fixture
async def world(simcord_env):
    return await make_world(simcord_env)


@pytest.fixture
async def space(simcord_env, world):
    return await make_group(simcord_env, world, members=("ada", "ben"))


def last_line(channel) -> str:
    return channel.history()[-1].content


# ------------------------------------------------------------------ a group's channel


async def test_a_group_in_indonesian_hears_its_reminder_kickoff_turn_and_summary_in_indonesian(
    simcord_env, world, space
):
    env = simcord_env
    ada, ben = space.members

    changed = await ada.slash(space.text, "group language", language="id")

    # Ada's Discord is in English, so her own reply is; the group's channel switches to Indonesian.
    assert said(changed).startswith("**Founders** now reads its reminders, kickoffs, turns and summaries in Bahasa")
    assert last_line(space.text) == (
        f"🌐 {ada.mention} mengganti bahasa grup ini menjadi Bahasa Indonesia: mulai sekarang aku menulis di sini "
        "dalam bahasa itu."
    )
    assert (await env.bot.store.groups.by_key(world.guild.id, "founders")).language == "id"

    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    (event,) = env.bot.get_guild(world.guild.id).scheduled_events
    assert event.name == "Pertemuan Founders"
    await ada.slash(space.text, "goals set", goals="Kirim proposal")

    await advance_to(env, FIRST - timedelta(days=1))
    (reminder,) = sent_by_bot(env, space.text, "⏰")
    assert f"**Founders** bertemu pada <t:{int(FIRST.timestamp())}:F>" in text_of(reminder)
    assert buttons_of(reminder) == ["Aku hadir", "Agak terlambat", "Tidak bisa hadir"]

    await advance_to(env, FIRST)
    (kickoff,) = sent_by_bot(env, space.text, "📞")
    assert "Sudah waktunya: **Founders** dimulai sekarang." in text_of(kickoff)
    assert "**Hot seat**, masing-masing 10 menit." in text_of(kickoff)
    assert buttons_of(kickoff) == ["Mulai hot seat"]

    await ada.join_voice(space.voice)
    await ben.join_voice(space.voice)
    await ben.click(kickoff, label="Mulai hot seat")
    (turn, *_) = bot_messages_containing(env, space.text, "Hot seat:")
    assert text_of(turn).splitlines()[1].startswith("Giliran 1 dari 2 · sampai ")
    assert "**Dari pertemuan lalu**: bagaimana hasilnya?\n1. ⬜ Kirim proposal" in text_of(turn)
    assert buttons_of(turn) == ["Atur targetku", "Bawa yang belum selesai", "Lanjut", "Lewati"]

    await advance_to(env, FIRST + timedelta(minutes=45))
    await ben.slash(space.text, "meeting end")
    (summary,) = bot_messages_containing(env, space.text, "Ringkasan pertemuan")
    assert f"**Hadir:** {ada.mention} {ben.mention}" in text_of(summary)
    assert "**Pertemuan berikutnya:**" in text_of(summary)


async def test_a_group_follows_the_servers_language_until_it_picks_its_own(simcord_env, world):
    await world.organizer.slash(world.general, "setup", language="id")

    space = await make_group(simcord_env, world, name="Makers", members=("ada",))

    assert bot_messages_containing(simcord_env, space.text, "Ini ruang privat **Makers**")
    await space.members[0].slash(space.text, "group language", language="en")
    assert last_line(space.text).startswith("🌐")
    assert "set this group's language to English" in last_line(space.text)
    saved = await simcord_env.bot.store.settings.get(world.guild.id)
    assert saved.language == "id"


async def test_setting_the_same_language_again_changes_nothing(simcord_env, world, space):
    before = len(space.text.history())

    again = await space.members[0].slash(space.text, "group language", language="en")

    assert said(again) == "**Founders** already uses English; nothing changed."
    assert len(space.text.history()) == before
    assert (await simcord_env.bot.store.groups.by_key(world.guild.id, "founders")).language is None


async def test_group_info_names_the_groups_language(simcord_env, world, space):
    await space.members[0].slash(space.text, "group language", language="id")

    info = await space.members[0].slash(space.text, "group info")

    assert "Language: Bahasa Indonesia" in said(info).splitlines()


async def test_only_the_groups_members_and_organizers_set_its_language(simcord_env, world, space):
    outsider = world.member("zed")

    refused = await outsider.slash(world.general, "group language", language="id", group="Founders")

    assert refusals(simcord_env) == ["group.members_only"]
    assert said(refused) == "Only members of **Founders** and organizers can do that."
    assert (await simcord_env.bot.store.groups.by_key(world.guild.id, "founders")).language is None


# ------------------------------------------------------------------ private replies


async def test_a_private_reply_follows_the_members_discord_language(simcord_env, world, space, client_language):
    client_language("id")

    listed = await space.members[0].slash(space.text, "group list")

    assert said(listed).splitlines()[0] == "**Grupmu (1)**"


async def test_a_client_language_the_bot_does_not_speak_falls_back_to_the_groups(
    simcord_env, world, space, client_language
):
    await space.members[0].slash(space.text, "group language", language="id")
    client_language("pt-BR")

    refused = await space.members[0].slash(space.text, "schedule skip")

    assert refusals(simcord_env) == ["schedule.none"]
    assert said(refused) == "**Founders** belum punya jadwal pertemuan. Atur dengan `/schedule set`."


async def test_and_without_a_group_to_the_servers(simcord_env, world, client_language):
    await world.organizer.slash(world.general, "setup", language="id")
    client_language("pt-BR")
    loner = world.member("lou")

    listed = await loner.slash(world.general, "group list")

    assert said(listed) == "Kamu belum masuk grup mana pun. Minta pengelola untuk menambahkanmu."


async def test_the_servers_language_is_read_again_after_setup_changes_it(simcord_env, world, client_language):
    client_language("pt-BR")
    loner = world.member("lou")
    english = await loner.slash(world.general, "group list")

    await world.organizer.slash(world.general, "setup", language="id")
    indonesian = await loner.slash(world.general, "group list")

    assert said(english) == "You're not in any group yet. Ask an organizer to add you."
    assert said(indonesian).startswith("Kamu belum masuk grup mana pun.")


# ------------------------------------------------------------------ /setup


async def test_setup_shows_and_saves_the_servers_language(simcord_env, world):
    result = await world.organizer.slash(world.general, "setup", language="id")

    assert "Language of group channels, reminders and the organizers' channel: Bahasa Indonesia" in said(result)
    assert await simcord_env.bot.store.settings.get(world.guild.id) == GuildSettings(
        guild_id=world.guild.id, language="id"
    )


# ------------------------------------------------------------------ command descriptions


async def test_the_synced_commands_carry_a_description_in_every_language_for_every_command_and_option(
    simcord_env, world
):
    synced = [c for scope in simcord_env.backend.commands.values() for c in scope.values()]
    assert synced
    other = [language for language in languages() if language != "en"]
    assert other  # at least one language besides English ships

    def described(node, path):
        localized = node.get("description_localizations") or {}
        missing = [language for language in other if not localized.get(language)]
        problems = [f"{path}: no {', '.join(missing)}"] if missing else []
        problems += [f"{path}: the same as English in {k}" for k, v in localized.items() if v == node["description"]]
        for option in node.get("options", []):
            problems += described(option, f"{path} {option['name']}")
            for choice in option.get("choices", []) or []:
                names = choice.get("name_localizations") or {}
                if option["name"] != "language":  # languages are named in themselves, the same everywhere
                    problems += [
                        f"{path} {option['name']}={choice['value']}: no {lang}" for lang in other if lang not in names
                    ]
        return problems

    problems = [problem for command in synced for problem in described(command, "/" + command["name"])]
    assert problems == []
    setup = next(c for c in synced if c["name"] == "setup")
    assert setup["description_localizations"]["id"].startswith("Atur peran pengelola")


# ------------------------------------------------------------------ Russian: plural forms and errors


async def test_a_russian_group_hears_each_count_in_its_own_plural_form(simcord_env, world, space):
    ada = space.members[0]
    await ada.slash(space.text, "group language", language="ru")

    notes = []
    for meetings in (1, 2, 5):
        await ada.slash(space.text, "group pause", meetings=meetings)
        notes.append(last_line(space.text))
        await ada.slash(space.text, "group resume")

    assert notes == [
        f"⏸️ {ada.mention} берёт паузу на 1 встречу.",
        f"⏸️ {ada.mention} берёт паузу на 2 встречи.",
        f"⏸️ {ada.mention} берёт паузу на 5 встреч.",
    ]
    await ada.slash(space.text, "meeting settings", turn_minutes=21)
    await ada.slash(space.text, "meeting start")
    (kickoff,) = sent_by_bot(simcord_env, space.text, "📞")
    assert "**Горячий стул** — по 21 минуте на каждого." in text_of(kickoff)


async def test_a_russian_reply_counts_minutes_the_russian_way(simcord_env, world, space, client_language):
    client_language("ru")
    ada = space.members[0]

    replies = [
        said(await ada.slash(space.text, "meeting settings", attendance_minutes=minutes)) for minutes in (1, 2, 5, 21)
    ]

    assert [reply.split("после ")[1].split(" в звонке")[0] for reply in replies] == [
        "1 минуты",
        "2 минут",
        "5 минут",
        "21 минуты",
    ]


async def test_an_error_in_a_russian_group_reads_in_russian(simcord_env, world, space, client_language):
    await space.members[0].slash(space.text, "group language", language="ru")
    client_language("pt-BR")  # a Discord language the bot doesn't speak: the group's is next

    refused = await space.members[0].slash(space.text, "schedule skip")

    assert refusals(simcord_env) == ["schedule.none"]
    assert said(refused) == "У группы **Founders** нет назначенных встреч. Задайте расписание командой `/schedule set`."


async def test_a_russian_client_reads_russian_even_in_an_english_group(simcord_env, world, space, client_language):
    client_language("ru")

    refused = await world.member("zed").slash(world.general, "group language", language="id", group="Founders")

    assert refusals(simcord_env) == ["group.members_only"]
    assert said(refused) == "Это могут делать только участники группы **Founders** и организаторы."


# ------------------------------------------------------------------ direct messages about a group


async def test_the_pledge_by_direct_message_and_its_answer_follow_the_groups_language(
    simcord_env, world, client_language
):
    await world.organizer.slash(world.general, "setup", pledge="on")
    space = await make_group(simcord_env, world, members=())
    await world.organizer.slash(world.general, "group language", language="id", group="Founders")
    ada = world.member("ada")
    await world.organizer.slash(world.general, "group add", member=ada, group="Founders")
    pledge = ada.user.dm_channel.history()[-1]
    assert "kamu diundang ke grup mastermind **Founders**" in pledge.content
    assert buttons_of(pledge) == ["Aku setuju, izinkan aku masuk"]

    client_language("pt-BR")  # in a direct message there is no channel to go by: the pledge's group decides
    accepted = await ada.user.click(pledge, label="Aku setuju, izinkan aku masuk")

    assert said(accepted).startswith("✅ Kamu sudah masuk **Founders**:")
    assert last_line(space.text).startswith("🎉")


async def test_a_check_in_answer_is_added_in_the_groups_language(simcord_env, world):
    space = await make_group(simcord_env, world, members=("ada", "ben"))
    ada, ben = space.members
    await ada.slash(space.text, "group language", language="id")
    await ada.slash(space.text, "schedule set", weekday="tuesday", time="18:00", timezone="Europe/Berlin")
    for meeting in (FIRST, FIRST + timedelta(weeks=2)):  # Ben misses two in a row without a word
        await advance_to(simcord_env, meeting)
        await ada.join_voice(space.voice)
        await advance_to(simcord_env, meeting + timedelta(minutes=20))
        await ada.leave_voice()
        await ada.slash(space.text, "meeting end")
    (check_in,) = [m for m in ben.user.dm_channel.history() if m.author.bot]
    assert check_in.content.startswith(f"👋 Hai {ben.mention}! Kamu sudah melewatkan 2 pertemuan terakhir")

    await ben.user.click(check_in, label="Aku ikut pertemuan berikutnya")  # Ben's Discord is in English

    answered = ben.user.dm_channel.history()[-1]
    assert answered.content.endswith("👍 Mantap, sampai jumpa di pertemuan **Founders** berikutnya!")
