"""Exact and near-duplicate clustering of one run, against itself and the persistent index.

1. Exact first: the same content hash (hash of the normalised text) is a duplicate,
   similarity 1.0, match "exact".
2. Near: two documents that share an LSH band key are a candidate pair, accepted only when
   their estimated Jaccard (word 5-gram MinHash, b-bit sketch) reaches `threshold`.
3. Connected components of the accepted pairs are the clusters.
4. Canonical choice. A cluster that reaches documents of earlier runs joins their cluster:
   each new member points at the canonical of the earlier document it matched best (exact
   before near, then the higher similarity), members with no direct match at the one the
   cluster matched best. Earlier canonicals stay canonical and earlier rows are never
   rewritten. A cluster of new documents only keeps the most complete body (most
   characters), then the earliest publication date (a missing date counts as latest), then
   the smallest doc_id, so the choice does not depend on input order.
5. `similarity` and `match` give the evidence: within a run, the comparison with the
   canonical; across runs, with the earlier document matched (or, for a member reached only
   through another new document, with that document).
6. A doc_id the index already holds is not new (a re-run over the same inputs): it is listed
   in `already_indexed` and takes no other part, so re-running changes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.dedup.columns import (
    Columns,
    DedupItem,
    file_shape,
    fingerprint_table,
    lsh_shape,
    read_columns,
)
from ingest.dedup.index import (
    INDEX_PARQUET_OPTIONS,
    IndexHit,
    IndexReader,
    build_index_rows,
    index_schema,
    params_tag,
)
from ingest.dedup.minhash import BANDS, NUM_PERM, ROWS, estimated_jaccard
from ingest.documents import MatchKind

DEFAULT_THRESHOLD = 0.23
"""Tuned on dedup/dev (benchmarks/dedup.py): copies of a wire story sit at Jaccard 0.2-0.6,
news-in-brief pages that reuse a story's headline and lede at 0.15-0.3. Over six MinHash
seeds, 0.23 averaged precision 0.996 and F1 0.988 (0.20: precision 0.988)."""

MAX_BUCKET_PAIRS = 64
"""A band bucket larger than this compares each member with its first members only: the
copies of one story form a clique, so a few checks per member find the cluster."""

INDEX_ROWS_PER_GROUP = 100_000

_VERIFY_CHUNK = 65536


@dataclass(frozen=True)
class Decision:
    duplicate_of: str
    similarity: float
    match: str  # MatchKind


@dataclass
class DedupResult:
    duplicates: dict[str, Decision]
    """doc_id -> decision, for each new document that duplicates another."""
    cluster_sizes: dict[str, int]
    """Canonical doc_id of this run -> members of its cluster in this run (itself included)."""
    index_rows: pa.Table
    """Rows to commit as `_state/dedup/<run_id>.parquet` (every new document)."""
    already_indexed: frozenset[str] = field(default_factory=frozenset)
    """doc_ids the index already held: not new, so neither articles nor duplicates this run."""


@dataclass
class RunDedup:
    """Dedup of a run from its fingerprint files. Only clusters of two or more are listed in
    `cluster_sizes` (an article absent from it is alone), and the index rows are written by
    `write_index` in row groups, so nothing here grows with the run's singletons."""

    duplicates: dict[str, Decision]
    cluster_sizes: dict[str, int]
    already_indexed: frozenset[str]
    _columns: Columns
    _canonical_of: dict[str, str]
    _now: datetime
    _schema: pa.Schema

    def index_tables(self) -> Iterator[pa.Table]:
        for start in range(0, len(self._columns), INDEX_ROWS_PER_GROUP):
            rows = slice(start, start + INDEX_ROWS_PER_GROUP)
            columns = self._columns
            doc_ids = columns.doc_ids[rows].to_pylist()
            yield build_index_rows(
                doc_ids,
                [self._canonical_of.get(doc_id) for doc_id in doc_ids],
                columns.hashes[rows],
                columns.keys[rows],
                columns.matchable[rows],
                columns.sketches[rows],
                self._now,
                self._schema,
            )

    def write_index(self, destination: Path) -> None:
        """The run's index file (nothing is written when the run had no new document)."""
        if not len(self._columns):
            return
        with pq.ParquetWriter(destination, self._schema, **INDEX_PARQUET_OPTIONS) as writer:
            for table in self.index_tables():
                writer.write_table(table)


