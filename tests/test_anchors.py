"""Empty anchors: place marks a reader never sees must not turn the story into links."""

from __future__ import annotations

import lxml.html

from ingest.extract import extract_html
from ingest.extract.anchors import drop_empty_anchors


def test_empty_anchors_go_and_the_text_after_them_stays_in_place():
    tree = lxml.html.fromstring(
        '<div><p><a name="p_1"></a>First paragraph.</p>'
        '<h2><a id="more"> </a>Second heading</h2>'
        '<p>Before <a href="/x">a real link</a> after.</p>'
        '<p><a href="/photo"><img src="p.jpg"></a>Caption text.</p>'
        '<div class="card"><a class="stretched-link" href="/story"></a><h3>Teaser</h3></div></div>'
    )
    assert drop_empty_anchors(tree) == 2
    assert [p.text_content() for p in tree] == [
        "First paragraph.",
        "Second heading",
        "Before a real link after.",
        "Caption text.",
        "Teaser",
    ]
    # the link with text, the one around a picture and the card's overlay link stay
    assert len(tree.findall(".//a")) == 3


PARAGRAPHS = [
    "The ferry company said on Friday that the winter timetable would start a week early this "
    "year, because two of its three boats need new engines before the spring season.",
    "Passengers on the island route will have four crossings a day instead of six, and the "
    "last boat back to the mainland will leave at seven in the evening.",
    "The island's council asked the company to keep a late crossing on Saturdays, when the "
    "market and the sports club draw visitors from the mainland.",
]


def _page() -> str:
    body = "".join(
        f'<p id="p_{i}"><a name="p_{i}" class="mark"></a>{text}</p>'
        for i, text in enumerate(PARAGRAPHS)
    )
    return (
        "<html><head><title>Winter timetable starts early</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/boats">Boats</a></nav>'
        f"<article><h1>Winter timetable starts early</h1>{body}</article></body></html>"
    )


def test_paragraphs_marked_with_empty_anchors_are_the_story_not_a_menu():
    text = extract_html(_page()).text
    assert text.split("\n\n") == PARAGRAPHS
