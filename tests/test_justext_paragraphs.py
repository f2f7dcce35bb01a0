"""jusText's paragraphs made our way are jusText's own: the same texts, paths, counts and
classes on generated pages (paragraph tags inside inline ones, <br><br> runs, links,
comments, processing instructions, white space of every kind, namespaced tags), the same
failure on a node its SAX walk cannot name, and the same trafilatura result through its
jusText fallback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from justext.core import ParagraphMaker as JustextParagraphMaker
from justext.core import classify_paragraphs, revise_paragraph_classification
from lxml import etree
from lxml.html import fromstring
from trafilatura import external
from trafilatura.settings import Extractor

from ingest.extract import justext_paragraphs, trafilatura_fixes
from ingest.extract.justext_paragraphs import classify, make_paragraphs

WORDS = st.sampled_from(
    [
        "the ferry",
        "of Port Alden",
        "und die Fähre",
        "می‌شود",
        "港の船",
        " ",
        "\n",
        "\t \n ",
        "\xa0",
        "\u2003",
        "",
        "a, b.",
        "© 2026",
        "&amp;",
    ]
)
TEXT = st.lists(WORDS, max_size=6).map("".join)
TAGS = st.sampled_from(
    ["p", "div", "span", "a", "b", "h2", "li", "ul", "td", "tr", "table", "select", "em"]
)


def _node(children: list[str]) -> st.SearchStrategy[str]:
    return st.tuples(TAGS, st.lists(st.sampled_from(children), max_size=4), TEXT, TEXT).map(
        lambda t: f"<{t[0]}>{t[2]}{''.join(t[1])}</{t[0]}>{t[3]}"
    )


LEAVES = st.one_of(
    TEXT,
    st.just("<br>"),
    st.just("<br><br>"),
    st.just("<!-- a comment -->"),
    TEXT.map(lambda t: f"<a href='/x'>{t}</a>"),
    TEXT.map(lambda t: f"<p>{t}</p>"),
    TEXT.map(lambda t: f"<fb:like>{t}</fb:like>"),
)
BODIES = st.recursive(
    st.lists(LEAVES, max_size=6).map("".join),
    lambda inner: st.lists(
        st.tuples(TAGS, inner, TEXT).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>{t[2]}"),
        max_size=4,
    ).map("".join),
    max_leaves=25,
)


def _signature(paragraphs) -> list[tuple]:
    return [
        (
            p.text,
            p.dom_path,
            p.xpath,
            p.tags_count,
            p.chars_count_in_links,
            p.cf_class,
            p.heading,
            p.class_type,
        )
        for p in paragraphs
    ]


def _both(root) -> tuple[list[tuple], list[tuple]]:
    stop = external.JT_STOPLIST or external.jt_stoplist_init()
    results = []
    for make, judge in (
        (JustextParagraphMaker.make_paragraphs, classify_paragraphs),
        (make_paragraphs, classify),
    ):
        paragraphs = make(root)
        judge(paragraphs, stop, 50, 150, 0.1, 0.2, 0.25, True)
        revise_paragraph_classification(paragraphs, 150)
        results.append(_signature(paragraphs))
    return results[0], results[1]


@given(BODIES, TEXT)
@settings(max_examples=400, deadline=None)
def test_paragraphs_are_justexts(body, tail):
    root = fromstring(f"<html><head><title>t</title></head><body>{body}</body>{tail}</html>")
    theirs, ours = _both(root)
    assert ours == theirs


def test_a_real_story_is_kept_and_its_chrome_is_not():
    story = " ".join(["The harbour board of Port Alden voted to add two evening crossings."] * 4)
    root = fromstring(
        "<html><body><div><a href='/'>Home</a> <a href='/news'>News</a></div>"
        f"<p>{story}</p><p>{story}</p><div>© 2026 Port Alden Post</div></body></html>"
    )
    theirs, ours = _both(root)
    assert ours == theirs
    assert [p[0] == story for p in ours if p[-1] == "good"] == [True, True]


def test_processing_instructions_beside_the_root_give_their_tails():
    root = fromstring("<html><body><p>Fähre fährt wieder ab Montag.</p></body></html>")
    tree = root.getroottree()
    instruction = etree.ProcessingInstruction("keep", "me")
    instruction.tail = "Text after an instruction"
    root.addprevious(instruction)
    theirs, ours = _both(tree.getroot())
    assert ours == theirs


def test_a_node_the_sax_walk_cannot_name_fails_both():
    root = fromstring("<html><body><p>Port Alden</p><div>two</div></body></html>")
    root.find(".//div").append(etree.Entity("nbsp"))
    with pytest.raises(TypeError):
        JustextParagraphMaker.make_paragraphs(root)
    with pytest.raises(TypeError):
        make_paragraphs(root)


def test_trafilaturas_justext_result_is_the_same():
    page = (
        "<html><body><div class='wrap'><div>"
        + "".join(
            f"<div>Paragraph {i} of the harbour story, where the board voted for more ferries "
            "and the crews said they had asked for them for years, since the last boat of the "
            f"day left before the night shift at the cannery was over.<br><br>Line {i}.</div>"
            for i in range(8)
        )
        + "</div></div></body></html>"
    )
    options = Extractor()
    results = []
    for maker, judge in (
        (trafilatura_fixes.ORIGINAL_MAKER, trafilatura_fixes.ORIGINAL_CLASSIFY),
        (justext_paragraphs.ParagraphMaker, classify),
    ):
        saved = external.ParagraphMaker, external.classify_paragraphs
        external.ParagraphMaker, external.classify_paragraphs = maker, judge
        try:
            body, text = external.justext_rescue(fromstring(page), options)
        finally:
            external.ParagraphMaker, external.classify_paragraphs = saved
        results.append((etree.tostring(body), text))
    assert results[0] == results[1]
    assert "Paragraph 7 of the harbour story" in results[1][1]


def test_installed_in_trafilatura():
    assert external.ParagraphMaker is justext_paragraphs.ParagraphMaker
    assert external.classify_paragraphs is classify


def test_another_justext_is_left_alone(monkeypatch):
    monkeypatch.setattr(justext_paragraphs, "CHECKED_SOURCES", frozenset())
    monkeypatch.setattr(external, "ParagraphMaker", trafilatura_fixes.ORIGINAL_MAKER)
    monkeypatch.setattr(external, "classify_paragraphs", trafilatura_fixes.ORIGINAL_CLASSIFY)
    assert trafilatura_fixes.install() is False
    assert external.ParagraphMaker is trafilatura_fixes.ORIGINAL_MAKER
