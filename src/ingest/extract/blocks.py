"""A page cut into text blocks (or a text dump into lines), and the features the learned
block scorer reads from them.

A block is the text a reader sees between two block-level boundaries (paragraph, heading,
list item, table cell, division, line break). Each block knows its depth, how much of its
text is link text and the innermost element open where it ends. Where it sits (the
block-level element holding it, the landmarks above it, the class and id words of its
ancestors) is read from that element's ancestors only for the blocks a decision scores: a
walk that worked it out for every element cost more than all the rest of the scorer.

The features are the signals that carry from one site to another: text shape, link
density, position, tag path, class/id words, whether the extraction kept the block and its
neighbours, and whether it repeats on the page. All of them are known where the page is
extracted (repetition across a site's pages is not: stage 2's site-repeat rule has it).
Nothing here is tuned to a page; the weights come from the model file (see `scorer`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np
import regex
from lxml import etree
from lxml.html import HtmlElement

from ingest.extract.class_words import CHROME_NAME_WORDS, STORY_NAME_WORDS, name_words

#: Tags that end the running block and start one of their own.
BLOCK_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "blockquote",
        "pre", "figcaption", "caption", "div", "section", "article", "header", "footer",
        "aside", "nav", "main", "form", "ul", "ol", "dl", "table", "tr", "address", "center",
        "figure", "body", "br", "hr", "tbody", "thead", "tfoot", "fieldset", "details",
        "summary", "label", "legend",
    }
)  # fmt: skip
#: Elements whose text no reader sees.
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "select", "textarea",
     "button", "option", "object", "canvas", "math"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CELLS = frozenset({"td", "th", "dd", "dt"})
_LANDMARKS = ("article", "main", "nav", "header", "footer", "aside", "form", "table", "figure")
_LISTS = frozenset({"ul", "ol", "dl"})
_SENTENCE_END = re.compile(r"[.!?…。！？؟।][\"'”’»)\]]*$")
_SENTENCE_MARK = re.compile(r"[.!?…。！？؟।](?:\s|$)")
_WORD = re.compile(r"\w+")
_LETTER = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
_DIGIT = regex.compile(r"\p{Nd}")
_PUNCT = regex.compile(r"\p{P}")


class Place(NamedTuple):
    """Where a block sits in the tree: the block-level element holding it, the landmark and
    list tags above it (article, nav, ul, ...), and how many of its ancestors have a chrome
    word and a story-container word in their class or id. One is made per element read."""

    tag: str
    landmarks: frozenset[str]
    chrome_names: int
    story_names: int


#: The place of text outside every element, and of a block made without a tree.
ROOT_PLACE = Place("body", frozenset(), 0, 0)


class Block(NamedTuple):
    """One block of visible text (whitespace collapsed), its depth and link text, and where
    it sits: read from `holder` (the innermost element open where the block ends) only when
    a decision needs it, or `given` for a block made without a tree. A named tuple, not a
    frozen dataclass: a page makes hundreds, and a frozen dataclass takes several times
    as long to make."""

    text: str
    depth: int
    link_chars: int  # characters of the text inside <a>
    holder: HtmlElement | None = None
    given: Place = ROOT_PLACE

    @property
    def place(self) -> Place:
        return self.given if self.holder is None else places([self])[0]


@lru_cache(maxsize=1 << 16)
def _word_flags(token: str) -> tuple[bool, bool]:
    """Whether one class or id token ("articleBody") holds a chrome word and a
    story-container word, split into lower-case words (articleBody -> article, body).
    Templates reuse few tokens across pages, so each is split once."""
    lowered = token.lower()
    words = set(name_words(lowered))
    if lowered != token:  # without a capital there is no camelCase to split
        words.update(name_words(token))
    return not CHROME_NAME_WORDS.isdisjoint(words), not STORY_NAME_WORDS.isdisjoint(words)


@lru_cache(maxsize=1 << 14)
def _name_flags(raw: str) -> tuple[bool, bool]:
    """_word_flags of a class and id value ("articleBody share-bar"): a word never spans
    whitespace, so the value's words are its tokens' words."""
    chrome = story = False
    for token in raw.split():
        token_chrome, token_story = _word_flags(token)
        chrome, story = chrome or token_chrome, story or token_story
    return chrome, story


_SKIPPED = frozenset(SKIP_TAGS | {""})
_MARKS = frozenset(_LANDMARKS) | _LISTS


def _place_under(parent: Place, element: HtmlElement) -> Place:
    tag = element.tag
    names, key = element.get("class"), element.get("id")
    chrome, story = _name_flags(f"{names or ''} {key or ''}") if names or key else (0, 0)
    landmarks = parent.landmarks
    return Place(
        tag if tag in BLOCK_TAGS else parent.tag,
        landmarks | {tag} if tag in _MARKS and tag not in landmarks else landmarks,
        parent.chrome_names + chrome,
        parent.story_names + story,
    )


def places(blocks: Sequence[Block]) -> list[Place]:
    """The place of each block, read from the ancestors of its holder. Blocks share most
    ancestors, so each element is read once (from the nearest one already read down)."""
    known: dict[HtmlElement, Place] = {}
    out = []
    for block in blocks:
        if block.holder is None:
            out.append(block.given)
            continue
        chain = []
        element: HtmlElement | None = block.holder
        while element is not None and element not in known:
            chain.append(element)
            element = element.getparent()
        place = ROOT_PLACE if element is None else known[element]
        for element in reversed(chain):
            place = known[element] = _place_under(place, element)
        out.append(place)
    return out


def segment(tree: HtmlElement) -> list[Block]:
    """The page's text blocks in document order (invisible elements left out).

    One lean walk over the tree: text, depth and link text only. Where a block sits (its
    block-level element, landmarks, class and id words) is read later, from its holder's
    ancestors, for the few blocks a decision reads (`places`)."""
    blocks: list[Block] = []
    parts: list[str] = []
    linked = links = 0
    opened: list[HtmlElement | None] = []

    def flush() -> None:
        nonlocal linked
        text = " ".join("".join(parts).split())
        if text:
            holder = opened[-1] if opened else None
            blocks.append(Block(text, len(opened), min(linked, len(text)), holder))
        parts.clear()
        linked = 0

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if tag.__class__ is not str or tag in _SKIPPED:
                walker.skip_subtree()  # nothing inside is read; its tail is the parent's
                opened.append(None)
                continue
            if parts and tag in BLOCK_TAGS:
                flush()
            opened.append(element)
            links += tag == "a"
            text = element.text
        else:
            if parts and tag in BLOCK_TAGS:
                flush()
            opened.pop()
            links -= tag == "a"
            text = element.tail
        if text and (parts or not text.isspace()):  # white space opening a block is no text
            parts.append(text)
            if links:
                linked += len(text.strip())
    flush()
    return blocks


_LINE = Place("line", frozenset(), 0, 0)


def line_blocks(text: str) -> list[Block]:
    """A plain-text dump's lines as blocks: text shape, position and repetition are what
    a dump keeps of its page."""
    return [
        Block(line, 0, 0, given=_LINE)
        for line in (" ".join(raw.split()) for raw in text.splitlines())
        if line
    ]


def block_text(block: Block) -> str:
    """`normalized(block.text)`: a block's text is collapsed already, so only text that NFC
    changes is worked on."""
    text = block.text
    return text if unicodedata.is_normalized("NFC", text) else normalized(text)


def normalized(text: str) -> str:
    """NFC, whitespace collapsed: how block texts are compared with extracted texts."""
    return " ".join(unicodedata.normalize("NFC", text).split())


FEATURES = (
    "log_chars", "log_words", "link_share", "punct_share", "digit_share", "upper_share",
    "letter_share", "ends_sentence", "sentence_marks", "mean_word_len", "position",
    "char_position", "depth", "depth_from_main", "tag_p", "tag_heading", "tag_li", "tag_cell",
    "tag_div", "tag_other", "in_article", "in_main", "in_nav", "in_header", "in_footer",
    "in_aside", "in_form", "in_table", "in_figure", "in_list", "chrome_names", "story_names",
    "in_trafilatura", "in_pipeline", "prev_in_trafilatura", "next_in_trafilatura",
    "prev_in_pipeline", "next_in_pipeline", "prev_log_chars", "next_log_chars",
    "repeats_on_page", "log_blocks", "page_extracted_share",
)  # fmt: skip


_SHAPE = (
    "log_chars", "log_words", "punct_share", "digit_share", "upper_share", "letter_share",
    "ends_sentence", "sentence_marks", "mean_word_len",
)  # fmt: skip


#: Character classes counted per block, as bits of a code point's flags.
_CLASSES = (_LETTER, _UPPER, _DIGIT, _PUNCT, _WORD)
_LETTER_BIT, _UPPER_BIT, _DIGIT_BIT, _PUNCT_BIT, _WORD_BIT = (1 << i for i in range(5))
_BMP = 0x10000
_SENTENCE_END_LINE = re.compile(_SENTENCE_END.pattern, re.MULTILINE)


def _flags_of(chars: str) -> np.ndarray:
    """Each character's class bits, found by the very patterns the features are defined by."""
    flags = np.zeros(len(chars), dtype=np.uint8)
    for bit, pattern in enumerate(_CLASSES):
        hits = [m.start() + i for m in pattern.finditer(chars) for i in range(len(m.group()))]
        flags[hits] |= 1 << bit
    return flags


