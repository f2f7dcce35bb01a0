"""The learned block scorer: a boosted tree ensemble, evaluated with numpy alone.

`benchmarks/train_blocks.py` fits the ensemble with LightGBM and writes it to
`block_model.json` (package data): the trees as flat arrays, the feature names it expects,
what it was trained on and its cross-validated scores; never text of a page. Evaluating it
needs no training library, so the runtime gains no heavy dependency: all trees step down
one level at a time, as array operations over every block of the page at once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from ingest.extract.blocks import FEATURES

MODEL_FILE = "block_model.json"
#: A block text shorter than this matches a paragraph only when equal to it: short texts
#: ("Share", a date) turn up inside story paragraphs too.
MIN_MATCH_CHARS = 20


@dataclass(frozen=True)
class Model:
    """Trees as arrays of shape (trees, nodes); a leaf is a node that leads to itself."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    drop_below: float  # a body paragraph whose blocks all score below this goes
    add_from: float  # a block the body lacks comes in from this score up
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("the block model was trained on other features than blocks.FEATURES")
        trees = data["trees"]
        return cls(
            feature=np.asarray(trees["feature"], dtype=np.int64),
            threshold=np.asarray(trees["threshold"], dtype=np.float64),
            left=np.asarray(trees["left"], dtype=np.int64),
            right=np.asarray(trees["right"], dtype=np.int64),
            value=np.asarray(trees["value"], dtype=np.float64),
            depth=int(data["depth"]),
            drop_below=float(data["drop_below"]),
            add_from=float(data["add_from"]),
            meta={k: v for k, v in data.items() if k not in {"trees"}},
        )

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(story) of each row of block features."""
        if not len(rows):
            return np.zeros(0)
        n_trees = self.feature.shape[0]
        tree = np.arange(n_trees)[:, None]
        node = np.zeros((n_trees, len(rows)), dtype=np.int64)
        columns = np.arange(len(rows))[None, :]
        for _ in range(self.depth):
            feature = self.feature[tree, node]
            values = rows[columns, np.maximum(feature, 0)]
            go_left = values <= self.threshold[tree, node]
            node = np.where(go_left, self.left[tree, node], self.right[tree, node])
        raw = self.value[tree, node].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))


#: The two models of the file: blocks of HTML pages, and lines of plain-text dumps.
KINDS = ("html", "text")


@cache
def load_model(kind: str = "html") -> Model:
    """The model for `kind` shipped with the package, with the file's own record in `meta`."""
    text = resources.files("ingest.extract").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    record = {k: v for k, v in data.items() if k != "models"}
    model = Model.from_dict(data["models"][kind])
    return Model(**{**model.__dict__, "meta": {**model.meta, **record}})


_INVISIBLE_MARKS = re.compile("[\u200e\u200f\ufeff]")


def _normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE_MARKS.sub("", text)).split())


@dataclass(frozen=True)
class Matching:
    """Which page blocks each body paragraph is made of, and the blocks the body lacks."""

    paragraphs: tuple[str, ...]
    matched: tuple[tuple[int, ...], ...]  # per paragraph, the indices of its blocks
    missing: tuple[int, ...]  # blocks in no paragraph and nowhere in the body
    blocks: tuple[str, ...]


def match(body: str, blocks: list[str]) -> Matching:
    """Pair the body's paragraphs with the page's normalised block texts."""
    paragraphs = tuple(p for p in body.split("\n\n") if p.strip())
    matched = []
    for paragraph in paragraphs:
        text = _normalized(paragraph)
        matched.append(
            tuple(
                i
                for i, block in enumerate(blocks)
                if text in block or (len(block) >= MIN_MATCH_CHARS and block in text)
            )
        )
    covered = {i for indices in matched for i in indices}
    whole = _normalized(body)
    missing = tuple(i for i, block in enumerate(blocks) if i not in covered and block not in whole)
    return Matching(paragraphs, tuple(matched), missing, tuple(blocks))


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


def rescore(
    body: str, blocks: list[str], scores: np.ndarray, drop_below: float, add_from: float
) -> str:
    """`decide` on the `match` of `body` and `blocks` (P(story) of each block in `scores`)."""
    return decide(match(body, blocks), scores, drop_below, add_from)
