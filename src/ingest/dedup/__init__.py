"""Exact and near-duplicate detection, within a run and across runs (see clusters.py)."""

from ingest.dedup.clusters import (
    DEFAULT_THRESHOLD,
    Decision,
    DedupItem,
    DedupResult,
    deduplicate,
)
from ingest.dedup.index import INDEX_PARQUET_OPTIONS, compact_index, index_schema
from ingest.dedup.minhash import Fingerprint, estimated_jaccard, fingerprint
from ingest.dedup.shingles import content_hash, normalize_text, shingle_hashes

__all__ = [
    "DEFAULT_THRESHOLD",
    "INDEX_PARQUET_OPTIONS",
    "Decision",
    "DedupItem",
    "DedupResult",
    "Fingerprint",
    "compact_index",
    "content_hash",
    "deduplicate",
    "estimated_jaccard",
    "fingerprint",
    "index_schema",
    "normalize_text",
    "shingle_hashes",
]
