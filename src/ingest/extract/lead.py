"""Chrome and story decisions that need the page's markup, not just the extracted text.

trafilatura returns its result as a small XML tree (paragraphs, headings, lists, quotes, and
links as `ref` elements when asked for). Two things are visible there and lost in plain text:

* which blocks are mostly link text: a list whose items are links is a teaser or "related"
  list, and headings or link blocks left at the very end are the start of the next page
  section, not story;
* the lead (standfirst, teaser, intro) that many news templates put between the headline and
  the body, in a block of its own that trafilatura drops as a teaser. It is story text: the
  publisher's summary paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from lxml.etree import _Element
from lxml.html import HtmlElement

from ingest.extract.class_words import LEAD_PREFIXES, LEAD_WORDS, NOT_LEAD_PREFIXES, NOT_LEAD_WORDS
from ingest.extract.names import INVISIBLE_TAGS
from ingest.text import squeeze

#: A block whose link text is at least this share of its text is navigation, not prose.
LINK_SHARE = 0.5
#: A paragraph whose text is at least this share link text is one whole link.
WHOLE_LINK_SHARE = 0.9
#: A whole-link paragraph of this many words worded like a headline is a teaser...
TEASER_MIN_WORDS = 3
#: ...and so is one with this share of its letters in capitals.
CAPITALS_SHARE = 0.8
#: A lead paragraph is a sentence or more: shorter blocks between headline and body are
#: kickers, bylines, dates and credits. A lead shorter than LEAD_FULL_CHARS must end like a
#: sentence: a short phrase without one is a subtitle that words the headline again.
LEAD_MIN_CHARS = 40
LEAD_MIN_WORDS = 6
LEAD_FULL_CHARS = 60
#: A block this long, or one that holds pictures or lists, is a section of the page that
#: merely carries a lead-like name ("page-lead"), not the lead itself.
LEAD_MAX_CHARS = 1000
#: Links may appear inside a lead, but a block mostly made of links is a teaser card.
LEAD_MAX_LINK_SHARE = 0.3
#: An h1 is the page's headline when this share of its words are words of the title.
HEADLINE_OVERLAP = 0.6
#: On a page with no h1 worded like the title, an h1 of this many words is the headline.
HEADLINE_MIN_WORDS = 4
_LEAD_TAGS = frozenset({"p", "div", "h2", "h3", "span", "section", "header"})
_NOT_INSIDE = frozenset(
    {"a", "figure", "figcaption", "nav", "aside", "footer", "time", "button", "form", "ul", "ol"}
)
_NOT_IN_LEAD = ("img", "picture", "figure", "video", "iframe", "ul", "ol", "table")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_WORD = re.compile(r"\w+")
_LIST_MARKER = re.compile(r"^- ")
_REFERENCE_MARK = re.compile(r"^\[?\d+[\].)]")
#: A full stop that ends a sentence inside a text: before a space or a capital.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’»)]*(?:\s|[A-Z])")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)]*$")


def _text(element: _Element) -> str:
    return squeeze("".join(element.itertext()))


def link_share(element: _Element) -> float:
    """Share of `element`'s text (in trafilatura's result tree) that is link text."""
    length = len(_text(element))
    if not length:
        return 0.0
    return min(1.0, sum(len(_text(ref)) for ref in element.iter("ref")) / length)


def _linky(block: _Element) -> bool:
    if block.tag == "list":
        items = block.findall("item")
        linked = sum(link_share(item) >= LINK_SHARE for item in items)
        return bool(items) and 2 * linked >= len(items)
    return link_share(block) >= LINK_SHARE


def trim_link_chrome(body: _Element) -> list[str]:
    """Drop lists of links and teaser links anywhere, then links that open the body (section
    names, author links; a linked sentence is story) and headings and link blocks left at the
    end; return the texts of the dropped blocks, for the audit trail.

    `body` is trafilatura's result tree extracted with links (`ref` elements); it is changed
    in place.
    """
    dropped = drop_link_blocks(body)
    leading = drop_leading_links(body)
    trailing = drop_trailing_chrome(body)
    return [text for block in leading + dropped + trailing if (text := _text(block))]


def drop_link_blocks(body: _Element) -> list[_Element]:
    """Teaser links and lists of links, wherever they stand, except a list that a paragraph
    of the story announces with a colon ("Here are the tools we tested:", "Sources:"): that
    is the story's own enumeration of links (references, resources, products)."""
    dropped: list[_Element] = []
    blocks = list(body)
    for index, block in enumerate(blocks):
        if _teaser_link(block) or (link_list(block) and not _announced(blocks, index)):
            body.remove(block)
            dropped.append(block)
    return dropped


