"""Skip trafilatura's readability pass on pages where readability cannot win.

trafilatura runs readability on every page (`compare_extraction`, about a sixth of its body
pass) and keeps readability's text only by rules on lengths: never when its own text is more
than twice as long; otherwise when its own text is empty, when readability's is more than twice
as long, or when readability's exceeds twice the minimum size while the own result has no
paragraph text or more tables than paragraphs; in recall mode also when it is merely longer.

Readability's text is made of the page's own text nodes, in order, less its scripts and
styles, so its trimmed length is at most that of the page's other text: dropping text never
adds a character or a gap between words. Two of its steps add text. It writes "VIDEO" into each
iframe of a video site (counted: six characters an iframe). And its result is written as XML
and parsed back as HTML, where the text of an xmp, noembed, noframes or plaintext element is
read raw (entities unexpanded; a plaintext element swallows the markup after it): on a page
with one of those, readability runs. When the bound already rules readability out, the gate
hands it an empty page instead of the real one: its empty result is what the rules treat as
readability losing, so trafilatura's output is the same, without the pass.

trafilatura copies the whole raw page for readability before the comparison (0.7 ms a news
page). `uncopied` is its `_extract_and_compare` with the gate in it: the copy is made only for
the pages readability reads.
"""

from __future__ import annotations

import hashlib
import inspect
import math
from collections.abc import Callable
from copy import copy

from lxml import etree
from lxml.html import Element, HtmlElement
from trafilatura import external
from trafilatura.settings import Extractor

#: Elements readability drops, text and all, before it reads the page.
DROPPED = frozenset({"script", "style"})
#: Elements whose text is read raw when readability's XML result is parsed back as HTML, so
#: that their escaped text reads longer (or, left empty and self-closed, could swallow what
#: follows): no bound on pages that have one. Iframes are bounded: see `VIDEO`.
RAW_TEXT = frozenset({"xmp", "noembed", "noframes", "plaintext"})
#: What one iframe can add: readability writes "VIDEO" into an iframe of a video site (and
#: drops any other), a word and the space before it.
VIDEO = len(" VIDEO")
PARAGRAPH_TEXT = etree.XPath(".//p//text()")

Compare = Callable[[HtmlElement, HtmlElement, etree._Element, str, Extractor], tuple]


def trimmed_length(text: str | None) -> int:
    """The length of trafilatura's `trim` of `text`: words joined by single spaces."""
    return len(" ".join(text.split())) if text else 0


def readability_bound(page: HtmlElement) -> float:
    """The most characters readability's trimmed text can hold for `page` (module doc).

    The texts of scripts and styles are set aside while the page's text is read, and put
    back: most of a news page's characters are script, and this way they are never split."""
    special = list(page.iter(*DROPPED, *RAW_TEXT, "iframe"))
    if any(element.tag in RAW_TEXT for element in special):
        return math.inf
    held = [(e, e.text) for e in special if e.tag in DROPPED and e.text]
    for element, _ in held:
        element.text = None
    try:
        bound = trimmed_length(etree.tostring(page, method="text", encoding=str))
    finally:
        for element, text in held:
            element.text = text
    return bound + VIDEO * sum(element.tag == "iframe" for element in special)


def _deficient(body: etree._Element) -> bool:
    """trafilatura's structural test: no paragraph text, or more tables than paragraphs."""
    return not PARAGRAPH_TEXT(body) or len(body.findall(".//table")) > len(body.findall(".//p"))


def readability_cannot_win(
    page: HtmlElement, body: etree._Element, len_text: int, options: Extractor
) -> bool:
    """Whether compare_extraction's rules reject readability whatever it extracts from `page`."""
    bound = readability_bound(page)
    if len_text > 2 * bound:
        return True
    if len_text == 0 or bound > 2 * len_text:
        return False
    if bound > 2 * options.min_extracted_size and _deficient(body):
        return False
    # recall mode also takes readability when longer (1.5x, or at all with headings)
    return options.focus != "recall" or bound <= len_text


#: compare_extraction's parameters in the trafilatura releases the gate was checked on.
PARAMETERS = ("cleaned_tree", "raw_tree", "body", "text", "options")
#: sha256 prefixes of the source of compare_extraction and _prefer_readability in the releases
#: whose rules `readability_cannot_win` mirrors (trafilatura 2.3.1): a release that changes
#: either, even keeping their signatures, runs without the gate until it is checked again.
CHECKED_SOURCES = frozenset({("2d3d1ffea3ba469f", "f6ee688e9ae60074")})


#: sha256 prefix of the source of trafilatura's _extract_and_compare that `uncopied` mirrors
#: (trafilatura 2.3.1).
CHECKED_CASCADES = frozenset({"f7d056c2118222e8"})


def source_digest(function: Callable[..., object]) -> str:
    """The sha256 prefix of `function`'s source: how a fix checks that the code it mirrors is
    the code installed; empty when the source cannot be read."""
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        return ""


def fits(compare: Callable[..., object]) -> bool:
    """Whether `compare` is the one the gate was written for: it takes the parameters the
    gate passes on, and it and `_prefer_readability`, which holds its length rules, are the
    very code the gate's rules were checked against (any other release: no gate)."""
    prefer = getattr(external, "_prefer_readability", None)
    return (
        prefer is not None
        and tuple(inspect.signature(compare).parameters) == PARAMETERS
        and (source_digest(compare), source_digest(prefer)) in CHECKED_SOURCES
    )


def gated(compare: Compare) -> Compare:
    """trafilatura's compare_extraction, with readability given an empty page when it cannot
    win (same result, without the readability pass)."""

    def compare_extraction(
        cleaned_tree: HtmlElement,
        raw_tree: HtmlElement,
        body: etree._Element,
        text: str,
        options: Extractor,
    ) -> tuple:
        if readability_cannot_win(raw_tree, body, len(text), options):
            raw_tree = Element("html")
        return compare(cleaned_tree, raw_tree, body, text, options)

    compare_extraction.__wrapped__ = compare  # type: ignore[attr-defined]
    return compare_extraction


def fits_cascade(extract_and_compare: Callable[..., object] | None) -> bool:
    """Whether trafilatura's _extract_and_compare is the one `uncopied` was written from."""
    return extract_and_compare is not None and source_digest(extract_and_compare) in (
        CHECKED_CASCADES
    )


def uncopied(compare: Compare, extract_content: Callable[..., tuple]) -> Callable[..., tuple]:
    """trafilatura's _extract_and_compare, gated (see `gated`), with the raw page copied for
    readability only when readability reads it."""

    def _extract_and_compare(
        cleaned_tree: HtmlElement,
        cleaned_tree_backup: HtmlElement,
        tree: HtmlElement,
        options: Extractor,
    ) -> tuple:
        postbody, temp_text = extract_content(cleaned_tree, options)
        if not options.fast:
            skip = readability_cannot_win(tree, postbody, len(temp_text), options)
            raw_tree = Element("html") if skip else copy(tree)
            postbody, temp_text = compare(
                cleaned_tree_backup, raw_tree, postbody, temp_text, options
            )
        return postbody, temp_text

    return _extract_and_compare
