"""Positional chrome rules over the paragraphs of one document.

Where a line sits decides as much as what it says. The story core runs from the first to
the last *anchor* (a sentence-shaped paragraph that no rule labels). Inside the core only
lines that are chrome by themselves go (an "Advertisement" label, a "Read also: ..." line,
a caption credit); a paragraph that merely mentions cookies stays. At the edges, anything a
rule labels goes, and so do short lines in another script than the story. A "related
articles" heading ends the story when less story-like text follows it than precedes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import (
    APPENDIX_LABEL_WORDS,
    PROSE_WORDS,
    SHORT_TEASER_WORDS,
    Paragraph,
    is_field_stamp,
    is_heading_phrase,
    is_name_line,
    is_picture_credit,
    is_signature,
    is_wire_tag,
)
from ingest.boilerplate.mainblock import densest_block

#: Lines up to this many words that occur twice in one document are navigation or labels.
DUPLICATE_MAX_WORDS = 8
#: Labels that close a story in a page dump (what follows them is the rest of the page).
END_KINDS = frozenset(
    {
        RemovalKind.SHARE_PROMPT,
        RemovalKind.TAG_LIST,
        RemovalKind.NEWSLETTER,
        RemovalKind.COOKIE_BANNER,
        RemovalKind.RELATED_BLOCK,
    }
)
LIST_BULLETS = ("- ", "• ", "· ", "* ", "► ", "▶ ", "> ", "» ")
#: An inline teaser box ("Mehr zum Thema" and a few teaser titles) inside a story holds at
#: most this many lines under its heading.
INLINE_BOX_LINES = 8
#: The story resumes under an inline box in this many paragraphs (of the next three) of at
#: least RESUMED_WORDS words, each ending with a full stop.
RESUMED_PARAGRAPHS = 2
RESUMED_WORDS = 25
#: An inline box opens within this many lines after the densest story block.
BOX_LEAD_LINES = 3
#: A line in another script than the story is chrome at the edges up to this many words.
FOREIGN_MAX_WORDS = 12
#: A credit line of its own ("© Agency", "Photo: Jane Doe") is this short.
CREDIT_LINE_WORDS = 6
#: A caption next to its credit line is a sentence of at most this many words.
CAPTION_SENTENCE_WORDS = 12
#: In a script without capitals, a label or name above the story is at most this many words.
CASELESS_LABEL_WORDS = 3
#: Under an appendix heading, a sentence longer than this is story; reference titles
#: ("Formation of clusters in dilute matter.") are shorter.
APPENDIX_SENTENCE_WORDS = 12
#: A paragraph longer than this is story whatever its end (reference lines are shorter).
APPENDIX_PARAGRAPH_WORDS = 40


@dataclass
class Layout:
    """Paragraphs of one document and, for each, the kind that cut it (None: kept) and the
    id of the rule that did: the step of RULES running (`step`), the branch of that step
    that decided, and the phrase family or shape rule whose label gave the kind
    ("edges.foreign_script", "labelled_lines:cookie_banner.line")."""

    paragraphs: list[Paragraph]
    cuts: list[RemovalKind | None]
    rules: list[str | None] = field(default_factory=list)
    step: str = ""

    def __post_init__(self) -> None:
        self.rules = self.rules or [None] * len(self.cuts)

    def kept(self) -> list[int]:
        return [i for i, cut in enumerate(self.cuts) if cut is None]

    def cut(self, index: int, kind: RemovalKind, branch: str = "", label: str = "") -> None:
        if self.cuts[index] is None:
            self.cuts[index] = kind
            rule = f"{self.step}.{branch}" if branch else self.step
            self.rules[index] = f"{rule}:{label}" if label else rule

    def cut_as_labelled(self, index: int, fallback: RemovalKind, branch: str = "") -> None:
        """Cut under the kind the paragraph's own label names, else `fallback`."""
        paragraph = self.paragraphs[index]
        if paragraph.kind is None:
            self.cut(index, fallback, branch)
        else:
            self.cut(index, paragraph.kind, branch, paragraph.label or "")


