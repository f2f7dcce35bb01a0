"""A year of quarter-hourly runs, then `ingest compact`: what months of a schedule cost.

Simulates `--days` days of `--runs-per-day` scheduled runs, each committing a few synthetic
articles (Poisson, mean `--articles-per-run`, over ten languages), a duplicate now and then,
a reject now and then, its inputs and dedup index rows, and its runs row, through the
store's own StagedRun commit (the files and names a real run writes; the fsyncs of the
simulated commits are skipped, durability is not what is measured here, and extraction is
not run: a real run costs a second where this costs milliseconds). Runs that find nothing
commit only their runs row, as real ones do.

Then prints files and bytes per table and state folder, the time of a DuckDB query over
the articles (articles per language per day; median of 3) before and after compaction,
and the wall time and peak RSS of `ingest compact` run as its own process.

    .venv/bin/python benchmarks/operate.py                 # a year: 35,040 runs
    .venv/bin/python benchmarks/operate.py --days 30       # a month, quicker
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ingest import store
from ingest.compact import folder_file_counts
from ingest.dedup import INDEX_PARQUET_OPTIONS, index_schema
from ingest.dedup.index import build_index_rows
from ingest.documents import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    INPUTS_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    SCHEMA_VERSION,
)

LANGUAGES = ("en", "de", "fr", "es", "it", "ar", "ru", "zh", "ja", "pt")
WEIGHTS = (30, 12, 10, 10, 6, 8, 8, 6, 5, 5)
NUM_PERM, BANDS, ROWS = 128, 28, 2
START = datetime(2026, 1, 1, tzinfo=UTC)
QUERY = """
    SELECT language, date_trunc('day', ingested_at) AS day, count(*) AS articles
    FROM read_parquet('{root}/articles/**/*.parquet', hive_partitioning = true)
    GROUP BY ALL ORDER BY ALL
