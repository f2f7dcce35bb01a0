"""Empty anchors taken out of the page before trafilatura reads it.

Templates mark places in a page with links that hold nothing: `<p><a name="p_10"></a>The
story's paragraph…</p>`, a heading's `<a id="section-2"></a>`. A reader sees no link there.
trafilatura, meeting an empty link, makes the text that follows it the link's text: the
paragraph comes out as `<ref>The story's paragraph…</ref>`, one whole link. Every step that
reads links then takes the story for navigation: a body of such paragraphs was thrown away
as a menu, and single ones were cut as teaser links. An `<a>` without a target, text or child
element marks a place and goes. A link with a target stays even when empty: a teaser card's
overlay link (`<a class="stretched-link" href="/story"></a>` beside the card's headline) is
how trafilatura and the link rules see that the headline points to another page.
"""

from __future__ import annotations

from lxml.html import HtmlElement


def drop_empty_anchors(tree: HtmlElement) -> int:
    """Remove the `<a>` elements of `tree` without a target that hold neither text nor an
    element, keeping the text that follows each; return how many went."""
    empty = [
        a
        for a in tree.iter("a")
        if a.get("href") is None and not len(a) and not (a.text and a.text.strip())
    ]
    for anchor in empty:
        anchor.drop_tree()  # its tail joins the text before it
    return len(empty)