def is_anchor(paragraph: Paragraph) -> bool:
    """Story text for sure: sentence-shaped, and not labelled unless it merely mentions chrome."""
    return paragraph.prose and (paragraph.kind is None or paragraph.mentions_chrome)


def is_chrome_anywhere(paragraph: Paragraph) -> bool:
    """A line that is chrome wherever it stands: a whole-line or leading phrase on a short,
    unquoted line, a contributor credit, a caption credit, a bare domain, a copyright line,
    a teaser title tagged "[VIDEO]", a stamp of several fields ("04.03.2026 | 3:12 min"; a
    line that merely opens by addressing the reader is judged by its shape)."""
    if paragraph.phrase is not None and paragraph.phrase.mode != "reader":
        if paragraph.phrase.named and not paragraph.quoted:
            return True  # its shape was checked: names, and only names, follow the label
        if paragraph.quoted or not paragraph.short:
            return False
        if paragraph.phrase.mode in ("line", "prefix"):
            return True
        sentence = paragraph.terminal and paragraph.words >= PROSE_WORDS
        return paragraph.phrase.mode == "contains" and not sentence
    return paragraph.shape in (
        RemovalKind.CREDIT,
        RemovalKind.SITE_NAME,
        RemovalKind.WIRE_TRAILER,
        RemovalKind.MARKUP,
        RemovalKind.RELATED_BLOCK,
    ) or is_field_stamp(paragraph)


def cut_duplicates(layout: Layout) -> None:
    """Short lines seen twice in one document are labels and menus; a long paragraph seen
    twice (a pull quote) keeps its first copy."""
    counts = Counter(p.key for p in layout.paragraphs)
    seen: set[str] = set()
    for index, paragraph in enumerate(layout.paragraphs):
        if counts[paragraph.key] < 2:
            continue
        short_label = paragraph.words <= DUPLICATE_MAX_WORDS and not paragraph.terminal
        if short_label or paragraph.key in seen:
            layout.cut_as_labelled(index, RemovalKind.DUPLICATE_LINE)
        seen.add(paragraph.key)


def cut_echoed_paragraphs(layout: Layout) -> None:
    """A paragraph word for word the same as the kept one right above it is the lead
    rendered twice (a summary box, then the body): the second copy goes. Copies apart
    (a pull quote) are left to `cut_duplicates` on dumps."""
    above: str | None = None
    for index, paragraph in enumerate(layout.paragraphs):
        if layout.cuts[index] is not None:
            continue
        if paragraph.key == above:
            layout.cut_as_labelled(index, RemovalKind.DUPLICATE_LINE)
        above = paragraph.key


def keep_densest_block(layout: Layout) -> None:
    """For a full-page dump: everything outside the densest prose run is page chrome. An
    inline teaser box right after that run does not end the story when the story goes on
    under it: the run then extends over the densest run that starts where the story resumes."""
    kept = [cut is None for cut in layout.cuts]
    start, end = densest_block(layout.paragraphs, kept)
    if end <= start:
        return
    while (
        resumed := _story_after_box(layout, [i for i in range(end, len(kept)) if kept[i]])
    ) is not None:
        later = [ok and i >= resumed for i, ok in enumerate(kept)]
        more_start, more_end = densest_block(layout.paragraphs, later)
        if more_start != resumed or more_end <= more_start:
            break
        end = more_end
    for index in [*range(start), *range(end, len(layout.paragraphs))]:
        layout.cut_as_labelled(index, RemovalKind.PAGE_CHROME)


