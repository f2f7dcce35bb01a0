"""Every character of the story reaches `text`: joiners, variation selectors, combining marks.

Stories are drawn from word pools we wrote for each script, holding the characters that
extraction used to delete or split: the Persian half-space U+200C, the joiner U+200D (Indic
conjuncts, Malayalam chillu letters, emoji sequences), variation selectors, emoji tag
sequences, and combining marks (Arabic harakat, Hebrew niqqud, the kana semi-voiced mark).
Words are NFC already, so the one normalisation the pipeline applies changes none of them.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trafilatura.utils import remove_control_characters

from ingest.boilerplate import clean_document, normalize_whitespace
from ingest.extract import extract_html
from ingest.extract.trafilatura_fixes import SPELLING_FORMAT_CHARACTERS
from ingest.options import Options
from ingest.pipeline import run_pipeline

ZWNJ, ZWJ = "\u200c", "\u200d"
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
# Words per language, story words only (no chrome vocabulary); the first words of each pool
# carry the characters at risk.
WORDS = {
    "fa": [
        f"می{ZWNJ}شود",
        f"اسکله{ZWNJ}ها",
        f"ماهی{ZWNJ}فروشان",
        f"نمی{ZWNJ}خواهند",
        f"کشتی{ZWNJ}های",
        "بندر",
        "صیادان",
        "امروز",
        "گفت",
        "که",
        "در",
        "بازار",
        "تازه",
    ],
    "ur": [
        f"ماہی{ZWNJ}گیروں",
        f"ذمہ{ZWNJ}داری",
        "شہر",
        "بندرگاہ",
        "کشتیاں",
        "نے",
        "کہا",
        "کہ",
        "آج",
        "بازار",
        "میں",
        "پانی",
    ],
    "ku": [
        f"ماسی{ZWNJ}گرەکان",
        f"کەشتی{ZWNJ}یەکان",
        "شار",
        "بەندەر",
        "ڕۆژنامەنووس",
        "دەڵێت",
        "ئەمڕۆ",
        "لە",
        "بازاڕ",
        "نوێ",
    ],
    "hi": [
        f"क्{ZWJ}षेत्र",
        f"र्{ZWJ}या",
        f"क्{ZWNJ}ष",
        "नगर",
        "बंदरगाह",
        "मछुआरों",
        "ने",
        "कहा",
        "कि",
        "आज",
        "बाज़ार",
        "नावें",
    ],
    "ml": [
        f"അവന്{ZWJ}",
        f"മീന്{ZWJ}പിടിത്തക്കാര്{ZWJ}",
        f"കപ്പലുകള്{ZWJ}",
        "നഗരം",
        "തുറമുഖം",
        "ഇന്ന്",
        "പറഞ്ഞു",
        "ചന്ത",
    ],
    "ja": [
        "か\u309a",
        "葛\U000e0100",
        "辻\U000e0101",
        "北浜",
        "港",
        "市場",
        "漁師",
        "が",
        "新しい",
        "フェリー",
        "を",
        "見た",
    ],
    "zh": [
        "葛\U000e0100",
        "邊\U000e0102",
        "𠮷",
        "港口",
        "渔民",
        "市场",
        "今天",
        "新的",
        "渡轮",
        "说",
    ],
    "ar": [
        "وَقَالَ",
        "المِينَاءُ",
        "الصَّيَّادُونَ",
        "اليوم",
        "سوق",
        "السمك",
        "مدينة",
        "جديدة",
        "إن",
        "في",
    ],
    "he": ["הַנָּמָל", "דַּיָּגִים", "אָמַר", "הַיּוֹם", "שׁוּק", "הָעִיר", "חָדָשׁ", "כִּי", "סירות", "בעיר"],
    "en": [
        f"\U0001f469{ZWJ}\U0001f52c",
        f"\U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467",
        f"\U0001f3f3\ufe0f{ZWJ}\U0001f308",
        "\u2764\ufe0f",
        "\U0001f44d\U0001f3fd",
        SCOTLAND,
        "#\ufe0f\u20e3",
        "\u260e\ufe0e",
        "harbour",
        "the",
        "ferry",
        "crew",
        "said",
        "today",
        "market",
    ],
}
LANGUAGES = sorted(WORDS)
FULL_STOP = {"ja": "。", "zh": "。", "ar": ".", "fa": ".", "ur": "۔", "ku": ".", "hi": "।"}
JOIN = {"ja": "", "zh": ""}


def sentence(lang: str) -> st.SearchStrategy[str]:
    """A story sentence of 10-18 pool words (10-45 in scripts written without spaces, where
    words are a character or two: short pages too), the characters at risk among them."""
    pool = WORDS[lang]
    size = (10, 45) if lang in JOIN else (10, 18)
    words = st.lists(st.sampled_from(pool), min_size=size[0], max_size=size[1])
    return st.tuples(words, st.sampled_from(pool[:3])).map(
        lambda parts: JOIN.get(lang, " ").join([parts[1], *parts[0]]) + FULL_STOP.get(lang, ".")
    )


def story(lang: str) -> st.SearchStrategy[list[str]]:
    paragraph = st.lists(sentence(lang), min_size=2, max_size=3).map(" ".join)
    return st.lists(paragraph, min_size=3, max_size=5, unique=True)  # a repeat is chrome


def page(lang: str, paragraphs: list[str]) -> str:
    """A news page with realistic chrome around the story."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>Port news</title></head><body>'
        "<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport"
        "</a></nav></header><main><article><h1>Port news of the day</h1>"
        f"{body}<p>Share: <a href='#f'>Facebook</a> | <a href='#x'>X</a></p></article></main>"
        "<footer><p>© 2026 Harbour Media</p><a href='/privacy'>Privacy</a></footer></body></html>"
    )