@dataclass(frozen=True, slots=True)
class _OldMatch:
    canonical_id: str
    similarity: float
    exact: bool

    def rank(self) -> tuple[bool, float, str]:
        return (self.exact, self.similarity, self.canonical_id)


def deduplicate(
    items: Sequence[DedupItem],
    index_files: Sequence[Path],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    near: bool = True,
    window_days: int | None = None,
    now: datetime | None = None,
) -> DedupResult:
    """Cluster `items` (one run) and match them against the committed index files.

    The items go through a fingerprint file, as a pipeline run's do (see deduplicate_files).
    """
    num_perm, bands, rows = lsh_shape(items)
    schema = index_schema(num_perm, bands, rows)
    if not items:  # a run with nothing new: no index to open, nothing to build
        _check_threshold(threshold)
        return DedupResult({}, {}, pa.Table.from_batches([], schema=schema))
    with tempfile.TemporaryDirectory(prefix="dedup-") as folder:
        path = Path(folder) / "fingerprints.parquet"
        pq.write_table(fingerprint_table(items), path)
        run = deduplicate_files(
            [path],
            index_files,
            threshold=threshold,
            near=near,
            window_days=window_days,
            now=now,
            list_singletons=True,
        )
    tables = list(run.index_tables())
    index_rows = pa.concat_tables(tables) if tables else pa.Table.from_batches([], schema=schema)
    return DedupResult(run.duplicates, run.cluster_sizes, index_rows, run.already_indexed)


def deduplicate_files(
    fingerprint_files: Sequence[Path],
    index_files: Sequence[Path],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    near: bool = True,
    window_days: int | None = None,
    now: datetime | None = None,
    spill_dir: Path | None = None,
    list_singletons: bool = False,
) -> RunDedup:
    """Cluster the documents of a run's fingerprint files (see columns.py) and match them
    against the committed index files, both read from disk by DuckDB."""
    _check_threshold(threshold)
    now = _as_utc(now) if now is not None else datetime.now(UTC)
    since = now - timedelta(days=window_days) if window_days is not None else None
    num_perm, bands, rows = _files_shape(fingerprint_files)
    schema = index_schema(num_perm, bands, rows)
    columns = read_columns(fingerprint_files, num_perm, bands)
    _check_unique(columns.doc_ids)
    with IndexReader(index_files, spill_dir=spill_dir) as reader:
        reader.check_params(params_tag(num_perm, bands, rows))
        already = frozenset(reader.indexed_ids(fingerprint_files) if len(columns) else ())
        hits = reader.hits(fingerprint_files, bands, near=near, since=since)
    if already:
        fresh = ~np.isin(columns.doc_ids.to_numpy(zero_copy_only=False), list(already))
        hits = _renumbered(hits, fresh)
        columns = columns.subset(fresh)
    batch = _Batch(columns, near=near)
    old = _verify_old(hits, batch, threshold)
    labels = _components(len(columns), _run_pairs(batch, threshold))
    duplicates, cluster_sizes, canonical_of = _decide(batch, labels, old, list_singletons)
    return RunDedup(duplicates, cluster_sizes, already, columns, canonical_of, now, schema)


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")


def _files_shape(paths: Sequence[Path]) -> tuple[int, int, int]:
    shapes = {file_shape(path) for path in paths}
    if len(shapes) > 1:
        raise ValueError(f"fingerprints of one batch use different LSH settings: {shapes}")
    return shapes.pop() if shapes else (NUM_PERM, BANDS, ROWS)