"""


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only, which is all a quarter-hour brings."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Simulator:
    """Writes one scheduled run after another into `out` through store.StagedRun."""

    def __init__(self, out: Path, seed: int, articles_per_run: float) -> None:
        self.out = out
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.mean = articles_per_run
        self.words = [f"w{n:04d}" for n in range(3000)]
        self.number = 0
        self.index_schema = index_schema(NUM_PERM, BANDS, ROWS)

    def _text(self) -> str:
        paragraphs = [
            " ".join(self.rng.choices(self.words, k=self.rng.randint(40, 90))) + "."
            for _ in range(self.rng.randint(3, 7))
        ]
        return "\n\n".join(paragraphs)

    def run(self, when: datetime) -> None:
        run_id = store.new_run_id(when)
        staged = store.StagedRun(self.out, run_id)
        n_docs = _poisson(self.rng, self.mean)
        articles, duplicates, rejects, inputs = [], [], [], []
        for _ in range(n_docs):
            self.number += 1
            doc_id = f"{self.number:012x}"
            source = f"feeds/{when:%Y/%m/%d}/item-{self.number}.html"
            inputs.append(self._input(source, run_id))
            roll = self.rng.random()
            if roll < 0.04:
                rejects.append(self._reject(doc_id, source, run_id, when))
            elif roll < 0.12 and articles:
                duplicates.append(self._duplicate(doc_id, source, articles[0], run_id, when))
            else:
                articles.append(self._article(doc_id, source, run_id, when))
        if articles:
            staged.add_articles(pa.Table.from_pylist(articles, schema=ARTICLES_SCHEMA))
        staged.write_table("duplicates", pa.Table.from_pylist(duplicates, schema=DUPLICATES_SCHEMA))
        staged.write_table("rejects", pa.Table.from_pylist(rejects, schema=REJECTS_SCHEMA))
        if inputs:
            staged.write_state("inputs", pa.Table.from_pylist(inputs, schema=INPUTS_SCHEMA))
        indexed = [r["doc_id"] for r in articles + duplicates]
        if indexed:
            staged.write_state("dedup", self._index(indexed, when), **INDEX_PARQUET_OPTIONS)
        staged.write_table("runs", self._runs_row(run_id, when, articles, duplicates, rejects))
        staged.commit()

    def _article(self, doc_id: str, source: str, run_id: str, when: datetime) -> dict:
        text = self._text()
        return {
            "doc_id": doc_id,
            "source": source,
            "url": f"https://news.example/{doc_id}",
            "site": "news.example",
            "title": " ".join(self.rng.choices(self.words, k=8)),
            "author": None,
            "published": when,
            "language": self.rng.choices(LANGUAGES, WEIGHTS)[0],
            "language_score": 0.99,
            "language_hint": None,
            "text": text,
            "n_words": text.count(" ") + 1,
            "n_chars": len(text),
            "removed": [{"kind": "cookie_banner", "text": "We use cookies."}],
            "content_hash": f"{self.rng.getrandbits(128):032x}",
            "cluster_size": 1,
            "input_format": "html",
            "extraction_method": "trafilatura",
            "encoding": "utf-8",
            "run_id": run_id,
            "ingested_at": when,
        }

    def _duplicate(self, doc_id: str, source: str, of: dict, run_id: str, when: datetime) -> dict:
        return {
            "doc_id": doc_id,
            "source": source,
            "url": None,
            "site": "mirror.example",
            "title": of["title"],
            "language": of["language"],
            "duplicate_of": of["doc_id"],
            "similarity": 1.0,
            "match": "exact",
            "content_hash": of["content_hash"],
            "n_words": of["n_words"],
            "removed": [],
            "input_format": "html",
            "run_id": run_id,
            "ingested_at": when,
        }

    def _reject(self, doc_id: str, source: str, run_id: str, when: datetime) -> dict:
        return {
            "source": source,
            "doc_id": doc_id,
            "reason": "no_text",
            "detail": "extraction found no article text",
            "input_format": "html",
            "run_id": run_id,
            "ingested_at": when,
        }

    def _input(self, source: str, run_id: str) -> dict:
        return {
            "path": source,
            "size": 20_000,
            "mtime_ns": 0,
            "content_hash": f"{self.rng.getrandbits(128):032x}",
            "n_records": 1,
            "run_id": run_id,
        }

    def _index(self, doc_ids: list[str], when: datetime) -> pa.Table:
        n = len(doc_ids)
        return build_index_rows(
            doc_ids,
            [None] * n,
            self.np_rng.integers(0, 2**63, n, dtype=np.uint64),
            self.np_rng.integers(0, 2**63, (n, BANDS), dtype=np.uint64),
            np.ones(n, dtype=bool),
            self.np_rng.integers(0, 256, (n, NUM_PERM), dtype=np.uint8),
            when,
            self.index_schema,
        )

    def _runs_row(
        self, run_id: str, when: datetime, articles: list, duplicates: list, rejects: list
    ) -> pa.Table:
        by_language: dict[str, int] = {}
        for a in articles:
            by_language[a["language"]] = by_language.get(a["language"], 0) + 1
        row = {
            "run_id": run_id,
            "started": when,
            "finished": when + timedelta(seconds=1),
            "elapsed_s": 1.0,
            "raw_dir": "raw",
            "options": "{}",
            "n_files": len(articles) + len(duplicates) + len(rejects),
            "n_records": len(articles) + len(duplicates) + len(rejects),
            "n_articles": len(articles),
            "n_duplicates": len(duplicates),
            "n_rejects": len(rejects),
            "rejects_by_reason": [("no_text", len(rejects))] if rejects else [],
            "duplicates_by_match": [("exact", len(duplicates))] if duplicates else [],
            "articles_by_language": list(by_language.items()),
            "articles_by_format": [("html", len(articles))] if articles else [],
            "removed_by_kind": [],
            "removed_chars_by_kind": [],
            "stage_seconds": [("commit", 0.01)],
            "pipeline_version": "benchmark",
            "schema_version": SCHEMA_VERSION,
        }
        return store.rows_table([row], RUNS_SCHEMA)


def _footprint(out: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) per table and state folder."""
    result = {}
    for folder in ("articles", "duplicates", "rejects", "runs", "_state/dedup", "_state/inputs"):
        files = list((out / folder).rglob("*.parquet")) if (out / folder).is_dir() else []
        result[folder] = (len(files), sum(p.stat().st_size for p in files))
    return result


