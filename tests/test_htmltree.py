"""load_page gives the tree trafilatura's load_html gives, on ordinary and odd pages alike.

Pages are fictional; the odd ones cover each branch of load_html: bytes in a legacy encoding,
a string declaring its encoding in an XML prolog, a faulty doctype, a self-closing <html/>,
control characters, a fragment, plain text, and an empty page.
"""

from __future__ import annotations

import gzip

import pytest
import trafilatura
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html, repair_faulty_html

from ingest.extract import TRAFILATURA_OPTIONS
from ingest.extract import page as extract
from ingest.extract.tree import load_page, repair_html

STORY = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Fähre fällt aus</title>
<meta property="og:site_name" content="Nordsee-Bote"></head>
<body>
<nav><a href="/">Start</a> | <a href="/region">Region</a></nav>
<article><h1>Fähre nach Amrum fällt zwei Tage aus</h1>
<p class="byline">Von Hanne Petersen</p>
<p>Wegen eines Schadens am Ruder bleibt die Fähre „Seeschwalbe“ bis Donnerstag im Hafen.
Die Reederei setzt ein kleineres Ersatzschiff ein, das nur Fußgänger mitnimmt.</p>
<p>Pendler sollen früher am Anleger sein, sagte ein Sprecher am Dienstagmorgen.</p>
<form action="/suche"><label>Suche <input name="q" value=""></label>
<select name="ressort"><option>Alle</option></select><textarea>Kommentar</textarea></form>
<!-- Werbung -->
<table><tr><th>Abfahrt</th><td>7:10</td></tr></table>
</article>
<footer>© Nordsee-Bote &amp; Partner</footer>
</body></html>"""

ODD_PAGES = {
    "story": STORY,
    "xml prolog": '<?xml version="1.0" encoding="utf-8"?>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Port news</title></head>'
    "<body><p>The harbour master reopened the northern quay after repairs.</p></body></html>",
    "faulty doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"/>\n'
    "<html><body><p>Le marché de nuit ouvre samedi sur le quai.</p></body></html>",
    "self-closing html": '<html lang="es"/>\n<body><p>El puerto amplía su horario.</p></body>',
    "control characters": "<html><body><p>Ferry\x00 back\x0b on\x1f time.</p></body></html>",
    "fragment": "<p>Only a paragraph, no document around it.</p>",
    "plain text": "Just words, no markup at all, as a text dump would have them.",
    "empty": "",
    "unclosed": "<html><body><div><p>Cut off mid-page <b>bold",
    "entities": "<html><body><p>&eacute;t&eacute; &#8364; &unknown; &amp;</p></body></html>",
    "arabic rtl": '<html dir="rtl" lang="ar"><body><h1>افتتاح الميناء</h1>'
    "<p>أعلنت إدارة الميناء افتتاح الرصيف الجديد صباح الأحد.</p></body></html>",
}


def _same_tree(left: HtmlElement | None, right: HtmlElement | None) -> bool:
    if left is None or right is None:
        return left is right
    return etree.tostring(left, encoding="unicode") == etree.tostring(right, encoding="unicode")


@pytest.mark.parametrize("name", ODD_PAGES)
def test_same_tree_as_load_html_from_str(name: str) -> None:
    html = ODD_PAGES[name]
    assert _same_tree(load_page(html), load_html(html))


@pytest.mark.parametrize("name", ODD_PAGES)
def test_same_tree_as_load_html_from_bytes(name: str) -> None:
    html = ODD_PAGES[name].encode("utf-8")
    assert _same_tree(load_page(html), load_html(html))


def test_legacy_encoding_and_compressed_bytes_decode_as_load_html_does() -> None:
    legacy = STORY.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1", "replace")
    for data in (legacy, gzip.compress(STORY.encode("utf-8"))):
        tree = load_page(data)
        assert tree is not None
        assert "Fähre nach Amrum" in tree.text_content()
        assert _same_tree(tree, load_html(data))


def test_not_html_gives_none() -> None:
    assert load_page("") is None
    assert load_page("no markup here") is None


def test_every_element_is_a_plain_html_element() -> None:
    tree = load_page(STORY)
    assert tree is not None
    kinds = {type(element) for element in tree.iter(etree.Element)}
    assert kinds == {HtmlElement}
    assert tree.find(".//form").text_content().strip().startswith("Suche")


def test_trafilatura_extracts_the_same_from_either_tree() -> None:
    def extracted(tree: HtmlElement | None) -> dict:
        doc = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
        assert doc is not None
        return {
            key: etree.tostring(value) if isinstance(value, etree._Element) else value
            for key, value in doc.as_dict().items()
        }

    assert extracted(load_page(STORY)) == extracted(load_html(STORY))
    assert "Seeschwalbe" in extracted(load_page(STORY))["text"]


LINKED_STORY = STORY.replace(
    "<title>",
    '<link rel="canonical" href="https://nordsee-bote.example/region/faehre">'
    '<meta name="author" content="Hanne Petersen"><title>',
).replace(
    "</article>",
    '<p>Mehr: <a href="/region/hafen">Hafenfahrplan</a> und '
    '<a href="https://other.example/x">Wetter</a></p></article>',
)


# the metadata extraction reads (ingest.extract.metadata leaves out the rest)
READ_FIELDS = ("title", "author", "url", "date", "sitename")


@pytest.mark.parametrize("url", [None, "https://nordsee-bote.example/feed/42"])
def test_metadata_and_body_read_apart_give_the_one_calls_result(url: str | None) -> None:
    """Same metadata, same body tree; only link targets are left as the page wrote them
    when no record url is given (nothing reads them)."""

    def fields(doc) -> dict:
        assert doc is not None
        for ref in doc.body.iter("ref"):
            ref.attrib.pop("target")
        values = {key: getattr(doc, key) for key in READ_FIELDS}
        return {**values, "body": etree.tostring(doc.body)}

    one_call = trafilatura.bare_extraction(load_page(LINKED_STORY), url=url, **TRAFILATURA_OPTIONS)
    apart = extract._trafilatura(load_page(LINKED_STORY), url)
    assert fields(apart) == fields(one_call)
    assert one_call.url == apart.url and apart.author == "Hanne Petersen"
    assert len(list(apart.body.iter("ref"))) == 2


_PAGE_PIECES = st.sampled_from(
    [
        "<!DOCTYPE html>",
        "<! DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x.dtd' />",
        '<html lang="sv"/>',
        "<html>",
        "\n",
        "\r\n",
        "\t",
        "<p>Tåget till Kiruna är försenat.</p>",
        "\x00",
        "\x0b",
        "\x1f",
        "\ufffe",
        "\uffff",
        "\ud800",
        "\ufeff",
        "日本",
    ]
)


@given(st.lists(_PAGE_PIECES | st.text(max_size=8), max_size=12))
def test_repair_html_repairs_as_trafilatura_does(pieces: list[str]) -> None:
    page = "".join(pieces)
    beginning = page[:50].lower()
    assert repair_html(page, beginning) == repair_faulty_html(page, beginning)
