"""The readability gate: its bound holds whatever the page, it leaves the page as it found it,
and trafilatura's result is the same with and without it."""

from __future__ import annotations

import math
from copy import copy

import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import core, external
from trafilatura.settings import Extractor

from ingest.extract import page as extract
from ingest.extract import trafilatura_fixes
from ingest.extract.readability_gate import (
    fits,
    fits_cascade,
    readability_bound,
    readability_cannot_win,
    trimmed_length,
)
from ingest.extract.trafilatura_fixes import ORIGINAL_CASCADE, ORIGINAL_COMPARE
from ingest.extract.tree import load_page

SENTENCE = (
    "The ferry to Kellan Island ran again on Tuesday, after the storm had kept it in port "
    "for three days, and the harbour master said the new timetable would hold until spring."
)
STORY = "".join(f"<p>{n}. {SENTENCE}</p>" for n in range(1, 7))

WORDS = st.sampled_from(
    ["ferry", "Kellan", "harbour", "a,b", "x", "—", "می\u200cشود", "{json}", "&amp;", "&lt;b"]
)
SPACES = st.sampled_from([" ", "  ", "\n", "\n\t ", "\xa0", "\u2003", "\r\n", ""])
TEXT = st.lists(st.tuples(WORDS, SPACES).map("".join), max_size=12).map("".join)
CLASSES = st.sampled_from(["", "story", "comment", "sidebar", "footer", "article-body", "promo"])
LEAVES = st.one_of(
    st.tuples(st.sampled_from(["p", "span", "a", "td", "li", "h2", "pre"]), CLASSES, TEXT).map(
        lambda t: f'<{t[0]} class="{t[1]}">{t[2]}</{t[0]}>'
    ),
    TEXT.map(lambda text: f"<p>{SENTENCE}{text}</p>"),  # enough text to make a candidate
    TEXT.map(lambda text: f"<script>var s = '{text}';</script>"),
    TEXT.map(lambda text: f"<style>.a {{ content: '{text}' }}</style>"),
    st.sampled_from(
        [
            '<iframe src="https://www.youtube.com/embed/k"></iframe>',
            '<iframe src="https://vimeo.com/1">Watch</iframe>',
            '<iframe src="https://ads.example/slot"></iframe>',
            "<br>",
            "<img src=a.jpg>",
            "<form><input type=text><textarea>Your comment</textarea></form>",
        ]
    ),
    TEXT,
)
BLOCKS = st.recursive(
    st.lists(LEAVES, max_size=8).map("".join),
    lambda inner: st.tuples(
        st.sampled_from(["div", "section", "article", "aside", "table", "ul"]),
        CLASSES,
        st.lists(inner, max_size=4).map("".join),
        TEXT,
    ).map(lambda t: f'<{t[0]} class="{t[1]}">{t[2]}</{t[0]}>{t[3]}'),
    max_leaves=30,
)
PAGES = st.tuples(TEXT, BLOCKS, TEXT).map(
    lambda t: f"<html><head><title>{t[0]}</title></head><body>{t[1]}</body>{t[2]}</html>"
)


def readability_length(page: etree._Element) -> int:
    """The length trafilatura measures readability's result by."""
    result = external.try_readability(copy(page))
    return trimmed_length(etree.tostring(result, method="text", encoding=str))


@given(PAGES)
@settings(max_examples=300, deadline=None)
def test_readability_never_exceeds_the_bound_and_the_page_is_left_as_it_was(html):
    page = load_page(html)
    if page is None:
        return
    before = etree.tostring(page, encoding=str)
    bound = readability_bound(page)
    assert etree.tostring(page, encoding=str) == before
    assert readability_length(page) <= bound


def test_scripts_styles_and_markup_do_not_count():
    page = load_page(
        "<html><head><style>p { color: red }</style></head><body>"
        "<script>window.ads = [1, 2, 3];</script>"
        "<div><p>Tide  tables\n printed.</p><span>Back</span></div></body></html>"
    )
    assert readability_bound(page) == len("Tide tables printed.Back")


def test_video_iframes_count_the_word_readability_writes_into_them():
    video = '<iframe src="https://www.youtube.com/embed/k"></iframe>'
    page = load_page(f'<html><body><div class="story">{STORY}{video}</div></body></html>')
    story = trimmed_length(etree.tostring(load_page(STORY), method="text", encoding=str))
    assert readability_bound(page) == story + len(" VIDEO")
    assert story < readability_length(page) <= readability_bound(page)


def test_raw_text_elements_leave_no_bound():
    page = load_page(f"<html><body>{STORY}<xmp>a &lt; b</xmp></body></html>")
    assert readability_bound(page) == math.inf
    assert not readability_cannot_win(page, etree.Element("body"), 10_000, Extractor())


def own_result(html: str) -> tuple[etree._Element, etree._Element, str]:
    """The page and trafilatura's own result before the comparison, as compare_extraction
    receives them."""
    page = load_page(html)
    body = trafilatura.bare_extraction(copy(page), include_comments=False).body
    return page, body, " ".join(body.itertext()).strip()


