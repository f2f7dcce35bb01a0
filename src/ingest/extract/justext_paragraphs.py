"""jusText's paragraphs of a page, made as jusText makes them, in a third of its time.

trafilatura falls back on jusText where its own extraction took little of a page (its recall
rescue, and the comparison with readability). jusText turns the tree into SAX events
(`lxml.sax.saxify`, which builds an attribute mapping and qualified names for every element
the handler then ignores), and its handler creates a `Paragraph` at every paragraph
boundary, computing the element path twice as strings each time (most of them hold no text
and are dropped), while the classifier rebuilds each paragraph's text from its pieces at
every look, about ten times a paragraph. And trafilatura hands the classifier its stop words
of every language as a tuple of 154,484 words, which the classifier's cache hashes, word by
word, at every call.

`make_paragraphs` walks the tree as `saxify` does, with the handler's rules, but keeps the
path as strings grown one element at a time, and its paragraphs compute their text once,
when the paragraph is finished (nothing appends to a paragraph after that). A tree with a
node `saxify` cannot name (an entity reference) raises, as `saxify` does, so trafilatura's
handling of a failed jusText pass is the same. `classify` hands the classifier the stop words
as the set it makes of them, made once: a set keeps its hash.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

import justext.core
import justext.paragraph
from justext.core import PARAGRAPH_TAGS, classify_paragraphs, define_stoplist
from justext.paragraph import Paragraph
from justext.utils import normalize_whitespace
from lxml import etree

from ingest.extract.readability_gate import source_digest

_SKIPPED = (etree.Comment, etree.ProcessingInstruction)
#: sha256 prefixes of the sources this module mirrors (jusText 3.0.2): its paragraph maker,
#: the path it keeps, its paragraph and the classifier's stop-list cache.
CHECKED_SOURCES = frozenset(
    {("b41fe77fbc5b6a64", "a0654d40b436e45d", "638810ac2d88e31c", "9149bbf4aa8ac519")}
)


def fits() -> bool:
    """Whether the installed jusText is the one this module was checked against."""
    mirrored = (
        justext.core.ParagraphMaker,
        justext.core.PathInfo,
        justext.paragraph.Paragraph,
        justext.core.define_stoplist,
    )
    return tuple(source_digest(m) for m in mirrored) in CHECKED_SOURCES


class _Path(NamedTuple):
    """What jusText's Paragraph reads of the path it is made at, as strings already."""

    dom: str
    xpath: str


class FinishedParagraph(Paragraph):
    """jusText's paragraph made at a path given as strings, its text computed once."""

    def __init__(self, dom_path: str, xpath: str) -> None:
        super().__init__(_Path(dom_path, xpath))

    @cached_property
    def text(self) -> str:
        return normalize_whitespace("".join(self.text_nodes).strip())


class _Maker:
    """jusText's ParagraphMaker fed by a walk of the tree instead of SAX events."""

    def __init__(self) -> None:
        # per open element: how many children of each tag it has had so far, and the dotted
        # and slashed paths down to it
        self.stack: list[tuple[dict[str, int], str, str]] = []
        self.paragraphs: list[Paragraph] = []
        self.paragraph = FinishedParagraph("", "/")
        self.link = False
        self.br = False

    def new_paragraph(self) -> None:
        if self.paragraph.text_nodes and self.paragraph.text:
            self.paragraphs.append(self.paragraph)
        if self.stack:
            _, dom, xpath = self.stack[-1]
            self.paragraph = FinishedParagraph(dom, xpath)
        else:
            self.paragraph = FinishedParagraph("", "/")

    def characters(self, content: str) -> None:
        if not content or content.isspace():
            return
        text = normalize_whitespace(content)
        self.paragraph.text_nodes.append(text)
        if self.link:
            self.paragraph.chars_count_in_links += len(text)
        self.br = False

    def element(self, element: etree._Element) -> None:
        tag = element.tag
        if tag in _SKIPPED:
            if element.tail:
                self.characters(element.tail)
            return
        if not isinstance(tag, str):
            raise TypeError(f"jusText's SAX walk cannot name a {tag!r} node")
        name = tag.rpartition("}")[2] if tag[:1] == "{" else tag
        siblings = self.stack[-1][0] if self.stack else {}
        order = siblings.get(name, 0) + 1
        siblings[name] = order
        if self.stack:
            _, dom, xpath = self.stack[-1]
            self.stack.append(({}, f"{dom}.{name}", f"{xpath}/{name}[{order}]"))
        else:
            self.stack.append(({}, name, f"/{name}[{order}]"))
        if name in PARAGRAPH_TAGS or (name == "br" and self.br):
            if name == "br":
                self.paragraph.tags_count -= 1  # <br><br> separates; it is not a tag within
            self.new_paragraph()
        else:
            self.br = name == "br"
            if self.br:
                self.paragraph.text_nodes.append(" ")
            elif name == "a":
                self.link = True
            self.paragraph.tags_count += 1
        if element.text:
            self.characters(element.text)
        for child in element:
            self.element(child)
        self.stack.pop()
        if name in PARAGRAPH_TAGS:
            self.new_paragraph()
        if name == "a":
            self.link = False
        if element.tail:
            self.characters(element.tail)


def make_paragraphs(root: etree._Element) -> list[Paragraph]:
    """ParagraphMaker.make_paragraphs(root): the same paragraphs, texts, paths and counts."""
    maker = _Maker()
    before = []
    sibling = root.getprevious()
    while getattr(sibling, "tag", None) is etree.ProcessingInstruction:
        before.append(sibling)
        sibling = sibling.getprevious()
    for node in [*before[::-1], root]:
        maker.element(node)
    sibling = root.getnext()
    while getattr(sibling, "tag", None) is etree.ProcessingInstruction:
        maker.element(sibling)
        sibling = sibling.getnext()
    maker.new_paragraph()
    return maker.paragraphs


_STOP_SETS: list[tuple[object, frozenset[str]]] = []


def classify(paragraphs: list[Paragraph], stoplist, *settings) -> None:
    """classify_paragraphs(paragraphs, stoplist, *settings), with the stop words as a set."""
    classify_paragraphs(paragraphs, _as_set(stoplist), *settings)


def _as_set(stoplist) -> frozenset[str]:
    """The classifier's own set of `stoplist` (lower-cased), made once per stop list."""
    if isinstance(stoplist, frozenset):
        return stoplist
    for seen, words in _STOP_SETS:
        if seen is stoplist:
            return words
    words = define_stoplist(stoplist)
    _STOP_SETS[:] = [(stoplist, words)]  # trafilatura passes one tuple for every page
    return words


class ParagraphMaker:
    """What trafilatura calls: `ParagraphMaker.make_paragraphs(tree)`."""

    make_paragraphs = staticmethod(make_paragraphs)