@cache
def _bmp_flags() -> np.ndarray:
    """Class bits of every code point of the Basic Multilingual Plane, computed once."""
    return _flags_of("".join(map(chr, range(_BMP))))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _shape(texts: Sequence[str]) -> np.ndarray:
    """The _SHAPE features of each text (one row per text), counted over all texts at once:
    the texts are joined by line breaks (no text holds one) and each character's classes
    looked up in a table, so the cost grows with the characters, not the blocks."""
    joined = "\n".join(texts)
    points = _code_points(joined)
    flags = _bmp_flags()[np.minimum(points, _BMP - 1)]
    wide = np.flatnonzero(points >= _BMP)
    if len(wide):
        flags[wide] = _flags_of("".join(chr(c) for c in points[wide]))
    chars = _column(len(t) for t in texts)
    starts = np.concatenate([[0], np.cumsum(chars[:-1] + 1)]).astype(np.int64)
    words = (flags & _WORD_BIT) > 0
    word_starts = words & ~np.concatenate([[False], words[:-1]])

    def per_text(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.astype(np.float64), starts)

    def hits(pattern: re.Pattern[str]) -> np.ndarray:
        found = [m.start() for m in pattern.finditer(joined)]
        return np.bincount(np.searchsorted(starts, found, side="right") - 1, minlength=len(texts))

    letters = per_text((flags & _LETTER_BIT) > 0)
    n_words = per_text(word_starts)
    return np.column_stack(
        [
            _column(math.log1p(c) for c in chars),
            _column(math.log1p(w) for w in n_words),
            per_text((flags & _PUNCT_BIT) > 0) / chars,
            per_text((flags & _DIGIT_BIT) > 0) / chars,
            per_text((flags & _UPPER_BIT) > 0) / np.maximum(letters, 1),
            letters / chars,
            (hits(_SENTENCE_END_LINE) > 0).astype(np.float64),
            hits(_SENTENCE_MARK) / np.maximum(n_words, 1),
            per_text(words) / np.maximum(n_words, 1),
        ]
    )


