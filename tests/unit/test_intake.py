"""What organizers and applicants type for the intake, read with plain values; and the honest place in the queue."""

from __future__ import annotations

import pytest

from mastermind.errors import Refusal
from mastermind.rules.intake import (
    MAX_ABOUT,
    Standing,
    chosen_field,
    clean_about,
    parse_fields,
    parse_languages,
    spoken_languages,
    standing,
)


def refused(call, *args) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call(*args)
    return caught.value


def test_fields_are_separated_by_semicolons_cleaned_and_named_once():
    assert parse_fields("Software; E-commerce;  Design ;;software") == ("Software", "E-commerce", "Design")
    assert parse_fields("Food, Drink; Retail") == ("Food, Drink", "Retail")
    assert refused(parse_fields, " ; \u200b ").key == "intake.no_fields"
    assert refused(parse_fields, ";".join(f"F{i}" for i in range(26))).values == {"count": 26, "max": 25}
    assert refused(parse_fields, "x" * 41).key == "intake.name_too_long"


def test_languages_are_separated_by_commas_or_semicolons():
    assert parse_languages("English, Indonesian; Русский") == ("English", "Indonesian", "Русский")
    assert refused(parse_languages, ",").key == "intake.no_languages"
    assert refused(parse_languages, ",".join(f"L{i}" for i in range(11))).key == "intake.too_many_languages"


def test_an_applicants_field_and_languages_are_the_servers_own_names():
    fields, languages = ("Software", "E-commerce"), ("English", "Indonesian", "Spanish")

    assert chosen_field(" e-COMMERCE ", fields) == "E-commerce"
    assert spoken_languages("spanish, ENGLISH, english", languages) == ("English", "Spanish")
    unknown = refused(spoken_languages, "English, Portuguese", languages)
    assert (unknown.key, unknown.values["language"]) == ("application.unknown_language", "Portuguese")
    assert refused(spoken_languages, " , ", languages).key == "application.no_language"
    assert refused(chosen_field, "Knitting", fields).values == {"field": "Knitting", "fields": "Software, E-commerce"}


def test_about_keeps_its_lines_and_is_at_most_500_characters():
    assert clean_about("I build\n\nshops\u200b  online") == "I build\n\nshops online"
    assert clean_about(" \u200b ") is None
    assert clean_about(None) is None
    assert clean_about("x" * MAX_ABOUT) == "x" * MAX_ABOUT
    assert refused(clean_about, "x" * (MAX_ABOUT + 1)).values == {"length": 501, "max": 500}


def test_the_place_in_the_queue_and_whether_enough_share_it_all():
    assert standing([5, 3, 9, 1], 9, peers=2, forms_at=4) == Standing(place=3, waiting=4, peers=2, forms_at=4)
    assert not Standing(place=3, waiting=7, peers=2, forms_at=4).enough
    assert Standing(place=3, waiting=7, peers=3, forms_at=4).enough
