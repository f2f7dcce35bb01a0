"""A page cut into text blocks (or a text dump into lines), and the features the learned block scorer reads from them.

A block is the text a reader sees between two block-level boundaries (paragraph, heading,
list item, table cell, division, line break). Each block knows the element that holds it,
its depth, the tags above it, the class and id words of its ancestors and how much of its
text is link text. The features are the signals that carry from one site to another: text
shape, link density, position, tag path, class/id words, whether the extractor kept the
block and how often the block repeats on the site's other pages. Nothing here is tuned to a
page; the weights come from the model file (see `scorer`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex
from lxml import etree
from lxml.html import HtmlElement

from ingest.extract.class_words import CHROME_NAME_WORDS, STORY_NAME_WORDS

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
_NAME_SPLIT = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")
_SENTENCE_END = re.compile(r"[.!?…。！？؟।][\"'”’»)\]]*$")
_SENTENCE_MARK = re.compile(r"[.!?…。！？؟।](?:\s|$)")
_WORD = re.compile(r"\w+")
_LETTER = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
_DIGIT = regex.compile(r"\p{Nd}")
_PUNCT = regex.compile(r"\p{P}")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of visible text, with what its place in the tree says about it."""

    text: str
    tag: str  # the block-level element holding the text
    depth: int
    link_chars: int  # characters of the text inside <a>
    landmarks: frozenset[str]  # landmark and list tags above the block (article, nav, ul, ...)
    chrome_names: int  # ancestors whose class/id holds a chrome word
    story_names: int  # ancestors whose class/id holds a story-container word


def name_words(element: HtmlElement) -> set[str]:
    """The lower-case words of an element's class and id ("articleBody" -> article, body)."""
    raw = f"{element.get('class', '')} {element.get('id', '')}"
    if len(raw) <= 1:
        return set()
    words = set(_NAME_SPLIT.split(_CAMEL.sub(r"\1 \2", raw).lower()))
    words.update(_NAME_SPLIT.split(raw.lower()))
    words.discard("")
    return words


@dataclass(slots=True)
class _Frame:
    tag: str
    chrome: bool
    story: bool


def segment(tree: HtmlElement) -> list[Block]:
    """The page's text blocks in document order (invisible elements left out)."""
    blocks: list[Block] = []
    parts: list[str] = []
    linked = 0
    stack: list[_Frame] = []
    links = 0

    def flush() -> None:
        nonlocal linked
        text = " ".join("".join(parts).split())
        if text:
            owner = next((f.tag for f in reversed(stack) if f.tag in BLOCK_TAGS), "body")
            blocks.append(
                Block(
                    text=text,
                    tag=owner,
                    depth=len(stack),
                    link_chars=min(linked, len(text)),
                    landmarks=frozenset(
                        f.tag for f in stack if f.tag in _LANDMARKS or f.tag in _LISTS
                    ),
                    chrome_names=sum(f.chrome for f in stack),
                    story_names=sum(f.story for f in stack),
                )
            )
        parts.clear()
        linked = 0

    def add(text: str | None) -> None:
        nonlocal linked
        if text:
            parts.append(text)
            if links:
                linked += len(text.strip())

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in SKIP_TAGS or not tag:
                walker.skip_subtree()
                stack.append(_Frame("", False, False))
                continue
            if tag in BLOCK_TAGS:
                flush()
            words = name_words(element)
            stack.append(
                _Frame(
                    tag,
                    not CHROME_NAME_WORDS.isdisjoint(words),
                    not STORY_NAME_WORDS.isdisjoint(words),
                )
            )
            links += tag == "a"
            add(element.text)
        else:
            if stack[-1].tag in BLOCK_TAGS:
                flush()
            links -= stack.pop().tag == "a"
            add(element.tail)
    flush()
    return blocks


def line_blocks(text: str) -> list[Block]:
    """A plain-text dump's lines as blocks: text shape, position and repetition are what
    a dump keeps of its page."""
    return [
        Block(line, "line", 0, 0, frozenset(), 0, 0)
        for line in (" ".join(raw.split()) for raw in text.splitlines())
        if line
    ]


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
    "repeats_on_page", "site_share", "site_pages", "log_blocks", "page_extracted_share",
)  # fmt: skip


def _shape(text: str) -> list[float]:
    chars = len(text)
    words = _WORD.findall(text)
    letters = len(_LETTER.findall(text))
    return [
        math.log1p(chars),
        math.log1p(len(words)),
        len(_PUNCT.findall(text)) / chars,
        len(_DIGIT.findall(text)) / chars,
        len(_UPPER.findall(text)) / max(letters, 1),
        letters / chars,
        float(bool(_SENTENCE_END.search(text))),
        len(_SENTENCE_MARK.findall(text)) / max(len(words), 1),
        sum(map(len, words)) / max(len(words), 1),
    ]


def features(
    blocks: Sequence[Block],
    extracted: str,
    cleaned: str,
    site_share: Sequence[float] | None = None,
    site_pages: int = 1,
) -> np.ndarray:
    """One row of FEATURES per block.

    `extracted` is trafilatura's text of the page, `cleaned` the pipeline's body, and
    `site_share` the share of the site's other pages that hold each block word for word.
    """
    n = len(blocks)
    rows = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if not n:
        return rows
    extracted_n, cleaned_n = normalized(extracted), normalized(cleaned)
    texts = [normalized(b.text) for b in blocks]
    in_extracted = np.array([float(t in extracted_n) for t in texts])
    in_cleaned = np.array([float(t in cleaned_n) for t in texts])
    lengths = np.array([math.log1p(len(t)) for t in texts])
    sizes = np.array([len(t) for t in texts], dtype=np.float64)
    before = np.concatenate([[0.0], np.cumsum(sizes)[:-1]]) / max(sizes.sum(), 1.0)
    long_depths = [b.depth for b in blocks if len(b.text) >= 80] or [b.depth for b in blocks]
    main_depth = Counter(long_depths).most_common(1)[0][0]
    counts = Counter(texts)
    shares = site_share if site_share is not None else [0.0] * n
    extracted_share = float(sizes[in_extracted > 0].sum() / max(sizes.sum(), 1.0))
    for i, block in enumerate(blocks):
        tag = block.tag
        marks = block.landmarks
        shape = _shape(block.text)
        rows[i] = [
            *shape[:2],
            block.link_chars / len(block.text),
            *shape[2:],
            i / max(n - 1, 1),
            before[i],
            block.depth,
            block.depth - main_depth,
            tag == "p",
            tag in _HEADINGS,
            tag == "li",
            tag in _CELLS,
            tag == "div",
            tag not in _HEADINGS and tag not in _CELLS and tag not in {"p", "li", "div"},
            *(name in marks for name in _LANDMARKS),
            not _LISTS.isdisjoint(marks),
            min(block.chrome_names, 5),
            min(block.story_names, 5),
            in_extracted[i],
            in_cleaned[i],
            in_extracted[i - 1] if i else 0.0,
            in_extracted[i + 1] if i + 1 < n else 0.0,
            in_cleaned[i - 1] if i else 0.0,
            in_cleaned[i + 1] if i + 1 < n else 0.0,
            lengths[i - 1] if i else 0.0,
            lengths[i + 1] if i + 1 < n else 0.0,
            counts[texts[i]] > 1,
            shares[i],
            math.log1p(site_pages - 1),
            math.log1p(n),
            extracted_share,
        ]
    return rows
