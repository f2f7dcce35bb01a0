"""HTML to article body and metadata with trafilatura, under a per-document time limit.

Comments are off (reader comments otherwise leak into news bodies). Paragraph structure is
kept: trafilatura emits one block per line; we separate blocks with a blank line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import trafilatura

from ingest.sources.records import host_of, parse_date
from ingest.timeout import time_limit

# trafilatura and htmldate log every odd page at WARNING/ERROR; a run reports rejects itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

EXTRACTOR = "trafilatura"


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


def _blocks(text: str | None) -> str:
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def extract_html(html: str, *, url: str | None = None, timeout_s: float = 15.0) -> Extraction:
    """Body text and metadata of one page; raises TimeLimitExceeded past `timeout_s`.

    An empty `text` means trafilatura found no article; the caller turns that into a reject.
    """
    with time_limit(timeout_s):
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            deduplicate=False,
        )
    if doc is None:
        return Extraction("", None, None, None, url, host_of(url), None, EXTRACTOR)
    page_url = url or doc.url
    return Extraction(
        text=_blocks(doc.text),
        title=(doc.title or "").strip() or None,
        author=(doc.author or "").strip() or None,
        published=parse_date(doc.date),
        url=page_url,
        host=host_of(page_url),
        site_name=(doc.sitename or "").strip() or None,
        method=EXTRACTOR,
    )
