"""A short page that trafilatura returned as one block of the whole page, split into its
paragraphs again.

When its own extraction of a page is short (under 250 characters, a few sentences of
Japanese or a Hebrew news flash), trafilatura falls back on its baseline, which returns the
text of the `<article>` (or of the whole page) as one block: headline, date line, story and
share bar in a single paragraph, which no later step can take apart. When the page's own
paragraphs (`<p>`) lie inside that block, the block is replaced by them, in page order; the
headline and date lines, which are not paragraphs, are left out.

Only when the paragraphs hold nearly all of the block: the same fallback on a long guide
returns its lists, tables and headings in the block too, and they are story that no `<p>`
holds (over the labelled pages, every split of a block that the paragraphs left more than a
few lines of lost story, up to half of a page's).
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

#: A block is a page dump when at least this many of the page's paragraphs lie inside it.
MIN_PARAGRAPHS = 2
#: What the paragraphs leave of the block is a headline, a date and a share bar: at most
#: this many characters.
MAX_LEFT_CHARS = 200


def split_page_block(body: etree._Element, tree: HtmlElement) -> bool:
    """Replace a one-block `body` by the page's paragraphs it holds; True when it did."""
    blocks = list(body)
    if len(blocks) != 1 or blocks[0].tag != "p" or len(blocks[0]):
        return False  # the baseline's block is one paragraph of bare text
    block = " ".join((blocks[0].text or "").split())
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    inside = [p for p in dict.fromkeys(paragraphs) if p and p in block]
    if len(inside) < MIN_PARAGRAPHS or " ".join(inside) == block:
        return False
    if not 0 <= len(block) - len(" ".join(inside)) <= MAX_LEFT_CHARS:
        return False
    body.remove(blocks[0])
    for text in inside:
        etree.SubElement(body, "p").text = text
    return True
