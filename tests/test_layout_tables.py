"""Layout tables: a page laid out in a table comes out as paragraphs, data tables as tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.boilerplate import clean_document
from ingest.extract import extract_html
from ingest.extract.layout_tables import unwrap_layout_tables


def _tree(xml: str) -> etree._Element:
    return etree.fromstring(xml)


def _words(element: etree._Element) -> list[str]:
    return "".join(element.itertext()).split()


def test_a_cell_of_headline_and_paragraphs_becomes_the_paragraphs_in_order():
    body = _tree(
        "<body><table><row><cell>Menu</cell><cell>"
        "<head>Harbour crane back in service</head>"
        "By Ana Lindqvist, 4 March"
        "<p>The old crane lifted its first container on Monday.</p>"
        "<p>Dockers cheered from the quay.</p>"
        "Photo: <ref>Port archive</ref>"
        "</cell></row></table></body>"
    )
    assert unwrap_layout_tables(body) == 1
    blocks = [(child.tag, " ".join(_words(child))) for child in body]
    assert blocks == [
        ("p", "Menu"),
        ("head", "Harbour crane back in service"),
        ("p", "By Ana Lindqvist, 4 March"),
        ("p", "The old crane lifted its first container on Monday."),
        ("p", "Dockers cheered from the quay."),
        ("p", "Photo: Port archive"),
    ]
    assert body[-1].find("ref") is not None  # inline markup stays with its text


def test_a_data_table_stays_a_table():
    xml = (
        "<body><p>Results of the regatta:</p><table>"
        "<row><cell>Boat</cell><cell>Time</cell></row>"
        "<row><cell><p>Kestrel</p></cell><cell>1:02:11</cell></row>"
        "</table></body>"
    )
    body = _tree(xml)
    assert unwrap_layout_tables(body) == 0
    assert etree.tostring(body, encoding=str) == xml


def test_bullet_paragraphs_do_not_make_a_list_cell_a_layout_cell():
    body = _tree(
        "<body><table><row><cell>·<ref>First teaser</ref> 2012.01.17<p>·</p>"
        "<ref>Second teaser</ref> 2012.01.16<p>·</p><ref>Third</ref></cell>"
        "<cell>More news</cell></row></table></body>"
    )
    assert unwrap_layout_tables(body) == 0
    assert body[0].tag == "table"


def test_a_data_table_inside_a_layout_cell_stays_whole():
    body = _tree(
        "<body><table><row><cell>"
        "<p>The council published the tide table.</p><p>It lists two dates.</p>"
        "<table><row><cell>High</cell><cell>06:14</cell></row></table>"
        "</cell></row></table></body>"
    )
    assert unwrap_layout_tables(body) == 1
    assert [child.tag for child in body] == ["p", "p", "table"]
    assert [cell.text for cell in body[2].iter("cell")] == ["High", "06:14"]


def test_layout_tables_nested_in_layout_tables_all_open():
    body = _tree(
        "<body><table><row><cell><p>Outer one.</p><p>Outer two.</p>"
        "<table><row><cell><p>Inner one.</p><p>Inner two.</p></cell></row></table>"
        "</cell></row></table></body>"
    )
    assert unwrap_layout_tables(body) == 2
    assert [" ".join(_words(child)) for child in body] == [
        "Outer one.",
        "Outer two.",
        "Inner one.",
        "Inner two.",
    ]


def test_a_row_left_without_its_table_is_read_as_a_layout_table_too():
    body = _tree(
        "<body><row><cell>[5 January]</cell><cell><head>Remote wins design award</head>"
        "Makers showed the remote on Monday.<lb/>It goes on sale in March.<lb/>"
        "<p>Price: to be announced</p></cell></row></body>"
    )
    assert unwrap_layout_tables(body) == 1
    assert [child.tag for child in body] == ["p", "head", "p", "p"]
    assert body[2].find("lb") is not None  # its line breaks stay, one line each


def test_a_cell_left_without_its_row_is_read_as_a_layout_table_too():
    body = _tree(
        "<body><cell><p>Ferry timetable changes.</p><p>Boats leave at nine.</p></cell></body>"
    )
    assert unwrap_layout_tables(body) == 1
    assert [" ".join(_words(child)) for child in body] == [
        "Ferry timetable changes.",
        "Boats leave at nine.",
    ]


def test_a_table_of_one_cell_is_a_frame_not_a_table():
    body = _tree(
        "<body><p>Before.</p><table><row><cell>The mayor opened the bridge at noon, "
        "and the first cyclists crossed it ten minutes later.</cell></row></table></body>"
    )
    assert unwrap_layout_tables(body) == 1
    assert [child.tag for child in body] == ["p", "p"]


_TEXT = st.text(alphabet="abc ·\u200c\u05d0\u0645", max_size=8)


@st.composite
def _cells(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(
                ["text", "p", "head", "ref", "table"] if depth < 2 else ["text", "p", "ref"]
            )
        )
        text = draw(_TEXT).replace("&", "")
        if kind == "text":
            parts.append(text)
        elif kind == "table":
            parts.append(draw(_tables(depth + 1)))
        else:
            parts.append(f"<{kind}>{text}</{kind}>{draw(_TEXT)}")
    return "<cell>" + "".join(parts) + "</cell>"


@st.composite
def _tables(draw, depth: int = 0) -> str:
    rows = draw(st.lists(st.lists(_cells(depth), min_size=1, max_size=3), min_size=1, max_size=3))
    return "<table>" + "".join("<row>" + "".join(r) + "</row>" for r in rows) + "</table>"


@settings(max_examples=300, deadline=None)
@given(st.lists(_tables(), min_size=1, max_size=3), _TEXT)
def test_unwrapping_keeps_every_character_in_order(tables, tail):
    body = _tree("<body>" + f"<p>{tail}</p>".join(tables) + "</body>")
    before = "".join(body.itertext())
    unwrap_layout_tables(body)
    assert "".join("".join(body.itertext()).split()) == "".join(before.split())


PAGE = """<html><head><title>Harbour crane back in service</title></head><body>
<table width="100%"><tr>
<td width="160"><a href="/">Home</a><br><a href="/port">Port</a><br><a href="/city">City</a></td>
<td>
<h1>Harbour crane back in service</h1>
<p>By Ana Lindqvist, Thursday 4 March 2027</p>
<p>The old harbour crane lifted its first container in eleven years on Monday morning,
after a restoration that took volunteers three winters and most of their savings.</p>
<p>Dockers who had worked beside it before it was retired gathered on the quay to watch,
and several said the engine sounded just as they remembered it.</p>
<p>The port authority plans to run the crane twice a month for visitors from April, and
the volunteers hope to train two younger operators before the summer season starts.</p>
<p>Photograph: Port of Vester archive</p>
</td></tr></table>
</body></html>"""


def test_a_page_laid_out_in_a_table_comes_out_in_paragraphs():
    extraction = extract_html(PAGE)
    assert not any(line.startswith("|") for line in extraction.text.split("\n"))
    assert ("title", "Harbour crane back in service") in {
        (r.kind, r.text) for r in extraction.removed
    }
    cleaned = clean_document(extraction.text, from_html=True, title=extraction.title)
    story = cleaned.text.split("\n\n")
    assert [p.split(",")[0] for p in story] == [
        "The old harbour crane lifted its first container in eleven years on Monday morning",
        "Dockers who had worked beside it before it was retired gathered on the quay to watch",
        "The port authority plans to run the crane twice a month for visitors from April",
    ]
    assert {(str(r.kind), r.text) for r in cleaned.removed} == {
        ("byline", "By Ana Lindqvist, Thursday 4 March 2027"),
        ("credit", "Photograph: Port of Vester archive"),
    }
