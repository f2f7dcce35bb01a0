"""Reader comments named as such by their markup, cut before trafilatura reads the page.

trafilatura has its own lists of chrome class names, but reader comments in templates it does
not know ("sf_comment", a comment widget's "show-comments") reach its output as story text.
Their class and id words say what they are, in English or in the site's language, so the
section goes before extraction.

A named section that holds a large share of the page's visible text is the story itself in a
template that names it oddly (an opinion column called "comment"); such a section is kept.
Pay and registration walls are not cut here: many sites wrap the story itself in a
"paywall" block.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree
from lxml.html import HtmlElement

#: Class or id words of reader comments and of walls that ask readers to log in or pay.
CHROME_WORDS = frozenset(
    {
        "comment",
        "comments",
        "commentlist",
        "kommentar",
        "kommentare",
        "kommentarer",
        "commentaire",
        "commentaires",
        "comentario",
        "comentarios",
        "commento",
        "commenti",
        "reacties",
        "komentarze",
        "yorumlar",
        "disqus",
        "viafoura",
    }
)
#: Class names that describe the article rather than name a section: WordPress and similar
#: templates tag the story's own wrapper with its category, tags and comment status
#: ("category-kommentar", "tag-comments", "comments-open").
_DESCRIBING_PREFIXES = ("tag-", "tags-", "category-", "cat-", "has-", "no-", "meta-")
_DESCRIBING_SUFFIXES = ("-open", "-closed", "-count", "-number")
_INVISIBLE = ("script", "style", "noscript", "template")
#: Every word of CHROME_WORDS holds one of these pieces. The page's class and id values are
#: read in one XPath call and searched for them, so Python never visits the page's elements
#: one by one (that walk costs more than the rest of this module).
_PIECES = re.compile("omment|omentar|eacties|orumlar|isqus|iafoura")
_NAMES = etree.XPath("//@class | //@id", smart_strings=False)
#: A named section with at least this share of the page's text is the story, not chrome.
MAX_TEXT_SHARE = 0.4
_KEEP_TAGS = frozenset({"html", "head", "body", "main", "article"})
_CAMEL = re.compile(r"([a-z])([A-Z])")
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _named_chrome(element: HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    for name in names.split():
        name = _CAMEL.sub(r"\1 \2", name).lower()
        if name.startswith(_DESCRIBING_PREFIXES) or name.endswith(_DESCRIBING_SUFFIXES):
            continue
        if not CHROME_WORDS.isdisjoint(_NOT_LETTERS.split(name)):
            return True
    return False


def _text_length(element: HtmlElement) -> int:
    """Characters of visible text under `element` (scripts and styles left out)."""
    hidden = sum(len(node.text or "") for node in element.iter(*_INVISIBLE))
    return sum(map(len, element.itertext())) - hidden


#: Hidden blocks of schema.org microdata: a copy of the headline, dates, image and logo urls
#: written for machines. Hidden blocks in general are left alone: some pages hide the rest of
#: the story behind a "read more" button.
_HIDDEN_MICRODATA = etree.XPath(
    "//*[@style][contains(translate(@style, ' ', ''), 'display:none')]"
    "[@itemscope or .//*[@itemprop]][not(.//p[string-length(normalize-space()) > 200])]"
)


def prune_hidden_microdata(tree: HtmlElement) -> int:
    """Remove hidden microdata blocks without long paragraphs from `tree`; how many."""
    found = _HIDDEN_MICRODATA(tree)
    for element in found:
        element.drop_tree()
    return len(found)


def prune_named_chrome(tree: HtmlElement) -> int:
    """Remove comment sections from `tree` in place; the number removed."""
    found = [
        element
        for element in _elements_named(tree)
        if element.tag not in _KEEP_TAGS and _named_chrome(element)
    ]
    if not found:
        return 0
    body = tree.find("body")
    page_length = _text_length(body if body is not None else tree)
    removed = 0
    for element in found:
        if element.getparent() is None or not _attached(element, tree):
            continue
        if _text_length(element) >= MAX_TEXT_SHARE * page_length:
            continue
        if next(element.iter("h1"), None) is not None:
            continue
        element.drop_tree()
        removed += 1
    return removed


def _elements_named(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose class or id holds one of _PIECES, in document order."""
    pieces = frozenset(_PIECES.findall("\n".join(_NAMES(tree))))
    if not pieces:
        return []
    elements: list[HtmlElement] = []
    for name in _attributes_holding(pieces)(tree):
        element = name.getparent()
        if not elements or elements[-1] is not element:
            elements.append(element)
    return elements


@cache
def _attributes_holding(pieces: frozenset[str]) -> etree.XPath:
    """An XPath that returns the class and id attributes holding any of `pieces`."""
    test = " or ".join(f"contains(., '{piece}')" for piece in sorted(pieces))
    return etree.XPath(f"//@class[{test}] | //@id[{test}]", smart_strings=True)


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    node = element
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False
