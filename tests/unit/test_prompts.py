from __future__ import annotations

import re
from pathlib import Path

from prompts import load_prompts

ROOT = Path(__file__).resolve().parents[2]
# Every way code names a prompt: prompts("key"), p("key"), Refusal("key"), command_text("key"), and conditional
# pairs of keys.
KEY_IN_CODE = re.compile(
    r"""(?:prompts|\bp|Refusal|command_text)\(\s*"([a-z_]+\.[a-z_.]+)"|"([a-z_]+\.[a-z_]+)"\s+if\s|else\s+"([a-z_]+\.[a-z_]+)\""""
)


def keys_used_in_code() -> set[str]:
    used = set()
    for path in [ROOT / "bot.py", ROOT / "app.py", *ROOT.glob("cogs/**/*.py"), *ROOT.glob("mastermind/**/*.py")]:
        for match in KEY_IN_CODE.finditer(path.read_text(encoding="utf-8")):
            used.update(key for key in match.groups() if key)
    return used


def test_every_prompt_the_code_uses_exists():
    prompts = load_prompts()
    used = keys_used_in_code()
    assert len(used) > 40
    assert sorted(key for key in used if key not in prompts) == []


def test_plural_words_follow_the_number():
    prompts = load_prompts()
    assert prompts("group.list_line", name="A", count=1, text="#a") == "• **A**: 1 member · #a"
    assert prompts("group.list_line", name="A", count=2, text="#a") == "• **A**: 2 members · #a"


def test_prompt_families_named_at_run_time_are_complete():
    from typing import get_args

    from mastermind.rules.health import FlagReason
    from mastermind.rules.intake import EXPERIENCE
    from mastermind.rules.matching import WaitReason
    from mastermind.rules.schedule import WEEKDAYS
    from mastermind.rules.stats import CELLS
    from mastermind.services.privacy import SECTIONS
    from storage.models import SendKind

    prompts = load_prompts()
    failure_reasons = [
        "channel_missing",
        "forbidden",
        "discord_unavailable",
        "discord_rejected",
        "group_archived",
        "error",
        "interrupted",
    ]
    needed = [
        *(f"weekday.{day}" for day in WEEKDAYS),
        *(f"weekday_short.{day}" for day in WEEKDAYS),
        *(f"weekday_plural.{day}" for day in WEEKDAYS),
        *(f"rsvp.button_{choice}" for choice in ("yes", "late", "no")),
        *(f"rsvp.noted_{choice}" for choice in ("yes", "late", "no")),
        *(f"sends.kind_{kind}" for kind in SendKind),
        *(f"goals.status_{status}" for status in ("done", "partial", "missed")),
        *(f"goals.checked_{status}" for status in ("done", "partial", "missed")),
        *(f"hotseat.button_{action}" for action in ("goals", "carry", "next", "skip")),
        *(f"sends.reason_{reason}" for reason in failure_reasons),
        *(f"check_in.button_{answer}" for answer in ("in", "pause", "leave")),
        *(f"check_in.answered_{answer}" for answer in ("in", "pause", "leave")),
        *(f"check_in.organizers_{where}" for where in ("direct", "channel")),
        *(f"health.flag_{reason}" for reason in get_args(FlagReason)),
        *(f"chart.{cell}" for cell in CELLS),
        *(f"privacy.count_{section.name}" for section in SECTIONS),
        *(f"setup.pledge_choice_{choice}" for choice in ("on", "off")),
        *(f"intake.experience_{name}" for name in EXPERIENCE),
        *(f"intake.choice_{choice}" for choice in ("yes", "no")),
        *(f"match.why_{reason}" for reason in get_args(WaitReason)),
        *(f"refill.already_{status}" for status in ("added", "skipped")),
        *(f"intake.{refusal}" for refusal in ("no_fields", "too_many_fields", "no_languages", "too_many_languages")),
    ]
    assert [key for key in needed if key not in prompts] == []


def test_a_key_a_language_lacks_yet_is_written_in_english_with_that_languages_numbers():
    from prompts import Prompts

    russian = Prompts({"a": "{n:plural:one=встреча|few=встречи|many=встреч}"}, "ru")
    english = Prompts({"a": "x", "b": "{n:number} {n:plural:meeting,meetings}"}, "en")

    both = russian.over(english)

    assert both("a", n=2) == "встречи"
    assert both("b", n=1234) == "1\xa0234 meetings"  # English's words, Russian's digits; never a KeyError
    assert both.language == "ru"
