"""Reader comments named as such by their markup, cut before trafilatura reads the page.

trafilatura has its own lists of chrome class names, but reader comments in templates it does
not know ("sf_comment", a comment widget's "show-comments") reach its output as story text.
Their class and id words say what they are, in English or in the site's language, so the
section goes before extraction.

A named section that holds a large share of the page's visible text is the story itself in a
template that names it oddly (an opinion column called "comment"); such a section is kept, and
so is a code listing's comment ("hljs-comment").
Pay and registration walls are not cut here: many sites wrap the story itself in a
"paywall" block.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from ingest.extract.class_words import (
    COMMENT_WORDS,
    DESCRIBING_PREFIXES,
    DESCRIBING_SUFFIXES,
    name_words,
)
from ingest.extract.names import (
    FRAME_TAGS,
    PageNames,
    named_elements,
    page_names,
    visible_text_length,
)

#: Every word of COMMENT_WORDS holds one of these pieces: only the class and id values that
#: hold one are looked at word by word.
_PIECES = ("omment", "omentar", "eacties", "orumlar", "isqus", "iafoura")
#: A named section with at least this share of the page's text is the story, not chrome.
MAX_TEXT_SHARE = 0.4
_CODE_TAGS = frozenset({"pre", "code"})


def _named_chrome(element: HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    for name in names.split():
        lowered = name.lower()
        if lowered.startswith(DESCRIBING_PREFIXES) or lowered.endswith(DESCRIBING_SUFFIXES):
            continue
        if not COMMENT_WORDS.isdisjoint(name_words(name)):
            return True
    return False


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


def prune_named_chrome(tree: HtmlElement, names: PageNames | None = None) -> int:
    """Remove comment sections from `tree` in place; the number removed.

    `names` are the page's class and id values when the caller has read them already.
    """
    names = names if names is not None else page_names(tree)
    found = [
        element
        for element in named_elements(names, _PIECES, lower=False)
        if element.tag not in FRAME_TAGS and _named_chrome(element) and not _in_code(element)
    ]
    if not found:
        return 0
    page_length = names.page_length(tree)
    removed = 0
    for element in found:
        if element.getparent() is None or not _attached(element, tree):
            continue
        if visible_text_length(element) >= MAX_TEXT_SHARE * page_length:
            continue
        if next(element.iter("h1"), None) is not None:
            continue
        element.drop_tree()
        removed += 1
    return removed


def _in_code(element: HtmlElement) -> bool:
    """Whether `element` is part of a code listing: a syntax highlighter names a code
    comment "hljs-comment" or "token comment", and it is the story's text."""
    return element.tag in _CODE_TAGS or any(
        ancestor.tag in _CODE_TAGS for ancestor in element.iterancestors()
    )


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    node = element
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False
