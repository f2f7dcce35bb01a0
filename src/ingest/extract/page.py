"""HTML to article body and metadata with trafilatura, under a per-document time limit.

Comments are off (reader comments otherwise leak into news bodies). Paragraph structure is
kept: trafilatura emits one block per line; we separate blocks with a blank line.

trafilatura runs once per page, with links kept in its result tree so that link-made blocks
(teaser lists, trailing "more" sections) and blocks of promotional boxes the page names as
such (newsletter sign-ups, "most read", ads) can be cut before the tree becomes text, and the
page's lead paragraph, which trafilatura drops as a teaser, is put back in front of the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from ingest.boilerplate.kinds import RemovalKind
from ingest.documents import Removal
from ingest.extract.anchors import drop_empty_anchors
from ingest.extract.blob import split_page_block
from ingest.extract.blocks import Block, segment
from ingest.extract.boxes import Boxes, cut_boxes, find_boxes
from ingest.extract.layout_tables import unwrap_layout_tables
from ingest.extract.lead import (
    drop_headline,
    link_share,
    story_lead,
    story_start,
    trim_link_chrome,
)
from ingest.extract.loose import wrap_loose_text
from ingest.extract.metadata import page_author, page_metadata
from ingest.extract.names import page_names
from ingest.extract.page_scorer import RULE as SCORER_RULE
from ingest.extract.page_scorer import cut_chrome
from ingest.extract.prune import prune_hidden_microdata, prune_named_chrome
from ingest.extract.ruby import fold_ruby
from ingest.extract.split import split_story
from ingest.extract.title import PageTitles, page_titles
from ingest.extract.title_choice import pick_title
from ingest.extract.tree import load_page
from ingest.sources.records import host_of, parse_date
from ingest.timeout import time_limit

EXTRACTOR = "trafilatura"
# A page whose extracted text is at least this share (by characters) link text is a menu or
# an index of links, not an article: trafilatura returns such lists as the body when nothing
# else is on the page.
NAVIGATION_SHARE = 0.9
#: How trafilatura is called: comments off, tables kept, links kept in the result tree (for the
#: link-made chrome cut after it), metadata on, no cross-document deduplication (ours is).
TRAFILATURA_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_links": True,
    "with_metadata": True,
    "deduplicate": False,
}


@dataclass(frozen=True, slots=True)
class Extraction:
    text: str
    title: str | None
    author: str | None
    published: datetime | None
    url: str | None
    host: str | None  # host of the record's or the page's own url (og:url, canonical link)
    site_name: str | None  # the site's name as the page states it
    method: str
    # what was cut from trafilatura's result (headline, named boxes, link lists), for audit
    removed: tuple[Removal, ...] = ()


def _blocks(text: str | None) -> str:
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def extract_html(
    html: str,
    *,
    url: str | None = None,
    timeout_s: float = 15.0,
    ruby_readings: bool = False,
    block_scorer: bool = False,
) -> Extraction:
    """Body text and metadata of one page; raises TimeLimitExceeded past `timeout_s`.

    Ruby readings are dropped, or kept in parentheses after their base text with
    `ruby_readings`. With `block_scorer`, the learned block scorer cuts the body paragraphs
    it scores as chrome (see `ingest.extract.page_scorer`).

    An empty `text` means trafilatura found no article; the caller turns that into a reject.
    """
    with time_limit(timeout_s):
        tree = load_page(html)  # parsed once: for links and the lead, then for trafilatura
        doc = None
        text = ""
        boxes = Boxes(())
        removed: list[Removal] = []
        titles = PageTitles()
        blocks: list[Block] = []
        if tree is not None:
            fold_ruby(tree, keep_readings=ruby_readings)
            wrap_loose_text(tree)
            titles = page_titles(tree)  # before trafilatura, which edits the tree
            names = page_names(tree)  # class and id values, read once for every step
            boxes = find_boxes(tree, names)
            prune_named_chrome(tree, names)
            prune_hidden_microdata(tree)
            drop_empty_anchors(tree)
            if block_scorer:
                blocks = segment(tree)  # before trafilatura, which edits the tree
            doc = _trafilatura(tree, url)
        if doc is not None:
            doc.title = pick_title(
                doc.title, titles, site_name=doc.sitename, host=host_of(url or doc.url)
            )
        if doc is not None and doc.body is not None:
            split_page_block(doc.body, tree)
            removed += _removals(
                RemovalKind.TITLE, _drop_headline(doc.body, doc.title, titles.headlines)
            )
            removed += _removals(RemovalKind.PAGE_BOX, cut_boxes(doc.body, boxes))
            if _navigation(doc.body, tree):
                doc = None
            else:
                removed += _removals(RemovalKind.LINK_LIST, trim_link_chrome(doc.body))
                if unwrap_layout_tables(doc.body):
                    removed += _removals(RemovalKind.LINK_LIST, trim_link_chrome(doc.body))
                    removed += _removals(
                        RemovalKind.TITLE, _drop_headline(doc.body, doc.title, titles.headlines)
                    )
                text = _body_text(doc.body)
                text = _with_lead(_with_twins(text, tree, doc.title), tree, doc.title)
                if blocks:
                    text = _scored(text, blocks, removed, [doc.title, *titles.headlines])
        if doc is not None and not doc.author:
            doc.author = page_author(tree, names)  # the tree's last reader: it prunes it
    if doc is None:
        return Extraction("", None, None, None, url, host_of(url), None, EXTRACTOR)
    page_url = url or doc.url
    return Extraction(
        text=_blocks(text),
        title=(doc.title or "").strip() or None,
        author=(doc.author or "").strip() or None,
        published=parse_date(doc.date),
        url=page_url,
        host=host_of(page_url),
        site_name=(doc.sitename or "").strip() or None,
        method=EXTRACTOR,
        removed=tuple(removed),
    )


def _scored(text: str, blocks: list[Block], removed: list[Removal], headlines: list) -> str:
    """The body without the paragraphs the block scorer cuts, each added to `removed`.

    What trafilatura's call kept is the body with the page cuts made so far put back."""
    extracted = "\n".join([text, *(r.text for r in removed)])
    body, cut = cut_chrome(_blocks(text), blocks, extracted, headlines)
    removed += [Removal(str(RemovalKind.PAGE_CHROME), p, SCORER_RULE) for p in cut]
    return body


