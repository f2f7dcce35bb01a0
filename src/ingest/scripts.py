"""Unicode writing-system share of a text: the cheap first look before any language model.

Used by the language detector (to call `und`, to route CJK/Thai) and by the boilerplate
stripper (a short line in another script than the body, at the edges, is chrome).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

# Unicode character-name prefixes -> script label. Checked in order; first match wins.
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("GREEK", "greek"),
    ("ARABIC", "arabic"),
    ("HEBREW", "hebrew"),
    ("CJK", "han"),
    ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"),
    ("HANGUL", "hangul"),
    ("THAI", "thai"),
    ("DEVANAGARI", "devanagari"),
    ("BENGALI", "bengali"),
    ("GURMUKHI", "gurmukhi"),
    ("GUJARATI", "gujarati"),
    ("TAMIL", "tamil"),
    ("TELUGU", "telugu"),
    ("KANNADA", "kannada"),
    ("MALAYALAM", "malayalam"),
    ("SINHALA", "sinhala"),
    ("ARMENIAN", "armenian"),
    ("GEORGIAN", "georgian"),
    ("ETHIOPIC", "ethiopic"),
    ("MYANMAR", "myanmar"),
    ("KHMER", "khmer"),
    ("LAO", "lao"),
    ("TIBETAN", "tibetan"),
    ("MONGOLIAN", "mongolian"),
)

OTHER = "other"
NONE = "none"

#: Scripts written without spaces between words: tokenise them by character.
UNSPACED_SCRIPTS = frozenset({"han", "kana", "thai", "lao", "khmer", "myanmar", "tibetan"})


@lru_cache(maxsize=65536)
def char_script(char: str) -> str | None:
    """Script label of one character, or None for digits, punctuation, spaces and symbols."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    for prefix, script in _NAME_PREFIXES:
        if name.startswith(prefix):
            return script
    if "IDEOGRAPH" in name:
        return "han"
    return OTHER


def script_counts(text: str) -> Counter[str]:
    """Letters per script in `text` (non-letters are not counted)."""
    counts: Counter[str] = Counter(map(char_script, text))  # C-level loop: twice as fast
    counts.pop(None, None)
    return counts


def dominant_script(text: str) -> str:
    """The script most letters are written in; Japanese kana and kanji count as one ('kana')."""
    counts = script_counts(text)
    if not counts:
        return NONE
    if counts.get("kana") and counts.get("han"):
        counts["kana"] += counts.pop("han")
    return counts.most_common(1)[0][0]
