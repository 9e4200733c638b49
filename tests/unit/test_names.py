import pytest

from mastermind.errors import Refusal
from mastermind.rules.names import clean_group_name, text_channel_name, voice_channel_name


def test_names_are_trimmed_and_inner_whitespace_collapsed():
    assert clean_group_name("  Growth \n  Crew ") == "Growth Crew"


@pytest.mark.parametrize(
    ("raw", "key"), [("", "group.name_empty"), ("   ", "group.name_empty"), ("x" * 41, "group.name_too_long")]
)
def test_empty_and_long_names_are_refused(raw, key):
    with pytest.raises(Refusal) as caught:
        clean_group_name(raw)
    assert caught.value.key == key


def test_forty_characters_is_allowed():
    assert clean_group_name("x" * 40) == "x" * 40


@pytest.mark.parametrize(
    ("name", "channel"),
    [
        ("Growth Crew!", "growth-crew"),
        ("SaaS  Founders", "saas-founders"),
        ("Écrivains du Québec", "écrivains-du-québec"),
        ("@everyone party", "everyone-party"),
        ("!!!", "mastermind-group"),
        ("a_b--c", "a_b-c"),
    ],
)
def test_text_channel_names_are_valid_discord_names(name, channel):
    assert text_channel_name(name) == channel


def test_voice_channel_keeps_the_name_as_it_reads():
    assert voice_channel_name("Growth Crew!") == "Growth Crew!"
