"""Dedup quality on ../shared/eval/dedup/dev through the real deduplicate().

Texts are fed as they are (they are what reaches the dedup stage). Prints pairwise
precision, recall, F1 and the adjusted Rand index of the predicted clusters against the
ground-truth `cluster` field, for one run and for the same documents split over several
runs (each run matched against the Parquet index files of the earlier ones). The `ops`
field is never read.

    python benchmarks/dedup.py [--threshold 0.2 0.25 0.3] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from ingest.dedup import DEFAULT_THRESHOLD, DedupItem, deduplicate, fingerprint

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "eval" / "dedup" / "dev" / "docs.jsonl"


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    """Pairwise precision / recall / F1 and the adjusted Rand index."""
    both = sum(pairs(n) for n in Counter(zip(truth, predicted, strict=True)).values())
    true_pairs = sum(pairs(n) for n in Counter(truth).values())
    predicted_pairs = sum(pairs(n) for n in Counter(predicted).values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = true_pairs * predicted_pairs / pairs(len(truth))
    ari = (both - expected) / ((true_pairs + predicted_pairs) / 2 - expected)
    return {"precision": precision, "recall": recall, "f1": f1, "ari": ari}


def cluster_labels(items: list[DedupItem], runs: int, threshold: float) -> list[str]:
    """Canonical doc_id of each item, deduplicating `runs` consecutive slices in turn."""
    duplicate_of: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as state:
        index_files: list[Path] = []
        size = -(-len(items) // runs)
        for run in range(runs):
            batch = items[run * size : (run + 1) * size]
            result = deduplicate(batch, index_files, threshold=threshold)
            duplicate_of.update({k: v.duplicate_of for k, v in result.duplicates.items()})
            path = Path(state) / f"run-{run}.parquet"
            pq.write_table(result.index_rows, path)
            index_files.append(path)
    return [duplicate_of.get(item.doc_id, item.doc_id) for item in items]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--threshold", type=float, nargs="+", default=[DEFAULT_THRESHOLD])
    parser.add_argument("--runs", type=int, default=3, help="also split the set over N runs")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"dedup eval set not found at {args.data}; nothing to measure")
        return 0

    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    started = time.process_time()
    fingerprints = [fingerprint(record["text"]) for record in records]
    elapsed = time.process_time() - started
    items = [
        DedupItem(record["id"], fp, len(record["text"]), None)
        for record, fp in zip(records, fingerprints, strict=True)
    ]
    truth = [record["cluster"] for record in records]
    print(
        f"{len(records)} documents, {len(set(truth))} true clusters, "
        f"fingerprints {len(records) / elapsed:.0f} docs/s per core"
    )
    print(
        f"{'threshold':>9} {'runs':>4} {'precision':>9} {'recall':>7} {'F1':>7} {'ARI':>7} "
        f"{'clusters':>8} {'seconds':>7}"
    )
    for threshold in args.threshold:
        for runs in sorted({1, args.runs}):
            started = time.perf_counter()
            predicted = cluster_labels(items, runs, threshold)
            seconds = time.perf_counter() - started
            s = scores(truth, predicted)
            print(
                f"{threshold:>9.2f} {runs:>4} {s['precision']:>9.4f} {s['recall']:>7.4f} "
                f"{s['f1']:>7.4f} {s['ari']:>7.4f} {len(set(predicted)):>8} {seconds:>7.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
