"""The learned block scorer's cut of an extracted page body.

trafilatura and our page steps keep the story, and on sites nobody tuned the rules on some
chrome with it. The HTML model of `ingest.extract.scorer` (trained on labelled pages, judged
by cross-validation grouped by site) scores every text block of the page from its shape, its
place in the tree and whether the extraction kept it and its neighbours. A body paragraph
made only of blocks scoring below the model's bar goes, recorded as page chrome with the rule
id `block_scorer`; a paragraph the page's blocks do not explain (a lead put back) stays.

The blocks are cut from the tree the extraction already parsed, before trafilatura edits it,
so the page is not parsed twice. Per-site repetition is not a feature: the run knows it only
in stage 2, where the site-repeat rule cuts repeated lines anyway.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from ingest.extract import scorer
from ingest.extract.blocks import Block, block_text, features
from ingest.extract.scorer import decide, has_marks, match, match_text, within_reach

RULE = "block_scorer"


def _texts(block: Block) -> tuple[str, str]:
    """A block's text as matched and as its features read it: the same text unless it
    holds an invisible mark, which matching drops."""
    text = block_text(block)
    return (match_text(block.text) if has_marks(text) else text), text


def body_blocks(
    blocks: Sequence[Block], headlines: Iterable[str | None]
) -> tuple[list[Block], list[str]]:
    """The blocks that may be body, with their texts as matched: a block that is the page's
    headline is the title, not body."""
    kept, texts, _ = _body(blocks, headlines)
    return kept, texts


def _body(
    blocks: Sequence[Block], headlines: Iterable[str | None]
) -> tuple[list[Block], list[str], list[str]]:
    """body_blocks, with the kept blocks' `normalized` texts too."""
    titles = {match_text(h) for h in headlines if h}
    raw = [b.text for b in blocks]
    joined = "\n".join(raw)  # a line break composes with nothing: NFC holds line by line
    if unicodedata.is_normalized("NFC", joined) and not has_marks(joined):
        texts = [(text, text) for text in raw]
    else:
        texts = [_texts(b) for b in blocks]
    kept = [(b, pair) for b, pair in zip(blocks, texts, strict=True) if pair[0] not in titles]
    return [b for b, _ in kept], [t[0] for _, t in kept], [t[1] for _, t in kept]


def block_scores(
    blocks: Sequence[Block],
    extracted: str,
    body: str,
    only: Sequence[int],
    texts: Sequence[str] | None = None,
) -> np.ndarray:
    """P(story) of the blocks of `only` (the others read 0): `extracted` is what trafilatura's
    call kept (before our page cuts), `body` the extraction's text, `texts` the blocks'
    normalised texts if known."""
    scores = np.zeros(len(blocks))
    rows = features(blocks, extracted, body, only, texts)
    scores[list(only)] = scorer.load_model("html").probabilities(rows)
    return scores


def cut_chrome(
    body: str, blocks: Sequence[Block], extracted: str, headlines: Iterable[str | None]
) -> tuple[str, list[str]]:
    """`body` (paragraphs separated by blank lines) without the paragraphs the model scores
    as chrome, and those paragraphs. A model whose add bar is at most 1 also brings in the
    blocks the body lacks that score at least that and that the story reaches (see
    `scorer.within_reach`: teasers under a "Related" heading stay out). Only the blocks a
    decision reads are scored."""
    kept, texts, normal = _body(blocks, headlines)
    if not kept or not body:
        return body, []
    model = scorer.load_model("html")
    matching = match(body, texts, find_missing=model.add_from <= 1.0)
    needed = {i for indices in matching.matched for i in indices}
    needed.update(matching.missing)
    if not needed:
        return body, []
    scores = block_scores(kept, extracted, body, sorted(needed), normal)
    bars = model.drop_below, model.add_from
    decided = decide(within_reach(matching, scores, *bars), scores, *bars)
    if decided == body:
        return body, []
    left = set(decided.split("\n\n"))
    return decided, [p for p in matching.paragraphs if p not in left]
