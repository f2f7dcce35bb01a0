"""Ruby annotations (furigana, zhuyin, pinyin) folded into the sentence they annotate.

`<ruby>北浜<rt>きたはま</rt></ruby>市` is one word to a reader: the base text 北浜 in the line,
its reading set small above it. Extractors that read the markup as text paste the reading
into the sentence (北浜きたはま市), and some start a new block at each `<ruby>`. Here the
readings and their fallback parentheses (`<rp>`) are dropped before extraction, or kept
after the base text in parentheses when asked, and the ruby element is unwrapped, so its base
text stays inline in its sentence.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement


def fold_ruby(tree: HtmlElement, *, keep_readings: bool = False) -> None:
    """Drop every ruby reading from `tree` (or keep it as "(reading)") and unwrap the ruby."""
    rubies = list(tree.iter("ruby"))
    for ruby in rubies:
        for element in list(ruby.iter("rp", "rt", "rtc")):
            if element.getparent() is None:
                continue  # inside an rtc already removed
            reading = " ".join(element.text_content().split())
            kept = f"({reading})" if keep_readings and element.tag != "rp" and reading else ""
            _replace_with_text(element, kept)
    if rubies:
        etree.strip_tags(tree, "ruby", "rb")


def _replace_with_text(element: HtmlElement, text: str) -> None:
    """Remove `element`, leaving `text` and its tail where it stood."""
    parent = element.getparent()
    joined = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)
