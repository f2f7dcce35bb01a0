"""Short blocks after the story that come from another part of the page, cut from the result.

trafilatura sometimes runs past the end of the story into the page's next section: the
heading of a sidebar box ("Popular in the forum"), the titles of teaser cards. Whatever the
page calls those boxes, they sit outside the element that holds the story's paragraphs. The
story's long paragraphs are found in the page, their lowest common ancestor is the story's
container, and short blocks after the last long paragraph whose text the page has only
outside that container are dropped.
"""

from __future__ import annotations

from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement

#: A block this long is story prose; its element in the page anchors the story's container.
LONG_CHARS = 200
#: Blocks after the story of at most this length are the candidates for a cut.
SHORT_CHARS = 120
#: Stray blocks that would make up this share of the text or more are kept: a story that
#: goes on in another container (a page of several sections) is not a sidebar.
MAX_CUT_SHARE = 0.15
#: The long paragraphs looked up in the page (the first ones and the last one).
ANCHORS = 4
#: A probe is this many characters of a block's text, cut at a word's end.
PROBE_CHARS = 40
_KEEP_TAGS = frozenset({"html", "body"})
_TEXTS_HOLDING = etree.XPath(
    "//text()[not(parent::script or parent::style)][contains(normalize-space(.), $probe)]",
    smart_strings=True,
)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _probe(block: _Element) -> str:
    """A piece of the block's longest text run, short enough to lie in one text of the page."""
    piece = max((_squeeze(text) for text in block.itertext()), key=len, default="")
    if len(piece) <= PROBE_CHARS:
        return piece
    return piece[:PROBE_CHARS].rsplit(" ", 1)[0]


def _elements_holding(tree: HtmlElement, probe: str) -> list[HtmlElement]:
    elements = []
    for text in _TEXTS_HOLDING(tree, probe=probe):
        element = text.getparent()
        if text.is_tail:
            element = element.getparent()
        if element is not None:
            elements.append(element)
    return elements


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    first, *rest = elements
    ancestors = [first, *first.iterancestors()]
    depth = 0
    for element in rest:
        chain = {id(node) for node in (element, *element.iterancestors())}
        while depth < len(ancestors) and id(ancestors[depth]) not in chain:
            depth += 1
    return ancestors[depth] if depth < len(ancestors) else None


def _inside(element: HtmlElement, container: HtmlElement) -> bool:
    return element is container or any(node is container for node in element.iterancestors())


def cut_stray_edges(body: _Element, tree: HtmlElement) -> None:
    """Drop short blocks after the story's last long paragraph that the page has only
    outside the container of the story's paragraphs."""
    blocks = list(body)
    lengths = [len(_squeeze("".join(block.itertext()))) for block in blocks]
    long = [i for i, length in enumerate(lengths) if length >= LONG_CHARS]
    if len(long) < 2 or long[-1] == len(blocks) - 1:
        return
    anchors = []
    for i in [*long[: ANCHORS - 1], long[-1]]:
        probe = _probe(blocks[i])
        found = _elements_holding(tree, probe) if len(probe) >= 20 else []
        if len(found) == 1:
            anchors.append(found[0])
    if len(anchors) < 2:
        return
    container = _common_ancestor(anchors)
    if container is None or container.tag in _KEEP_TAGS:
        return
    stray = [
        i
        for i in range(long[-1] + 1, len(blocks))
        if _stray(blocks[i], lengths[i], tree, container)
    ]
    if sum(lengths[i] for i in stray) >= MAX_CUT_SHARE * sum(lengths):
        return
    for i in stray:
        body.remove(blocks[i])


def _stray(block: _Element, length: int, tree: HtmlElement, container: HtmlElement) -> bool:
    """True when `block` is short and the page has its text only outside `container`."""
    if length > SHORT_CHARS or block.tag == "list":
        return False
    probe = _probe(block)
    if len(probe) < 3:
        return False
    found = _elements_holding(tree, probe)
    return bool(found) and not any(_inside(element, container) for element in found)
