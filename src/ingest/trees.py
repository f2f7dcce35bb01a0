"""Boosted tree ensembles evaluated with numpy alone: the block scorer's, the line scorer's
and the title rankers'.

The models are fitted with LightGBM by the training scripts in benchmarks/ and shipped as
JSON package data: the trees as flat arrays and the feature names they expect, never text.
Evaluating them needs no training library, so the runtime gains no heavy dependency: all
trees step down one level at a time, as array operations over every row at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np


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
    def from_dict(cls, data: dict[str, Any], features: Sequence[str]) -> Model:
        """The model a JSON file holds; it must name exactly `features`, the columns of the
        rows its caller computes. A model without bars (a ranking) gets 0 for both."""
        if list(data["features"]) != list(features):
            raise ValueError("the model was trained on other features than the code computes")
        trees = data["trees"]
        return cls(
            feature=np.asarray(trees["feature"], dtype=np.int64),
            threshold=np.asarray(trees["threshold"], dtype=np.float64),
            left=np.asarray(trees["left"], dtype=np.int64),
            right=np.asarray(trees["right"], dtype=np.int64),
            value=np.asarray(trees["value"], dtype=np.float64),
            depth=int(data["depth"]),
            drop_below=float(data.get("drop_below", 0.0)),
            add_from=float(data.get("add_from", 0.0)),
            meta={k: v for k, v in data.items() if k != "trees"},
        )

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The nodes of all trees laid end to end: split feature (a leaf reads feature 0),
        threshold, children as flat indices, leaf values, and each tree's first node."""
        n_trees, width = self.feature.shape
        shift = (np.arange(n_trees) * width)[:, None]
        return (
            np.maximum(self.feature, 0).ravel(),
            self.threshold.ravel(),
            (self.left + shift).ravel(),
            (self.right + shift).ravel(),
            self.value.ravel(),
            shift.ravel(),
        )

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's probability for each row of features (P(story) of a block).

        Every tree steps down one level at a time for every row at once, over the nodes of
        all trees laid end to end (one flat gather per array and level)."""
        if not len(rows):
            return np.zeros(0)
        feature, threshold, left, right, value, starts = self._flat
        n_rows, n_features = rows.shape
        node = np.repeat(starts, n_rows)
        cell = np.tile(np.arange(n_rows) * n_features, len(starts))
        values = np.ascontiguousarray(rows, dtype=np.float64).ravel()
        for _ in range(self.depth):
            go_left = values[cell + feature[node]] <= threshold[node]
            node = np.where(go_left, left[node], right[node])
        raw = value[node].reshape(len(starts), n_rows).sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))
