"""The class and id values of a page, read once for the modules that look for named chrome.

Comment sections and promotional boxes are found by the words in their class and id
values. The values are read in one XPath call, each with its element, and shared by the
modules; they are searched as one text with `str.find` (a regex alternation of many words
steps through the text one position at a time, several times slower), and only the elements
of the values holding a word are looked at one by one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from lxml import etree
from lxml.html import HtmlElement

_VALUES = etree.XPath("//@class | //@id", smart_strings=True)
#: The page's frame: elements that hold everything and are never themselves named chrome.
FRAME_TAGS = frozenset({"html", "head", "body", "main", "article"})


@dataclass(frozen=True, slots=True)
class PageNames:
    """A page's class and id values in document order (each knows its element), joined by
    newlines for searching. Read before the page is changed, as is its `page_length`."""

    values: tuple[etree._ElementUnicodeResult, ...]
    joined: str
    lowered: str
    ends: tuple[int, ...]  # the offset just past each value in `joined`
    _page_length: list[int] = field(default_factory=list, repr=False, compare=False)

    def page_length(self, tree: HtmlElement) -> int:
        """Characters of visible text in `tree`'s body (or the whole tree, without one),
        counted once for the modules that read the names: both look before they cut."""
        if not self._page_length:
            body = tree.find("body")
            self._page_length.append(visible_text_length(body if body is not None else tree))
        return self._page_length[0]


def page_names(tree: HtmlElement) -> PageNames:
    """The class and id values of `tree`, read in one XPath call."""
    values = tuple(_VALUES(tree))
    joined = "\n".join(values)
    ends = tuple(accumulate(len(value) + 1 for value in values))
    return PageNames(values, joined, joined.lower(), ends)


def named_elements(names: PageNames, words: Iterable[str], *, lower: bool) -> list[HtmlElement]:
    """Elements whose class or id holds one of `words`, in document order, once each.

    With `lower`, the values are searched in lower case (the words must be lower case).
    """
    elements: list[HtmlElement] = []
    for index in sorted(_indices_holding(names, words, lower=lower)):
        element = names.values[index].getparent()
        if not elements or elements[-1] is not element:
            elements.append(element)
    return elements


def _indices_holding(names: PageNames, words: Iterable[str], *, lower: bool) -> set[int]:
    if lower and len(names.lowered) != len(names.joined):  # a letter like "İ" grew in lower case
        lowered = [value.lower() for value in names.values]
        return {i for i, value in enumerate(lowered) if any(word in value for word in words)}
    text = names.lowered if lower else names.joined
    indices: set[int] = set()
    for word in words:
        start = text.find(word)
        while start >= 0:
            indices.add(bisect_right(names.ends, start))
            start = text.find(word, start + 1)
    return indices


#: Elements whose text a reader does not see.
INVISIBLE_TAGS = ("script", "style", "noscript", "template")
_TEXT_LENGTH = etree.XPath("string-length(string(.))")


def visible_text_length(element: HtmlElement) -> int:
    """Characters of visible text under `element`, counted in C, not in a Python walk: the
    whole text by XPath, less the texts of the few hidden elements, which lxml's tag filter
    finds (their text and the tails of their children)."""
    hidden = sum(
        len(node.text or "") + sum(len(child.tail or "") for child in node)
        for node in element.iter(INVISIBLE_TAGS)
        if node is not element
    )
    return int(_TEXT_LENGTH(element)) - hidden
