"""Text that follows a block element without a paragraph of its own, wrapped in one.

Some templates write the story's first lines straight into the story container, after the
picture's block: `<div class="main"><div class="image">…</div>The lead sentence.<br/>…`. A
browser shows that text as a paragraph; trafilatura drops it with the picture block it
trails (one Persian page lost its lead this way, with the half-space words in it). Giving
such text a `<p>` of its own keeps it, where the container's story is loose text; a teaser
box's one sentence beside its picture stays as it was.
"""

from __future__ import annotations

from lxml.html import HtmlElement

#: Elements that end a line, after which loose text starts a paragraph of its own.
BLOCKS = frozenset({"div", "figure", "table", "ul", "ol", "section", "aside", "header", "p"})
#: Containers whose loose text is content, not a layout leftover.
CONTAINERS = frozenset({"div", "section", "article", "main", "td"})
#: Loose text shorter than this (a separator, a stray word) is left alone.
MIN_CHARS = 60
#: The container holds at least this much loose text in all: a story written as lines
#: between `<br>`s, not a teaser box with one caption-like sentence beside its picture.
MIN_CONTAINER_CHARS = 600


def wrap_loose_text(tree: HtmlElement) -> None:
    """Give the sentence-long text after a block element its own `<p>`, in a container whose
    story is written as loose text."""
    for element in list(tree.iter(*BLOCKS)):
        parent = element.getparent()
        tail = (element.tail or "").strip()
        if parent is None or parent.tag not in CONTAINERS or len(tail) < MIN_CHARS:
            continue
        if _loose_chars(parent) < MIN_CONTAINER_CHARS:
            continue
        paragraph = element.makeelement("p", {})
        paragraph.text = element.tail
        paragraph.tail = None
        element.tail = None
        element.addnext(paragraph)


def _loose_chars(container: HtmlElement) -> int:
    """Characters of text standing directly in `container`, outside its child elements."""
    return len((container.text or "").strip()) + sum(
        len((child.tail or "").strip()) for child in container
    )
