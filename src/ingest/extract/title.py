"""The article's headline: the page's visible headline, checked against its metadata titles.

A page names its article three times: the visible headline (`<h1>`), `og:title` and
`<title>`. The metadata titles often carry the site's name ("Headline | Site", "Site -
Headline", "Headline – DW – 13.06.2023"), and SEO titles reorder the headline's words. So the
visible headline wins when the main metadata title agrees with it (it is that title with
affixes around it, or nearly the same words), and otherwise the metadata title is used with
the segments that name the site (og:site_name, the host) or only give a date cut from its
ends. On news_html/dev the publishers' own parsers (the truth) take og:title where it differs
from the h1 more often than not, hence og:title first.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

#: Separators between a headline and the site's name in a metadata title.
_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«/~]\s+|\s*[|·•»«]\s*")
_WORD = re.compile(r"\w+")
_DATE_SEGMENT = re.compile(r"^[\d\s./-]{6,}$")
#: A visible headline is this long at most; longer h1 text is a block of the page.
MAX_HEADLINE_CHARS = 300
#: A headline found at one end of a metadata title has this many words (or characters, in
#: scripts written without spaces) at least.
MIN_HEADLINE_WORDS = 3
MIN_HEADLINE_CHARS = 12
#: A site's name, as a segment of a title, is this many words at most...
MAX_NAME_WORDS = 5
#: ...and holds a name of the site this long at least (shorter ones occur in words by chance).
MIN_NAME_CHARS = 6
#: Between a headline and a trailing site name, segments this short are section names.
SECTION_WORDS = 2
#: A metadata title that shares this share of its words with a headline words the same story.
SAME_WORDS_SHARE = 0.8
_SPELLINGS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def page_titles(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """The page's visible headlines (h1) and its metadata titles (og:title, <title>)."""
    headlines = [_clean(h.text_content()) for h in tree.iter("h1")]
    meta = [
        *(m.get("content") or "" for m in tree.xpath('//meta[@property="og:title"]')),
        *(t.text_content() for t in tree.iter("title")),
    ]
    return (
        [h for h in headlines if h and len(h) <= MAX_HEADLINE_CHARS],
        [t for t in map(_clean, meta) if t],
    )


def choose_title(
    title: str | None,
    headlines: list[str],
    metadata: list[str],
    *,
    site_name: str | None,
    host: str | None,
) -> str | None:
    """The visible headline when the page's main metadata title (og:title, else `<title>`,
    else trafilatura's `title`) confirms it; otherwise that title without site affixes. A
    `<title>` that merely repeats the headline does not outvote a differing og:title: the
    publisher states its headline there."""
    main = next((t for t in [*metadata[:1], title] if t), None)
    if main is None:
        return headlines[0] if headlines else None
    bare = strip_site_affixes(main, site_name=site_name, host=host)
    names = _site_keys(site_name, host)
    for headline in headlines:
        if _squash(headline) in names:
            continue  # the site's name set as a heading (a logo)
        if _confirms(main, bare, headline):
            return headline
    return bare


def _confirms(title: str, bare: str, headline: str) -> bool:
    """A metadata title confirms a headline it equals once its affixes are cut, one with
    mostly the same words, or one it opens or closes with (a headline of a few words at
    least, not a section name)."""
    key, whole = _key(headline), _key(title)
    if key == _key(bare):
        return True
    words, bare_words = set(_WORD.findall(key)), set(_WORD.findall(_key(bare)))
    if len(words & bare_words) >= SAME_WORDS_SHARE * len(words | bare_words):
        return True  # the same words in another order: the site's SEO wording
    spaced = len(words) > 1
    long_enough = len(words) >= MIN_HEADLINE_WORDS if spaced else len(key) >= MIN_HEADLINE_CHARS
    return long_enough and (whole.startswith(key) or whole.endswith(key))


def strip_site_affixes(title: str, *, site_name: str | None, host: str | None) -> str:
    """`title` without leading or trailing segments that name the site or only give a date."""
    marks = list(_SEPARATOR.finditer(title))
    if not marks:
        return title
    bounds = [0, *(i for m in marks for i in (m.start(), m.end())), len(title)]
    segments = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    names = _site_keys(site_name, host)
    start, end = 0, len(segments)
    while end - start > 1 and _is_affix(title[slice(*segments[end - 1])], names):
        end -= 1
        # "Headline » Local » News » Site": the section names before the site's go with it
        while end - start > 1 and len(title[slice(*segments[end - 1])].split()) <= SECTION_WORDS:
            end -= 1
    while end - start > 1 and _is_affix(title[slice(*segments[start])], names):
        start += 1
    return title[segments[start][0] : segments[end - 1][1]].strip()


def _is_affix(segment: str, names: set[str]) -> bool:
    """A segment that is empty, only a date, or the site's name, alone or in a short phrase
    ("Die Neue Südtiroler Tageszeitung" on tageszeitung.it)."""
    key = _squash(segment)
    if not key or _DATE_SEGMENT.match(segment) or key in names:
        return True
    short = len(segment.split()) <= MAX_NAME_WORDS
    return short and any(len(n) >= MIN_NAME_CHARS and n in key for n in names)


def _site_keys(site_name: str | None, host: str | None) -> set[str]:
    """The site's name, squashed, as og:site_name and the host give it ("welt.de": welt)."""
    keys = {_squash(site_name or "")}
    if host:
        labels = host.lower().removeprefix("www.").split(".")
        keys.update({_squash(labels[0]), _squash(".".join(labels)), _squash(" ".join(labels))})
        if len(labels) > 2:
            keys.add(_squash(labels[-3]))
    return keys - {""}


def _squash(text: str) -> str:
    """Letters and digits only, case-folded, umlauts spelt out and marks dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SPELLINGS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _clean(text: str) -> str:
    return " ".join(text.split())
