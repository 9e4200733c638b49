"""Text typed by members, made plain before it is measured, compared or stored: the same letters always read
the same, and nothing invisible can make a name look empty or like another."""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
# Letters and symbols that render as blank space; Discord users know them as ways to look empty.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_text(raw: str, *, keep_lines: bool = False) -> str:
    """Unicode NFKC; control, format (zero-width), private-use and unassigned characters removed; any run of
    whitespace made one space (or one line break, with keep_lines); trimmed. A zero-width joiner survives only
    between two symbols, where it joins an emoji sequence like 👨‍👩‍👧."""
    text = unicodedata.normalize("NFKC", raw)
    kept: list[str] = []
    for index, char in enumerate(text):
        if char == "\n" and keep_lines:
            kept.append("\n")
        elif char.isspace():
            kept.append(" ")
        elif char == ZERO_WIDTH_JOINER:
            before = kept[-1] if kept else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if _is_symbol(before) and _is_symbol(after):
                kept.append(char)
        elif unicodedata.category(char).startswith("C") or char in _BLANK_LOOKING:
            continue
        else:
            kept.append(char)
    return "\n".join(" ".join(line.split()) for line in "".join(kept).split("\n")).strip()


def _is_symbol(char: str) -> bool:
    return bool(char) and unicodedata.category(char) in {"So", "Sk", "Mn"}
