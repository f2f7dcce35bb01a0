"""A page's HTML parsed into an lxml.html tree: trafilatura's load_html, with a faster parser.

trafilatura's parser is lxml.html's HTMLParser, whose element-class lookup calls a Python
function for every element proxy lxml creates (hundreds of thousands per hundred pages, during
parsing and every later tree walk): several milliseconds a page. That lookup only exists to
give form controls their own classes (FormElement, InputElement, ...), which neither
trafilatura nor we use. Our parser has the same options and a lookup done in C that makes
every element a plain HtmlElement, so trafilatura extracts the same text from its trees.

`load_page` follows load_html step by step (decoding, size guard, repairs, the byte fallback
for a string that declares its encoding, the check that it is HTML at all) and reuses its
helpers, so the two differ only in the parser and in skipping a repair pass that would change
nothing (see `repair_html`). trafilatura's own module stays as shipped.
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
from trafilatura.utils import (
    DOCTYPE_TAG,
    FAULTY_HTML,
    INVALID_XML_CHARS,
    decode_file,
    is_dubious_html,
)

log = logging.getLogger(__name__)

# The control characters XML forbids (all but tab, line feed and carriage return), as bytes.
_XML_FORBIDDEN_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13))


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
    text = repair_html(text, beginning)
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


def repair_html(text: str, beginning: str) -> str:
    """trafilatura's repair_faulty_html step for step, with the same result, except that its
    first step, a regex pass over the whole page for the characters XML forbids, runs only
    when the page holds one: that pass changes almost no page and costs over a millisecond
    a page, while the bytes are checked in a fraction of it."""
    if _holds_xml_forbidden(text):
        text = INVALID_XML_CHARS.sub("", text)
    if "doctype" in beginning:
        first_line, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", first_line, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", text, count=1)
    return text


def _holds_xml_forbidden(text: str) -> bool:
    """Whether INVALID_XML_CHARS could match: a forbidden control character (a byte of its
    own in UTF-8), U+FFFE or U+FFFF; a lone surrogate, which UTF-8 cannot encode, counts too."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return (
        len(data.translate(None, _XML_FORBIDDEN_CONTROLS)) != len(data)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
    )
