"""Headlines at the top of plain text belong in `title`, not in the body.

A headline is a short line without a closing full stop, followed by the story. A line equal
to a title already known (from HTML metadata) is dropped wherever the story starts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.boilerplate.lines import Paragraph
from ingest.boilerplate.phrases import fold

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


def same_title(line: str, title: str) -> bool:
    """The line is the title, give or take case, spacing and a closing full stop."""
    key = fold(title).strip(" .")
    return bool(key) and fold(line).strip(" .") == key