def _announced(blocks: list[_Element], index: int) -> bool:
    """Whether the block before `index` is a paragraph ending with a colon."""
    before = blocks[index - 1] if index else None
    return before is not None and before.tag == "p" and _text(before).endswith((":", "："))


def link_list(block: _Element) -> bool:
    """A list of two or more items, most of them links."""
    return block.tag == "list" and len(block.findall("item")) >= 2 and _linky(block)


def drop_leading_links(body: _Element) -> list[_Element]:
    """Whole-link paragraphs that open the body and are no sentence."""
    leading: list[_Element] = []
    while len(body) and _whole_link(body[0]) and not _SENTENCE_END.search(_text(body[0])):
        leading.append(body[0])
        body.remove(body[0])
    return leading


def drop_trailing_chrome(body: _Element) -> list[_Element]:
    """Headings, link blocks and empty blocks left at the end, in page order."""
    trailing: list[_Element] = []
    while len(body):
        last = body[-1]
        if last.tag == "head" or _linky(last) or not _text(last):
            body.remove(last)
            trailing.append(last)
        else:
            break
    return trailing[::-1]


def _whole_link(block: _Element) -> bool:
    """A paragraph that is nothing but a link: a pointer to another page."""
    return block.tag == "p" and bool(_text(block)) and link_share(block) >= WHOLE_LINK_SHARE


def _teaser_link(block: _Element) -> bool:
    """A paragraph that is one link worded like a headline (no sentence in it, or in
    capitals): a teaser for another story set among the story's paragraphs. A linked sentence
    ("Read the commission's report."), a linked quote and a numbered reference are the story
    speaking or citing a source."""
    if not _whole_link(block):
        return False
    text = _text(block)
    if len(text.split()) < TEASER_MIN_WORDS or _REFERENCE_MARK.match(text):
        return False
    letters = [char for char in text if char.isalpha()]
    if sum(char.isupper() for char in letters) >= CAPITALS_SHARE * len(letters):
        return True
    return not _SENTENCE_END.search(text) and not _SENTENCE_BREAK.search(text)


def drop_headline(body: _Element, title: str | None) -> list[str]:
    """Drop the headings that open the body up to the one worded like `title`; return their
    texts.

    trafilatura often keeps the page's headline (with its kicker, or the site's own wording of
    it, which differs from the metadata title) as the first block; it belongs in `title`.
    Headings before it are kickers and section names. Nothing is dropped when no opening
    heading matches the title: a story may start with a sub-heading of its own.
    """
    title_words = _words(title or "")
    if not title_words:
        return []
    opening = []
    for block in body:
        if block.tag != "head":
            break
        opening.append(block)
    matches = [i for i, block in enumerate(opening) if _is_headline(block, title_words)]
    if not matches:
        return []
    dropped = opening[: matches[-1] + 1]
    for block in dropped:
        body.remove(block)
    return [text for block in dropped if (text := _text(block))]


