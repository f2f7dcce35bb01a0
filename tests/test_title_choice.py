"""The title ranker: which of a page's title wordings becomes `title`, on real extraction of
fictional pages; the shipped model file holds trees and numbers only."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from fakenews import FERRY_STORY_HTML

from ingest.extract import extract_html
from ingest.extract.title import PageTitles, page_titles
from ingest.extract.title_choice import FEATURES, candidates, load_ranker, pick_title
from ingest.extract.tree import load_page

HEADLINE = "Crews win their fight for a late boat home"
SEO = "Port Alden ferry timetable 2026: evening crossings, prices"
STORY = FERRY_STORY_HTML
#: A section page's chrome: a menu long enough to stand between its label and any story.
MENU = (
    "<nav><ul>"
    + "".join(
        f"<li><a href='/s/{i}'>Island section {i}: boats, tides and weather</a></li>"
        for i in range(60)
    )
    + "</ul></nav>"
)


def page(
    *,
    title: str,
    og_title: str | None = None,
    h1: str | None = None,
    json_ld: str | None = None,
    site: str | None = None,
    label_h1: str | None = None,
) -> str:
    meta = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    meta += f'<meta property="og:site_name" content="{site}">' if site else ""
    if json_ld:
        meta += (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            f'"headline": "{json_ld}"}}</script>'
        )
    top = f"<header><h1>{label_h1}</h1></header>{MENU}" if label_h1 else "<header>Home</header>"
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body>{top}<article>{heading}{STORY}"
        "</article></body></html>"
    )


def test_headline_above_the_story_wins_over_an_seo_og_title():
    html = page(
        title=f"{HEADLINE} | Harbour Ledger", og_title=SEO, h1=HEADLINE, site="Harbour Ledger"
    )
    assert extract_html(html).title == HEADLINE


def test_headline_the_json_ld_states_wins_over_seo_og_and_page_titles():
    html = page(
        title=f"{SEO} | Harbour Ledger",
        og_title=SEO,
        h1=HEADLINE,
        json_ld=HEADLINE,
        site="Harbour Ledger",
    )
    assert extract_html(html).title == HEADLINE


def test_wording_every_metadata_title_states_wins_over_a_lone_h1():
    """Where og:title and <title> agree and only the h1 says otherwise, the labelled pages
    side with the metadata more often: the publishers' own title for the article."""
    html = page(title=f"{SEO} | Harbour Ledger", og_title=SEO, h1=HEADLINE, site="Harbour Ledger")
    assert extract_html(html).title == SEO


@pytest.mark.parametrize("label", ["Island news", "Related News", "Latest stories"])
def test_section_label_h1_is_no_title(label):
    html = page(
        title="Ferry adds two evening crossings | Harbour Ledger",
        og_title="Ferry adds two evening crossings",
        label_h1=label,
        site="Harbour Ledger",
    )
    assert extract_html(html).title == "Ferry adds two evening crossings"


def test_section_label_h1_stands_over_no_story():
    html = page(title="Ferry adds two evening crossings", label_h1="Island news", h1=HEADLINE)
    titles = page_titles(load_page(html))
    assert titles.headlines == ("Island news", HEADLINE)
    assert titles.near_story == (False, True)


@pytest.mark.parametrize(
    ("headline", "separator", "site", "h1"),
    [
        ("Паром добавил два вечерних рейса", " — ", "Гаванский вестник", False),
        ("Δύο νέα βραδινά δρομολόγια για το πλοίο", " | ", "Λιμενικά Νέα", False),
        ("港のフェリー、夜の便を二つ追加", " - ", "港湾新聞", True),
        ("बंदरगाह की फेरी में दो नई शाम की सेवाएँ", " | ", "हार्बर समाचार", False),
        ("عبّارة الميناء تضيف رحلتين مسائيتين", " | ", "الساحل نيوز", False),
    ],
)
def test_site_affixes_go_in_every_script(headline, separator, site, h1):
    title = f"{headline}{separator}{site}"
    html = page(title=title, og_title=title, h1=headline if h1 else None, site=site)
    assert extract_html(html).title == headline


def test_site_name_no_page_states_goes_with_the_longest_part():
    html = page(title="Harbour Ledger Online - Ferry adds two evening crossings for the summer")
    assert extract_html(html).title == "Ferry adds two evening crossings for the summer"


def test_kicker_before_a_colon_is_part_of_the_headline():
    wording = "Port Alden: ferry adds two evening crossings for the summer"
    html = page(title=f"{wording} | Harbour Ledger", og_title=wording, site="Harbour Ledger")
    assert extract_html(html).title == wording


def test_wordings_stated_twice_are_one_candidate_with_every_source():
    titles = PageTitles(
        headlines=(HEADLINE,),
        near_story=(True,),
        og_title=f"{HEADLINE.upper()} | Harbour Ledger",
        title_tag=f"{SEO} - Ferries and tides | Harbour Ledger",
    )
    found = candidates(None, titles, site_name="Harbour Ledger", host=None)
    assert [(c.text, sorted(c.sources), c.near_story) for c in found] == [
        (HEADLINE, ["h1", "og"], True),
        (f"{SEO} - Ferries and tides", ["title_tag"], False),
        (SEO, ["segment"], False),
    ]


def test_no_sources_no_title_and_one_source_is_the_title():
    assert pick_title(None, PageTitles(), site_name=None, host=None) is None
    assert pick_title(f"{HEADLINE} | Ledger", PageTitles(), site_name="Ledger", host=None) == (
        HEADLINE
    )


def test_model_file_holds_trees_and_numbers_only():
    text = resources.files("ingest.extract").joinpath("title_model.json").read_text("utf-8")
    data = json.loads(text)
    assert data["features"] == list(FEATURES)
    for values in data["trees"].values():
        assert all(isinstance(x, int | float) for row in values for x in row)
    assert load_ranker().feature.shape[0] == data["trained_on"]["rounds"]