def _query_seconds(out: Path, repeats: int = 3) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeats):
        con = duckdb.connect()  # a new connection: no cached metadata between repeats
        started = time.perf_counter()
        rows = len(con.sql(QUERY.format(root=out)).fetchall())
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times), rows


def _compact_in_own_process(out: Path) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of `ingest compact`, and what it freed.

    The peak is the child's own VmHWM, read at its end: exec starts it afresh, whereas
    getrusage's maxrss of a child also counts the pages it shared with this process."""
    code = (
        "import sys; from pathlib import Path; from ingest.compact import compact; "
        "s = compact(Path(sys.argv[1])); "
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]; "
        "print(int(hwm) / 1024); "
        "print(f'freed {s.freed_files} files, {s.freed_bytes / 2**20:.1f} MB')"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    peak_mb, freed = done.stdout.strip().splitlines()
    return seconds, float(peak_mb), freed


def _table(title: str, before: dict, after: dict) -> None:
    print(f"\n{title}")
    print(f"{'folder':<16}{'files before':>14}{'files after':>13}{'MB before':>11}{'MB after':>10}")
    for name in before:
        (fb, bb), (fa, ba) = before[name], after[name]
        print(f"{name:<16}{fb:>14,}{fa:>13,}{bb / 2**20:>11.1f}{ba / 2**20:>10.1f}")


def _simulate(out: Path, args: argparse.Namespace) -> None:
    store.ensure_writable(out)
    store._fsync = lambda path: None  # durability of simulated commits is not measured
    simulator = Simulator(out, args.seed, args.articles_per_run)
    n_runs = args.days * args.runs_per_day
    step = timedelta(days=1) / args.runs_per_day
    started = time.perf_counter()
    for number in range(n_runs):
        simulator.run(START + number * step)
        if (number + 1) % (args.runs_per_day * 30) == 0:
            print(f"  {number + 1:,} runs simulated, {time.perf_counter() - started:.0f} s")
    simulated_s = time.perf_counter() - started
    print(
        f"{n_runs:,} runs ({args.days} days x {args.runs_per_day}), "
        f"{simulator.number:,} documents, simulated in {simulated_s:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs-per-day", type=int, default=96)
    parser.add_argument("--articles-per-run", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--out",
        type=Path,
        help="keep the dataset here (default: a temp dir); a folder that already holds "
        "uncompacted runs is measured and compacted as it is, without simulating",
    )
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="operate-"))
    out = args.out or root / "processed"
    if any((out / "runs").glob("part-*.parquet")):
        print(f"{len(store.committed_run_ids(out)):,} runs already in {out}")
    else:
        _simulate(out, args)
    articles = store.read_table(out, "articles", columns=["doc_id"]).num_rows
    most_files = max(folder_file_counts(out).values())

    before = _footprint(out)
    query_before, groups = _query_seconds(out)
    compact_s, peak_mb, freed = _compact_in_own_process(out)
    after = _footprint(out)
    query_after, groups_after = _query_seconds(out)

    _table("files and size", before, after)
    print(f"\nmost files in one folder before compaction: {most_files:,}")
    print(f"articles: {articles:,} before, {store.read_table(out, 'articles').num_rows:,} after")
    print(f"DuckDB articles per language per day ({groups:,} groups; median of 3):")
    print(f"  before compaction {query_before:8.2f} s")
    print(f"  after compaction  {query_after:8.2f} s   (same result: {groups == groups_after})")
    print(f"ingest compact: {compact_s:.1f} s wall, peak RSS {peak_mb:.0f} MB, {freed}")
    if args.out is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
