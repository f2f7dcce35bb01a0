"""Dedup at scale on synthetic documents: fingerprint speed, index size, cross-run matching.

1. Fingerprints per second per core (CPU time of one process) on synthetic ~5 KB articles.
2. Index size on disk per document (zstd Parquet, as the store writes `_state/dedup/`).
3. Time and peak memory to match a batch of new documents against an index, measured at
   two index sizes in a fresh process each, then extrapolated linearly to 10M (the join
   streams the index: time grows with its rows, memory with the new batch).

Index rows and most new documents get random band keys and sketches (what unrelated
articles look like after hashing); a share of the new documents are real fingerprints of
edited copies of indexed articles, so the run must find them.

    python benchmarks/dedup_scale.py [--fingerprint-docs 2000] [--index-docs 250000 1000000]
                                     [--new-docs 100000]
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import xxhash

from ingest.dedup import DedupItem, Fingerprint, deduplicate, fingerprint, index_schema
from ingest.dedup.index import INDEX_PARQUET_OPTIONS, build_index_rows
from ingest.dedup.minhash import BANDS, MINHASH_SEED, NUM_PERM, ROWS, band_keys
from ingest.dedup.shingles import shingle_hashes

RUN_FILES = 10  # the index arrives as one file per committed run
PLANTED = 1000  # real article/copy pairs hidden in the index and the new batch
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def vocabulary(rng: np.random.Generator, size: int = 40000) -> list[str]:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyzäöüéè"))
    lengths = rng.integers(2, 12, size)
    return ["".join(rng.choice(letters, n)) for n in lengths]


def article(rng: np.random.Generator, words: list[str], chars: int = 5000) -> str:
    """Paragraphs of Zipf-distributed words, about `chars` long, with a little chrome."""
    tokens: list[str] = []
    while sum(map(len, tokens)) + len(tokens) < chars - 40:
        ranks = np.minimum(rng.zipf(1.2, 100), len(words)) - 1
        tokens += [words[r] for r in ranks]
    paragraphs, start = [], 0
    while start < len(tokens):
        size = int(rng.integers(30, 90))
        paragraphs.append(" ".join(tokens[start : start + size]).capitalize() + ".")
        start += size
    return "Home | World | Sport\n\n" + "\n\n".join(paragraphs) + "\n\nShare this story"


def edited_copy(rng: np.random.Generator, text: str) -> str:
    """A republished copy: new headline, last paragraphs cut, a few words dropped."""
    paragraphs = text.split("\n\n")
    kept = paragraphs[: max(2, int(len(paragraphs) * 0.8))]
    words = "\n\n".join(kept).split(" ")
    drop = set(rng.choice(len(words), len(words) // 50, replace=False).tolist())
    return "Breaking: a new headline\n\n" + " ".join(
        w for i, w in enumerate(words) if i not in drop
    )


def random_fingerprint(rng: np.random.Generator) -> Fingerprint:
    keys = rng.integers(0, 1 << 32, BANDS, dtype=np.uint64)
    return Fingerprint(
        content_hash=rng.bytes(16).hex(),
        band_keys=(np.arange(BANDS, dtype=np.uint64) << np.uint64(32)) | keys,
        sketch=rng.integers(0, 256, NUM_PERM, dtype=np.uint8).tobytes(),
        n_shingles=700,
    )


def doc_id(prefix: str, number: int) -> str:
    """16 hex characters, like a truncated hash (so they do not compress)."""
    return prefix + xxhash.xxh64_hexdigest(number.to_bytes(8, "little"))[1:]


def measure_fingerprints(texts: list[str], fingerprint_of=fingerprint) -> float:
    fingerprint_of(texts[0])
    started = time.process_time()
    for text in texts:
        fingerprint_of(text)
    return len(texts) / (time.process_time() - started)


def datasketch_fingerprint(text: str) -> np.ndarray:
    """The same signature through datasketch's MinHash.update_batch (what ours replaced)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int, scheme="affine32")
    minhash.update_batch(shingle_hashes(text).tolist())
    return band_keys(minhash.hashvalues, BANDS, ROWS)


