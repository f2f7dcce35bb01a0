"""Where a page states its article's title, how a site's name is cut from a title, and the
vote among the page's titles.

A page names its article up to five times: the visible headline (`<h1>`), the `headline`
of its schema.org Article in JSON-LD, `og:title`, `twitter:title` and `<title>`
(`page_titles`). The metadata titles often carry the site's name ("Headline | Site", "Site -
Headline", "Headline – DW – 13.06.2023"; `strip_site_affixes`), and SEO titles reorder the
headline's words. `choose_title` votes: the visible headline wins when the main metadata
title agrees with it (it is that title with affixes around it, or nearly the same words),
and otherwise the metadata title is used with the segments that name the site (og:site_name,
the host) or only give a date cut from its ends. The JSON-LD headline comes first: it is the
one title a publisher states for the article alone (og:title and `<title>` are written for
sharing and search and often reworded); then og:title. The vote is one signal of the ranker
that makes the choice (`ingest.extract.title_choice`).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml.html import HtmlElement

from ingest.extract.names import INVISIBLE_TAGS
from ingest.text import title_segments

_WORD = re.compile(r"\w+")
_DATE_SEGMENT = re.compile(r"^[\d\s./-]{6,}$")
#: A visible headline is this long at most; longer h1 text is a block of the page.
MAX_HEADLINE_CHARS = 300
#: A headline found at one end of a metadata title has this many words (or characters, in
#: scripts written without spaces) at least.
MIN_HEADLINE_WORDS = 3
MIN_HEADLINE_CHARS = 12
#: A paragraph this long (in words, or characters for scripts written without spaces) opens
#: a story...
STORY_PARAGRAPH_WORDS = 20
STORY_PARAGRAPH_CHARS = 100
#: ...and a visible headline this many characters of text above it stands over the story.
STORY_GAP_CHARS = 1500
#: A site's name, as a segment of a title, is this many words at most...
MAX_NAME_WORDS = 5
#: ...and holds a name of the site this long at least (shorter ones occur in words by chance).
MIN_NAME_CHARS = 6
#: Between a headline and a trailing site name, segments this short are section names.
SECTION_WORDS = 2
#: A metadata title that shares this share of its words with a headline words the same story.
SAME_WORDS_SHARE = 0.8
#: Second-level labels under which sites register (bbc.co.uk), not names of a site.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"})
_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


#: schema.org types whose `headline` is the article's title.
_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Report|LiveBlogPosting")


@dataclass(frozen=True, slots=True)
class PageTitles:
    """Every place a page states its article's title, read before trafilatura edits the tree.

    `near_story[i]` says whether the i-th visible headline stands just above the story: a
    long paragraph starts within `STORY_GAP_CHARS` of text after it. A section label or a
    site's logo set as an h1 stands over a list, a menu or the page's top instead."""

    headlines: tuple[str, ...] = ()
    near_story: tuple[bool, ...] = ()
    json_ld: str | None = None
    og_title: str | None = None
    twitter_title: str | None = None
    title_tag: str | None = None
    subheading: str | None = None  # the first h2, the headline of pages that set it there

    @property
    def metadata(self) -> list[str]:
        """The metadata titles `choose_title` weighs: JSON-LD headline, og:title, <title>."""
        return [t for t in (self.json_ld, self.og_title, self.title_tag) if t]


def page_titles(tree: HtmlElement) -> PageTitles:
    """The page's visible headlines (h1), whether each stands above the story, and its
    metadata titles (JSON-LD Article headline, og:title, twitter:title, <title>)."""
    tags = _title_tags(tree)
    headlines = [(_clean(h.text_content()), h) for h in tags.h1s]
    kept = [(text, h) for text, h in headlines if text and len(text) <= MAX_HEADLINE_CHARS]
    story = _story_starts(tree, tags.h1s)
    subheadings = [_clean(h.text_content()) for h in tags.h2s[:1]]
    return PageTitles(
        headlines=tuple(text for text, _ in kept),
        near_story=tuple(story.get(h, False) for _, h in kept),
        json_ld=_first(_json_ld_headlines(tags.scripts)),
        og_title=_first(m.get("content") for m in tags.og),
        twitter_title=_first(m.get("content") for m in tags.twitter),
        title_tag=_first(t.text_content() for t in tags.titles),
        subheading=_first(h for h in subheadings if len(h) <= MAX_HEADLINE_CHARS),
    )


@dataclass(frozen=True, slots=True)
class _TitleTags:
    """The elements that state a title, each kind in document order."""

    h1s: list[HtmlElement]  # tree.iter("h1")
    h2s: list[HtmlElement]  # tree.iter("h2")
    scripts: list[HtmlElement]  # //script[@type="application/ld+json"]
    og: list[HtmlElement]  # //meta[@property="og:title"]
    twitter: list[HtmlElement]  # //meta[@name="twitter:title" or @property="twitter:title"]
    titles: list[HtmlElement]  # //head/title | /html/title


def _title_tags(tree: HtmlElement) -> _TitleTags:
    """The elements `_TitleTags` names, found in one walk of the document by lxml's tag
    filter: each walk costs a fifth of a millisecond on a news page, as an XPath pass does,
    and there were six. The headings are those in `tree`, the rest those of the document,
    whose root may have siblings (a second `<html>` further down a page)."""
    root = tree.getroottree().getroot()
    tags = _TitleTags([], [], [], [], [], [])
    for top in (root, *root.itersiblings()):  # the root is the document's first element
        for element in top.iter("h1", "h2", "script", "meta", "title"):
            if element.tag not in ("h1", "h2"):
                _add_metadata(tags, element)
            elif top is root and (
                tree is root or element is tree or tree in element.iterancestors()
            ):
                (tags.h1s if element.tag == "h1" else tags.h2s).append(element)
    return tags


def _add_metadata(tags: _TitleTags, element: HtmlElement) -> None:
    """Add `element` to the list of `tags` whose XPath selects it, if any."""
    if element.tag == "script":
        if element.get("type") == "application/ld+json":
            tags.scripts.append(element)
    elif element.tag == "meta":
        if element.get("property") == "og:title":
            tags.og.append(element)
        if "twitter:title" in (element.get("name"), element.get("property")):
            tags.twitter.append(element)
    elif _in_head(element):
        tags.titles.append(element)


def _in_head(title: HtmlElement) -> bool:
    """Whether a `<title>` is a child of a head or of a top-level html element."""
    parent = title.getparent()
    return parent is not None and (
        parent.tag == "head" or (parent.tag == "html" and parent.getparent() is None)
    )


def _first(texts: Iterable[str | None]) -> str | None:
    """The first of `texts`, whitespace squeezed, or None when it is empty or there is none."""
    for text in texts:
        return _clean(text or "") or None
    return None


def _story_starts(tree: HtmlElement, h1s: list[HtmlElement]) -> dict[HtmlElement, bool]:
    """For each h1 of the page, whether a long paragraph starts within `STORY_GAP_CHARS` of
    visible text after it, in document order (`h1s`, the h1s of `tree`). Only text after
    the first h1 is ever compared, so the walk starts there (the page's header and menus
    are never walked), and it ends once every h1 is settled."""
    found: dict[HtmlElement, bool] = {}
    waiting: list[tuple[HtmlElement, int]] = []
    unseen = len(h1s)
    seen = 0
    for element in _from(h1s[0], tree) if h1s else ():
        if not unseen and (not waiting or seen - waiting[-1][1] > STORY_GAP_CHARS):
            break
        if not isinstance(element.tag, str) or element.tag in INVISIBLE_TAGS:
            seen += len((element.tail or "").strip())
            continue
        if element.tag == "h1":
            waiting.append((element, seen))
            found[element] = False
            unseen -= 1
        elif element.tag == "p" and waiting and _long_paragraph(element):
            for h1, at in waiting:
                found[h1] = seen - at <= STORY_GAP_CHARS
            waiting = []
        seen += len((element.text or "").strip()) + len((element.tail or "").strip())
    return found


def _from(start: HtmlElement, root: HtmlElement) -> Iterator[HtmlElement]:
    """`root.iter()` from `start` on: `start`, its descendants, then the following siblings
    (with theirs) of `start` and of each of its ancestors up to `root`."""
    yield start
    yield from start.iterdescendants()
    node = start
    while node is not None and node is not root:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _long_paragraph(element: HtmlElement) -> bool:
    text = element.text_content()
    return len(text.split()) >= STORY_PARAGRAPH_WORDS or len(text.strip()) >= STORY_PARAGRAPH_CHARS


def _json_ld_headlines(scripts: Iterable[HtmlElement]) -> list[str]:
    """The `headline` of every Article object in the page's JSON-LD `scripts`, in page
    order; entities some sites leave in it (`&quot;`) decoded."""
    found = []
    for script in scripts:
        text = script.text or ""
        if "headline" not in text and "\\u" not in text:
            continue  # no key can read "headline" (spelt with escapes, it holds a "\u")
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        for item in _objects(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            headline = item.get("headline")
            if isinstance(headline, str) and any(
                isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds
            ):
                found.append(html.unescape(headline))
    return found


def _objects(data: object) -> Iterator[dict]:
    """Every JSON object in `data`, nested ones (`@graph`, `mainEntity`) included."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value)