def _renumbered(hits: list[IndexHit], fresh: np.ndarray) -> list[IndexHit]:
    """Hits of the fresh documents, numbered by their place among the fresh ones."""
    position = np.cumsum(fresh) - 1
    return [
        IndexHit(int(position[h.item]), h.doc_id, h.canonical_id, h.content_hash, h.sketch)
        for h in hits
        if fresh[h.item]
    ]


class _Batch:
    """The columns of the new documents, with the near-matching mask of this dedup."""

    def __init__(self, columns: Columns, *, near: bool) -> None:
        self.columns = columns
        self.hashes = columns.hashes
        self.keys = columns.keys
        self.near = columns.matchable & near
        self.sketches = columns.sketches

    def similarity(self, left: int, right: int) -> float:
        if self.hashes[left] == self.hashes[right]:
            return 1.0
        return float(estimated_jaccard(self.sketches[left], self.sketches[right]))

    def completeness(self, row: int) -> tuple[int, int, str]:
        """Most characters first, then the earliest publication (undated last), then doc_id."""
        columns = self.columns
        return (-int(columns.n_chars[row]), int(columns.published[row]), columns.doc_id(row))


def _check_unique(doc_ids: pa.Array) -> None:
    counts = pc.value_counts(doc_ids)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    if len(repeated):
        doc_id = repeated[0]["values"].as_py()
        raise ValueError(f"doc_id {doc_id!r} appears twice in one dedup batch")


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _verify_old(
    hits: list[IndexHit], batch: _Batch, threshold: float
) -> dict[int, list[_OldMatch]]:
    """Accepted matches of each new item against index rows (exact hash or verified near)."""
    accepted: dict[int, list[_OldMatch]] = {}
    for hit in hits:
        exact = hit.content_hash == int(batch.hashes[hit.item])
        if exact:
            similarity = 1.0
        elif batch.near[hit.item] and hit.sketch is not None:
            other = np.frombuffer(hit.sketch, dtype=np.uint8)
            similarity = float(estimated_jaccard(batch.sketches[hit.item], other))
            if similarity < threshold:
                continue
        else:
            continue
        accepted.setdefault(hit.item, []).append(_OldMatch(hit.canonical_id, similarity, exact))
    return accepted


def _run_pairs(batch: _Batch, threshold: float) -> np.ndarray:
    """Accepted (left, right) pairs inside the run: equal hashes, then verified band buckets.

    Buckets are formed band by band, so sorting holds one band's keys at a time."""
    pairs = [_bucket_pairs(batch.hashes, np.arange(len(batch.hashes)))]
    near_items = np.flatnonzero(batch.near)
    if len(near_items):
        per_band = [
            _bucket_pairs(batch.keys[near_items, band], near_items)
            for band in range(batch.keys.shape[1])
        ]
        candidates = np.unique(np.concatenate(per_band), axis=0)
        candidates = candidates[batch.hashes[candidates[:, 0]] != batch.hashes[candidates[:, 1]]]
        pairs.append(_verified(candidates, batch, threshold))
    return np.concatenate(pairs)


