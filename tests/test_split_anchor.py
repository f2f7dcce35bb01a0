"""The story's first paragraph is found by its leading text as it was by its whole text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from ingest.extract.split import ANCHOR_MIN_CHARS, _anchor
from ingest.extract.tree import load_page
from ingest.text import squeeze

PIECES = [
    "",
    " ",
    "\u00a0",
    "\n ",
    "T",
    "The ferry",
    "The ferry leaves",
    " the harbour at noon",
    "The ferry leaves the harbo",
    "ur at noon, and returns",
    "The ferry leaves the harbour at noon, and returns",
    "The ferry\u00a0leaves  the harbour at noon today.",
]
INLINE = ["b", "span", "a", "em"]
FIRST_LINES = [
    "The ferry leaves the harbour at noon, and returns",
    "The ferry leaves the harbour at noon today.",
    "T he ferry leaves the harbour at noon",
    "Theferry leaves the harbour at noon, and returns",
    "short",
]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A paragraph: leading text, inline children (a drop cap) and their tails."""
    out = draw(st.sampled_from(PIECES))
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(st.sampled_from(INLINE))
        inner, tail = draw(st.sampled_from(PIECES)), draw(st.sampled_from(PIECES))
        out += f"<{tag}>{inner}</{tag}>{tail}"
    return f"<p>{out}</p>"


def anchor_reading_every_paragraph_whole(tree: HtmlElement, first_line: str) -> HtmlElement | None:
    """How `_anchor` found the paragraph before it read leading texts first."""
    start = squeeze(first_line)[:ANCHOR_MIN_CHARS]
    if len(start) < ANCHOR_MIN_CHARS:
        return None
    for paragraph in tree.iter("p"):
        if squeeze(paragraph.text_content())[:ANCHOR_MIN_CHARS] == start:
            return paragraph
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(paragraphs(), min_size=1, max_size=6), st.sampled_from(FIRST_LINES))
@example(["<p>The ferry leaves the harbo<b>ur at noon, and returns</b></p>"], FIRST_LINES[0])
@example(["<p>The ferry<b> leaves</b> the harbour at noon today.</p>"], FIRST_LINES[1])
def test_the_anchor_is_the_paragraph_the_whole_texts_gave(ps: list[str], first_line: str) -> None:
    tree = load_page(f"<html><body><div>{''.join(ps)}</div></body></html>")
    assert tree is not None
    assert _anchor(tree, first_line) is anchor_reading_every_paragraph_whole(tree, first_line)
