"""Headlines at the top of plain text belong in `title`, not in the body.

A headline is a short line without a closing full stop, followed by the story. A line equal
to a title already known (from HTML metadata) is dropped wherever the story starts. In a
full-page dump the lines above the story also hold bylines, captions, credits and section
names; the headline among them is the one that words what the story's opening says.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.boilerplate.lines import Paragraph, is_name_line, is_picture_credit
from ingest.boilerplate.phrases import fold
from ingest.text import tokens

#: Headlines are rarely longer than this.
MAX_HEADLINE_WORDS = 30


def looks_like_headline(candidate: Paragraph, following: Sequence[Paragraph]) -> bool:
    """True when `candidate` reads as a title for the paragraphs after it."""
    if candidate.kind is not None or not 2 <= candidate.words <= MAX_HEADLINE_WORDS:
        return False
    if candidate.full_stop or candidate.text.endswith((",", ":", ";", "،", "|")):
        return False
    story = [p for p in following[:3] if p.prose]
    return bool(story) and sum(p.words for p in story) > 2 * candidate.words


#: A headline shares at least this share of its words with the story's opening paragraphs.
MIN_SHARED_WORDS = 0.3
#: ...and at least this many of them.
MIN_SHARED_COUNT = 2
#: Two words of this many first letters in common are taken for one word inflected.
STEM_CHARS = 5
#: Words this short (articles, particles) say nothing about a story.
MIN_WORD_CHARS = 3
#: The story's opening, for comparing a headline with it, is this many paragraphs.
OPENING_PARAGRAPHS = 3


def headline_words(text: str) -> set[str]:
    """Content words of a line; in scripts without spaces, pairs of adjacent characters."""
    words = tokens(fold(text))
    if words and sum(len(w) == 1 for w in words) > len(words) / 2:
        return {a + b for a, b in zip(words, words[1:], strict=False)}
    return {w for w in words if len(w) >= MIN_WORD_CHARS and not w.isdigit()}


def can_be_headline(candidate: Paragraph) -> bool:
    """Not an author's name nor a picture credit, which stand above stories too."""
    return not is_name_line(candidate) and not is_picture_credit(candidate)


def shared_words(candidate: Paragraph, opening: set[str]) -> tuple[int, float]:
    """How many of the candidate's words the story's opening uses too, and their share; a
    word counts when the opening has one with the same first STEM_CHARS letters (Meteorit,
    Meteoriten). (0, 0.0) for a line that cannot be a headline."""
    if not can_be_headline(candidate):
        return 0, 0.0
    words = headline_words(candidate.text)
    stems = {w[:STEM_CHARS] for w in opening if len(w) >= STEM_CHARS}
    shared = sum(w in opening or (len(w) >= STEM_CHARS and w[:STEM_CHARS] in stems) for w in words)
    return shared, shared / len(words) if words else 0.0


def same_title(line: str, title: str) -> bool:
    """The line is the title, give or take case, spacing and a closing full stop."""
    key = fold(title).strip(" .")
    return bool(key) and fold(line).strip(" .") == key
