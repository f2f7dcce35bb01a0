"""The faster readings of a page's titles find what the per-element walk and the XPath
passes they replace found, on any page."""

from __future__ import annotations

import html
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from ingest.extract.names import INVISIBLE_TAGS
from ingest.extract.title import (
    _ARTICLE_TYPE,
    STORY_GAP_CHARS,
    _json_ld_headlines,
    _long_paragraph,
    _objects,
    _story_starts,
    _title_tags,
    page_titles,
)
from ingest.extract.tree import load_page

TAGS = ["div", "p", "h1", "h2", "span", "a", "section", "noscript", "script", "style", "title"]
FILLER = "The harbour ferry leaves at noon and returns by dusk when the tide allows it. "
TEXTS = ["", " ", "\n  ", "Harbour", "Ferry strike ends", FILLER, FILLER * 3, FILLER * 12]
HEADS = [
    '<meta property="og:title" content="Ferry strike ends | Harbour Times">',
    '<meta name="twitter:title" content="Ferry strike ends">',
    '<meta property="twitter:title" content="Strike over">',
    '<meta name="og:title" content="Not og">',
    "<title>Ferry strike ends - Harbour Times</title>",
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferry"}</script>',
    '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
    ' {"@type": ["BlogPosting"], "head\\u006cine": "Escaped &amp; kept"}]}</script>',
    '<script type="application/ld+json">{"@type": "Organization", "name": "Harbour"}</script>',
    '<script type="application/ld+json">{not json "headline"</script>',
    '<script type="text/javascript">var headline = "x";</script>',
]


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """Body markup: text, headings, long and short paragraphs, hidden elements."""
    out = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        tag = draw(st.sampled_from(TAGS))
        out += f"<{tag}>{draw(fragments(depth + 1))}</{tag}>" + draw(st.sampled_from(TEXTS))
    return out


@st.composite
def pages(draw: st.DrawFn) -> str:
    head = "".join(draw(st.lists(st.sampled_from(HEADS), max_size=5)))
    body = draw(fragments())
    tail = "".join(draw(st.lists(st.sampled_from(HEADS), max_size=2)))
    shape = draw(st.sampled_from(["page", "fragment", "two roots"]))
    if shape == "fragment":  # its tree is an element below the document's root
        return f"<div>{head}{body}</div><p>{tail}Closing words.</p>"
    if shape == "two roots":  # a second html element, a sibling of the root
        second = f"<html><head>{tail}</head><body><h1>Elsewhere</h1><h2>Also</h2></body></html>"
        return f"<html><head>{head}</head><body>{body}</body></html>{second}"
    return f"<html><head>{head}</head><body>{body}{tail}</body></html>"


def parsed(html: str) -> HtmlElement:
    """The page's tree, parsed in the test, not in the strategy (parsing touches `random`)."""
    tree = load_page(html)
    assert tree is not None
    return tree


def story_starts_by_walking_everything(tree: HtmlElement) -> dict[HtmlElement, bool]:
    """The walk `_story_starts` made before it started at the first h1."""
    found: dict[HtmlElement, bool] = {}
    waiting: list[tuple[HtmlElement, int]] = []
    unseen = sum(1 for _ in tree.iter("h1"))
    seen = 0
    for element in tree.iter():
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


@settings(max_examples=300, deadline=None)
@given(pages())
def test_story_starts_match_the_walk_over_every_element(html: str) -> None:
    tree = parsed(html)
    assert list(_story_starts(tree, list(tree.iter("h1"))).items()) == list(
        story_starts_by_walking_everything(tree).items()
    )


@settings(max_examples=300, deadline=None)
@given(pages())
def test_title_tags_are_what_the_xpath_passes_selected(html: str) -> None:
    tree = parsed(html)
    tags = _title_tags(tree)
    assert tags.h1s == list(tree.iter("h1"))
    assert tags.h2s == list(tree.iter("h2"))
    assert tags.scripts == tree.xpath('//script[@type="application/ld+json"]')
    assert tags.og == tree.xpath('//meta[@property="og:title"]')
    assert tags.twitter == tree.xpath('//meta[@name="twitter:title" or @property="twitter:title"]')
    assert tags.titles == tree.xpath("//head/title | /html/title")


def json_ld_headlines_parsing_every_script(scripts: list[HtmlElement]) -> list[str]:
    """What `_json_ld_headlines` found before it skipped scripts without a headline key."""
    found = []
    for script in scripts:
        try:
            data = json.loads(script.text or "", strict=False)
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


KEYS = st.sampled_from(["headline", "@type", "name", "@graph", "mainEntity"])
VALUES = st.sampled_from(["NewsArticle", "WebPage", "Ferry &quot;ends&quot;", "Hafen"])
JSON = st.recursive(
    VALUES | st.lists(VALUES, max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(JSON, st.booleans(), st.booleans()), max_size=4))
def test_json_ld_headlines_are_those_of_parsing_every_script(
    documents: list[tuple[object, bool, bool]],
) -> None:
    scripts = []
    for data, escape_key, break_it in documents:
        text = json.dumps(data)
        if escape_key:
            text = text.replace('"headline"', '"head\\u006cine"')
        script = load_page("<html><head><script>x</script></head></html>").find(".//script")
        script.text = text[:-1] if break_it else text
        scripts.append(script)
    assert _json_ld_headlines(scripts) == json_ld_headlines_parsing_every_script(scripts)


def test_escaped_headline_keys_and_titles_outside_head_are_read() -> None:
    tree = load_page(
        f"<html><head>{HEADS[6]}</head><body><h1>Ferry</h1><title>x</title></body></html>"
    )
    assert tree is not None
    titles = page_titles(tree)
    assert titles.json_ld == "Escaped & kept"
    assert titles.title_tag is None  # a <title> in the body is no page title
