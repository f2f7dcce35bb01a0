"""A run's fingerprints as columns: the scratch Parquet files the workers write, and the
compact arrays dedup clusters them with.

The batch stage writes each document's fingerprint here instead of sending it back to the
process that runs dedup: a DedupItem costs about 1 KB of Python objects, a row of these
arrays about 270 bytes, and the index probes read the files from disk with DuckDB.
Band keys are null for texts too short to near-match (as in the index, so they never join);
the sketch is always kept, because a short text reached through an exact copy still gets
its similarity to the cluster's canonical.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.dedup.index import band_column, hash64, params_tag
from ingest.dedup.minhash import BANDS, NUM_PERM, ROWS, Fingerprint, sketch_matrix
from ingest.documents import UTC_TIMESTAMP

NO_DATE = np.iinfo(np.int64).max
"""Publication time (ns) of an undated document: it sorts after every dated one."""


@dataclass(frozen=True)
class DedupItem:
    doc_id: str
    fingerprint: Fingerprint
    n_chars: int
    published: datetime | None


def fingerprint_schema(num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS) -> pa.Schema:
    fields = [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("content_hash", pa.uint64(), nullable=False),
        pa.field("n_chars", pa.int64(), nullable=False),
        pa.field("published", UTC_TIMESTAMP),
        pa.field("matchable", pa.bool_(), nullable=False),
        *(pa.field(band_column(band), pa.uint32()) for band in range(bands)),
        pa.field("sketch", pa.binary(num_perm), nullable=False),
    ]
    return pa.schema(fields).with_metadata(
        {b"newsclean.dedup_params": params_tag(num_perm, bands, rows).encode()}
    )


def lsh_shape(items: Iterable[DedupItem]) -> tuple[int, int, int]:
    """(permutations, bands, rows) shared by all items; the defaults when there are none."""
    shapes = {
        (len(item.fingerprint.sketch), len(item.fingerprint.band_keys), item.fingerprint.rows)
        for item in items
    }
    if len(shapes) > 1:
        raise ValueError(f"fingerprints of one batch use different LSH settings: {shapes}")
    return shapes.pop() if shapes else (NUM_PERM, BANDS, ROWS)


def fingerprint_table(items: Sequence[DedupItem]) -> pa.Table:
    """The rows of a fingerprint scratch file for `items` (all with the same LSH shape)."""
    num_perm, bands, rows = lsh_shape(items)
    schema = fingerprint_schema(num_perm, bands, rows)
    fingerprints = [item.fingerprint for item in items]
    matchable = np.array([fp.near_matchable for fp in fingerprints], dtype=bool)
    keys = (
        np.stack([fp.band_keys for fp in fingerprints]).astype(np.uint64)
        if fingerprints
        else np.empty((0, bands), dtype=np.uint64)
    )
    low = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    sketches = sketch_matrix([fp.sketch for fp in fingerprints])
    columns: dict[str, pa.Array] = {
        "doc_id": pa.array([item.doc_id for item in items], pa.string()),
        "content_hash": pa.array([hash64(fp.content_hash) for fp in fingerprints], pa.uint64()),
        "n_chars": pa.array([item.n_chars for item in items], pa.int64()),
        "published": pa.array([item.published for item in items], UTC_TIMESTAMP),
        "matchable": pa.array(matchable),
    }
    for band in range(bands):
        columns[band_column(band)] = pa.array(low[:, band], pa.uint32(), mask=~matchable)
    columns["sketch"] = pa.Array.from_buffers(
        schema.field("sketch").type,
        len(items),
        [None, pa.py_buffer(np.ascontiguousarray(sketches).tobytes())],
    )
    return pa.table(columns, schema=schema)


def file_shape(path: Path) -> tuple[int, int, int]:
    """(permutations, bands, rows) a fingerprint file was written with."""
    tag = (pq.read_schema(path).metadata or {}).get(b"newsclean.dedup_params", b"").decode()
    settings = dict(part.split("=", 1) for part in tag.split(";") if "=" in part)
    return int(settings["perm"]), int(settings["bands"]), int(settings["rows"])


@dataclass
class Columns:
    """Row-aligned arrays over the documents of a run (the order of the files, then rows)."""

    doc_ids: pa.Array
    hashes: np.ndarray  # uint64
    n_chars: np.ndarray  # int64
    published: np.ndarray  # int64 ns since the epoch, NO_DATE when undated
    matchable: np.ndarray  # bool
    keys: np.ndarray  # (documents x bands) uint32, 0 where not matchable
    sketches: np.ndarray  # (documents x permutations) uint8

    def __len__(self) -> int:
        return len(self.hashes)

    def subset(self, keep: np.ndarray) -> Columns:
        return Columns(
            self.doc_ids.filter(pa.array(keep)),
            self.hashes[keep],
            self.n_chars[keep],
            self.published[keep],
            self.matchable[keep],
            self.keys[keep],
            self.sketches[keep],
        )

    def doc_id(self, row: int) -> str:
        return self.doc_ids[row].as_py()


def read_columns(paths: Sequence[Path], num_perm: int, bands: int) -> Columns:
    """Fill the arrays row group by row group, so reading holds one group's table at a time."""
    handles = [pq.ParquetFile(path) for path in paths]
    total = sum(handle.metadata.num_rows for handle in handles)
    columns = Columns(
        doc_ids=pa.array([], pa.string()),
        hashes=np.empty(total, np.uint64),
        n_chars=np.empty(total, np.int64),
        published=np.empty(total, np.int64),
        matchable=np.empty(total, bool),
        keys=np.empty((total, bands), np.uint32),
        sketches=np.empty((total, num_perm), np.uint8),
    )
    doc_ids: list[pa.Array] = []
    start = 0
    for handle in handles:
        for group in range(handle.num_row_groups):
            table = handle.read_row_group(group)
            end = start + table.num_rows
            doc_ids.extend(table["doc_id"].chunks)
            columns.hashes[start:end] = table["content_hash"].to_numpy()
            columns.n_chars[start:end] = table["n_chars"].to_numpy()
            published = table["published"].cast(pa.int64()).fill_null(NO_DATE)
            columns.published[start:end] = published.to_numpy()
            columns.matchable[start:end] = table["matchable"].to_numpy()
            for band in range(bands):
                columns.keys[start:end, band] = table[band_column(band)].fill_null(0).to_numpy()
            sketch = table["sketch"].combine_chunks()
            raw = np.frombuffer(sketch.buffers()[1], np.uint8)
            offset = sketch.offset * num_perm
            columns.sketches[start:end] = raw[offset : offset + table.num_rows * num_perm].reshape(
                table.num_rows, num_perm
            )
            start = end
    columns.doc_ids = pa.concat_arrays(doc_ids) if doc_ids else columns.doc_ids
    return columns