def cleaned(text: str, *, from_html: bool) -> str:
    return clean_document(normalize_whitespace(text), from_html=from_html).text


@pytest.mark.parametrize("lang", LANGUAGES)
@given(data=st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_story_character_of_a_page_reaches_text(lang, data):
    paragraphs = data.draw(story(lang))
    text = cleaned(extract_html(page(lang, paragraphs)).text, from_html=True)
    assert text.split("\n\n") == paragraphs


@pytest.mark.parametrize("lang", LANGUAGES)
@given(data=st.data())
@settings(max_examples=15, deadline=None)
def test_every_story_character_of_a_text_dump_reaches_text(lang, data):
    paragraphs = data.draw(story(lang))
    dump = "\n".join(["Home | World | Sport", *paragraphs, "© 2026 Harbour Media"])
    assert cleaned(dump, from_html=False).split("\n\n") == paragraphs


@given(st.text(min_size=1, max_size=40))
def test_joiners_kept_and_other_invisible_controls_still_dropped(word):
    """Only the spelling characters are kept; what trafilatura dropped before still goes."""
    sample = f"<p>{ZWNJ}{ZWJ}{SCOTLAND}{word}\u0007</p>"
    kept = remove_control_characters(sample)
    assert ZWNJ + ZWJ + SCOTLAND in kept
    assert "\u0007" not in kept
    assert all(ch.isprintable() or ch.isspace() or ch in SPELLING_FORMAT_CHARACTERS for ch in kept)


def test_joiners_survive_the_pipeline_into_parquet(tmp_path: Path):
    """A Persian page, a Hindi text dump and an emoji page, through a real run and back."""
    raw = tmp_path / "raw"
    (raw / "bandar").mkdir(parents=True)
    fa, hi, en = (
        [
            " ".join(WORDS[lang][i % len(WORDS[lang])] for i in range(n, n + 30)) + end
            for n in range(3)
        ]
        for lang, end in (("fa", "."), ("hi", "।"), ("en", "."))
    )
    (raw / "bandar" / "bazaar.html").write_text(page("fa", fa), encoding="utf-8")
    (raw / "bandar" / "nagar.txt").write_text("\n\n".join(hi), encoding="utf-8")
    (raw / "bandar" / "lab.html").write_text(page("en", en), encoding="utf-8")
    run_pipeline(Options(raw_dir=raw, out_dir=tmp_path / "out", write_report=False))
    articles = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    texts = {Path(a["source"]).name: a["text"] for a in articles}
    assert texts["bazaar.html"].split("\n\n") == fa
    assert texts["nagar.txt"].split("\n\n") == hi
    assert texts["lab.html"].split("\n\n") == en
    assert all(unicodedata.is_normalized("NFC", t) for t in texts.values())
