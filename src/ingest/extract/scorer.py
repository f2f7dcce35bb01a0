"""The learned block scorer: a boosted tree ensemble, evaluated with numpy alone.

`benchmarks/train_blocks.py` fits the ensemble with LightGBM and writes it to
`block_model.json` (package data): the trees as flat arrays, the feature names it expects,
what it was trained on and its cross-validated scores; never text of a page. `ingest.trees`
evaluates it with numpy alone, over every block of the page at once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import accumulate

import numpy as np

from ingest.extract.blocks import FEATURES, Block, features, line_blocks
from ingest.trees import Model

MODEL_FILE = "block_model.json"
#: A block text shorter than this matches a paragraph only when equal to it: short texts
#: ("Share", a date) turn up inside story paragraphs too.
MIN_MATCH_CHARS = 20


#: The two models of the file: blocks of HTML pages, and lines of plain-text dumps.
KINDS = ("html", "text")


@cache
def load_model(kind: str = "html") -> Model:
    """The model for `kind` shipped with the package, with the file's own record in `meta`."""
    text = resources.files("ingest.extract").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    record = {k: v for k, v in data.items() if k != "models"}
    model = Model.from_dict(data["models"][kind], FEATURES)
    return replace(model, meta={**model.meta, **record})


_INVISIBLE_MARKS = re.compile("[\u200e\u200f\ufeff]")


def match_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE_MARKS.sub("", text)).split())


def has_marks(text: str) -> bool:
    """Whether `text` holds a mark that match_text drops."""
    return _INVISIBLE_MARKS.search(text) is not None


@dataclass(frozen=True)
class Matching:
    """Which page blocks each body paragraph is made of, and the blocks the body lacks."""

    paragraphs: tuple[str, ...]
    matched: tuple[tuple[int, ...], ...]  # per paragraph, the indices of its blocks
    missing: tuple[int, ...]  # blocks in no paragraph and nowhere in the body
    blocks: tuple[str, ...]


class _Joined:
    """Normalised texts (no line breaks) joined by line breaks, so that finding which of
    them contain a needle is one scan of one string, not a scan of each text in turn."""

    def __init__(self, parts: list[str]) -> None:
        self.joined = "\n".join(parts)
        self.ends = list(accumulate(len(part) + 1 for part in parts))

    def holding(self, needle: str) -> Iterator[int]:
        """Indices of the texts that contain `needle`."""
        at = self.joined.find(needle) if self.ends else -1
        while at >= 0:
            part = bisect_right(self.ends, at)
            yield part
            at = self.joined.find(needle, self.ends[part]) if part + 1 < len(self.ends) else -1


def match(body: str, blocks: list[str], *, find_missing: bool = True) -> Matching:
    """Pair the body's paragraphs with the page's normalised block texts: a paragraph is
    made of the blocks that hold it and of the blocks it holds (those long enough).
    Without `find_missing` the blocks the body lacks are not looked for (none is wanted
    when no block can come in), and `missing` is empty."""
    paragraphs = tuple(p for p in body.split("\n\n") if p.strip())
    texts = [match_text(p) for p in paragraphs]
    joined_blocks, joined_texts = _Joined(blocks), _Joined(texts)
    matched: list[set[int]] = [set(joined_blocks.holding(text)) for text in texts]
    for i, block in enumerate(blocks):
        if len(block) >= MIN_MATCH_CHARS:
            for paragraph in joined_texts.holding(block):
                matched[paragraph].add(i)
    missing: tuple[int, ...] = ()
    if find_missing:
        covered = set().union(*matched)
        whole = match_text(body)
        missing = tuple(
            i for i, block in enumerate(blocks) if i not in covered and block not in whole
        )
    return Matching(paragraphs, tuple(tuple(sorted(m)) for m in matched), missing, tuple(blocks))


def decide(matching: Matching, scores: np.ndarray, drop_below: float, add_from: float) -> str:
    """The body with the scorer's decisions applied, paragraphs in page order.

    A body paragraph made only of blocks scoring below `drop_below` goes; a block scoring
    at least `add_from` that the body lacks comes in, after the paragraphs of the blocks
    before it. A paragraph the page's blocks do not explain (a lead put back, text a rule
    rewrote) stays. Two bars, not one: undoing a cut of the rules may need more confidence
    than confirming it.
    """
    placed: list[tuple[int, int, str]] = []
    anchor = -1
    for order, (paragraph, indices) in enumerate(
        zip(matching.paragraphs, matching.matched, strict=True)
    ):
        if indices:
            anchor = max(anchor, min(indices))  # never before an earlier paragraph
            if max(scores[i] for i in indices) < drop_below:
                continue
        placed.append((anchor, order, paragraph))
    added = ""
    for i in matching.missing:
        block = matching.blocks[i]
        if scores[i] >= add_from and block not in added:
            placed.append((i, len(matching.paragraphs) + i, block))
            added += "\n" + block
    return "\n\n".join(p for _, _, p in sorted(placed, key=lambda item: (item[0], item[1])))


def within_reach(
    matching: Matching, scores: np.ndarray, drop_below: float, add_from: float
) -> Matching:
    """`matching` with only the missing blocks the story can reach: those between its first
    and last kept block, and those joined to it by an unbroken run of blocks scoring at
    least `add_from`. A run of teasers below a "Related" heading stays out: the heading
    breaks the run."""
    kept = [i for i in matching.matched if i and max(scores[j] for j in i) >= drop_below]
    if not kept:
        return matching
    first, last = min(min(i) for i in kept), max(max(i) for i in kept)
    missing = set(matching.missing)
    chosen = {i for i in missing if first <= i <= last}
    for start, step in ((last + 1, 1), (first - 1, -1)):
        i = start
        while i in missing and scores[i] >= add_from:
            chosen.add(i)
            i += step
    return Matching(matching.paragraphs, matching.matched, tuple(sorted(chosen)), matching.blocks)


def dump_lines(dump: str, title: str | None) -> tuple[list[Block], list[str]]:
    """A plain-text dump's lines as blocks, the title's line left out (it is the title, not
    body), with their normalised texts."""
    titled = match_text(title) if title else None
    lines = [(b, match_text(b.text)) for b in line_blocks(dump)]
    kept = [(b, text) for b, text in lines if text != titled]
    return [b for b, _ in kept], [text for _, text in kept]


def rescore_dump(dump: str, body: str, title: str | None) -> str:
    """The rules' body of a plain-text dump with the line model's decisions applied.

    `dump` is the document as read, `body` what the rules kept of it. The model reads each
    line's shape, its place in the dump and whether the rules kept it and its neighbours;
    nothing from other documents, so a dump is judged on its own.
    """
    blocks, texts = dump_lines(dump, title)
    if not blocks:
        return body
    model = load_model("text")
    scores = model.probabilities(features(blocks, dump, body))
    bars = model.drop_below, model.add_from
    return decide(within_reach(match(body, texts), scores, *bars), scores, *bars)
