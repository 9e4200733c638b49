"""IANA time zone names: which ones members may pick, and suggestions while they type."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from mastermind.errors import Refusal

# Canonical "Area/Location" names only: legacy names like EST or US/Eastern are ambiguous or misleading
# (EST never observes daylight saving), and Etc/GMT+5 is five hours *behind* GMT.
_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if name == "UTC" or name.split("/")[0] in _AREAS))


@cache
def _by_key() -> dict[str, str]:
    return {_key(name): name for name in zone_names()}


def _key(text: str) -> str:
    return text.strip().replace(" ", "_").casefold()


def parse_zone(text: str) -> str:
    """The canonical zone name for what a member typed ("europe/berlin" -> "Europe/Berlin")."""
    name = _by_key().get(_key(text))
    if name is None:
        typed = text.strip()
        if typed.isalpha() and len(typed) <= 5:
            raise Refusal("time.zone_abbreviation", zone=typed)
        raise Refusal("time.zone_unknown", zone=typed)
    return name


@cache
def zone(name: str) -> ZoneInfo:
    """The zone, kept for the life of the process: ZoneInfo's own cache keeps only a few zones strongly, so
    planning thousands of groups in many zones would read the same zone files from disk again and again."""
    return ZoneInfo(name)


def place_name(name: str) -> str:
    """How a zone is said in a sentence: its city ("America/New_York" -> "New York")."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def suggest_zones(text: str, limit: int = 25) -> list[str]:
    """Zones containing what was typed; those whose city starts with it come first."""
    key = _key(text)
    if not key:
        return list(zone_names()[:limit])
    matches = [name for name in zone_names() if key in _key(name)]
    matches.sort(key=lambda name: (not _key(name.rsplit("/", 1)[-1]).startswith(key), name))
    return matches[:limit]
