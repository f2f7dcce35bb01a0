"""trafilatura's basic_cleaning, with its cookie-banner test done in one regex pass.

basic_cleaning deletes the elements of one XPath (asides, footers, scripts, styles, ... and
every element whose class or id names a cookie banner). That last test is an EXSLT regex,
which lxml runs as one Python call per element of the page: about 5 ms of the 5.5 ms the
XPath takes on a news page. trafilatura runs it when the extraction is short (its page-share
check `html2txt`, the baseline rescue, jusText): about 2 ms a page on average.

Here the rest of the XPath runs as XPath, and the cookie test as the same regex, with the
same flags lxml gives it (`re.search`, case-insensitive, Unicode), over the page's class and
id values joined by newlines (which no alternative of the regex matches) in a single pass.
Deleting an element keeps its tail in place, so deleting the same elements in another order
leaves the same tree. The XPath is read from trafilatura and split at the cookie test; a
release whose XPath has another shape is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xml import delete_element

_COOKIE_TEST = re.compile(
    r"\|\.//\*\[re:test\(@class, '(?P<regex>[^']+)', 'i'\) "
    r"or re:test\(@id, '(?P=regex)', 'i'\)\]$"
)
#: Letters, digits and the few operators the cookie regex is written with: no escape, dot,
#: anchor or negated class, so nothing in it matches the newline the values are joined by.
_SIMPLE_REGEX = re.compile(r"[A-Za-z0-9_\-\[\]?{},|():]+")
_NAMES = etree.XPath(".//@class | .//@id")


@dataclass(frozen=True)
class Cleaning:
    """basic_cleaning's XPath in two parts: the plain XPath and the cookie-banner regex."""

    plain: etree.XPath
    cookie: re.Pattern[str]

    def __call__(self, tree: HtmlElement) -> HtmlElement:
        """Delete what basic_cleaning deletes from `tree`; returns it, as basic_cleaning."""
        for element in self.plain(tree):
            delete_element(element)
        for element in self.cookie_named(tree):
            delete_element(element)
        return tree

    def cookie_named(self, tree: HtmlElement) -> list[HtmlElement]:
        """The elements under `tree` whose class or id matches the cookie regex."""
        values = _NAMES(tree)
        joined = "\n".join(values)
        ends = list(accumulate(len(value) + 1 for value in values))
        hits = {bisect_right(ends, match.start()) for match in self.cookie.finditer(joined)}
        elements = dict.fromkeys(values[index].getparent() for index in sorted(hits))
        return [element for element in elements if element is not tree]


def split_cleaning(xpath: etree.XPath | None) -> Cleaning | None:
    """basic_cleaning's XPath as a Cleaning, or None when it is not of the known shape: a
    plain XPath, then the cookie test with a regex of words, optional separators and
    alternatives, which can neither match an empty value nor a newline."""
    found = _COOKIE_TEST.search(xpath.path) if xpath is not None else None
    if not found or "re:" in xpath.path[: found.start()]:
        return None
    if not _SIMPLE_REGEX.fullmatch(found["regex"]):
        return None
    cookie = re.compile(found["regex"], re.UNICODE | re.IGNORECASE)
    if cookie.search(""):
        return None
    return Cleaning(etree.XPath(xpath.path[: found.start()]), cookie)
