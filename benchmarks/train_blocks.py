"""Fit the block scorer on every labelled page and write src/ingest/extract/block_model.json.

Two models go in the file: one for the blocks of HTML pages, one for the lines of plain-text
dumps (news_txt), each fitted on its own pages.

The pages, their blocks, features and labels are generalize.py's (cached there). The fit is
LightGBM's gradient-boosted trees, deterministic (fixed seed, deterministic mode, row order
that of the corpora's truth files); each page weighs the same, its blocks by their share of its
words, so the fit aims at page-level token F1. The file records the training corpora, page
and block counts and the grouped cross-validated scores, measured with generalize.py's folds.

    python benchmarks/train_blocks.py             # cross-validate, then fit on all and write
    python benchmarks/train_blocks.py --no-cv     # fit and write only
    python benchmarks/train_blocks.py --timing    # load time and ms per page of the shipped model
    python benchmarks/train_blocks.py --corpora news_txt   # refit the dump model only

A run refits the models of the kinds its corpora hold (html, text) and keeps the others in
the file as they are; the file's cross-validated scores are updated corpus by corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generalize  # noqa: E402

from ingest.extract.blocks import FEATURES  # noqa: E402
from ingest.extract.scorer import MODEL_FILE  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "ingest" / "extract" / MODEL_FILE
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 16,
    "max_depth": 5,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.9,
    "lambda_l2": 1.0,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbosity": -1,
}
ROUNDS = 150
#: Per model: LightGBM settings and rounds. The dump model runs in the pipeline, so it is
#: the smaller one that cross-validates as well (60 rounds at 0.2: 0.949 mean F1 on the
#: dumps, as 150 at 0.08).
SETTINGS = {
    "html": (PARAMS, ROUNDS),
    "text": ({**PARAMS, "learning_rate": 0.2}, 60),
}
DROP_BELOW = 0.5
ADD_FROM = 0.5


def training_set(pages) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, labels and weights of the labelled blocks; a small corpus's pages weigh more
    (by the square root of the size ratio), so the big outside corpora do not drown it."""
    sizes = Counter(p.corpus for p in pages)
    largest = max(sizes.values())
    rows, labels, weights = [], [], []
    for page in pages:
        known = page.labels >= 0
        if page.rows is None or not known.any():
            continue
        rows.append(page.rows[known])
        labels.append(page.labels[known])
        weights.append(page.weights[known] * (largest / sizes[page.corpus]) ** 0.5)
    return np.vstack(rows), np.concatenate(labels), np.concatenate(weights)


