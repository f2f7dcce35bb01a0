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

from collections.abc import Iterable, Sequence

import numpy as np

from ingest.extract import scorer
from ingest.extract.blocks import Block, features
from ingest.extract.scorer import decide, match, match_text, within_reach

RULE = "block_scorer"


def body_blocks(
    blocks: Sequence[Block], headlines: Iterable[str | None]
) -> tuple[list[Block], list[str]]:
    """The blocks that may be body, with their texts as matched: a block that is the page's
    headline is the title, not body."""
    titles = {match_text(h) for h in headlines if h}
    kept = [(b, text) for b in blocks if (text := match_text(b.text)) not in titles]
    return [b for b, _ in kept], [text for _, text in kept]


def block_scores(
    blocks: Sequence[Block], extracted: str, body: str, only: Sequence[int]
) -> np.ndarray:
    """P(story) of the blocks of `only` (the others read 0): `extracted` is what trafilatura's
    call kept (before our page cuts), `body` the extraction's text."""
    scores = np.zeros(len(blocks))
    rows = features(blocks, extracted, body, only)
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
    kept, texts = body_blocks(blocks, headlines)
    if not kept or not body:
        return body, []
    model = scorer.load_model("html")
    matching = match(body, texts)
    needed = {i for indices in matching.matched for i in indices}
    if model.add_from <= 1.0:
        needed.update(matching.missing)
    if not needed:
        return body, []
    scores = block_scores(kept, extracted, body, sorted(needed))
    bars = model.drop_below, model.add_from
    decided = decide(within_reach(matching, scores, *bars), scores, *bars)
    if decided == body:
        return body, []
    left = set(decided.split("\n\n"))
    return decided, [p for p in matching.paragraphs if p not in left]