def _column(values: Iterable[float | bool]) -> np.ndarray:
    return np.fromiter(values, dtype=np.float64)


def _before(values: np.ndarray) -> np.ndarray:
    """Each block's previous block's value (0 for the first)."""
    return np.concatenate([[0.0], values[:-1]])


def _after(values: np.ndarray) -> np.ndarray:
    """Each block's next block's value (0 for the last)."""
    return np.concatenate([values[1:], [0.0]])


_KIND = (
    "tag_p", "tag_heading", "tag_li", "tag_cell", "tag_div", "tag_other",
    *(f"in_{name}" for name in _LANDMARKS), "in_list",
)  # fmt: skip
_NAMED_TAGS = frozenset({"p", "li", "div", *_HEADINGS, *_CELLS})


@cache
def _kind(tag: str, landmarks: frozenset[str]) -> tuple[bool, ...]:
    """The _KIND features: one-hot tag, then the landmarks above. Few distinct pairs occur
    (tags and landmarks are closed sets), so each is worked out once."""
    return (
        tag == "p",
        tag in _HEADINGS,
        tag == "li",
        tag in _CELLS,
        tag == "div",
        tag not in _NAMED_TAGS,
        *(name in landmarks for name in _LANDMARKS),
        not _LISTS.isdisjoint(landmarks),
    )


