"""clean_document: normalise, pull the headline, cut residual chrome, record every cut."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.boilerplate.headline import (
    can_be_headline,
    headline_before_story,
    looks_like_headline,
    same_title,
)
from ingest.boilerplate.inline import (
    cut_agency_credit,
    cut_closing_credit,
    cut_leading_stamp,
    cut_wire_trailer,
    is_stamped_label,
)
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import analyse
from ingest.boilerplate.normalize import join_paragraphs, normalize_line, split_paragraphs
from ingest.boilerplate.phrases import PhraseBook, phrase_book
from ingest.boilerplate.rules import Layout, apply_rules
from ingest.documents import Removal

#: Passes until nothing changes: cutting an edge can expose the next piece of chrome, and
#: running to a fixed point is what makes cleaning idempotent.
MAX_PASSES = 6
#: A headline is found below this many kicker lines at most, each this many words at most.
KICKER_LINES = 2
KICKER_WORDS = 12


@dataclass(frozen=True)
class CleanResult:
    text: str  # clean body, paragraphs separated by a blank line
    title: str | None  # headline pulled from the top of plain text, or the title given
    removed: list[Removal] = field(default_factory=list)  # every cut, in the order made


def clean_document(
    text: str, *, from_html: bool, title: str | None = None, language_hint: str | None = None
) -> CleanResult:
    """Clean one document's text.

    `from_html` says the text comes from an HTML extractor (already mostly the story); plain
    text is treated as a possible full-page dump whose story must first be found. Phrase
    lists of every language apply whatever `language_hint` says, because chrome is often in
    another language than the story. Never adds text; idempotent given the returned title
    (cleaning `result.text` with `title=result.title` changes nothing); falls back to the
    normalised text rather than empty a document that has a story.
    """
    book = phrase_book()
    removed: list[Removal] = []
    start = split_paragraphs(text)
    title = normalize_line(title) if title else None
    if title is None and not from_html:
        title = _leading_headline(start, book)
    paragraphs = start
    for number in range(MAX_PASSES):
        body = _one_pass(paragraphs, title, from_html=from_html, book=book, removed=removed)
        if title is None and not from_html and number == 0:
            title = headline_before_story(body)
        kept = [p.text for p, cut in zip(body.paragraphs, body.cuts, strict=True) if cut is None]
        if kept == paragraphs:
            break
        paragraphs = kept
    story = _without_title(start, title)
    if _has_story(story, book) and not _has_story(paragraphs, book):
        return CleanResult(join_paragraphs(story), title, _title_cuts(start, story))
    return CleanResult(join_paragraphs(paragraphs), title, _as_title_cuts(removed, title))


def _as_title_cuts(removed: list[Removal], title: str | None) -> list[Removal]:
    """A line that became the title is recorded as cut for that, not as chrome; a line cut
    whole whose title came out of it behind a stamp ("12.03.2026 Headline") is recorded as
    the stamp and the title, so that no line is held twice (in `removed` and `title`)."""
    if title is None:
        return removed
    recorded = []
    for cut in removed:
        unstamped = cut_leading_stamp(cut.text)
        if same_title(cut.text, title):
            recorded.append(Removal(RemovalKind.TITLE, cut.text, "title"))
        elif unstamped != cut.text and same_title(unstamped, title):
            recorded += [
                *_inline_removals(cut.text, unstamped),
                Removal(RemovalKind.TITLE, unstamped, "title"),
            ]
        else:
            recorded.append(cut)
    return recorded


def _one_pass(
    paragraphs: list[str],
    title: str | None,
    *,
    from_html: bool,
    book: PhraseBook,
    removed: list[Removal],
) -> Layout:
    """One round of every rule; the layout marks what this round cut."""
    lines = list(paragraphs)
    cuts: list[RemovalKind | None] = [None] * len(lines)
    layout = Layout([], cuts)
    if title is not None:
        layout.step = "opening_title"
        _cut_opening_title(lines, layout, title)
    layout.step = "inline"
    _cut_inline(lines, layout)
    layout.paragraphs = [analyse(line, book) for line in lines]
    apply_rules(layout, page_dump=not from_html, titled=title is not None)
    for index, kind in enumerate(layout.cuts):
        paragraph = layout.paragraphs[index]
        if kind is RemovalKind.PAGE_CHROME and paragraph.kind is not None:
            kind = layout.cuts[index] = paragraph.kind
            if ":" not in (layout.rules[index] or ""):
                layout.rules[index] = f"{layout.rules[index]}:{paragraph.label}"
        if kind is not None:
            removed.append(Removal(kind, paragraphs[index], layout.rules[index] or ""))
        elif lines[index] != paragraphs[index]:
            removed.extend(_inline_removals(paragraphs[index], lines[index]))
    return layout


def _cut_opening_title(lines: list[str], layout: Layout, title: str) -> None:
    """The title where the text opens with it, and a kicker above it: a short line that is no
    sentence ("رییس سازمان بورس اعلام کرد:", "Exclusive") right before the headline."""
    start = next(
        (i for i, line in enumerate(lines[: KICKER_LINES + 1]) if same_title(line, title)), None
    )
    if start is None or not all(_is_kicker(line) for line in lines[:start]):
        return
    for index in range(start):
        layout.cut(index, RemovalKind.PAGE_CHROME, "kicker")
    for index in range(start, len(lines)):
        if not same_title(lines[index], title):
            break
        layout.cut(index, RemovalKind.TITLE)


def _is_kicker(line: str) -> bool:
    return len(line.split()) <= KICKER_WORDS and not line.rstrip().endswith((".", "!", "?", "。"))


def _cut_inline(lines: list[str], layout: Layout) -> None:
    """A stamp glued before the first paragraph (the whole line when only a section label
    follows it); a desk's or agency's credit and an agency's initials closing a paragraph; a
    wire trailer glued after a paragraph ends the story, so what follows it is the rest of
    the page (a credit does not: a roundup of agency items credits each one)."""
    cuts = layout.cuts
    first = next((i for i, cut in enumerate(cuts) if cut is None), None)
    if first is not None and is_stamped_label(lines[first]):
        layout.cut(first, RemovalKind.DATE_STAMP, "stamped_label")
    elif first is not None:
        lines[first] = cut_leading_stamp(lines[first])
    for index, line in enumerate(lines):
        if cuts[index] is not None:
            continue
        trailed = cut_wire_trailer(line)
        lines[index] = cut_agency_credit(cut_closing_credit(trailed))
        if trailed != line:
            for later in range(index + 1, len(lines)):
                layout.cut(later, RemovalKind.PAGE_CHROME, "after_trailer")
            return


def _inline_removals(before: str, after: str) -> list[Removal]:
    """The stamp cut from the start and the trailer cut from the end of one paragraph."""
    start = before.find(after)
    parts = [
        (RemovalKind.DATE_STAMP, before[:start], "inline.leading_stamp"),
        (RemovalKind.WIRE_TRAILER, before[start + len(after) :], "inline.trailer"),
    ]
    return [Removal(kind, part.strip(), rule) for kind, part, rule in parts if part.strip()]


def _leading_headline(paragraphs: list[str], book: PhraseBook) -> str | None:
    """A headline on the first line of plain text becomes the title."""
    if len(paragraphs) < 2:
        return None
    first = analyse(paragraphs[0], book)
    following = [analyse(p, book) for p in paragraphs[1:4]]
    return (
        paragraphs[0] if looks_like_headline(first, following) and can_be_headline(first) else None
    )


def _without_title(paragraphs: list[str], title: str | None) -> list[str]:
    index = 0
    while title is not None and index < len(paragraphs) and same_title(paragraphs[index], title):
        index += 1
    return paragraphs[index:]


def _title_cuts(start: list[str], story: list[str]) -> list[Removal]:
    return [Removal(RemovalKind.TITLE, line, "title") for line in start[: len(start) - len(story)]]


def _has_story(paragraphs: list[str], book: PhraseBook) -> bool:
    return any(analyse(p, book).prose for p in paragraphs)