def _visible_text(element: HtmlElement) -> str:
    """Text a reader sees: invisible elements (INVISIBLE_TAGS) left out with all they hold,
    pieces joined by spaces so that words of adjacent inline elements stay apart. Not
    `boxes._visible_text`, which keeps the children of an invisible element and joins without
    spaces, as the box matcher has always compared texts: merging them would change outputs."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if isinstance(node.tag, str) and node.tag not in INVISIBLE_TAGS:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return squeeze(" ".join(parts))


def _lead_named(element: HtmlElement) -> bool:
    return _names_lead(f"{element.get('class') or ''} {element.get('id') or ''}")


@lru_cache(maxsize=1 << 14)
def _names_lead(attributes: str) -> bool:
    """Whether class and id values name a lead block; memoised, since a template repeats
    its class values on every page of a site."""
    parts = _NOT_LETTERS.split(attributes.lower())
    if any(part in NOT_LEAD_WORDS or part.startswith(NOT_LEAD_PREFIXES) for part in parts):
        return False
    return any(part in LEAD_WORDS or part.startswith(LEAD_PREFIXES) for part in parts)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _is_headline(element: HtmlElement, title_words: set[str]) -> bool:
    words = _words(_text(element))
    return bool(words) and len(words & title_words) >= HEADLINE_OVERLAP * len(words)


def _inside_chrome(element: HtmlElement) -> bool:
    node = element.getparent()
    while node is not None:
        if node.tag in _NOT_INSIDE or node.tag in INVISIBLE_TAGS:
            return True
        node = node.getparent()
    return False


def story_start(text: str, title: str | None) -> str:
    """The first line of extracted text that is neither short nor the title itself, without
    the list marker trafilatura writes before list items."""
    title_words = _words(title or "")
    for line in text.splitlines():
        line = _LIST_MARKER.sub("", squeeze(line))
        if len(line) >= 30 and not _words(line) <= title_words:
            return line
    return ""


def _headline_test(h1s: list[HtmlElement], title_words: set[str]) -> Callable[[HtmlElement], bool]:
    """How the page's headline (one of its `h1s`) is told: an h1 worded like the title; on a
    page whose h1 words the story differently from its metadata title, any h1 of a
    headline's length outside links and navigation (a one-word section name or a logo is not
    a headline)."""
    if any(_is_headline(h1, title_words) for h1 in h1s):
        return lambda h1: _is_headline(h1, title_words)
    return lambda h1: len(_text(h1).split()) >= HEADLINE_MIN_WORDS and not _inside_chrome(h1)


def _from_headline(
    h1s: list[HtmlElement], is_headline: Callable[[HtmlElement], bool]
) -> Iterator[HtmlElement]:
    """The page's elements in document order, from its first headline (of its `h1s`) on: the
    part before it is never walked, which is most of a page's markup."""
    headline = next((h1 for h1 in h1s if is_headline(h1)), None)
    if headline is None:
        return
    yield headline
    yield from headline.iterdescendants()
    node = headline
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _leading_text(element: HtmlElement) -> str:
    """`element`'s own leading text, or the text after the empty elements that open it: the
    text after a table-of-contents anchor (`<h2><span id="toc-3"></span>Heading</h2>`) is
    the heading's. A child with text of its own opens the story itself, as it comes next."""
    if (element.text or "").strip():
        return element.text
    for child in element:
        if len(child) or (child.text or "").strip():
            return ""
        if (child.tail or "").strip():
            return child.tail
    return ""


def _opens_story(element: HtmlElement, start: str) -> bool:
    """True when `element`'s text begins with `start`. A paragraph whose first letters sit in
    inline markup (a drop cap) is read whole; other elements by their leading text, since
    reading a container whole costs the text of everything in it."""
    head = squeeze(_leading_text(element))
    if head[: len(start)] == start:
        return True
    if element.tag != "p" or not start.startswith(head):
        return False
    return squeeze(element.text_content())[: len(start)] == start


def _lead_text(element: HtmlElement) -> str | None:
    """The text of `element` when it is a lead block: named as one, a sentence or more, not
    inside chrome, without pictures or lists, and not mostly links."""
    if not _lead_tag(element) or not _lead_named(element):
        return None
    text = _visible_text(element)
    if not LEAD_MIN_CHARS <= len(text) <= LEAD_MAX_CHARS:
        return None
    if len(text.split()) < LEAD_MIN_WORDS or _inside_chrome(element):
        return None
    if len(text) < LEAD_FULL_CHARS and not _SENTENCE_END.search(text):
        return None
    if next(element.iter(*_NOT_IN_LEAD), None) is not None:
        return None
    links = sum(len(_text(a)) for a in element.iter("a"))
    return text if links <= LEAD_MAX_LINK_SHARE * len(text) else None


def _lead_tag(element: HtmlElement) -> bool:
    """Block tags a lead comes in, and custom elements of component templates
    ("storefront-html")."""
    return isinstance(element.tag, str) and (element.tag in _LEAD_TAGS or "-" in element.tag)


def story_lead(tree: HtmlElement, title: str | None, first_line: str) -> str | None:
    """The lead block between the page's headline and the block where the extracted story
    starts (`first_line`), or None.

    Only a block named as a lead by its class or id counts, and only in that window: the same
    names on teaser cards elsewhere on the page are other stories. A page may repeat its
    headline (a sticky or print header); a lead found after an earlier copy stays the lead
    unless another one follows the later copy. A block named as the lead that holds the
    story's opening (with a byline trafilatura dropped) is where the story starts.
    """
    start = squeeze(first_line)[:25]
    if not start:
        return None
    h1s = list(tree.iter("h1"))  # one walk of the page for the two looks at its h1s
    is_headline = _headline_test(h1s, _words(title or ""))
    lead = None
    open_for_lead = True
    for element in _from_headline(h1s, is_headline):
        if not isinstance(element.tag, str):
            continue
        if _opens_story(element, start):
            return lead
        if element.tag == "h1":
            open_for_lead = open_for_lead or is_headline(element)
            continue
        if open_for_lead and (text := _lead_text(element)) is not None:
            if start in text:  # a block named as the lead holds the story's opening
                return lead
            lead = text
            open_for_lead = False
    return None