def _bucket_pairs(keys: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Distinct owner pairs that share a key (capped per bucket, see MAX_BUCKET_PAIRS)."""
    order = np.argsort(keys, kind="stable")
    keys, owners = keys[order], owners[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    found = []
    for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
        members = np.unique(owners[start:end])
        heads = members[:MAX_BUCKET_PAIRS]
        left, right = np.meshgrid(heads, members, indexing="ij")
        keep = left < right
        found.append(np.column_stack([left[keep], right[keep]]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found).astype(np.int64), axis=0)


def _verified(candidates: np.ndarray, batch: _Batch, threshold: float) -> np.ndarray:
    keep = np.zeros(len(candidates), dtype=bool)
    for start in range(0, len(candidates), _VERIFY_CHUNK):
        chunk = candidates[start : start + _VERIFY_CHUNK]
        similarity = estimated_jaccard(batch.sketches[chunk[:, 0]], batch.sketches[chunk[:, 1]])
        keep[start : start + _VERIFY_CHUNK] = similarity >= threshold
    return candidates[keep]


def _components(count: int, pairs: np.ndarray) -> np.ndarray:
    """Component label of each document: components numbered in the order of their smallest
    member (scipy's connected_components numbers them so too).

    Union-find in numpy: every root is hooked under the smallest root across its edges, then
    paths are compressed, until no edge joins two roots. Roots only ever move to smaller
    numbers, so each component ends rooted at its smallest member. Done here rather than
    with scipy.sparse, whose import costs a run a third of a second.
    """
    roots = np.arange(count, dtype=np.int64)
    left, right = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    while True:
        left_roots, right_roots = roots[left], roots[right]
        apart = left_roots != right_roots
        if not apart.any():
            break
        left_roots, right_roots = left_roots[apart], right_roots[apart]
        lower = np.minimum(left_roots, right_roots)
        np.minimum.at(roots, left_roots, lower)
        np.minimum.at(roots, right_roots, lower)
        while True:
            jumped = roots[roots]
            if np.array_equal(jumped, roots):
                break
            roots = jumped
    return np.unique(roots, return_inverse=True)[1].astype(np.int32)


def _decide(
    batch: _Batch,
    labels: np.ndarray,
    old: dict[int, list[_OldMatch]],
    list_singletons: bool,
) -> tuple[dict[str, Decision], dict[str, int], dict[str, str]]:
    duplicates: dict[str, Decision] = {}
    cluster_sizes: dict[str, int] = {}
    canonical_of: dict[str, str] = {}
    if not len(labels):
        return duplicates, cluster_sizes, canonical_of
    doc_id = batch.columns.doc_id
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])
    bounds = np.column_stack([bounds[:-1], bounds[1:]])
    if not list_singletons:  # skip lone documents without a Python loop over them
        matched_old = np.isin(order[bounds[:, 0]], np.fromiter(old, np.int64, len(old)))
        bounds = bounds[(bounds[:, 1] - bounds[:, 0] > 1) | matched_old]

    for start, end in bounds.tolist():
        members = order[start:end].tolist()
        if len(members) == 1 and members[0] not in old:
            if list_singletons:
                cluster_sizes[doc_id(members[0])] = 1
            continue
        anchored = {m: max(old[m], key=_OldMatch.rank) for m in members if m in old}
        if anchored:
            anchor = max(anchored, key=lambda m: anchored[m].rank())
            for member in members:
                if member in anchored:
                    decision = _against_old(anchored[member])
                else:
                    decision = _against_new(batch, member, anchor, anchored[anchor].canonical_id)
                duplicates[doc_id(member)] = decision
                canonical_of[doc_id(member)] = decision.duplicate_of
            continue
        canonical = min(members, key=batch.completeness)
        canonical_id = doc_id(canonical)
        cluster_sizes[canonical_id] = len(members)
        for member in members:
            if member != canonical:
                decision = _against_new(batch, member, canonical, canonical_id)
                duplicates[doc_id(member)] = decision
                canonical_of[doc_id(member)] = decision.duplicate_of
    return duplicates, cluster_sizes, canonical_of


def _against_old(match: _OldMatch) -> Decision:
    kind = MatchKind.EXACT if match.exact else MatchKind.NEAR
    return Decision(match.canonical_id, round(match.similarity, 4), kind.value)


def _against_new(batch: _Batch, member: int, reference: int, duplicate_of: str) -> Decision:
    exact = batch.hashes[member] == batch.hashes[reference]
    similarity = batch.similarity(member, reference)
    kind = MatchKind.EXACT if exact else MatchKind.NEAR
    return Decision(duplicate_of, round(similarity, 4), kind.value)
