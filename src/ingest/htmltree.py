"""A page's HTML parsed into an lxml.html tree: trafilatura's load_html, with a faster parser.

trafilatura's parser is lxml.html's HTMLParser, whose element-class lookup calls a Python
function for every element proxy lxml creates (hundreds of thousands per hundred pages, during
parsing and every later tree walk): several milliseconds a page. That lookup only exists to
give form controls their own classes (FormElement, InputElement, ...), which neither
trafilatura nor we use. Our parser has the same options and a lookup done in C that makes
every element a plain HtmlElement, so trafilatura extracts the same text from its trees.

`load_page` follows load_html step by step (decoding, size guard, repairs, the byte fallback
for a string that declares its encoding, the check that it is HTML at all) and reuses its
helpers, so the two differ only in the parser. trafilatura's own module stays as shipped.
"""

from __future__ import annotations

import logging

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

log = logging.getLogger(__name__)


def _page_parser() -> HTMLParser:
    """trafilatura's parser options, with a C-level element lookup."""
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


PAGE_PARSER = _page_parser()


def _parse_bytes(html: str) -> HtmlElement | None:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=PAGE_PARSER)
    except Exception:  # lxml raises several types for unparseable input: no tree, as load_html
        log.debug("lxml could not parse the page as bytes", exc_info=True)
    return None


def load_page(html: bytes | str, max_size: int | None = None) -> HtmlElement | None:
    """The page's tree, or None when it is not HTML or cannot be parsed (as load_html)."""
    text = decode_file(html, max_size)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    tree = None
    parsed_bytes = False
    try:
        tree = fromstring(text, parser=PAGE_PARSER)
    except ValueError:  # a str that declares its encoding: lxml wants bytes
        tree = _parse_bytes(text)
        parsed_bytes = True
    except Exception:
        log.debug("lxml could not parse the page", exc_info=True)
    if (tree is None or len(tree) < 1) and not parsed_bytes:
        tree = _parse_bytes(text)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
