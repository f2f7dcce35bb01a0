"""Short blocks after the story that come from another part of the page, cut from the result.

trafilatura sometimes runs past the end of the story into the page's next section: the
heading of a sidebar box ("Popular in the forum"), a sign-up line, the site's copyright.
Whatever the page calls those boxes, they sit outside the element that holds the story's
paragraphs. The story's first and last long paragraphs are found in the page, their lowest
common ancestor is the story's container, and short blocks after the last long paragraph
whose text the page has only outside that container are dropped.

The page's text nodes are read once as plain strings and searched in Python; only the two
paragraphs that anchor the container are fetched as elements (an XPath `contains` per text
node and probe, or a Python object per element, costs several times more).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement

#: A block this long is story prose; its text in the page anchors the story's container.
LONG_CHARS = 200
#: Blocks after the story of at most this length are the candidates for a cut.
SHORT_CHARS = 120
#: Stray blocks that would make up this share of the text or more are kept: a story that
#: goes on in another container (a page of several sections) is not a sidebar.
MAX_CUT_SHARE = 0.15
#: A probe is at most this many characters of a block's text, cut at a word's end.
PROBE_CHARS = 40
#: An anchor's probe must be at least this long to name one paragraph of the page.
ANCHOR_PROBE_CHARS = 20
_KEEP_TAGS = frozenset({"html", "body"})
_SEPARATOR = "\x00"
_TEXTS = etree.XPath("//text()", smart_strings=False)
_TEXTS_BEFORE = etree.XPath("count(preceding::text())")
_TEXTS_UNDER = etree.XPath("count(descendant::text())")


@dataclass(frozen=True, slots=True)
class _PageText:
    """The page's text nodes in document order, joined for searching."""

    texts: list[str]
    joined: str
    ends: list[int]  # the offset just past each text in `joined`

    def holders(self, probe: str, block_length: int) -> list[int]:
        """Indices of the texts holding `probe` that are no longer than a copy of the
        block would be (a script or a JSON blob that quotes it is not where it shows)."""
        limit = 2 * block_length + 50
        found: list[int] = []
        start = self.joined.find(probe)
        while start >= 0:
            index = bisect_right(self.ends, start)
            if len(self.texts[index]) <= limit:
                found.append(index)
            start = self.joined.find(probe, start + 1)
        return found


def _page_text(tree: HtmlElement) -> _PageText:
    texts = _TEXTS(tree)
    ends = list(accumulate(len(text) + 1 for text in texts))
    return _PageText(texts, _SEPARATOR.join(texts), ends)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _probe(block: _Element) -> str:
    """A piece of the block's longest text run, short enough to lie in one text of the page."""
    piece = max((_squeeze(text) for text in block.itertext()), key=len, default="")
    if len(piece) <= PROBE_CHARS:
        return piece
    return piece[:PROBE_CHARS].rsplit(" ", 1)[0]


@cache
def _texts_at(count: int) -> etree.XPath:
    test = " or ".join(f"position() = $k{i}" for i in range(count))
    return etree.XPath(f"(//text())[{test}]", smart_strings=True)


def _elements_of(tree: HtmlElement, indices: list[int]) -> list[HtmlElement]:
    """The elements holding the page's texts at `indices` (a tail belongs to the parent)."""
    variables = {f"k{i}": index + 1 for i, index in enumerate(indices)}
    elements = []
    for text in _texts_at(len(indices))(tree, **variables):
        element = text.getparent()
        elements.append(element.getparent() if text.is_tail else element)
    return elements


def _common_ancestor(first: HtmlElement, second: HtmlElement) -> HtmlElement | None:
    chain = [second, *second.iterancestors()]  # kept alive: a proxy's id is reused once freed
    ids = {id(node) for node in chain}
    return next((node for node in (first, *first.iterancestors()) if id(node) in ids), None)


def _anchor(page: _PageText, block: _Element, length: int) -> int | None:
    """The index of the one page text that holds `block`'s probe, if exactly one does."""
    probe = _probe(block)
    found = page.holders(probe, length) if len(probe) >= ANCHOR_PROBE_CHARS else []
    return found[0] if len(found) == 1 else None


def _container_span(
    tree: HtmlElement, page: _PageText, blocks: list[_Element], lengths: list[int], long: list[int]
) -> range | None:
    """The indices of the page texts inside the story's container: the lowest common
    ancestor of the first and the last long paragraph holds every block between them."""
    first = _anchor(page, blocks[long[0]], lengths[long[0]])
    last = _anchor(page, blocks[long[-1]], lengths[long[-1]])
    if first is None or last is None or first == last:
        return None
    container = _common_ancestor(*_elements_of(tree, [first, last]))
    if container is None or container.tag in _KEEP_TAGS:
        return None
    start = int(_TEXTS_BEFORE(container))
    return range(start, start + int(_TEXTS_UNDER(container)))


def cut_stray_edges(body: _Element, tree: HtmlElement) -> None:
    """Drop short blocks after the story's last long paragraph that the page has only
    outside the container of the story's paragraphs."""
    blocks = list(body)
    lengths = [len(_squeeze("".join(block.itertext()))) for block in blocks]
    long = [i for i, length in enumerate(lengths) if length >= LONG_CHARS]
    if len(long) < 2 or long[-1] == len(blocks) - 1:
        return
    page = _page_text(tree)
    span = _container_span(tree, page, blocks, lengths, long)
    if span is None:
        return
    stray = [
        i for i in range(long[-1] + 1, len(blocks)) if _stray(blocks[i], lengths[i], page, span)
    ]
    if sum(lengths[i] for i in stray) >= MAX_CUT_SHARE * sum(lengths):
        return
    for i in stray:
        body.remove(blocks[i])


def _stray(block: _Element, length: int, page: _PageText, span: range) -> bool:
    """True when `block` is short and the page has its text only outside the container."""
    if length > SHORT_CHARS or block.tag == "list":
        return False
    probe = _probe(block)
    if len(probe) < 3:
        return False
    found = page.holders(probe, length)
    return bool(found) and not any(index in span for index in found)