def cut_related_blocks(layout: Layout) -> None:
    """A "related articles" heading ends the story when the prose after it weighs less than
    the prose before it, unless it opens an inline box the story resumes under (the heading
    and its teaser lines go); otherwise it is an inline teaser: the heading and the teaser
    titles up to the next paragraph go."""
    kept = layout.kept()
    for position, index in enumerate(kept):
        paragraph = layout.paragraphs[index]
        if not is_heading_phrase(paragraph) or paragraph.quoted:
            continue
        box = _inline_box(layout, kept[position + 1 :], above=_above(kept, position))
        if box is not None:
            for line in [index, *kept[position + 1 : position + 1 + box]]:
                layout.cut(line, RemovalKind.RELATED_BLOCK, "inline_box")
            continue
        before = sum(layout.paragraphs[i].words for i in kept[:position] if _prose(layout, i))
        after = sum(layout.paragraphs[i].words for i in kept[position + 1 :] if _prose(layout, i))
        if before > 0 and after <= before:
            for later in kept[position:]:
                layout.cut(later, RemovalKind.RELATED_BLOCK, "trailing")
            return
        layout.cut(index, RemovalKind.RELATED_BLOCK, "heading")
        _cut_teaser_titles(layout, kept[position + 1 :])


def cut_after_story_end(layout: Layout) -> None:
    """In a page dump the story ends at the first share / comment / tag / newsletter label
    that has more story above it than prose-like text below it: the rest is the page."""
    kept = layout.kept()
    for position, index in enumerate(kept):
        paragraph = layout.paragraphs[index]
        phrase = paragraph.phrase
        if phrase is None or phrase.kind not in END_KINDS or phrase.mode == "contains":
            continue
        if paragraph.quoted or not paragraph.short:
            continue
        if is_heading_phrase(paragraph) and _opens_inline_box(layout, kept, position):
            continue
        before = sum(layout.paragraphs[i].words for i in kept[:position] if _prose(layout, i))
        after = sum(layout.paragraphs[i].words for i in kept[position + 1 :] if _prose(layout, i))
        if before > 0 and after <= before:
            for later in kept[position:]:
                layout.cut_as_labelled(later, RemovalKind.PAGE_CHROME)
            return


def _inline_box(layout: Layout, following: list[int], *, above: int | None = None) -> int | None:
    """How many teaser lines follow a related heading when it opens an inline box: up to
    INLINE_BOX_LINES lines that are not sentences, then the story going on in long
    paragraphs (two of the next three, the first among them; a subheading may stand
    between), or, with a long story paragraph `above` the heading, in full-stop paragraphs,
    the first a long one, down to the next related heading or the end (a story closing on
    short sentences; a box whose teasers were cut upstream leaves its heading alone). A
    trailing block's teasers are followed by more teasers, short summaries or the page's
    footer, not by long story paragraphs, and an "about this series" box under the
    references has no story right above it."""
    lines = [layout.paragraphs[i] for i in following[: INLINE_BOX_LINES + RESUMED_PARAGRAPHS + 1]]
    teasers = next((n for n, line in enumerate(lines) if line.prose), len(lines))
    resumed = lines[teasers : teasers + RESUMED_PARAGRAPHS + 1]
    if teasers > INLINE_BOX_LINES or not resumed or not _resumes_story(resumed[0]):
        return None
    long_paragraphs = sum(map(_resumes_story, resumed))
    if teasers and long_paragraphs >= RESUMED_PARAGRAPHS:
        return teasers
    story_above = above is not None and _resumes_story(layout.paragraphs[above])
    return teasers if story_above and _story_runs_on(layout, following[teasers:]) else None


def _above(kept: list[int], position: int) -> int | None:
    return kept[position - 1] if position else None


def _opens_inline_box(layout: Layout, kept: list[int], position: int) -> bool:
    return _inline_box(layout, kept[position + 1 :], above=_above(kept, position)) is not None


def _story_runs_on(layout: Layout, following: list[int]) -> bool:
    """Every paragraph down to the next related heading (or the end) is an unlabelled
    statement: the story's own closing lines, not teaser titles or a footer."""
    for index in following:
        paragraph = layout.paragraphs[index]
        if is_heading_phrase(paragraph):
            return True
        if not paragraph.full_stop or paragraph.kind is not None:
            return False
    return True


def _resumes_story(paragraph: Paragraph) -> bool:
    return paragraph.full_stop and paragraph.kind is None and paragraph.words >= RESUMED_WORDS


