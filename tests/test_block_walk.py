"""The lean segmentation against the per-element walk it replaced.

`segment` keeps only text, depth and link text in its walk and reads a block's place (tag,
landmarks, class/id words) later from its holder's ancestors (`places`). The reference here
is the former walk, which carried a frame of all of it for every element and split each
class and id value whole: on generated pages (nested blocks, inline and skipped elements,
links, landmarks, camelCase and dashed class names, stray white space) both give the same
blocks. The page scorer's cheaper matching and text handling are checked against their
plain forms the same way.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ingest.extract.blocks import (
    _LANDMARKS,
    _LISTS,
    BLOCK_TAGS,
    FEATURES,
    SKIP_TAGS,
    Block,
    features,
    normalized,
    places,
    segment,
)
from ingest.extract.class_words import CHROME_NAME_WORDS, STORY_NAME_WORDS
from ingest.extract.page_scorer import _body
from ingest.extract.scorer import load_model, match, match_text
from ingest.extract.tree import load_page

_SPLIT = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


def _flags(raw: str) -> tuple[bool, bool]:
    words = set(_SPLIT.split(_CAMEL.sub(r"\1 \2", raw).lower()))
    words.update(_SPLIT.split(raw.lower()))
    words.discard("")
    return not CHROME_NAME_WORDS.isdisjoint(words), not STORY_NAME_WORDS.isdisjoint(words)


def reference(tree: etree._Element) -> list[tuple]:
    """The former segmentation: a frame (owner, landmarks, counts) for every element."""
    out: list[tuple] = []
    parts: list[str] = []
    linked = 0
    stack = [("", "body", frozenset(), 0, 0, 0)]

    def flush() -> None:
        nonlocal linked
        text = " ".join("".join(parts).split())
        if text:
            _, owner, marks, chrome, story, _ = stack[-1]
            out.append((text, owner, len(stack) - 1, min(linked, len(text)), marks, chrome, story))
        parts.clear()
        linked = 0

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in SKIP_TAGS or not tag:
                walker.skip_subtree()
                stack.append(stack[-1])
                continue
            if parts and tag in BLOCK_TAGS:
                flush()
            _, owner, marks, chrome, story, links = stack[-1]
            names = f"{element.get('class') or ''} {element.get('id') or ''}"
            named = _flags(names)
            mark = tag in _LANDMARKS or tag in _LISTS
            stack.append(
                (
                    tag,
                    tag if tag in BLOCK_TAGS else owner,
                    marks | {tag} if mark else marks,
                    chrome + named[0],
                    story + named[1],
                    links + (tag == "a"),
                )
            )
            text = element.text
        else:
            if parts and stack[-1][0] in BLOCK_TAGS and stack[-1] is not stack[-2]:
                flush()
            stack.pop()
            text = element.tail
        if text:
            parts.append(text)
            if stack[-1][5]:
                linked += len(text.strip())
    flush()
    return out


def lean(blocks: list[Block]) -> list[tuple]:
    return [
        (b.text, p.tag, b.depth, b.link_chars, p.landmarks, p.chrome_names, p.story_names)
        for b, p in zip(blocks, places(blocks), strict=True)
    ]


TAGS = ["div", "p", "span", "a", "b", "li", "ul", "nav", "article", "td", "h2", "br", "script"]
NAMES = ["", "share-bar", "articleBody", "storyText", "col-md-6", "mainNav", "footer x", "ad"]
TEXTS = ["", " ", "\n  ", "Harbour", "the ferry ", " sails at noon.", "Share", "Mayor’s"]


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """A fragment of HTML: text, and elements with class or id names around fragments."""
    out = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))):
        tag = draw(st.sampled_from(TAGS))
        attribute = draw(st.sampled_from(["class", "id"]))
        name = draw(st.sampled_from(NAMES))
        inner = draw(fragments(depth + 1))
        opening = f'<{tag} {attribute}="{name}">' if name else f"<{tag}>"
        out += opening if tag == "br" else f"{opening}{inner}</{tag}>"
        out += draw(st.sampled_from(TEXTS))
    return out


@settings(max_examples=150, deadline=None)
@given(fragments())
def test_lean_walk_gives_the_blocks_of_the_per_element_walk(fragment: str) -> None:
    tree = load_page(f"<html><body><main>{fragment}</main><p>Closing words.</p></body></html>")
    assert tree is not None
    assert lean(segment(tree)) == reference(tree)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Harbour news", "the ferry sails", "Share"]), max_size=6))
def test_matching_without_missing_blocks_pairs_the_same_paragraphs(texts: list[str]) -> None:
    body = "\n\n".join(["the ferry sails at noon", "Harbour news", "Share"])
    full, lean_match = match(body, texts), match(body, texts, find_missing=False)
    assert lean_match.matched == full.matched and lean_match.missing == ()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Cafe\u0301 opens", "Caf\u00e9 opens", "a\u200fb c", "Plain"])))
def test_block_texts_are_normalised_as_each_text_alone(texts: list[str]) -> None:
    blocks = [Block(t, 1, 0) for t in texts]
    kept, matched, normal = _body(blocks, [])
    assert kept == blocks
    assert matched == [match_text(t) for t in texts]
    assert normal == [normalized(t) for t in texts]
    rows = features(blocks, "Plain", "Plain", texts=normal)
    assert np.array_equal(rows, features(blocks, "Plain", "Plain"))


def test_all_trees_at_once_score_as_each_tree_walked_alone() -> None:
    model = load_model("html")
    rows = np.random.default_rng(7).random((40, len(FEATURES))) * np.linspace(0.5, 8, 40)[:, None]
    raw = []
    for row in rows:
        total = 0.0
        for tree in range(model.feature.shape[0]):
            node = 0
            while model.left[tree, node] != node:
                goes_left = row[model.feature[tree, node]] <= model.threshold[tree, node]
                node = model.left[tree, node] if goes_left else model.right[tree, node]
            total += model.value[tree, node]
        raw.append(total)
    expected = 1 / (1 + np.exp(-np.array(raw)))
    assert np.allclose(model.probabilities(rows), expected, rtol=1e-12, atol=0)
