"""Prefiltered XPath expressions find what trafilatura's own find, in the same order, on any
page, and leave the page as it was."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import xpaths

from ingest.extract import trafilatura_fixes
from ingest.extract.tree import load_page
from ingest.extract.xpath_prefilter import MARK, Need, necessary_words, prefiltered
from tests.fakenews import FERRY_STORY_HTML

#: Every XPath expression trafilatura keeps in its lists, as trafilatura wrote it.
ORIGINALS = [
    expression
    for name, expressions in vars(xpaths).items()
    if name.isupper() and isinstance(expressions, list)
    for expression in expressions
    if isinstance(expression, etree.XPath)
] + [original for _, _, original, _ in trafilatura_fixes.PREFILTERED_XPATHS]
#: Each of them with every filter it has prefiltered, whether or not that is faster.
ALL_PREFILTERED = [
    (original, fast)
    for original in ORIGINALS
    if (fast := prefiltered(original, only_if_faster=False)) is not None
]

PIECES = [
    "author",
    "Author",
    "byline",
    "Byline",
    "writer",
    "comment",
    "Comments",
    "commentary",
    "comment-list",
    "shar",
    "share",
    "nav",
    "Nav",
    "navbar",
    "hidden",
    "hide",
    "display:none",
    "cookie",
    "ad",
    "ad-",
    "post",
    "sidebar",
    "bread",
    "crumb",
    "message-container",
    "reply",
    "akismet",
    "article",
    "body",
    "main",
    "content",
    "Content",
    "story",
    "caption",
    "teaser",
    "Teaser",
    "title",
    "headline",
    "entry",
    "meta",
    "tag",
    "fulltext",
    "primary",
    "ferry",
]
VALUES = st.lists(
    st.tuples(st.sampled_from(["", " ", "-", "_", "__", ":"]), st.sampled_from(PIECES)),
    max_size=3,
).map(lambda parts: "".join(sep + piece for sep, piece in parts).lstrip())
OTHER_VALUES = VALUES | st.sampled_from(
    ["true", "me", "author", "Navigation", "main", "articleBody"]
)
ATTRIBUTES = st.fixed_dictionaries(
    {"class": VALUES, "id": VALUES},
    optional={
        name: OTHER_VALUES
        for name in (
            "style",
            "role",
            "itemprop",
            "rel",
            "data-component",
            "data-testid",
            "aria-hidden",
            "data-lp-replacement-content",
            "href",
        )
    },
)
TAGS = st.sampled_from(
    [
        "div",
        "section",
        "p",
        "span",
        "a",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "list",
        "item",
        "ul",
        "ol",
        "details",
        "aside",
        "header",
        "footer",
        "address",
        "strong",
        "li",
        "author",
        "rel",
        "time",
        "figure",
        "link",
    ]
)
TEXT = st.sampled_from(["", "The ferry ran.", "me", "Share", "By Ana Lenz"])


def _element(children: list[str]) -> st.SearchStrategy[str]:
    def write(parts: tuple) -> str:
        tag, attributes, text = parts
        attrs = "".join(f' {k}="{v}"' for k, v in attributes.items())
        return f"<{tag}{attrs}>{text}{''.join(children)}</{tag}>"

    return st.tuples(TAGS, ATTRIBUTES, TEXT).map(write)


PAGES = st.recursive(
    TEXT.map(lambda text: f"<p>{text}</p>"),
    lambda inner: st.lists(inner, max_size=4).flatmap(_element),
    max_leaves=30,
).map(lambda body: f"<html><body>{body}</body></html>")


@given(PAGES)
@settings(max_examples=400, deadline=None)
def test_prefiltered_expressions_find_the_same_elements_in_the_same_order(html):
    page = load_page(html)
    before = etree.tostring(page)
    for root in (page, page.find("body")):
        for original, fast in ALL_PREFILTERED:
            assert fast(root) == original(root), original.path
    assert etree.tostring(page) == before


def test_an_element_already_marked_keeps_its_mark():
    page = load_page(
        f'<html><body><div class="social-share" {MARK}="x">Share</div>'
        '<div class="story"><p>The ferry ran.</p></div></body></html>'
    )
    for original, fast in ALL_PREFILTERED:
        assert fast(page) == original(page)
    assert page.find(".//div").get(MARK) == "x"


def test_the_filters_are_read_for_the_words_they_need():
    assert necessary_words("contains(@class, 'nav')") == {Need("class", "nav")}
    assert necessary_words("self::div or self::p") is None
    assert necessary_words("self::div and starts-with(@id|@class, 'shar')") == {
        Need("id", "shar"),
        Need("class", "shar"),
    }
    assert necessary_words("re:test(@class, '^bread-?crumb|[Aa]uthor(?!ity)')") == {
        Need("class", w) for w in ("bread-crumb", "breadcrumb", "Author", "author")
    }
    assert necessary_words("@rel='author' or rel='me'") == {
        Need("rel", "author"),
        Need(child="rel"),
    }
    assert necessary_words("contains(translate(@role, 'N', 'n'), 'nav')") == {
        Need("role", "nav", any_case=True)
    }
    assert necessary_words("contains(translate(@role, 'N', 'x'), 'nav')") == {Need("role")}
    assert necessary_words("re:test(@class, 'fulltext', 'i')") == {
        Need("class", "fulltext", any_case=True)
    }


def test_filters_that_may_hold_without_the_words_are_left_alone():
    for predicate in (
        "not(contains(@class, 'nav'))",
        "contains(@class, 'nav') or self::aside",
        "re:test(@class, 'x?')",  # matches the empty string: holds without a class
        "contains(@class, '')",
        "position() = 1",
        "1",
        "contains(@class, 'nav') or string-length(.) > 3",
    ):
        assert necessary_words(predicate) is None, predicate
    assert prefiltered(etree.XPath(".//*[@*]")) is None
    assert prefiltered(etree.XPath(".//header")) is None


def test_trafilatura_uses_the_prefiltered_expressions_and_extracts_the_same():
    from ingest.extract.page import extract_html

    assert trafilatura_fixes.PREFILTERED_XPATHS
    for expressions, index, _original, fast in trafilatura_fixes.PREFILTERED_XPATHS:
        assert expressions[index] is fast
    fast_result = extract_html(FERRY_STORY_HTML)
    swapped = trafilatura_fixes.PREFILTERED_XPATHS
    try:
        for expressions, index, original, _fast in swapped:
            expressions[index] = original
        assert extract_html(FERRY_STORY_HTML) == fast_result
    finally:
        for expressions, index, _original, fast in swapped:
            expressions[index] = fast
    assert "ferry" in fast_result.text.lower()