def _place(blocks: Sequence[Block], only: Sequence[int]) -> dict[str, np.ndarray]:
    """Tag, landmarks and class/id words: where in the page's tree each block of `only` sits
    (the page's main depth is that of all its blocks)."""
    chosen = [blocks[i] for i in only]
    where = places(chosen)
    kinds = np.array([_kind(p.tag, p.landmarks) for p in where], dtype=np.float64)
    kinds = kinds.reshape(len(chosen), len(_KIND))
    depth = _column(b.depth for b in chosen)
    long_depths = [b.depth for b in blocks if len(b.text) >= 80] or [b.depth for b in blocks]
    return {
        "link_share": _column(b.link_chars / len(b.text) for b in chosen),
        "depth": depth,
        "depth_from_main": depth - Counter(long_depths).most_common(1)[0][0],
        **dict(zip(_KIND, kinds.T, strict=True)),
        "chrome_names": _column(min(p.chrome_names, 5) for p in where),
        "story_names": _column(min(p.story_names, 5) for p in where),
    }


#: A block text shorter than this counts as kept by an extraction only when it is one of
#: the extraction's lines: short texts ("Share", a date) turn up inside story paragraphs.
MIN_INSIDE_CHARS = 20


def _within(texts: list[str], whole: str) -> np.ndarray:
    """Whether each normalised text is one of `whole`'s lines or, from MIN_INSIDE_CHARS
    characters up, occurs in it. A text whose inner words are not all words of `whole`
    cannot occur in it, which settles most chrome without scanning `whole`."""
    lines = set(whole.splitlines())
    flat = normalized(whole)
    words = set(flat.split(" "))

    def inside(text: str) -> bool:
        if text in lines:
            return True
        if len(text) < MIN_INSIDE_CHARS:
            return False
        return words.issuperset(text.split(" ")[1:-1]) and text in flat

    return _column(inside(t) for t in texts)


def _kept(
    texts: list[str], extracted: str, cleaned: str, rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Whether the extraction kept each block before and after its own cuts, and its
    neighbours. Only `rows` and their neighbours are looked up in `cleaned` (nothing else
    reads it); the others read 0 there."""
    in_extracted = _within(texts, extracted)
    near = np.unique(np.concatenate([rows - 1, rows, rows + 1]).clip(0, len(texts) - 1))
    in_cleaned = np.zeros(len(texts))
    in_cleaned[near] = _within([texts[i] for i in near], cleaned)
    return {
        "in_trafilatura": in_extracted,
        "in_pipeline": in_cleaned,
        "prev_in_trafilatura": _before(in_extracted),
        "next_in_trafilatura": _after(in_extracted),
        "prev_in_pipeline": _before(in_cleaned),
        "next_in_pipeline": _after(in_cleaned),
    }


def features(
    blocks: Sequence[Block],
    extracted: str,
    cleaned: str,
    only: Sequence[int] | None = None,
    texts: Sequence[str] | None = None,
) -> np.ndarray:
    """One row of FEATURES per block of `only` (every block by default), computed a column
    at a time; page-level and neighbour columns read every block. `texts` are the blocks'
    `normalized` texts, when the caller has them already.

    For a page, `extracted` is what trafilatura's call kept and `cleaned` the extraction's
    body after our page cuts; for a dump, the dump and the rules' body.
    """
    n = len(blocks)
    rows = np.arange(n) if only is None else np.asarray(only, dtype=np.int64)
    if not n or not len(rows):
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    texts = list(texts) if texts is not None else [block_text(b) for b in blocks]
    shape = _shape([blocks[i].text for i in rows])
    sizes = _column(map(len, texts))
    lengths = _column(map(math.log1p, sizes))
    kept = _kept(texts, extracted, cleaned, rows)
    counts = Counter(texts)
    total = max(sizes.sum(), 1.0)
    columns = {
        **{name: column[rows] for name, column in kept.items()},
        "position": rows / max(n - 1, 1),
        "char_position": (np.concatenate([[0.0], np.cumsum(sizes)[:-1]]) / total)[rows],
        "prev_log_chars": _before(lengths)[rows],
        "next_log_chars": _after(lengths)[rows],
        "repeats_on_page": _column(counts[texts[i]] > 1 for i in rows),
        "log_blocks": np.full(len(rows), math.log1p(n)),
        "page_extracted_share": np.full(
            len(rows), float(sizes[kept["in_trafilatura"] > 0].sum() / total)
        ),
        **dict(zip(_SHAPE, shape.T, strict=True)),
        **_place(blocks, rows),
    }
    return np.column_stack([columns[name] for name in FEATURES])
