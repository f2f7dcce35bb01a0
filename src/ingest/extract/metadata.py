"""A page's title, author, date, url and site name: trafilatura's metadata pass, cut to what
extraction reads.

trafilatura's extract_metadata also gathers categories, tags and a license (XPath walks over
the page's links, 3-4 ms a news page) and the url's domain, which nothing here reads; they are
left out. Its last-resort author search (bylines found by XPath, for a page whose meta tags and
JSON-LD name nobody) prunes a deep copy of the whole page first, about 9 ms on the pages that
need it: `page_author` runs the same search on the page's own tree once nothing else reads it.
It also prunes the element that states the person's role, which trafilatura reads into the name
("Keith Barry Senior Autos Reporter"): on WCXB's train half, 4 of 616 authors right that were
wrong, none lost.
The date is htmldate's, as in trafilatura: htmldate reads the page's meta tags and JSON-LD
first and searches the page only when they state no date. JSON-LD is read as trafilatura reads
it, with less work on its text (`ingest.extract.json_ld`).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from itertools import pairwise

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, Extractor, set_date_params
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from ingest.extract.class_words import (
    BYLINE_ROLE_WORDS,
    BYLINE_WORDS,
    DESCRIBING_PREFIXES,
    ROLE_STEMS,
    ROLE_WORDS,
    name_words,
)
from ingest.extract.json_ld import read_json_ld
from ingest.extract.names import PageNames, named_elements
from ingest.extract.trafilatura_fixes import normalize_authors

log = logging.getLogger(__name__)

#: trafilatura's length limit for a byline's text (extract_author's `len_limit`).
AUTHOR_LENGTH_LIMIT = 120
EXTENSIVE_DATE_SEARCH = Extractor().date_params["extensive_search"]
"""As bare_extraction sets htmldate (trafilatura's configuration, on as shipped)."""


def page_metadata(tree: HtmlElement, url: str | None) -> Document:
    """extract_metadata's title, author (meta tags and JSON-LD only: see `page_author`),
    url, date and site name, value for value; raises what it raises."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = read_json_ld(tree, metadata)
    except Exception:  # trafilatura's JSON-LD reader has bugs; it logs them and goes on, as here
        log.debug("JSON-LD metadata unreadable", exc_info=True)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    # made per page, as bare_extraction does: the latest date allowed is today's, also in a
    # process that runs for weeks (`ingest serve`)
    date_params = set_date_params(EXTENSIVE_DATE_SEARCH)
    metadata.date = find_date(tree, **date_params, url=metadata.url)
    metadata.sitename = _site_name(tree, metadata.sitename, metadata.url)
    metadata.clean_and_trim()
    return metadata


def _site_name(tree: HtmlElement, stated: str | None, url: str | None) -> str | None:
    """The page's site name as extract_metadata settles it: stated, else from the title's
    parts, else the url's host."""
    name = stated or extract_sitename(tree)
    if name:
        name = name.lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name
    match = META_URL.match(url) if url else None
    return match[1] if match else None


def page_author(tree: HtmlElement, names: PageNames) -> str | None:
    """extract_metadata's last-resort author (a byline found by XPath), without the roles
    `names` (the page's class and id values) give; prunes `tree` in place instead of a copy
    of it, so it must be the last reader of the tree.

    trafilatura takes the first byline element of fitting length and normalises it, which
    deletes everything from its first digit on: a byline that starts with its date ("16
    December 2025 by Jo Roe") gave no author, though the element holding the name alone came
    next. Here the first element that normalises to a name is taken."""
    prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS)
    _prune_roles(names)
    for expression in AUTHOR_XPATHS:
        for element in expression(tree):
            content = trim(" ".join(element.itertext()))
            if not 2 < len(content) < AUTHOR_LENGTH_LIMIT:
                continue
            found = Document()
            found.author = normalize_authors(None, content)
            found.clean_and_trim()  # as extract_metadata leaves every field
            if found.author:
                return found.author
    return None


@lru_cache(maxsize=4096)
def _class_names_role(value: str) -> bool:
    """Whether a class and id value names a byline's role ("styles_jobTitle",
    "byline-role"), not a container that holds the byline ("post__author-date") nor a state
    ("no-job-title")."""
    return any(_token_names_role(token) for token in value.split())


def _token_names_role(token: str) -> bool:
    if token.lower().startswith(DESCRIBING_PREFIXES):
        return False
    words = name_words(token)
    return not ROLE_WORDS.isdisjoint(words) or any(
        before + after in ROLE_WORDS or (before in BYLINE_WORDS and after in BYLINE_ROLE_WORDS)
        for before, after in pairwise(words)
    )


def _prune_roles(names: PageNames) -> None:
    """Drop the elements that state a byline person's role, which a byline's text would
    otherwise glue to the name ("Keith Barry Senior Autos Reporter")."""
    for element in named_elements(names, ROLE_STEMS, lower=True):
        value = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _class_names_role(value) and element.getparent() is not None:
            element.drop_tree()