def test_readability_is_ruled_out_when_the_own_result_holds_most_of_the_page():
    page, body, text = own_result(
        f"<html><body><nav><a href=/>Home</a></nav><article>{STORY}</article></body></html>"
    )
    assert readability_bound(page) <= 2 * len(text)
    assert readability_cannot_win(page, body, len(text), Extractor())


def test_readability_may_win_when_most_of_the_page_is_left_out():
    menu = "".join(f"<li><a href=/s{n}>Section number {n} of the site</a></li>" for n in range(60))
    page, body, text = own_result(
        f"<html><body><ul>{menu}</ul><article>{STORY}</article></body></html>"
    )
    assert not readability_cannot_win(page, body, len(text), Extractor())


def test_a_table_dominated_result_leaves_readability_its_chance():
    page = load_page(
        f"<html><body><table><tr><td>Tide 4.2 m</td></tr></table>{STORY}</body></html>"
    )
    bound = math.ceil(readability_bound(page))
    assert bound > 2 * Extractor().min_extracted_size
    tables = etree.fromstring("<body><table><row><cell>Tide 4.2 m</cell></row></table></body>")
    paragraphs = etree.fromstring(f"<body>{STORY}</body>")
    # an own result as long as the page's text: only the table rule can prefer readability
    assert not readability_cannot_win(page, tables, bound, Extractor())
    assert readability_cannot_win(page, paragraphs, bound, Extractor())


def test_recall_mode_needs_the_own_result_at_least_as_long():
    page, body, text = own_result(f"<html><body><article>{STORY}</article></body></html>")
    recall = Extractor()
    recall.focus = "recall"
    bound = readability_bound(page)
    assert readability_cannot_win(page, body, math.ceil(bound), recall)
    assert not readability_cannot_win(page, body, math.ceil(bound) - 1, recall)


def test_extraction_skips_readability_with_the_same_result(monkeypatch):
    pages_read = []
    readability = external.try_readability

    def counted(tree):
        pages_read.extend(tree.iter("p"))
        return readability(tree)

    monkeypatch.setattr(external, "try_readability", counted)
    html = (
        "<html><head><title>Ferry back</title></head><body><nav><a href=/>Home</a></nav>"
        f"<article><h1>Ferry back</h1>{STORY}</article><footer>© Island Post</footer></body></html>"
    )
    gated = extract.extract_html(html)
    assert pages_read == []  # handed an empty page
    monkeypatch.setattr(core, "compare_extraction", ORIGINAL_COMPARE)
    monkeypatch.setattr(core, "_extract_and_compare", ORIGINAL_CASCADE)
    ungated = extract.extract_html(html)
    assert len(pages_read) == 6
    assert gated == ungated
    assert SENTENCE in gated.text


def test_a_trafilatura_with_another_comparison_is_left_alone(monkeypatch):
    def older(tree, backup_tree, body, text, len_text, options):
        return body, text, len_text

    assert fits(ORIGINAL_COMPARE)
    assert not fits(older)
    monkeypatch.setattr(trafilatura_fixes, "ORIGINAL_COMPARE", older)
    monkeypatch.setattr(core, "compare_extraction", older)
    assert trafilatura_fixes.install() is False
    assert core.compare_extraction is older


def test_a_comparison_with_the_same_signature_but_other_rules_is_left_alone():
    def rewritten(cleaned_tree, raw_tree, body, text, options):
        return body, text, len(text)

    assert not fits(rewritten)


def test_the_raw_page_is_copied_only_for_the_pages_readability_reads(monkeypatch):
    from ingest.extract import readability_gate

    copies = []
    monkeypatch.setattr(readability_gate, "copy", lambda tree: copies.append(tree) or copy(tree))
    assert core._extract_and_compare is not ORIGINAL_CASCADE
    story = f"<html><body><nav><a href=/>Home</a></nav><article>{STORY}</article></body></html>"
    menu = "".join(f"<li><a href=/s{n}>Section number {n} of the site</a></li>" for n in range(60))
    menu_page = f"<html><body><ul>{menu}</ul><article>{STORY}</article></body></html>"
    for html, copied in ((story, 0), (menu_page, 1)):
        copies.clear()
        ours = extract.extract_html(html)
        assert len(copies) == copied
        with monkeypatch.context() as plain:
            plain.setattr(core, "_extract_and_compare", ORIGINAL_CASCADE)
            plain.setattr(core, "compare_extraction", ORIGINAL_COMPARE)
            assert extract.extract_html(html) == ours


def test_a_trafilatura_with_another_cascade_keeps_its_copy():
    def rewritten(cleaned_tree, cleaned_tree_backup, tree, options):
        return None, ""

    assert fits_cascade(ORIGINAL_CASCADE)
    assert not fits_cascade(rewritten)
