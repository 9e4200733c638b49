import pytest

from mastermind.errors import Refusal
from mastermind.rules.timezones import parse_zone, suggest_zones, zone_names


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_zone_names_are_accepted_in_any_case(typed, zone):
    assert parse_zone(typed) == zone


@pytest.mark.parametrize("typed", ["EST", "BST", "PST", "CET"])
def test_abbreviations_are_refused_with_a_hint(typed):
    with pytest.raises(Refusal) as caught:
        parse_zone(typed)
    assert caught.value.key == "time.zone_abbreviation"


@pytest.mark.parametrize("typed", ["Mars/Base", "US/Eastern", "Etc/GMT+5", "Berlin"])
def test_unknown_and_legacy_names_are_refused(typed):
    with pytest.raises(Refusal) as caught:
        parse_zone(typed)
    assert caught.value.key in {"time.zone_unknown", "time.zone_abbreviation"}


def test_suggestions_put_city_matches_first_and_stay_within_discords_limit():
    assert suggest_zones("berl") == ["Europe/Berlin"]
    assert suggest_zones("new")[0] == "America/New_York"
    assert len(suggest_zones("a")) == 25
    assert all(name in zone_names() for name in suggest_zones("a"))
