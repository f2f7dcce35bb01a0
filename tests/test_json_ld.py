"""JSON-LD is read as trafilatura reads it: the same text before parsing, the same fields after.

The text steps are compared with trafilatura's own (its minifying regex and normalize_json) on
generated scripts made of the pieces that decide them: strings with escaped quotes and
backslashes, a backslash before a line break, unterminated strings, every kind of white
space, \\u escapes of surrogates, entities and tags. The fields are compared with
extract_meta_json on fictional pages.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura.json_metadata import normalize_json as trafilatura_normalize_json
from trafilatura.metadata import JSON_MINIFY, extract_meta_json
from trafilatura.settings import Document

from ingest.extract.json_ld import minify_json, normalize_json, read_json_ld
from ingest.extract.tree import load_page

PIECES = st.sampled_from(
    [
        '"',
        "\\",
        '\\"',
        "\\\\",
        "\\n",
        "\\t",
        "\\\n",
        " ",
        "\n",
        "\t",
        "\u00a0",
        "\u2003",
        "\u3000",
        "\x1c",
        "\u200c",
        "\\ud83d\\ude00",
        "\\ud800",
        "\ud800",
        "\\u00e9",
        "&amp;",
        "&quot;",
        "<b>",
        "</b>",
        ">",
        "{",
        "}",
        ":",
        ",",
        "[",
        "]",
        "headline",
        "@type",
        "Person",
        "name",
        "Ана Ковач",
        "می‌شود",
    ]
)
SCRIPTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map("".join)


@given(SCRIPTS)
@settings(max_examples=1500, deadline=None)
def test_minify_is_trafilaturas(text: str) -> None:
    assert minify_json(text) == JSON_MINIFY.sub(r"\1", text)


@given(SCRIPTS)
@settings(max_examples=1500, deadline=None)
def test_normalize_is_trafilaturas(text: str) -> None:
    assert normalize_json(text) == trafilatura_normalize_json(text)


ARTICLE = """{
  "@context": "https://schema.org",
  "@type": "NewsArticle",
  "headline": "Nachtfähre \\"Seeschwalbe\\" fährt wieder",
  "datePublished": "2026-03-04T06:30:00+01:00",
  "author": [{"@type": "Person", "name": "Hanne  Petersen"},
             {"@type": "Person", "name": "Ole\\u00a0Jessen"}],
  "publisher": {"@type": "Organization", "name": "Nordsee-Bote"},
  "articleSection": "Region",
  "description": "Die <b>Fähre</b> nach Amrum &amp; Föhr"
}"""
BROKEN = """{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jens Carstensen"},
"headline": "Ersatzschiff für Amrum\\ud83d\\ude22", "publisher": {"name": "Nordsee-Bote"}"""
PERSIAN = """{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "اسکله‌ها بازسازی می‌شود",
"author": {"@type": "Person", "name": "مریم   احمدی"}}"""
GRAPH = """{"@context": "http://schema.org", "@graph": [{"@type": "WebSite", "name": "Hafenblatt"},
{"@type": "Article", "headline": "Der Leuchtturm\\tbekommt eine neue Linse",
"author": "Kai Möller", "isPartOf": {"@type": "WebPage", "name": "Kultur"}}]}"""


def _page(*scripts: str) -> str:
    tags = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return f"<html><head>{tags}</head><body><p>Der Text der Meldung.</p></body></html>"


@pytest.mark.parametrize(
    "scripts",
    [(ARTICLE,), (BROKEN,), (PERSIAN,), (GRAPH,), (GRAPH, ARTICLE), (BROKEN, PERSIAN), ("",)],
    ids=["article", "broken", "persian", "graph", "two", "broken-then-good", "empty"],
)
def test_fields_are_extract_meta_jsons(scripts: tuple[str, ...]) -> None:
    fields = ("title", "author", "sitename", "categories", "date", "description")
    theirs = extract_meta_json(load_page(_page(*scripts)), Document())
    ours = read_json_ld(load_page(_page(*scripts)), Document())
    assert {f: getattr(ours, f, None) for f in fields} == {
        f: getattr(theirs, f, None) for f in fields
    }


def test_fields_are_read() -> None:
    """The comparison above is not between two empty documents."""
    persian = read_json_ld(load_page(_page(PERSIAN)), Document())
    assert persian.title == "اسکله‌ها بازسازی می‌شود"  # half-spaces kept
    assert persian.author == "مریم احمدی"
    graph = read_json_ld(load_page(_page(GRAPH)), Document())
    assert graph.title.endswith("bekommt eine neue Linse")  # an escaped tab: see test above
    assert graph.sitename == "Hafenblatt"
    article = read_json_ld(load_page(_page(ARTICLE)), Document())
    assert article.title == 'Nachtfähre "Seeschwalbe" fährt wieder'
    assert article.author == "Hanne Petersen; Ole Jessen"
    broken = read_json_ld(load_page(_page(BROKEN)), Document())
    assert broken.author == "Jens Carstensen"