def choose_title(
    title: str | None,
    headlines: list[str],
    metadata: list[str],
    *,
    site_name: str | None,
    host: str | None,
) -> str | None:
    """The title most of the page's sources agree on: the metadata titles (JSON-LD headline,
    og:title, `<title>`, else trafilatura's `title`) without site affixes, and the visible
    headline, which agrees with a metadata title that confirms it. Ties go to the earlier
    source in that order. Publishers reword the shared and searched titles independently,
    so a headline two sources state is the article's; on its own each source is wrong on
    a fifth to a third of pages (news_html and WCXB truths). The visible headline's spelling
    is kept when it wins or agrees with the winner."""
    names = site_keys(site_name, host)
    raws = [t for t in metadata if t] or ([title] if title else [])
    bares = [strip_site_affixes(t, site_name=site_name, host=host) for t in raws]
    visible = [
        h
        for h in headlines
        if squash(h) not in names | _names_beside(bares) | _cut_names(raws, bares)
    ]
    if not raws:
        return visible[0] if visible else None
    agreeing = [[_confirms(r, b, h) for r, b in zip(raws, bares, strict=True)] for h in visible]
    best_h = max(range(len(visible)), key=lambda i: (sum(agreeing[i]), -i), default=None)
    headline = visible[best_h] if best_h is not None else None
    confirmed = agreeing[best_h] if best_h is not None else [False] * len(raws)

    def votes(index: int) -> int:
        same = sum(title_key(b) == title_key(bares[index]) for b in bares)
        return same + confirmed[index]

    if headline is not None and sum(confirmed) > max(map(votes, range(len(bares)))) - 1:
        return headline
    best = max(range(len(bares)), key=lambda i: (votes(i), -i))
    if not confirmed[best] or _kicker_before(headline or "", bares[best], names):
        return bares[best]
    return headline