def _story_after_box(layout: Layout, following: list[int]) -> int | None:
    """Where the story resumes under an inline box that opens within BOX_LEAD_LINES lines
    after the story block (an "Embed" or "Anzeige" label may stand between)."""
    for lead, index in enumerate(following[:BOX_LEAD_LINES]):
        paragraph = layout.paragraphs[index]
        if paragraph.prose:
            return None
        if is_heading_phrase(paragraph) and not paragraph.quoted:
            rest = following[lead + 1 :]
            box = _inline_box(layout, rest)
            return None if box is None else rest[box]
    return None


def _prose(layout: Layout, index: int) -> bool:
    return layout.paragraphs[index].prose


def _cut_teaser_titles(layout: Layout, following: list[int]) -> None:
    """The teaser titles under a related label: the first short line, or a bulleted list."""
    for position, index in enumerate(following):
        paragraph = layout.paragraphs[index]
        listed = paragraph.text.startswith(LIST_BULLETS)
        if paragraph.words > SHORT_TEASER_WORDS or (position > 0 or paragraph.prose) and not listed:
            return
        layout.cut(index, RemovalKind.RELATED_BLOCK, "teaser")


def cut_captions(layout: Layout) -> None:
    """A short sentence right above or below a picture's credit line ("© Agency", "Photo:
    Jane Doe", an AI-image label) is its caption, unless the line on the other side already is one (a caption
    labelled or cut there leaves the story on this side); story sentences are longer."""
    paragraphs = layout.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if not _is_credit_line(paragraph):
            continue
        for neighbour, other in ((index - 1, index + 1), (index + 1, index - 1)):
            if not 0 <= neighbour < len(paragraphs) or not _is_caption(paragraphs[neighbour]):
                continue
            if 0 <= other < len(paragraphs) and _is_labelled(layout, other):
                continue
            layout.cut(neighbour, RemovalKind.CREDIT, "", paragraph.label or "")


def _is_labelled(layout: Layout, index: int) -> bool:
    return layout.cuts[index] is not None or layout.paragraphs[index].kind is not None


def _is_credit_line(paragraph: Paragraph) -> bool:
    """A picture's credit, or its label as an AI-made image: either stands by its caption. An
    agency tag in parentheses alone is the story's wire credit: the sentence beside it is
    the story's first or last, not a caption."""
    if paragraph.words > CREDIT_LINE_WORDS or paragraph.quoted:
        return False
    if paragraph.kind is RemovalKind.AI_LABEL:
        return True
    return is_picture_credit(paragraph) and not is_wire_tag(paragraph)


def _is_caption(paragraph: Paragraph) -> bool:
    return (
        paragraph.full_stop and paragraph.kind is None and paragraph.words <= CAPTION_SENTENCE_WORDS
    )


def cut_labelled_lines(layout: Layout) -> None:
    """Lines that are chrome wherever they stand; a bare "Read more" label takes the teaser
    title after it along."""
    kept = layout.kept()
    for position, index in enumerate(kept):
        paragraph = layout.paragraphs[index]
        if not is_chrome_anywhere(paragraph) or layout.cuts[index] is not None:
            continue
        layout.cut_as_labelled(index, RemovalKind.PAGE_CHROME)
        bare_label = paragraph.phrase is not None and paragraph.phrase.mode == "line"
        if bare_label and paragraph.kind is RemovalKind.RELATED_BLOCK:
            _cut_teaser_titles(layout, kept[position + 1 :])


@dataclass(frozen=True, slots=True)
class Edge:
    """Where a line outside the story core stands, and what page it is on."""

    body_script: str
    page_dump: bool
    tail: bool  # below the story (else above it)
    leading: bool  # above the story of a page whose title is known


@dataclass(frozen=True, slots=True)
class EdgeRule:
    """A line outside the story core that goes, under an id a cut records; `kind` None: the
    kind its own label names."""

    id: str
    kind: RemovalKind | None
    test: Callable[[Paragraph, Edge], bool]


def _edge_label(paragraph: Paragraph, edge: Edge) -> bool:
    """Labelled chrome, unless the label is a sentence merely mentioning chrome or a question
    to the reader that is story (a long one, or any above the story)."""
    phrase = paragraph.phrase
    story_question = (
        phrase is not None and phrase.mode == "reader" and (paragraph.prose or not edge.tail)
    )
    return paragraph.kind is not None and not paragraph.mentions_chrome and not story_question


