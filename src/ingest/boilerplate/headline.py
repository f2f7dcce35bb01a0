"""Headlines at the top of plain text belong in `title`, not in the body.

A headline is a short line without a closing full stop, followed by the story. A line equal
to a title already known (from HTML metadata) is dropped wherever the story starts. In a
full-page dump the lines above the story also hold bylines, captions, credits and section
names; the headline among them is the one that words what the story's opening says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ingest.boilerplate import dump_title
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import Paragraph, is_name_line, is_picture_credit
from ingest.boilerplate.phrases import fold
from ingest.boilerplate.rules import Layout
from ingest.text import tokens

#: Headlines are rarely longer than this; a longer line above a story is a caption or a
#: standfirst.
MAX_HEADLINE_WORDS = 20


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
#: The story's opening, for comparing a headline with it, is this many paragraphs (the
#: first kept one is often a caption or a one-line standfirst).
OPENING_PARAGRAPHS = 4


def headline_words(text: str) -> set[str]:
    """Content words of a line; in scripts without spaces, pairs of adjacent characters."""
    words = tokens(fold(text))
    if words and sum(len(w) == 1 for w in words) > len(words) / 2:
        return {a + b for a, b in zip(words, words[1:], strict=False)}
    return {w for w in words if len(w) >= MIN_WORD_CHARS and not w.isdigit()}


def can_be_headline(candidate: Paragraph) -> bool:
    """Not an author's name, a picture credit, a breadcrumb trail ("Home » News » Health")
    nor a line stamped with a date or time, which stand above stories too."""
    if is_name_line(candidate) or is_picture_credit(candidate):
        return False
    if len(_TRAIL_STEP.findall(candidate.text)) >= 2:
        return False
    return not _STAMP.search(candidate.text)


#: A step of a breadcrumb trail.
_TRAIL_STEP = re.compile(r"\s[>›»/|]\s")
#: A date or a time of day written in digits (2011-12-02, 27/11/11, 14:51).
_STAMP = re.compile(r"\b\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\b|\b\d{1,2}:\d{2}\b")


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


#: Removal kinds that mean "this line was not part of the dump's story block".
_OUTSIDE_KINDS = frozenset({RemovalKind.PAGE_CHROME, RemovalKind.DUPLICATE_LINE})
#: A dump's headline stands among this many lines above its story.
HEADLINE_WINDOW = 30
#: A headline with its standfirst right below it has more words than a kicker or section.
STANDFIRST_MIN_WORDS = 4
#: Without shared words, only a headline-shaped line this close above the story is taken
#: (bylines, dates, share buttons and counters stand between them).
NEAREST_HEADLINE_LINES = 10
#: At most this many lines above the headline window are the ranker's candidates.
FURTHER_CANDIDATES = 30
#: The end of a breadcrumb trail before its last part ("Home > Blog > ").
_TRAIL = re.compile(r"[>›»/|]\s*$")


@dataclass(frozen=True)
class HeadlineChoice:
    """The lines above a dump's story that could be its headline (nearest first), their
    features for the ranker (`dump_title.FEATURES`), and the line the rule picks."""

    start: int  # the story's first line
    candidates: list[int]
    rows: np.ndarray
    rule: int | None


def headline_before_story(layout: Layout) -> str | None:
    """In a page dump the headline sits above the story block, among bylines, captions and
    section names. Where the rule (`headline_choice`) finds one, the learned ranker chooses
    among every line the rule weighed (`ingest.boilerplate.dump_title`)."""
    choice = headline_choice(layout)
    if choice is None or choice.rule is None:
        return None
    found = choice.rule
    if len(choice.candidates) > 1:
        found = choice.candidates[dump_title.best(choice.rows)]
    return layout.paragraphs[_trail_end(layout, found, choice.start)].text


def headline_choice(layout: Layout) -> HeadlineChoice | None:
    """The rule: of the cut lines above the story that read as a headline, the one the page
    states twice there (a title bar and the headline), else the one sharing most words with
    the story's opening (then the larger share of its words, then the nearest). With none
    sharing enough there, the line sharing most further up: some pages set their headline in
    a header above their menus. Else the longest such line close above the story. The
    candidates are the lines close above the story and those further up sharing words."""
    kept = layout.kept()
    if not kept:
        return None
    start = kept[0]
    story = [layout.paragraphs[i] for i in kept[:OPENING_PARAGRAPHS]]
    opening = set().union(*(headline_words(p.text) for p in story))
    near = _candidates(layout, start, story, HEADLINE_WINDOW)
    scores = _scores(layout, near, opening)
    found = _stated_twice(layout, start, near, scores)
    if found is None:
        found = _most_shared(layout, near, scores)
    # the lines above the window, nearest first (`_candidates` looks up from its start)
    further = _candidates(layout, start - HEADLINE_WINDOW + 1, story, start + 1)
    scores.update(_scores(layout, further, opening))
    if found is None:
        found = _most_shared(layout, further, scores)
    if found is None:
        found = _longest_close(layout, start, near)
    candidates = near + _best_further(further, scores, found)
    rows = dump_title.features(
        layout.paragraphs,
        start,
        candidates,
        scores,
        rule=found,
        window=HEADLINE_WINDOW,
        outside=[layout.cuts[i] in _OUTSIDE_KINDS for i in candidates],
    )
    return HeadlineChoice(start, candidates, rows, found)


def _best_further(
    further: list[int], scores: dict[int, tuple[int, float]], found: int | None
) -> list[int]:
    """The lines above the window that share the story's words, at most FURTHER_CANDIDATES
    of them (those sharing most, and the rule's pick), nearest first: a dump can hold
    thousands of menu and teaser lines above its story, and the ranker reads each
    candidate against the whole dump."""
    sharing = [i for i in further if scores[i][0] >= MIN_SHARED_COUNT]
    best = set(sorted(sharing, key=lambda i: (scores[i], i), reverse=True)[:FURTHER_CANDIDATES])
    return [i for i in sharing if i in best or i == found]


def _scores(
    layout: Layout, candidates: list[int], opening: set[str]
) -> dict[int, tuple[int, float]]:
    return {i: shared_words(layout.paragraphs[i], opening) for i in candidates}


def _trail_end(layout: Layout, found: int, start: int) -> int:
    """The headline itself where `found` is a breadcrumb trail that ends with it ("Home >
    Blog > Headline") and the page also states it on a line of its own."""
    text = layout.paragraphs[found].text
    ends = [
        i
        for i in range(max(start - HEADLINE_WINDOW, 0), start)
        if len(layout.paragraphs[i].text) < len(text)
        and text.endswith(layout.paragraphs[i].text)
        and _TRAIL.search(text.removesuffix(layout.paragraphs[i].text))
    ]
    return ends[-1] if ends else found


def _candidates(layout: Layout, start: int, story: list[Paragraph], window: int) -> list[int]:
    """Cut lines of the `window` lines above the story, nearest first, that read as a
    headline for it."""
    return [
        index
        for index in range(start - 1, max(start - window, -1), -1)
        if layout.cuts[index] is not None
        and layout.paragraphs[index].shape is None
        and looks_like_headline(layout.paragraphs[index], story)
    ]


def _stated_twice(
    layout: Layout, start: int, candidates: list[int], scores: dict[int, tuple[int, float]]
) -> int | None:
    """A candidate the page states twice above the story (its title line and its h1)."""
    window = [p.text for p in layout.paragraphs[max(start - HEADLINE_WINDOW, 0) : start]]
    return next(
        (
            i
            for i in candidates
            if window.count(layout.paragraphs[i].text) > 1
            and layout.paragraphs[i].words > STANDFIRST_MIN_WORDS
            and scores[i][0] >= MIN_SHARED_COUNT
        ),
        None,
    )


def _most_shared(
    layout: Layout, candidates: list[int], scores: dict[int, tuple[int, float]]
) -> int | None:
    """The candidate sharing most words with the story's opening, or the headline right
    above it when it is the standfirst."""
    sharing = [
        i
        for i in candidates
        if scores[i][0] >= MIN_SHARED_COUNT and scores[i][1] >= MIN_SHARED_WORDS
    ]
    if not sharing:
        return None
    best = max(sharing, key=lambda i: (scores[i], i))
    return _above_standfirst(layout, best, sharing)


def _longest_close(layout: Layout, start: int, candidates: list[int]) -> int | None:
    """Bylines, counters ("142 Views") and buttons stand between headline and story too: of
    the lines close above the story, the headline is the one of most words."""
    close = [
        i
        for i in candidates
        if start - i <= NEAREST_HEADLINE_LINES
        and can_be_headline(layout.paragraphs[i])
        and layout.cuts[i] in _OUTSIDE_KINDS
    ]
    return max(close, key=lambda i: (layout.paragraphs[i].words, i), default=None)


def _above_standfirst(layout: Layout, best: int, sharing: list[int]) -> int:
    """The line right above `best` when `best` is its standfirst: a headline of more words
    than a kicker, sharing the story's words too, and not a breadcrumb that ends with
    `best` ("Home / World / Headline")."""
    above = best - 1
    upper = layout.paragraphs[above] if above in sharing else None
    if upper is None or upper.words <= STANDFIRST_MIN_WORDS:
        return best
    return best if layout.paragraphs[best].text in upper.text else above