def write_index(folder: Path, rng: np.random.Generator, total: int, planted: list[Fingerprint]):
    """One file per run of random index rows; the planted fingerprints open the index (they
    spill into the next files when the first holds fewer rows)."""
    schema = index_schema(NUM_PERM, BANDS, ROWS)
    per_file = -(-total // RUN_FILES)
    files = []
    for run in range(RUN_FILES):
        first = run * per_file
        count = min(per_file, total - first)
        hashes = rng.integers(0, 1 << 64, count, dtype=np.uint64)
        keys = rng.integers(0, 1 << 32, (count, BANDS), dtype=np.uint64)
        keys |= np.arange(BANDS, dtype=np.uint64) << np.uint64(32)
        sketches = rng.integers(0, 256, (count, NUM_PERM), dtype=np.uint8)
        for row, fp in enumerate(planted[first : first + count]):
            hashes[row] = int(fp.content_hash[:16], 16)
            keys[row] = fp.band_keys
            sketches[row] = np.frombuffer(fp.sketch, dtype=np.uint8)
        ids = [doc_id("a", first + i) for i in range(count)]
        matchable = np.ones(count, dtype=bool)
        table = build_index_rows(
            ids, [None] * count, hashes, keys, matchable, sketches, NOW, schema
        )
        path = folder / f"run-{run:02d}.parquet"
        pq.write_table(table, path, **INDEX_PARQUET_OPTIONS)
        files.append(path)
    return files


def match_in_fresh_process(files: list[Path], items: list[DedupItem], queue) -> None:
    started, cpu_started = time.perf_counter(), time.process_time()
    result = deduplicate(items, files, now=NOW)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put((elapsed, cpu, peak, len(result.duplicates)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fingerprint-docs", type=int, default=2000)
    parser.add_argument("--index-docs", type=int, nargs="+", default=[250_000, 1_000_000])
    parser.add_argument("--new-docs", type=int, default=100_000)
    args = parser.parse_args()
    if min(args.index_docs) < PLANTED:
        parser.error(f"--index-docs must be at least {PLANTED} (the planted articles)")
    rng = np.random.default_rng(5)
    words = vocabulary(rng)

    texts = [article(rng, words) for _ in range(max(args.fingerprint_docs, PLANTED))]
    mean_chars = sum(map(len, texts)) / len(texts)
    rate = measure_fingerprints(texts[: args.fingerprint_docs])
    print(
        f"fingerprints: {rate:,.0f} docs/s per core (mean {mean_chars:,.0f} chars)  target >= 900"
    )
    if importlib.util.find_spec("datasketch") is not None:  # a test dependency, not a runtime one
        reference = measure_fingerprints(texts[: args.fingerprint_docs], datasketch_fingerprint)
        print(f"  with datasketch's MinHash instead: {reference:,.0f} docs/s per core")

    planted = [fingerprint(text) for text in texts[:PLANTED]]
    copies = [fingerprint(edited_copy(rng, text)) for text in texts[:PLANTED]]
    new_items = [
        DedupItem(doc_id("b", i), copies[i] if i < PLANTED else random_fingerprint(rng), 5000, None)
        for i in range(args.new_docs)
    ]

    print()
    print(
        f"{'index docs':>12} {'new docs':>9} {'bytes/doc':>9} {'match s':>8} {'cpu s':>7} "
        f"{'peak MB':>8} {'found':>10}"
    )
    timings = []
    context = multiprocessing.get_context("spawn")
    for total in args.index_docs:
        with tempfile.TemporaryDirectory() as folder:
            files = write_index(Path(folder), rng, total, planted)
            size = sum(path.stat().st_size for path in files) / total
            queue = context.Queue()
            child = context.Process(target=match_in_fresh_process, args=(files, new_items, queue))
            child.start()
            elapsed, cpu, peak, found = queue.get()
            child.join()
        timings.append((total, elapsed, cpu, peak))
        print(
            f"{total:>12,} {args.new_docs:>9,} {size:>9.0f} {elapsed:>8.1f} {cpu:>7.1f} "
            f"{peak / 2**20:>8.0f} {found:>5}/{PLANTED}"
        )

    if len(timings) >= 2:
        (n1, t1, c1, m1), (n2, t2, c2, m2) = timings[0], timings[-1]
        target = 10_000_000
        wall = t2 + (t2 - t1) / (n2 - n1) * (target - n2)
        cpu = c2 + (c2 - c1) / (n2 - n1) * (target - n2)
        print(
            f"{target:>12,} {args.new_docs:>9,} {'':>9} {wall:>8.1f} {cpu:>7.1f} "
            f"{max(m1, m2) / 2**20:>8.0f}   extrapolated; target <= 60 s, <= 2048 MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
