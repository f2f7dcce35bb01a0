"""Unicode and whitespace normalisation: the part of cleaning that always runs.

Text comes from many decoders and extractors; NFC, one kind of space and one paragraph
separator make every later rule (and every later hash) see the same characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PARAGRAPH_SEPARATOR = "\n\n"
#: Texts whose paragraphs are kept: one document's, split again by the next step.
SPLIT_CACHE_TEXTS = 4

# Characters that render as nothing or as a plain space; they split or glue words invisibly.
_INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_SPACES = re.compile(r"[^\S\n]+")
_BREAK_CHARS = "\r\u2028\u2029\x0b\x0c\x85"
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalize_line(line: str) -> str:
    """One line with invisible characters dropped and every run of spaces made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def split_paragraphs(text: str) -> list[str]:
    """Non-empty normalised lines of `text`; each line is a paragraph (text dumps put one
    block element per line, extractors one paragraph per line)."""
    return list(_split(text))


@lru_cache(maxsize=SPLIT_CACHE_TEXTS)
def _split(text: str) -> tuple[str, ...]:
    """Cached: the site-repeat cut hands the cleaner the text it split, joined again."""
    text = unicodedata.normalize("NFC", text)
    if _holds_any(text, _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    if _holds_any(text, _BREAK_CHARS):
        text = _LINE_BREAKS.sub("\n", text)
    return tuple(line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line)


def _holds_any(text: str, chars: str) -> bool:
    """Whether `text` holds one of `chars`: most texts hold none, and a substring test per
    character runs in C many times faster than a regex scanning the text."""
    return any(char in text for char in chars)


def join_paragraphs(paragraphs: list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def normalize_whitespace(text: str) -> str:
    """NFC, single spaces, no invisible characters, paragraphs separated by one blank line."""
    return join_paragraphs(split_paragraphs(text))
