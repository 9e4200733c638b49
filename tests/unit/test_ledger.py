from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mastermind.errors import Refusal
from mastermind.rules.ledger import HALVES, is_unfinished, parse_goals, with_carried
from storage.models import Commitment, CommitmentStatus

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def commitment(commitment_id: int, text: str, status: CommitmentStatus = "missed") -> Commitment:
    return Commitment(
        id=commitment_id,
        guild_id=100,
        group_id=1,
        user_id=7,
        position=commitment_id,
        text=text,
        created_at=CREATED,
        due_meeting_id=3,
        status=status,
    )


def refusal_of(text: str) -> Refusal:
    with pytest.raises(Refusal) as caught:
        parse_goals(text)
    return caught.value


# ---------------------------------------------------------------------- typing goals


def test_goals_are_split_on_new_lines_and_semicolons():
    assert parse_goals("Ship the draft\nCall the bank; Run 5k") == ["Ship the draft", "Call the bank", "Run 5k"]


@pytest.mark.parametrize(
    "typed",
    [
        "- Ship the draft\n- Call the bank",
        "* Ship the draft\n* Call the bank",
        "• Ship the draft\n• Call the bank",
        "1. Ship the draft\n2. Call the bank",
        "1) Ship the draft\n2) Call the bank",
        "  10.   Ship the draft  ;  11) Call the bank  ",
    ],
)
def test_list_markers_are_not_part_of_a_goal(typed):
    assert parse_goals(typed) == ["Ship the draft", "Call the bank"]


def test_a_number_or_dash_inside_a_goal_is_kept():
    assert parse_goals("3.5 hours of practice\n-5 kg by May") == ["3.5 hours of practice", "-5 kg by May"]


def test_inner_whitespace_is_collapsed():
    assert parse_goals("Ship   the \t draft\r") == ["Ship the draft"]


def test_empty_parts_are_dropped():
    assert parse_goals("\n\n Ship the draft ;; ;\n  \nRun 5k;") == ["Ship the draft", "Run 5k"]


@pytest.mark.parametrize("typed", ["", "   ", "\n;\n ; "])
def test_nothing_typed_is_refused(typed):
    refusal = refusal_of(typed)
    assert (refusal.key, refusal.values) == ("goals.empty", {"max": 5, "length": 200})


def test_a_bare_list_marker_is_not_a_goal():
    assert parse_goals("1. Ship the draft\n2. ") == ["Ship the draft"]
    assert refusal_of("- ").key == "goals.empty"


def test_five_goals_are_accepted_and_six_refused():
    five = [f"Goal {number}" for number in range(1, 6)]
    assert parse_goals("\n".join(five)) == five

    refusal = refusal_of("\n".join([*five, "Goal 6"]))
    assert (refusal.key, refusal.values) == ("goals.too_many", {"count": 6, "max": 5})


def test_a_goal_of_200_characters_is_accepted_and_201_refused():
    longest = "x" * 200
    assert parse_goals(f"Short\n{longest}") == ["Short", longest]

    refusal = refusal_of(f"Short\n{longest}y\nAnother")
    assert (refusal.key, refusal.values) == ("goals.too_long", {"number": 2, "length": 201, "max": 200})


def test_the_length_limit_counts_the_goal_after_collapsing_whitespace():
    padded = "- " + "word " * 40 + "   " + "x" * 5  # 40 words + 5 letters: 205 characters as kept
    refusal = refusal_of(padded)
    assert (refusal.key, refusal.values) == ("goals.too_long", {"number": 1, "length": 205, "max": 200})
    assert parse_goals("word  " * 39 + "word") == ["word " * 39 + "word"]


# ---------------------------------------------------------------------- carrying over


def test_unfinished_commitments_are_appended_with_the_id_they_carry_from():
    goals = [("Ship the draft", None)]
    unfinished = [commitment(31, "Call the bank"), commitment(32, "Run 5k", "partial")]

    assert with_carried(goals, unfinished) == [("Ship the draft", None), ("Call the bank", 31), ("Run 5k", 32)]


def test_a_commitment_already_among_the_goals_is_not_carried_again_ignoring_case():
    goals = [("Ship the draft", None), ("call THE bank", None)]
    unfinished = [commitment(31, "Call the bank"), commitment(32, "SHIP the Draft"), commitment(33, "Run 5k")]

    assert with_carried(goals, unfinished) == [("Ship the draft", None), ("call THE bank", None), ("Run 5k", 33)]


def test_each_unfinished_commitment_is_carried_once():
    unfinished = [commitment(31, "Run 5k"), commitment(32, "run 5K"), commitment(33, "Run 5k")]

    assert with_carried([], unfinished) == [("Run 5k", 31)]


def test_goals_already_carried_keep_their_origin():
    goals = [("Call the bank", 31)]

    assert with_carried(goals, [commitment(31, "Call the bank")]) == [("Call the bank", 31)]


def test_carrying_more_than_five_goals_is_refused():
    goals = [(f"Goal {number}", None) for number in range(1, 5)]
    assert with_carried(goals, [commitment(31, "Goal 5")]) == [*goals, ("Goal 5", 31)]

    with pytest.raises(Refusal) as caught:
        with_carried(goals, [commitment(31, "Goal 5"), commitment(32, "Goal 6")])
    assert (caught.value.key, caught.value.values) == ("goals.too_many", {"count": 6, "max": 5})


@pytest.mark.parametrize(
    ("status", "unfinished"),
    [("open", True), ("done", False), ("partial", True), ("missed", True), ("unreported", True)],
)
def test_everything_but_done_is_unfinished(status, unfinished):
    assert is_unfinished(commitment(31, "Run 5k", status)) is unfinished


def test_kept_commitments_count_in_halves():
    assert HALVES == {"done": 2, "partial": 1, "missed": 0, "unreported": 0}
