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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ingest.dedup.index import (
    IndexHit,
    IndexReader,
    build_index_rows,
    hash64,
    index_schema,
    params_tag,
)
from ingest.dedup.minhash import (
    BANDS,
    NUM_PERM,
    ROWS,
    Fingerprint,
    estimated_jaccard,
    sketch_matrix,
)
from ingest.documents import MatchKind

DEFAULT_THRESHOLD = 0.23
"""Tuned on dedup/dev (benchmarks/dedup.py): copies of a wire story sit at Jaccard 0.2-0.6,
news-in-brief pages that reuse a story's headline and lede at 0.15-0.3. Over six MinHash
seeds, 0.23 averaged precision 0.996 and F1 0.988 (0.20: precision 0.988)."""

MAX_BUCKET_PAIRS = 64
"""A band bucket larger than this compares each member with its first members only: the
copies of one story form a clique, so a few checks per member find the cluster."""

_VERIFY_CHUNK = 65536


@dataclass(frozen=True)
class DedupItem:
    doc_id: str
    fingerprint: Fingerprint
    n_chars: int
    published: datetime | None


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
    """Cluster `items` (one run) and match them against the committed index files."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    _check_unique(items)
    now = _as_utc(now) if now is not None else datetime.now(UTC)
    since = now - timedelta(days=window_days) if window_days is not None else None
    num_perm, bands, rows = _lsh_shape(items)
    schema = index_schema(num_perm, bands, rows)
    if not items:  # a run with nothing new: no index to open, nothing to build
        return DedupResult({}, {}, pa.Table.from_batches([], schema=schema))

    with IndexReader(index_files) as reader:
        reader.check_params(params_tag(num_perm, bands, rows))
        already = frozenset(reader.indexed_ids([item.doc_id for item in items]))
        fresh = [item for item in items if item.doc_id not in already]
        batch = _Batch(fresh, near=near, bands=bands)
        hits = reader.hits(batch.hashes, batch.keys, batch.near, since=since) if fresh else []

    old = _verify_old(hits, batch, threshold)
    labels = _components(len(fresh), _run_pairs(batch, threshold))
    duplicates, cluster_sizes, canonical_of = _decide(fresh, batch, labels, old)
    index_rows = build_index_rows(
        [item.doc_id for item in fresh],
        [canonical_of.get(item.doc_id) for item in fresh],
        batch.hashes,
        batch.keys,
        batch.matchable,
        batch.sketches,
        now,
        schema,
    )
    return DedupResult(duplicates, cluster_sizes, index_rows, already)


class _Batch:
    """Row-aligned arrays over the new documents of a run."""

    def __init__(self, items: Sequence[DedupItem], *, near: bool, bands: int) -> None:
        fingerprints = [item.fingerprint for item in items]
        self.hashes = np.array([hash64(fp.content_hash) for fp in fingerprints], dtype=np.uint64)
        self.keys = (
            np.stack([fp.band_keys for fp in fingerprints]).astype(np.uint64)
            if fingerprints
            else np.empty((0, bands), dtype=np.uint64)
        )
        self.matchable = np.array([fp.near_matchable for fp in fingerprints], dtype=bool)
        self.near = self.matchable & near
        self.sketches = sketch_matrix([fp.sketch for fp in fingerprints])

    def similarity(self, left: int, right: int) -> float:
        if self.hashes[left] == self.hashes[right]:
            return 1.0
        return float(estimated_jaccard(self.sketches[left], self.sketches[right]))


def _check_unique(items: Sequence[DedupItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.doc_id in seen:
            raise ValueError(f"doc_id {item.doc_id!r} appears twice in one dedup batch")
        seen.add(item.doc_id)


def _lsh_shape(items: Sequence[DedupItem]) -> tuple[int, int, int]:
    shapes = {
        (len(item.fingerprint.sketch), len(item.fingerprint.band_keys), item.fingerprint.rows)
        for item in items
    }
    if len(shapes) > 1:
        raise ValueError(f"fingerprints of one batch use different LSH settings: {shapes}")
    return shapes.pop() if shapes else (NUM_PERM, BANDS, ROWS)


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
    """Accepted (left, right) pairs inside the run: equal hashes, then verified band buckets."""
    pairs = [_bucket_pairs(batch.hashes, np.arange(len(batch.hashes)))]
    near_items = np.flatnonzero(batch.near)
    if len(near_items):
        flat_keys = batch.keys[near_items].ravel()
        owners = np.repeat(near_items, batch.keys.shape[1])
        candidates = _bucket_pairs(flat_keys, owners)
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
    if count == 0:
        return np.empty(0, dtype=np.int64)
    ones = np.ones(len(pairs), dtype=np.int8)
    graph = coo_matrix((ones, (pairs[:, 0], pairs[:, 1])), shape=(count, count))
    return connected_components(graph, directed=False)[1]


_NO_DATE = datetime.max.replace(tzinfo=UTC)


def _completeness(item: DedupItem) -> tuple[int, datetime, str]:
    published = _as_utc(item.published) if item.published is not None else _NO_DATE
    return (-item.n_chars, published, item.doc_id)


def _decide(
    items: Sequence[DedupItem],
    batch: _Batch,
    labels: np.ndarray,
    old: dict[int, list[_OldMatch]],
) -> tuple[dict[str, Decision], dict[str, int], dict[str, str]]:
    duplicates: dict[str, Decision] = {}
    cluster_sizes: dict[str, int] = {}
    canonical_of: dict[str, str] = {}
    if not len(labels):
        return duplicates, cluster_sizes, canonical_of
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])

    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        members = order[start:end].tolist()
        if len(members) == 1 and members[0] not in old:
            cluster_sizes[items[members[0]].doc_id] = 1
            continue
        anchored = {m: max(old[m], key=_OldMatch.rank) for m in members if m in old}
        if anchored:
            anchor = max(anchored, key=lambda m: anchored[m].rank())
            for member in members:
                if member in anchored:
                    decision = _against_old(anchored[member])
                else:
                    decision = _against_new(batch, member, anchor, anchored[anchor].canonical_id)
                duplicates[items[member].doc_id] = decision
                canonical_of[items[member].doc_id] = decision.duplicate_of
            continue
        canonical = min(members, key=lambda m: _completeness(items[m]))
        cluster_sizes[items[canonical].doc_id] = len(members)
        for member in members:
            if member != canonical:
                decision = _against_new(batch, member, canonical, items[canonical].doc_id)
                duplicates[items[member].doc_id] = decision
                canonical_of[items[member].doc_id] = decision.duplicate_of
    return duplicates, cluster_sizes, canonical_of


def _against_old(match: _OldMatch) -> Decision:
    kind = MatchKind.EXACT if match.exact else MatchKind.NEAR
    return Decision(match.canonical_id, round(match.similarity, 4), kind.value)


def _against_new(batch: _Batch, member: int, reference: int, duplicate_of: str) -> Decision:
    exact = batch.hashes[member] == batch.hashes[reference]
    similarity = batch.similarity(member, reference)
    kind = MatchKind.EXACT if exact else MatchKind.NEAR
    return Decision(duplicate_of, round(similarity, 4), kind.value)