def _flatten(
    tree: dict[str, Any],
) -> tuple[list[int], list[float], list[int], list[int], list[float], int]:
    """A LightGBM tree (dump_model's nested dict) as flat arrays; leaves point to themselves."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    depth = 0

    def visit(node: dict[str, Any], level: int) -> int:
        nonlocal depth
        index = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(index)
        right.append(index)
        value.append(0.0)
        if "leaf_value" in node:
            value[index] = node["leaf_value"]
            depth = max(depth, level)
            return index
        if node["decision_type"] != "<=":
            raise ValueError(f"unexpected split {node['decision_type']}")
        feature[index] = node["split_feature"]
        threshold[index] = node["threshold"]
        left[index] = visit(node["left_child"], level + 1)
        right[index] = visit(node["right_child"], level + 1)
        return index

    visit(tree["tree_structure"], 0)
    return feature, threshold, left, right, value, depth


def fit(pages) -> dict[str, Any]:
    """The fitted model as the dict block_model.json holds."""
    import lightgbm

    params, rounds = SETTINGS[pages[0].kind]
    rows, labels, weights = training_set(pages)
    booster = lightgbm.train(
        params, lightgbm.Dataset(rows, labels, weight=weights, feature_name=list(FEATURES)), rounds
    )
    trees = [_flatten(t) for t in booster.dump_model()["tree_info"]]
    width = max(len(t[0]) for t in trees)

    def padded(column: int, fill: float | int) -> list[list]:
        return [list(t[column]) + [fill] * (width - len(t[column])) for t in trees]

    return {
        "features": list(FEATURES),
        "depth": max(t[5] for t in trees),
        "drop_below": DROP_BELOW,
        "add_from": ADD_FROM,
        "trees": {
            "feature": padded(0, -1),
            "threshold": padded(1, 0.0),
            "left": padded(2, 0),
            "right": padded(3, 0),
            "value": [[round(x, 9) for x in row] for row in padded(4, 0.0)],
        },
        "trained_on": {
            "pages": len(pages),
            "blocks": int(len(labels)),
            "story_blocks": int(labels.sum()),
            "corpora": sorted({p.corpus for p in pages}),
            "sites": len({p.site for p in pages}),
            "library": f"lightgbm {lightgbm.__version__}",
            "params": params,
            "rounds": rounds,
        },
    }


def _steps(work: list, steps: dict) -> str:
    """CPU ms per item of each step (CPU time: the machine is shared, wall time swings)."""
    spent = dict.fromkeys(steps, 0.0)
    for item in work:
        value = item
        for name, step in steps.items():
            started = time.process_time()
            value = step(item, value)
            spent[name] += time.process_time() - started
    return ", ".join(f"{k} {1000 * v / len(work):.2f}" for k, v in spent.items())


def timing(pages: int = 60) -> None:
    """Load time of the shipped model; CPU ms per news_html page of each step of the HTML
    scorer, and per news_txt dump of the rules and of the dump scorer as the pipeline runs it."""
    from ingest.boilerplate import clean_document, normalize_whitespace
    from ingest.extract.blocks import features, segment
    from ingest.extract.line_scorer import score_dump
    from ingest.extract.scorer import load_model, rescore
    from ingest.extract.tree import load_page

    started = time.perf_counter()
    load_model.cache_clear()
    model = load_model()
    load_model("text")
    loaded = time.perf_counter() - started
    files = sorted((generalize.EVAL / "news_html" / "dev").glob("*.html"))[:pages]
    html = [f.read_text(encoding="utf-8") for f in files]
    page_steps = {
        "parse": lambda page, _: load_page(page),  # the pipeline has this tree already
        "segment": lambda page, tree: segment(tree),
        "features": lambda page, blocks: (blocks, features(blocks, *(_halves(blocks)))),
        "trees": lambda page, value: (value[0], model.probabilities(value[1])),
        "rescore": lambda page, value: rescore(
            _halves(value[0])[0], [b.text for b in value[0]], value[1], 0.5, 0.5
        ),
    }
    print(f"model load {loaded:.3f} s (both models)")
    print(f"HTML scorer, CPU ms per page ({len(html)} news_html pages): {_steps(html, page_steps)}")
    cases, files = generalize.load("news_txt")
    texts = [normalize_whitespace(files[c.relpath].decode("utf-8")) for c in cases[:pages]]
    dump_steps = {
        "rules": lambda dump, _: clean_document(dump, from_html=False),
        "scorer": lambda dump, rules: score_dump(dump, rules),
    }
    print(f"dumps, CPU ms per dump ({len(texts)} news_txt dumps): {_steps(texts, dump_steps)}")


def _halves(blocks: list) -> tuple[str, str]:
    """A stand-in extraction (every other block) for timing: extracted and cleaned text."""
    text = "\n".join(b.text for b in blocks[::2])
    return text, text


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpora", default=",".join(generalize.CORPORA))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--timing", action="store_true", help="only time the shipped model")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.timing:
        timing()
        return 0
    pages = []
    for name in args.corpora.split(","):
        pages += generalize.build_pages(name, args.workers)
    cv = None
    if not args.no_cv:
        probabilities = generalize.out_of_fold(pages, args.folds)
        cv = generalize.report(pages, probabilities, DROP_BELOW, ADD_FROM)
    kinds = sorted({p.kind for p in pages})
    record = json.loads(OUT.read_text()) if OUT.exists() else {"models": {}}
    record["models"].update({kind: fit([p for p in pages if p.kind == kind]) for kind in kinds})
    scores = record.get("cross_validation", {}).get("scores") or {}
    record["cross_validation"] = {
        "folds": args.folds,
        "grouped_by": "site",
        "scores": {**scores, **(cv or {})},
    }
    OUT.write_text(json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
