"""clean_document: normalise, pull the headline, cut residual chrome, record every cut."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.boilerplate.headline import looks_like_headline, same_title
from ingest.boilerplate.inline import cut_leading_stamp, cut_wire_trailer
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import Paragraph, analyse
from ingest.boilerplate.normalize import join_paragraphs, normalize_line, split_paragraphs
from ingest.boilerplate.phrases import PhraseBook, fold, phrase_book
from ingest.boilerplate.rules import Layout, apply_rules
from ingest.documents import Removal

#: Rule passes until nothing changes; cutting an edge can expose the next one.
MAX_PASSES = 4
#: Removal kinds that mean "this line was not part of the dump's story block".
_OUTSIDE_KINDS = frozenset({RemovalKind.PAGE_CHROME, RemovalKind.DUPLICATE_LINE})


@dataclass(frozen=True)
class CleanResult:
    text: str  # clean body, paragraphs separated by a blank line
    title: str | None  # headline pulled from the top of plain text, or the title given
    removed: list[Removal] = field(default_factory=list)  # every cut, in document order


def clean_document(
    text: str, *, from_html: bool, title: str | None = None, language_hint: str | None = None
) -> CleanResult:
    """Clean one document's text.

    `from_html` says the text comes from an HTML extractor (already mostly the story); plain
    text is treated as a possible full-page dump whose story must first be found. Phrase
    lists of every language apply whatever `language_hint` says, because chrome is often in
    another language than the story. Never adds text; idempotent given the returned title;
    falls back to the normalised text rather than empty a document that has a story.
    """
    book = phrase_book()
    paragraphs = split_paragraphs(text)
    removed: list[Removal] = []
    title = normalize_line(title) if title else None
    title, paragraphs = _take_title(paragraphs, title, from_html=from_html, removed=removed)
    paragraphs = _cut_inline(paragraphs, removed, book)
    body = [analyse(p, book) for p in paragraphs]
    original = body
    for _ in range(MAX_PASSES):
        layout = Layout(body, [None] * len(body))
        apply_rules(layout, page_dump=not from_html)
        if title is None and not from_html and body is original:
            title = _headline_before_story(layout)
        if all(cut is None for cut in layout.cuts):
            break
        removed.extend(
            Removal(kind, p.text) for p, kind in zip(body, layout.cuts, strict=True) if kind
        )
        body = [p for p, kind in zip(body, layout.cuts, strict=True) if kind is None]
    if any(p.prose for p in original) and not any(p.prose for p in body):
        return CleanResult(join_paragraphs(paragraphs), title, removed[: _title_cuts(removed)])
    return CleanResult(join_paragraphs([p.text for p in body]), title, removed)


def _take_title(
    paragraphs: list[str], title: str | None, *, from_html: bool, removed: list[Removal]
) -> tuple[str | None, list[str]]:
    """Drop a first line equal to the known title; for plain text without one, a headline
    on the first line becomes the title."""
    if not paragraphs:
        return title, paragraphs
    book = phrase_book()
    first = analyse(paragraphs[0], book)
    if title is not None:
        if same_title(first, fold(title)):
            removed.append(Removal(RemovalKind.TITLE, paragraphs[0]))
            return title, paragraphs[1:]
        return title, paragraphs
    if from_html:
        return None, paragraphs
    following = [analyse(p, book) for p in paragraphs[1:4]]
    if looks_like_headline(first, following):
        removed.append(Removal(RemovalKind.TITLE, paragraphs[0]))
        return paragraphs[0], paragraphs[1:]
    return None, paragraphs


def _title_cuts(removed: list[Removal]) -> int:
    return sum(1 for r in removed[:1] if r.kind == RemovalKind.TITLE)


def _cut_inline(paragraphs: list[str], removed: list[Removal], book: PhraseBook) -> list[str]:
    """A stamp glued before the first paragraph; a wire trailer glued after a paragraph ends
    the story, so what follows it is cut as well."""
    result = list(paragraphs)
    if result:
        result[0], stamp = cut_leading_stamp(result[0])
        if stamp:
            removed.append(stamp)
    for index, paragraph in enumerate(result):
        result[index], trailer = cut_wire_trailer(paragraph)
        if trailer:
            removed.append(trailer)
            for later in result[index + 1 :]:
                removed.append(Removal(analyse(later, book).kind or RemovalKind.PAGE_CHROME, later))
            return result[: index + 1]
    return result


def _headline_before_story(layout: Layout) -> str | None:
    """In a page dump the headline sits just above the story block: the nearest cut line
    above the first kept paragraph that reads as a headline for it."""
    kept = layout.kept()
    if not kept:
        return None
    story: list[Paragraph] = [layout.paragraphs[i] for i in kept[:3]]
    for index in range(kept[0] - 1, max(kept[0] - 8, -1), -1):
        candidate = layout.paragraphs[index]
        if layout.cuts[index] in _OUTSIDE_KINDS and looks_like_headline(candidate, story):
            return candidate.text
    return None