def _trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    """trafilatura.bare_extraction with TRAFILATURA_OPTIONS, in two calls with the same body,
    title, date, url and site name, and the author when meta tags or JSON-LD name one (else
    `page_author` finds it, once the tree is no longer read).

    bare_extraction reads the metadata first, without changing the tree, then passes the
    page's own url (og:url, canonical) to the body pass, which makes every link target
    absolute against it: a few milliseconds a news page for targets nothing here reads. So
    the metadata is read here (only the fields read here: see `ingest.extract.metadata`), and
    the body pass gets only the record's url, as the links' base when there is one.
    """
    try:
        metadata = page_metadata(tree, url)
    except (TypeError, ValueError):  # bare_extraction gives up on these as no result
        return None
    body_only = {**TRAFILATURA_OPTIONS, "with_metadata": False}
    doc = trafilatura.bare_extraction(tree, url=url, **body_only)
    if doc is None:
        return None
    metadata.body = doc.body
    return metadata


def _drop_headline(
    body: etree._Element, title: str | None, headlines: tuple[str, ...]
) -> list[str]:
    """The headline blocks opening the body, found by the title or, when the title is the
    metadata's wording, by the page's visible headline (h1)."""
    dropped = drop_headline(body, title)
    for headline in headlines:
        if dropped:
            break
        dropped = drop_headline(body, headline)
    return dropped


def _removals(kind: RemovalKind, texts: list[str]) -> list[Removal]:
    return [Removal(str(kind), text, f"page.{kind}") for text in texts]


def _body_text(body: etree._Element) -> str:
    """trafilatura's result tree as text, link markup dropped."""
    etree.strip_tags(body, "ref")
    return xmltotxt(body, include_formatting=False)


def _with_lead(text: str, tree: HtmlElement, title: str | None) -> str:
    """Put the page's lead paragraph in front of the body when extraction left it out."""
    lead = story_lead(tree, title, story_start(text, title))
    if lead is None or lead in " ".join(text.split()):
        return text
    return f"{lead}\n{text}"


def _with_twins(text: str, tree: HtmlElement, title: str | None) -> str:
    """Add the paragraphs of the story's twin blocks that trafilatura left out."""
    split = split_story(tree, story_start(text, title))
    if split is None:
        return text
    have = " ".join(text.split())
    before = [p for p in split.before if p not in have]
    after = [p for p in split.after if p not in have]
    return "\n".join([*before, text, *after])


def _navigation(body: etree._Element, tree: HtmlElement) -> bool:
    """True when nearly all the extracted text is link text: a menu or an index of links.

    trafilatura marks links in its result; when it fell back to a plain-text pass there are
    no marks, and the extracted lines are compared with the texts of the page's links.
    """
    if next(body.iter("ref"), None) is not None:
        return link_share(body) >= NAVIGATION_SHARE
    lines = [" ".join(line.split()) for line in "".join(body.itertext()).splitlines()]
    lines = [line for line in lines if line]
    link_texts = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    linked = sum(len(line) for line in lines if line in link_texts)
    return bool(lines) and linked >= NAVIGATION_SHARE * sum(len(line) for line in lines)