def _caseless_label(paragraph: Paragraph, edge: Edge) -> bool:
    """Scripts without capitals (Hebrew, Arabic, CJK) cannot show a name by its shape, so
    there a short line that is no sentence is label enough."""
    if not edge.leading or any(c.isupper() or c.islower() for c in paragraph.text):
        return False
    return paragraph.words <= CASELESS_LABEL_WORDS and not paragraph.terminal


#: The edge rules in the order a line is tried; the first that matches cuts it.
EDGE_RULES: tuple[EdgeRule, ...] = (
    EdgeRule("label", None, _edge_label),
    EdgeRule(
        "foreign_script",
        RemovalKind.FOREIGN_SCRIPT,
        lambda p, e: p.words <= FOREIGN_MAX_WORDS and p.script not in (e.body_script, "none"),
    ),
    EdgeRule("dump_chrome", RemovalKind.PAGE_CHROME, lambda p, e: e.page_dump and not p.prose),
    EdgeRule("lone_word", RemovalKind.PAGE_CHROME, lambda p, e: e.leading and p.words <= 1),
    EdgeRule("name_line", RemovalKind.BYLINE, lambda p, e: e.leading and is_name_line(p)),
    EdgeRule("caseless_label", RemovalKind.PAGE_CHROME, _caseless_label),
)


def cut_edges(layout: Layout, *, page_dump: bool, titled: bool = False) -> None:
    """Above the first and below the last anchor: labelled lines, short lines in another
    script than the story, and (in a page dump) every line that is not a sentence. A bare
    web address above the story is page furniture (below it, a list the story gives), and
    so, on a page whose title is known, are a lone word (a section, a kicker) and a lone
    name (the author) above it: the headline is not there to be mistaken for them. Below
    the story, the authors' names go."""
    kept = layout.kept()
    anchors = [i for i in kept if is_anchor(layout.paragraphs[i])]
    if not anchors:
        return
    body_script = _body_script(layout, anchors)
    edges = [i for i in kept if i < anchors[0] or i > anchors[-1]]
    for index in edges:
        tail = index > anchors[-1]
        edge = Edge(body_script, page_dump, tail, titled and not tail)
        _cut_edge(layout, index, edge)
    _cut_signatures(layout, [i for i in edges if i > anchors[-1]])


def _cut_edge(layout: Layout, index: int, edge: Edge) -> None:
    """The first edge rule that matches cuts the line. Below the story, a summary signed by
    its author and a list of web addresses are the story's."""
    paragraph = layout.paragraphs[index]
    signed_summary = paragraph.phrase is None and paragraph.shape is RemovalKind.BYLINE
    if edge.tail and (signed_summary or paragraph.kind is RemovalKind.LINK_LIST):
        return
    rule = next((rule for rule in EDGE_RULES if rule.test(paragraph, edge)), None)
    if rule is not None and rule.kind is None:
        layout.cut_as_labelled(index, RemovalKind.PAGE_CHROME, rule.id)
    elif rule is not None:
        layout.cut(index, rule.kind, rule.id)


def _cut_signatures(layout: Layout, tail: list[int]) -> None:
    """The authors' names close the page: a names line goes when nothing but chrome and
    other names lines stand below it (above a list, it is the list's heading)."""
    for index in reversed(tail):
        if layout.cuts[index] is not None:
            continue
        if not is_signature(layout.paragraphs[index]):
            return
        layout.cut(index, RemovalKind.BYLINE, "signature")


