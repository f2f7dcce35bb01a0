"""The rest of a story that the page splits over sibling blocks.

Some templates (magazines with ads between "chunks" of the story) put the article body in
several sibling blocks with the same tag and class. trafilatura keeps the block it scores
best and drops its twins, so half the story goes missing. The twins are easy to see in the
markup: the block that holds the extracted story has siblings with its exact tag and class
that hold long paragraphs of their own. Their paragraphs are story text.

The check is one walk over the page's paragraphs plus a look at a few ancestors, so it costs
little on the pages it does not touch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from ingest.extract.class_words import CAPTION_PREFIXES
from ingest.text import squeeze

#: How many ancestors of the story's first paragraph are looked at for twins.
MAX_LEVELS = 3
#: A twin block counts when its paragraphs hold this many characters...
TWIN_MIN_CHARS = 300
#: ...in paragraphs this long on average (teaser cards have short blurbs)...
TWIN_MIN_MEAN_PARAGRAPH = 80
#: ...and at most this share of that text is link text.
TWIN_MAX_LINK_SHARE = 0.3
#: The first extracted line must be this long to find its block in the page.
ANCHOR_MIN_CHARS = 30
_PARAGRAPH_TAGS = ("p", "h2", "h3")
#: A paragraph whose text is at least this share link text is a pointer to another page.
PARAGRAPH_MAX_LINK_SHARE = 0.5
_NOT_STORY = frozenset(
    {"figure", "figcaption", "aside", "nav", "footer", "form", "button", "ul", "ol", "li"}
)
_NOT_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True, slots=True)
class SplitStory:
    before: list[str]  # paragraphs of twin blocks that come before the extracted one
    after: list[str]  # paragraphs of twin blocks that come after it


def _anchor(tree: HtmlElement, first_line: str) -> HtmlElement | None:
    start = squeeze(first_line)[:ANCHOR_MIN_CHARS]
    if len(start) < ANCHOR_MIN_CHARS:
        return None
    for paragraph in tree.iter("p"):
        if _begins_with(paragraph, start):
            return paragraph
    return None


def _begins_with(paragraph: HtmlElement, start: str) -> bool:
    """Whether the paragraph's text, whitespace squeezed, begins with `start`
    (`ANCHOR_MIN_CHARS` long). The squeezed text begins with the squeezed text before the
    paragraph's first child, so that is read first: a paragraph is read whole only when
    its leading text is shorter than `start` and agrees with it."""
    head = squeeze(paragraph.text or "")
    if len(head) >= ANCHOR_MIN_CHARS:
        return head[:ANCHOR_MIN_CHARS] == start
    return start.startswith(head) and squeeze(paragraph.text_content())[:ANCHOR_MIN_CHARS] == start


def _captioned(element: HtmlElement) -> bool:
    words = _NOT_LETTERS.split((element.get("class") or "").lower())
    return any(word.startswith(CAPTION_PREFIXES) for word in words)


def _in_story(element: HtmlElement, block: HtmlElement) -> bool:
    node = element
    while node is not None and node is not block:
        if node.tag in _NOT_STORY or _captioned(node):
            return False
        node = node.getparent()
    return True


def _paragraphs(block: HtmlElement) -> list[str]:
    """Story paragraphs of a twin block, or [] when it looks like a teaser or link block."""
    texts, link_chars = [], 0
    for element in block.iter(*_PARAGRAPH_TAGS):
        if not _in_story(element, block):
            continue
        text = squeeze(element.text_content())
        links = sum(len(squeeze(a.text_content())) for a in element.iter("a"))
        if text and links < PARAGRAPH_MAX_LINK_SHARE * len(text):
            texts.append(text)
            link_chars += links
    total = sum(len(text) for text in texts)
    if total < TWIN_MIN_CHARS or total < TWIN_MIN_MEAN_PARAGRAPH * len(texts):
        return []
    return texts if link_chars <= TWIN_MAX_LINK_SHARE * total else []


def split_story(tree: HtmlElement, first_line: str) -> SplitStory | None:
    """Paragraphs of the twin blocks of the block where `first_line` sits, or None."""
    node = _anchor(tree, first_line)
    for _ in range(MAX_LEVELS):
        if node is None:
            return None
        node = node.getparent()
        parent = node.getparent() if node is not None else None
        if parent is None or not node.get("class"):
            continue
        twins = [s for s in parent if s.tag == node.tag and s.get("class") == node.get("class")]
        if len(twins) < 2:
            continue
        position = twins.index(node)
        before = [p for twin in twins[:position] for p in _paragraphs(twin)]
        after = [p for twin in twins[position + 1 :] for p in _paragraphs(twin)]
        if before or after:
            return SplitStory(before, after)
    return None
