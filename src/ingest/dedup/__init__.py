"""Exact and near-duplicate detection, within a run and across runs (see clusters.py)."""

from ingest.dedup.clusters import (
    DEFAULT_THRESHOLD,
    Decision,
    DedupResult,
    RunDedup,
    deduplicate,
    deduplicate_files,
)
from ingest.dedup.columns import DedupItem, fingerprint_schema, fingerprint_table
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
    "RunDedup",
    "compact_index",
    "content_hash",
    "deduplicate",
    "deduplicate_files",
    "estimated_jaccard",
    "fingerprint",
    "fingerprint_schema",
    "fingerprint_table",
    "index_schema",
    "normalize_text",
    "shingle_hashes",
]
