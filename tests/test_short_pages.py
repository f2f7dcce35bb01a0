"""A short page stays in paragraphs: trafilatura's whole-page fallback block is split again."""

from __future__ import annotations

import pytest

from ingest.extract import extract_html

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