def _kicker_before(headline: str, title: str, names: frozenset[str]) -> bool:
    """The title is the headline behind a kicker and a colon ("Kenya: Nairobi from below"):
    the publisher's full headline, which the page sets on two lines. A site's name before
    the colon ("Garnix Blog: …") is no kicker."""
    key, whole = title_key(headline), title_key(title)
    kicker = whole[: -len(key)].rstrip()
    return whole.endswith(key) and kicker.endswith(":") and not _is_affix(kicker[:-1], names)


def _names_beside(titles: list[str]) -> set[str]:
    """What one title adds around another that it holds whole ("Engora Data Blog: Small
    models" beside "Small models"): the site's name, even where no `og:site_name` says so."""
    keys = {squash(t) for t in titles}
    found = set()
    for whole in keys:
        for part in keys - {whole}:
            if part and whole.startswith(part):
                found.add(whole.removeprefix(part))
            elif part and whole.endswith(part):
                found.add(whole.removesuffix(part))
    return found - {""}


def _cut_names(raws: list[str], bares: list[str]) -> set[str]:
    """What the affix cut took off each title ("Engora Data Blog" from "Engora Data Blog:
    Small models"): a site's name, which some pages also set as an h1."""
    found = set()
    for raw, bare in zip(raws, bares, strict=True):
        whole, part = squash(raw), squash(bare)
        if part and whole.startswith(part):
            found.add(whole.removeprefix(part))
        elif part and whole.endswith(part):
            found.add(whole.removesuffix(part))
    return found - {""}


