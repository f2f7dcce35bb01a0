"""The article's headline: the page's visible headline, checked against its metadata titles.

A page names its article three times: the visible headline (`<h1>`), `og:title` and
`<title>`. The metadata titles often carry the site's name ("Headline | Site", "Site -
Headline", "Headline – DW – 13.06.2023"), and SEO titles word the story differently from the
headline readers see. So the visible headline wins when a metadata title agrees with it (it
is that title with affixes around it, or the same words), and otherwise the metadata title is
used with the segments that name the site (og:site_name, the host) or only give a date cut
from its ends.
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
#: A metadata title that shares this share of its words with a headline words the same story.
SAME_WORDS_SHARE = 0.6
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
    """The visible headline a metadata title confirms, else the title without site affixes."""
    candidates = [t for t in [title, *metadata] if t]
    bare = [strip_site_affixes(t, site_name=site_name, host=host) for t in candidates]
    names = _site_keys(site_name, host)
    for headline in headlines:
        if _squash(headline) in names:
            continue  # the site's name set as a heading (a logo)
        if any(_confirms(t, b, headline) for t, b in zip(candidates, bare, strict=True)):
            return headline
    return bare[0] if bare else (headlines[0] if headlines else None)


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
    while end - start > 1 and _is_affix(title[slice(*segments[start])], names):
        start += 1
    return title[segments[start][0] : segments[end - 1][1]].strip()


def _is_affix(segment: str, names: set[str]) -> bool:
    key = _squash(segment)
    return not key or bool(_DATE_SEGMENT.match(segment)) or key in names


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