def cut_tail_appendix(layout: Layout) -> None:
    """Below the last story sentence, a contact or further-information heading, a phone
    number or an e-mail address opens an appendix of contacts, links and references (the
    author's name above an e-mail address is a signature, not part of it): it goes with
    everything below it, as long as nothing below reads as a story sentence (reference lines
    are long but do not end like one, reference titles are short). A short label ending in a
    colon goes when nothing is left under it (specs and nutrition tables under such labels
    are story), unless it closes a run of such labels (a list)."""
    kept = layout.kept()
    sentences = [i for i in kept if _appendix_breaker(layout.paragraphs[i])]
    if not sentences:
        return
    tail = [i for i in kept if i > sentences[-1]]
    below = range(sentences[-1] + 1, len(layout.paragraphs))  # an opener already cut counts
    start = next((i for i in below if _opens_tail_box(layout.paragraphs[i])), None)
    if start is None and tail and _is_dangling_label(layout, kept):
        start = tail[-1]
    if start is None:
        return
    for index in tail:
        if index >= start:
            layout.cut_as_labelled(index, RemovalKind.SITE_NAME)


def _opens_tail_box(paragraph: Paragraph) -> bool:
    """An appendix heading, or a short paywall / subscription line (its sales pitch below)."""
    paywall = paragraph.kind is RemovalKind.NEWSLETTER and not paragraph.mentions_chrome
    return paragraph.opens_appendix or (paywall and paragraph.short and not paragraph.quoted)


def _appendix_breaker(paragraph: Paragraph) -> bool:
    """Story text: under an appendix heading it makes the heading a story part."""
    if not is_anchor(paragraph) or paragraph.words <= APPENDIX_SENTENCE_WORDS:
        return False
    return paragraph.terminal or paragraph.words > APPENDIX_PARAGRAPH_WORDS


def _is_dangling_label(layout: Layout, kept: list[int]) -> bool:
    """The last line is a short label ending in a colon, and the line above is not one."""
    last = layout.paragraphs[kept[-1]]
    above = layout.paragraphs[kept[-2]] if len(kept) > 1 else None
    return _is_appendix_label(last) and not (above is not None and _is_appendix_label(above))


def _is_appendix_label(paragraph: Paragraph) -> bool:
    text = paragraph.text.rstrip()
    return text.endswith(":") and paragraph.words <= APPENDIX_LABEL_WORDS and not paragraph.quoted


def _body_script(layout: Layout, anchors: list[int]) -> str:
    weights: Counter[str] = Counter()
    for index in anchors:
        paragraph = layout.paragraphs[index]
        weights[paragraph.script] += paragraph.words
    return weights.most_common(1)[0][0]


@dataclass(frozen=True, slots=True)
class Reading:
    """How a document is read: a page dump (its story must be found first), and whether
    its title is known."""

    page_dump: bool
    titled: bool


@dataclass(frozen=True, slots=True)
class PositionRule:
    """One step over a document's layout, under the id its cuts record."""

    id: str
    apply: Callable[[Layout, Reading], None]
    dumps_only: bool = False


#: The steps in the order they run: on page dumps the story is found first (repeated
#: labels, the densest prose run, the end of the story), then on every document related
#: blocks, captions, lines that are chrome anywhere, a trailing appendix and the edges.
RULES: tuple[PositionRule, ...] = (
    PositionRule("duplicate_lines", lambda layout, _: cut_duplicates(layout), dumps_only=True),
    PositionRule("densest_block", lambda layout, _: keep_densest_block(layout), dumps_only=True),
    PositionRule("story_end", lambda layout, _: cut_after_story_end(layout), dumps_only=True),
    PositionRule("echoed_paragraph", lambda layout, _: cut_echoed_paragraphs(layout)),
    PositionRule("related", lambda layout, _: cut_related_blocks(layout)),
    PositionRule("captions", lambda layout, _: cut_captions(layout)),
    PositionRule("labelled_lines", lambda layout, _: cut_labelled_lines(layout)),
    PositionRule("tail_appendix", lambda layout, _: cut_tail_appendix(layout)),
    PositionRule(
        "edges",
        lambda layout, how: cut_edges(layout, page_dump=how.page_dump, titled=how.titled),
    ),
)


def apply_rules(layout: Layout, *, page_dump: bool, titled: bool = False) -> None:
    how = Reading(page_dump, titled)
    for rule in RULES:
        if page_dump or not rule.dumps_only:
            layout.step = rule.id
            rule.apply(layout, how)
