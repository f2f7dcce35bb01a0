"""A short page stays in paragraphs: trafilatura's whole-page fallback block is split again;
a long one keeps what its paragraphs leave out."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree
from lxml.html import HtmlElement

from ingest.extract import extract_html
from ingest.extract.blob import split_page_block

PAGES = {
    "ja": (
        "北浜港に新フェリー",
        "2026年3月15日 10:45",
        [
            "北浜港で火曜日、新しいフェリーが就航し、朝から多くの市民が桟橋に集まった。",
            "フェリーは一日八往復し、対岸の島まで二十分で結ぶ。料金は片道三百円。",
            "市は来年度、待合室に冷房を入れる計画だ。",
        ],
    ),
    "he": (
        "הנמל נפתח מחדש",
        "יום רביעי 23.06.2021",
        [
            "הנמל בעיר נפתח היום מחדש לאחר שבועיים של עבודות תיקון ברציף הצפוני.",
            "הדייגים חזרו לעבוד כבר בבוקר, ולדבריהם השלל היה טוב מהצפוי.",
        ],
    ),
}


def short_page(lang: str) -> str:
    headline, date, paragraphs = PAGES[lang]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><title>{headline}</title></head><body>'
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header><main><article>"
        f"<h1>{headline}</h1><span class='date'>{date}</span>{body}"
        "<p>Share: <a href='#f'>Facebook</a> | <a href='#x'>X</a></p></article></main>"
        "<footer><p>© 2026 Harbour Media</p></footer></body></html>"
    )


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_short_page_keeps_its_paragraphs_without_headline_and_date(lang):
    headline, date, paragraphs = PAGES[lang]
    extracted = extract_html(short_page(lang))
    assert extracted.text.split("\n\n")[: len(paragraphs)] == paragraphs  # then the share line
    assert extracted.title == headline


def test_a_structured_single_block_is_left_as_trafilatura_gave_it():
    items = "".join(f"<li>Setting number {i} changes the speed of the game.</li>" for i in range(8))
    html = (
        "<html><body><article><h1>Game settings</h1><ul>"
        f"{items}</ul><p>Short note.</p></article></body></html>"
    )
    text = extract_html(html).text
    assert "Setting number 7 changes the speed of the game." in text


def _fallback_block(html: str) -> tuple[etree._Element, HtmlElement]:
    """trafilatura's whole-page fallback for `html`: one paragraph of the article's text."""
    tree = lxml.html.fromstring(html)
    article = tree.find(".//article")
    body = etree.Element("body")
    etree.SubElement(body, "p").text = " ".join(article.text_content().split())
    return body, tree


def _blocks(body: etree._Element) -> list[str]:
    return [" ".join("".join(block.itertext()).split()) for block in body]


def test_fallback_block_of_a_short_page_is_split_into_its_paragraphs():
    headline, date, paragraphs = PAGES["he"]
    body, tree = _fallback_block(short_page("he"))
    assert split_page_block(body, tree)
    assert _blocks(body)[: len(paragraphs)] == paragraphs
    assert not any(date in block for block in _blocks(body))


def test_fallback_block_of_a_guide_keeps_the_story_its_paragraphs_leave_out():
    steps = [
        f"Step {n}: {step}"
        for n, step in enumerate(
            [
                "Fill the watering can from the rain barrel behind the shed before sunrise.",
                "Water the tomato rows at the roots, never over the leaves, for ten minutes.",
                "Check the undersides of the leaves for the small green beetles of Ostvale.",
                "Pick the ripe fruit with a short twist, leaving the green stalk on the vine.",
                "Write the day's harvest in the garden book kept on the shelf by the door.",
            ],
            start=1,
        )
    ]
    html = (
        "<html><body><article><h1>How the Ostvale allotment waters its tomatoes</h1>"
        "<p>Members of the Ostvale allotment share one routine for the summer tomatoes.</p>"
        "<h2>The morning round</h2><ol>"
        + "".join(f"<li>{step}</li>" for step in steps)
        + "</ol><p>The routine takes about half an hour for the whole row of beds.</p>"
        "</article></body></html>"
    )
    body, tree = _fallback_block(html)
    assert not split_page_block(body, tree)
    assert all(step in _blocks(body)[0] for step in steps)