def _confirms(title: str, bare: str, headline: str) -> bool:
    """A metadata title confirms a headline it equals once its affixes are cut, one with
    mostly the same words, or one it opens or closes with (a headline of a few words at
    least, not a section name)."""
    key, whole = title_key(headline), title_key(title)
    if key == title_key(bare):
        return True
    words, bare_words = set(_WORD.findall(key)), set(_WORD.findall(title_key(bare)))
    if len(words & bare_words) >= SAME_WORDS_SHARE * len(words | bare_words):
        return True  # the same words in another order: the site's SEO wording
    spaced = len(words) > 1
    long_enough = len(words) >= MIN_HEADLINE_WORDS if spaced else len(key) >= MIN_HEADLINE_CHARS
    return long_enough and (whole.startswith(key) or whole.endswith(key))


@lru_cache(maxsize=8192)
def strip_site_affixes(title: str, *, site_name: str | None, host: str | None) -> str:
    """`title` without leading or trailing segments that name the site or only give a date
    (cached: the vote and the ranker's candidates strip the same titles of a page)."""
    segments = title_segments(title)
    if len(segments) == 1:
        return title
    names = site_keys(site_name, host)
    start, end = 0, len(segments)
    while end - start > 1 and _is_affix(title[slice(*segments[end - 1])], names):
        end -= 1
        # "Headline » Local » News » Site": the section names before the site's go with it
        while end - start > 1 and len(title[slice(*segments[end - 1])].split()) <= SECTION_WORDS:
            end -= 1
    while end - start > 1 and _leads_with_name(title, segments, start, names):
        start += 1
    return title[segments[start][0] : segments[end - 1][1]].strip()


def _leads_with_name(
    title: str, segments: tuple[tuple[int, int], ...], index: int, names: frozenset[str]
) -> bool:
    """The segment at `index` is a leading affix; before a colon only the site's name itself
    is ("NDTV.com: …"), as a brand opens many a headline ("Docker Hardened Images: …")."""
    segment = title[slice(*segments[index])]
    if ":" in title[segments[index][1] : segments[index + 1][0]]:
        return squash(segment) in names
    return _is_affix(segment, names)


def _is_affix(segment: str, names: frozenset[str]) -> bool:
    """A segment that is empty, only a date, or the site's name, alone or in a short phrase
    ("Die Neue Südtiroler Tageszeitung" on tageszeitung.it)."""
    key = squash(segment)
    if not key or _DATE_SEGMENT.match(segment) or key in names:
        return True
    short = len(segment.split()) <= MAX_NAME_WORDS
    return short and any(len(n) >= MIN_NAME_CHARS and n in key for n in names)


@lru_cache(maxsize=4096)
def site_keys(site_name: str | None, host: str | None) -> frozenset[str]:
    """The site's name, squashed, as og:site_name and the host give it ("welt.de": welt);
    cached, as every title of a page and every page of a site asks for the same."""
    keys = {squash(site_name or "")}
    if host:
        labels = host.lower().removeprefix("www.").split(".")
        keys.update({squash(labels[0]), squash(".".join(labels)), squash(" ".join(labels))})
        if len(labels) > 2:
            keys.add(squash(labels[-3]))
        if len(labels) > 1 and labels[-2] not in _SECOND_LEVEL:
            keys.add(squash(labels[-2]))  # breakingnews.iol.ie: iol
    return frozenset(keys - {""})


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Letters and digits only, case-folded, umlauts spelt out and marks dropped (cached: a
    page's title candidates and segments are squashed dozens of times)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SPELLINGS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


def title_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _clean(text: str) -> str:
    return " ".join(text.split())
