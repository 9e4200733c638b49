from __future__ import annotations

import pytest

from mastermind.rules.names import name_key
from mastermind.rules.text import clean_text


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("\u200b", ""),  # zero-width space
        ("alpha\u200b", "alpha"),
        ("al\u200dpha", "alpha"),  # a joiner between letters joins nothing
        ("\u2060word\ufeff", "word"),  # word joiner, byte-order mark
        ("a\x00b\x07c", "abc"),  # control characters
        ("ｆｕｌｌ ｗｉｄｔｈ", "full width"),  # NFKC
        ("\u3164", ""),  # Hangul filler: a letter that looks like nothing
        ("  Growth \n\t Crew ", "Growth Crew"),
        ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"),  # a joiner between emoji stays
        ("e\u0301", "é"),  # composed
    ],
)
def test_text_is_made_plain(raw, plain):
    assert clean_text(raw) == plain


def test_line_breaks_can_be_kept():
    assert clean_text(" one \u200b\n  two  ", keep_lines=True) == "one\ntwo"


def test_look_alike_names_share_a_key():
    assert name_key("Alpha") == name_key("alpha\u200b") == name_key("ＡＬＰＨＡ") == "alpha"
    assert name_key("alpha") != name_key("alpha 2")
