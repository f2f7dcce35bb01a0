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
    python benchmarks/train_blocks.py --timing    # load time, and CPU ms per page of the wired
                                                  # scorer on scale.py's typical pages
    python benchmarks/train_blocks.py --corpora news_txt   # refit the dump model only

A run refits the models of the kinds its corpora hold (html, text) and keeps the others in
the file as they are; the file's cross-validated scores are updated corpus by corpus.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
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
#: Per model: a body paragraph whose blocks all score below the first bar goes, a block the
#: body lacks comes in from the second. HTML pages: cuts only, below 0.15, the highest bar
#: at which the grouped cross-validation keeps every snippet the rules keep (at 0.2 the
#: snippets lose 0.4 points of recall, at 0.35 1.3; README, "Judging cleaning ...").
BARS = {"html": (0.15, 1.01), "text": (0.5, 0.5)}


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


def trees_record(booster, features: Sequence[str]) -> dict:
    """A fitted booster's features, depth and trees as the model files hold them (padded
    flat node arrays that `ingest.extract.scorer.Model` evaluates)."""
    trees = [_flatten(t) for t in booster.dump_model()["tree_info"]]
    width = max(len(t[0]) for t in trees)

    def padded(column: int, fill: float | int) -> list[list]:
        return [list(t[column]) + [fill] * (width - len(t[column])) for t in trees]

    return {
        "features": list(features),
        "depth": max(t[5] for t in trees),
        "trees": {
            "feature": padded(0, -1),
            "threshold": padded(1, 0.0),
            "left": padded(2, 0),
            "right": padded(3, 0),
            "value": [[round(x, 9) for x in row] for row in padded(4, 0.0)],
        },
    }


def fit(pages) -> dict[str, Any]:
    """The fitted model as the dict block_model.json holds."""
    import lightgbm

    kind = pages[0].kind
    params, rounds = SETTINGS[kind]
    rows, labels, weights = training_set(pages)
    booster = lightgbm.train(
        params, lightgbm.Dataset(rows, labels, weight=weights, feature_name=list(FEATURES)), rounds
    )
    return {
        **trees_record(booster, FEATURES),
        "drop_below": BARS[kind][0],
        "add_from": BARS[kind][1],
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


def _pipeline_ms(pages: list[Path], pairs: int, **changes: tuple[dict, dict]) -> dict[str, float]:
    """Median CPU ms per page of `ingest run` (one worker, as scale.py's typical section runs
    it) for each named pair of changes (to the options, to trafilatura's options), the pairs
    taking turns `pairs` times."""
    import scale

    from ingest.options import Options

    spent: dict[str, list[float]] = {name: [] for name in changes}
    with tempfile.TemporaryDirectory(prefix="newsclean-timing-") as tmp:
        raw = Path(tmp) / "raw"
        scale.make_corpus(pages, len(pages), raw)
        for i in range(pairs):
            for name in changes if i % 2 == 0 else reversed(changes):
                out = Path(tmp) / f"out-{name}-{i}"
                run, extraction = changes[name]
                options = Options(raw_dir=raw, out_dir=out, write_report=False, **run)
                with generalize.trafilatura_options(extraction):
                    cpu, _ = scale.pipeline_cpu(options)
                spent[name].append(1000 * cpu / len(pages))
    return {name: statistics.median(values) for name, values in spent.items()}


def _scorer_steps(pages: list[Path]) -> dict[str, float]:
    """CPU ms per page of the block scorer's steps inside extraction: segmentation, and the
    cut (features, trees, matching)."""
    import scale

    from ingest.extract import extract_html
    from ingest.extract import page as extract_page

    spent = {"segment": 0.0, "cut": 0.0}

    def timed(name: str, step):
        def run(*args):
            started = time.process_time()
            try:
                return step(*args)
            finally:
                spent[name] += time.process_time() - started

        return run

    saved = extract_page.segment, extract_page.cut_chrome
    extract_page.segment = timed("segment", saved[0])
    extract_page.cut_chrome = timed("cut", saved[1])
    try:
        for path in pages:
            extract_html(scale.page_text(path), block_scorer=True)
    finally:
        extract_page.segment, extract_page.cut_chrome = saved
    return {name: 1000 * seconds / len(pages) for name, seconds in spent.items()}


def timing(train_pages: int = 480, pairs: int = 3) -> None:
    """Load time of the shipped models, and what the block scorer costs on scale.py's typical
    pages (the dev pages without the live blog, a sample of the train pages): CPU ms per page
    of its steps, and of `ingest run` with it off, on, and on with trafilatura's fast mode."""
    import scale

    from ingest.extract.scorer import load_model
    from ingest.startup import prepare_process

    prepare_process()
    started = time.perf_counter()
    load_model.cache_clear()
    load_model("html")
    load_model("text")
    print(f"model load {time.perf_counter() - started:.3f} s (both models)")
    for name, pages in scale.typical_corpora(train_pages).items():
        scale.extract_alone(pages[:20])  # first-call costs of trafilatura and its helpers
        steps = _scorer_steps(pages)
        cells = ", ".join(f"{k} {v:.2f}" for k, v in steps.items())
        print(f"{name} ({len(pages)} pages), block scorer CPU ms per page: {cells}")
        runs = _pipeline_ms(
            pages,
            pairs,
            scorer_off=({"block_scorer": False}, {}),
            scorer_on=({"block_scorer": True}, {}),
            fast_scorer_on=({"block_scorer": True}, {"fast": True}),
        )
        cells = ", ".join(f"{k} {v:.1f}" for k, v in runs.items())
        print(f"  ingest run, one worker, CPU ms per page (median of {pairs}): {cells}")


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
    names = args.corpora.split(",")
    if args.no_cv:
        pages = [p for name in names for p in generalize.build_pages(name, args.workers, {})]
        cv = None
    else:
        pages, cv = generalize.evaluate(names, args.workers, args.folds, {}, *BARS["html"])
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
