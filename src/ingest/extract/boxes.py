"""Promotional boxes named as such by their markup, cut from trafilatura's result.

Newsletter sign-ups, "most read" and "related" teaser boxes, sponsored and affiliate deals,
share bars and author biographies sit inside or beside the story container, and trafilatura
keeps some of them as story blocks. Their class and id words say what they are. The boxes are
found in the page before extraction, and afterwards the result blocks whose text lies inside
one of them are dropped.

Cutting the boxes from the page before extraction instead changes which container
trafilatura picks on some pages and costs more than it gains. Working on the result only
removes text, so the story's own blocks are never swapped for others.

A named box that holds a large share of the page's visible text is the story itself in an
oddly named wrapper ("promo-article", "related-content" around the body); such a box is
ignored, and so is a box whose text would make up a large share of the extracted story.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from lxml.etree import _Element
from lxml.html import HtmlElement

from ingest.extract.class_words import (
    BOX_STEMS,
    BOX_WORDS,
    DESCRIBING_PREFIXES,
    SPLIT_BOX_HEADS,
    name_words,
)
from ingest.extract.names import (
    FRAME_TAGS,
    INVISIBLE_TAGS,
    PageNames,
    named_elements,
    page_names,
    visible_text_length,
)
from ingest.text import squeeze

_ALL_PIECES = BOX_WORDS | set(BOX_STEMS) | set(SPLIT_BOX_HEADS)
#: Searched for in the page's lower-cased class and id values; the values holding one are
#: looked at word by word. A piece holding a shorter one ("newsletters", "biography") would
#: only find values the shorter one finds, so it is not searched for.
_PIECES = tuple(sorted(p for p in _ALL_PIECES if not any(q != p and q in p for q in _ALL_PIECES)))
#: A box with at least this share of the page's visible text is the story, not a box.
MAX_PAGE_SHARE = 0.4
#: Blocks in boxes that would make up this share of the extracted text or more are kept:
#: a page is never mostly box. A long fact box (a transcript, a glossary) beside a story
#: can be over half of the text, so the bar sits above one half.
MAX_STORY_SHARE = 0.7
#: A heading of at most this many words is a section label.
LABEL_MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class Boxes:
    """The squeezed visible texts of a page's promotional boxes.

    Blocks are looked for in them with every space taken out, because trafilatura joins a
    box's paragraphs and line breaks without one ("...can work.17,000 of them...") where the
    page's text has one.
    """

    texts: tuple[str, ...]
    _solid_texts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_solid_texts", tuple(map(_solid, self.texts)))

    def holds(self, text: str) -> bool:
        solid = _solid(text)
        return bool(solid) and any(solid in box for box in self._solid_texts)


def _solid(text: str) -> str:
    return "".join(text.split())


@lru_cache(maxsize=1 << 14)
def _box_named(names: str) -> bool:
    """Whether a class and id value names a box; memoised, since templates repeat their
    class values on every page of a site and many times on one page."""
    for name in names.split():
        if name.lower().startswith(DESCRIBING_PREFIXES):
            continue
        words = name_words(name)
        if not BOX_WORDS.isdisjoint(words) or "".join(words) in BOX_WORDS:
            return True
        if any(a + b in BOX_WORDS for a, b in itertools.pairwise(words)):
            return True
        if any(word.startswith(BOX_STEMS) for word in words):
            return True
    return False


def _visible_text(element: HtmlElement) -> str:
    """Text a reader sees in `element`: the own text of invisible elements and comments left
    out, pieces joined without spaces (see `lead._visible_text` for the other reading)."""
    parts: list[str] = []
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag not in INVISIBLE_TAGS:
            parts.append(node.text or "")
        if node is not element:
            parts.append(node.tail or "")
    return squeeze("".join(parts))


def find_boxes(tree: HtmlElement, names: PageNames | None = None) -> Boxes:
    """The promotional boxes of `tree` (outermost ones only), read before extraction.

    `names` are the page's class and id values when the caller has read them already.
    """
    names = names if names is not None else page_names(tree)
    found: list[HtmlElement] = []
    for element in named_elements(names, _PIECES, lower=True):
        if element.tag in FRAME_TAGS or (found and found[-1] is element):
            continue
        if _box_named(f"{element.get('class') or ''} {element.get('id') or ''}"):
            found.append(element)
    if not found:
        return Boxes(())
    page_length = names.page_length(tree)
    texts: list[str] = []
    outer: set[int] = set()
    for element in found:
        if any(id(node) in outer for node in element.iterancestors()):
            continue
        if next(element.iter("h1"), None) is not None:
            continue
        if visible_text_length(element) >= MAX_PAGE_SHARE * page_length:
            continue
        text = _visible_text(element)
        if text:
            texts.append(text)
            outer.add(id(element))
    return Boxes(tuple(texts))


def _block_text(block: _Element) -> str:
    return squeeze("".join(block.itertext()))


def cut_boxes(body: _Element, boxes: Boxes) -> list[str]:
    """Drop the blocks (and list items) of trafilatura's result tree that lie in `boxes`;
    return their texts.

    A short heading that opens text kept as story stays: it is a section label
    ("Related articles") that the text cleaner reads as the start of a trailing section it
    cuts whole. Nothing is dropped when the matching blocks would be a large share of the
    story: a box that copies the story (a share bar quoting the lead) is not what it is named.
    """
    if not boxes.texts:
        return []
    blocks = list(body)
    texts = [_block_text(block) for block in blocks]
    inside = [boxes.holds(text) for text in texts]
    total = sum(map(len, texts))
    doomed: list[_Element] = []
    for i, block in enumerate(blocks):
        if block.tag == "list":
            items = block.findall("item")
            cut = [item for item in items if boxes.holds(_block_text(item))]
            doomed.extend([block] if cut and len(cut) == len(items) else cut)
        elif inside[i] and not _opens_kept_text(blocks, inside, i):
            doomed.append(block)
    if not doomed:
        return []
    cut_texts = [_block_text(block) for block in doomed]
    if sum(map(len, cut_texts)) >= MAX_STORY_SHARE * total:
        return []
    for block in doomed:
        block.getparent().remove(block)
    return [text for text in cut_texts if text]


def _opens_kept_text(blocks: list[_Element], inside: list[bool], i: int) -> bool:
    block = blocks[i]
    return (
        block.tag == "head"
        and len(_block_text(block).split()) <= LABEL_MAX_WORDS
        and i + 1 < len(blocks)
        and not inside[i + 1]
    )
