"""Our basic_cleaning deletes what trafilatura's deletes, whatever the page, and is installed
only over an XPath of the shape it was written for."""

from __future__ import annotations

from copy import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import external

from ingest.extract import trafilatura_fixes
from ingest.extract.basic_cleaning import split_cleaning
from ingest.extract.trafilatura_fixes import ORIGINAL_CLEANING, trafilatura_baseline
from ingest.extract.tree import load_page

NAMES = st.sampled_from(
    [
        "",
        "story",
        "cookie-banner",
        "Cookie_Consent wrap",
        "COOKIEBOT",
        "coo\u212aie-notice",  # KELVIN SIGN: the same letter as k to a case-blind regex
        "notice--cookie",
        "notice---cookie",
        "consent-manager",
        "consentmanager",
        "onetrust-banner-sdk",
        "moove_gdpr_cookie_info_bar",
        "site-footer",
        "cookie",
        "ad-slot",
        "\u0130cookie-bar",
    ]
)
TAGS = st.sampled_from(["div", "section", "p", "span", "aside", "footer", "nav", "ul", "li"])
TEXT = st.sampled_from(["", "Tide tables", " the ferry ", "Accept all", "\n"])


def element(children: list[str]) -> st.SearchStrategy[str]:
    return st.tuples(TAGS, NAMES, NAMES, TEXT, TEXT).map(
        lambda t: f'<{t[0]} class="{t[1]}" id="{t[2]}">{t[3]}{"".join(children)}</{t[0]}>{t[4]}'
    )


BLOCKS = st.recursive(
    st.lists(TEXT.map(lambda text: f"<p>{text}</p>"), max_size=3).map("".join),
    lambda inner: st.lists(inner, max_size=3).flatmap(element),
    max_leaves=25,
)
PAGES = st.tuples(BLOCKS, st.sampled_from(["", "<script>var c = 1;</script>"])).map(
    lambda t: f'<html><body class="cookie-banner-open">{t[0]}{t[1]}</body></html>'
)


@given(PAGES)
@settings(max_examples=300, deadline=None)
def test_the_same_tree_as_trafilaturas_cleaning(html):
    page = load_page(html)
    ours = trafilatura_baseline.basic_cleaning
    for root in (page, page.find("body")):
        theirs, mine = copy(root), copy(root)
        ORIGINAL_CLEANING(theirs)
        assert ours(mine) is mine
        assert etree.tostring(mine) == etree.tostring(theirs)


def test_cookie_banners_go_and_the_story_stays():
    page = load_page(
        '<html><body><div id="CybotCookiebotDialog" class="CookieBot">Accept all</div>'
        '<article class="story"><p>The ferry ran again.</p></article>'
        '<div class="consent-manager">Manage choices</div></body></html>'
    )
    trafilatura_baseline.basic_cleaning(page)
    assert etree.tostring(page, method="text", encoding=str) == "The ferry ran again."


def test_an_xpath_of_another_shape_is_not_split():
    assert split_cleaning(None) is None
    assert split_cleaning(etree.XPath(".//aside|.//footer")) is None
    cookie = ", 'i') or re:test(@id, '{0}', 'i')]"
    for regex in ("cookie.*banner", "^cookie", "cookie\\s", "a?"):
        path = f".//aside|.//*[re:test(@class, '{regex}'{cookie.format(regex)}"
        assert split_cleaning(etree.XPath(path, namespaces={"re": "x"})) is None


def test_install_leaves_another_cleaning_alone(monkeypatch):
    plain = etree.XPath(".//aside|.//footer")
    monkeypatch.setattr(trafilatura_baseline, "BASIC_CLEAN_XPATH", plain)
    monkeypatch.setattr(trafilatura_baseline, "basic_cleaning", ORIGINAL_CLEANING)
    monkeypatch.setattr(external, "basic_cleaning", ORIGINAL_CLEANING)
    assert trafilatura_fixes.install() is False
    assert trafilatura_baseline.basic_cleaning is ORIGINAL_CLEANING
    assert external.basic_cleaning is ORIGINAL_CLEANING
