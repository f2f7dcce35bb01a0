"""Ruby: the base text stays in its sentence, readings go (or stay in parentheses on request)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ingest.boilerplate import clean_document, normalize_whitespace
from ingest.cli import app
from ingest.extract import extract_html

JA = [
    "<ruby>北浜<rp>(</rp><rt>きたはま</rt><rp>)</rp></ruby>市の港で火曜日、新しいフェリーの運航が始まり、"
    "朝から多くの市民が桟橋に集まって出航を見送った。市の担当者によると、フェリーは一日八往復し、"
    "対岸の島まで二十分で結ぶという。港の周辺では朝市も開かれ、地元の漁師が獲れたての魚を並べた。",
    "運航会社の<ruby>辻<rt>つじ</rt></ruby><ruby>晴美<rt>はるみ</rt></ruby>社長は「島の暮らしが大きく"
    "変わる」と話し、初便には島の小学生も招かれた。料金は片道三百円で、通学する生徒には割引がある。"
    "島の住民は長年、天候に左右される小さな渡し船に頼ってきた。",
    "市は来年度、桟橋の屋根を広げ、待合室に冷房を入れる計画で、予算案を三月の議会に出す。"
    "地元の商店街も、観光客の増加に期待を寄せている。",
]
ZH = [
    "<ruby>澎<rt>ㄆㄥˊ</rt>湖<rt>ㄏㄨˊ</rt></ruby>县政府周二宣布，新的渡轮航线将于下个月开通，"
    "每天往返八班，单程约四十分钟。县长表示，新航线将方便岛上居民就医和上学，也会带来更多游客。",
    "渡轮公司负责人<ruby><rb>林</rb><rt>lín</rt><rb>海</rb><rt>hǎi</rt></ruby>说，票价为单程一百二十元，"
    "学生和老人可以享受半价优惠。码头周边的商店也开始为游客高峰做准备，不少渔民计划开设民宿。",
    "县政府还计划明年扩建码头候船室，并增加无障碍设施，预算将在三月提交县议会审议。",
]


def page(lang: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<nav><a href='/'>トップ</a> <a href='/news'>ニュース</a></nav><article><h1>{title}</h1>"
        f"{body}</article><footer>© 2026 Harbour Times</footer></body></html>"
    )


def text_of(html: str, **kwargs) -> list[str]:
    extracted = extract_html(html, **kwargs)
    cleaned = clean_document(
        normalize_whitespace(extracted.text), from_html=True, title=extracted.title
    )
    return cleaned.text.split("\n\n")


@pytest.mark.parametrize(
    ("lang", "paragraphs", "sentence"),
    [
        ("ja", JA, "北浜市の港で火曜日"),
        ("ja", JA, "運航会社の辻晴美社長は"),
        ("zh", ZH, "澎湖县政府周二宣布"),
        ("zh", ZH, "渡轮公司负责人林海说"),
    ],
)
def test_base_text_stays_in_the_sentence_and_readings_go(lang, paragraphs, sentence):
    text = text_of(page(lang, "港の新航路" if lang == "ja" else "渡轮新航线", paragraphs))
    assert len(text) == len(paragraphs)  # no paragraph break at a ruby
    assert any(p.startswith(sentence) for p in text)
    for reading in ("きたはま", "つじ", "はるみ", "ㄆㄥˊ", "lín", "hǎi", "(", ")"):
        assert reading not in "".join(text)


def test_readings_kept_in_parentheses_on_request():
    text = text_of(page("ja", "港の新航路", JA), ruby_readings=True)
    assert text[0].startswith("北浜(きたはま)市の港で火曜日")
    assert "辻(つじ)晴美(はるみ)社長は" in text[1]


def test_ruby_in_the_headline_leaves_the_base_text_in_the_title():
    html = page("ja", "北浜市で新航路", JA).replace(
        "<h1>北浜市で新航路</h1>", "<h1><ruby>北浜<rt>きたはま</rt></ruby>市で新航路</h1>"
    )
    assert "<rt>" in html
    assert extract_html(html).title == "北浜市で新航路"


def test_cli_flag_keeps_readings_in_the_parquet_text(tmp_path: Path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "ferry.html").write_text(page("ja", "港の新航路", JA), encoding="utf-8")
    for flags, first in (([], "北浜市の港で"), (["--ruby-readings"], "北浜(きたはま)市の港で")):
        result = CliRunner().invoke(
            app, ["run", str(raw), "--out", str(out / str(len(flags))), "--no-report", *flags]
        )
        assert result.exit_code == 0, result.output
        [article] = pq.read_table(out / str(len(flags)) / "articles").to_pylist()
        assert article["text"].startswith(first)
