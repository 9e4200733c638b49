"""Applications: what a server lets applicants choose, what an applicant's typed choices mean, and the honest
answer to "where am I in the queue?"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mastermind.errors import Refusal
from mastermind.rules.names import name_key
from mastermind.rules.text import clean_text

MAX_FIELDS = 25  # what one autocomplete list can show
MAX_LANGUAGES = 10
MAX_NAME = 40  # a field's or language's name
MAX_ABOUT = 500
EXPERIENCE = ("less_than_1", "1_to_3", "3_to_10", "more_than_10")  # by level, 0 to 3
DEFAULT_LANGUAGES = ("English",)

_LANGUAGE_SEPARATORS = re.compile(r"[;,]")


def parse_fields(text: str) -> tuple[str, ...]:
    """A server's fields as organizers type them: `Software; E-commerce; Design`, 1 to 25, each up to 40 characters,
    the same name (case ignored) once."""
    return _names(text.split(";"), most=MAX_FIELDS, none="intake.no_fields", too_many="intake.too_many_fields")


def parse_languages(text: str) -> tuple[str, ...]:
    """A server's languages, `English, Indonesian` (or separated by `;`): 1 to 10, each up to 40 characters."""
    return _names(
        _LANGUAGE_SEPARATORS.split(text),
        most=MAX_LANGUAGES,
        none="intake.no_languages",
        too_many="intake.too_many_languages",
    )


def _names(parts: Sequence[str], *, most: int, none: str, too_many: str) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for part in parts:
        name = clean_text(part)
        if not name:
            continue
        if len(name) > MAX_NAME:
            raise Refusal("intake.name_too_long", name=name, max=MAX_NAME)
        names.setdefault(name_key(name), name)
    if not names:
        raise Refusal(none)
    if len(names) > most:
        raise Refusal(too_many, count=len(names), max=most)
    return tuple(names.values())


def chosen_field(typed: str, fields: Sequence[str]) -> str:
    """The server's field the applicant picked (case and spacing aside); refused by name when it isn't one."""
    known = {name_key(field): field for field in fields}
    field = known.get(name_key(typed))
    if field is None:
        raise Refusal("application.unknown_field", field=clean_text(typed), fields=", ".join(fields))
    return field


def spoken_languages(typed: str, languages: Sequence[str]) -> tuple[str, ...]:
    """The server's languages the applicant speaks, in the server's order; each unknown one is refused by name."""
    known = {name_key(language): language for language in languages}
    spoken: set[str] = set()
    for part in _LANGUAGE_SEPARATORS.split(typed):
        if not clean_text(part):
            continue
        language = known.get(name_key(part))
        if language is None:
            raise Refusal("application.unknown_language", language=clean_text(part), languages=", ".join(languages))
        spoken.add(language)
    if not spoken:
        raise Refusal("application.no_language", languages=", ".join(languages))
    return tuple(language for language in languages if language in spoken)


def clean_about(typed: str | None) -> str | None:
    """What the applicant wants from a group and can give: plain text (lines kept), up to 500 characters."""
    if typed is None:
        return None
    about = clean_text(typed, keep_lines=True)
    if len(about) > MAX_ABOUT:
        raise Refusal("application.about_too_long", length=len(about), max=MAX_ABOUT)
    return about or None


@dataclass(frozen=True)
class Standing:
    """Where a waiting applicant stands, honestly: their place in the queue of how many, how many others share
    their field, a language and a time they can all keep all year, and the size a group forms at."""

    place: int  # 1 is next
    waiting: int
    peers: int
    forms_at: int

    @property
    def enough(self) -> bool:
        """Enough people share all of it for a group of the server's size to form at the next matching."""
        return self.peers + 1 >= self.forms_at


def standing(queue: Sequence[int], user_id: int, *, peers: int, forms_at: int) -> Standing:
    """The applicant's standing, from the waiting applicants' ids in queue order."""
    return Standing(place=list(queue).index(user_id) + 1, waiting=len(queue), peers=peers, forms_at=forms_at)
