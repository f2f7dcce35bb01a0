"""The persistent dedup index: one Parquet file per committed run under `_state/dedup/`.

One row per document the run saw (canonical or duplicate), wide on purpose:

    doc_id, canonical_id (null when the row is itself canonical), content_hash (first 64 bits),
    ingested_at, band_00 .. band_NN (uint32, null for texts too short to near-match),
    sketch (fixed 128 bytes: the b-bit MinHash)

About 270 bytes a document on disk (random keys do not compress), against 11.7 KB for
datasketch's in-memory LSH. Band keys sit in one column per band because DuckDB probes a
plain uint32 column several times faster than it unnests a list. Matching is two DuckDB
passes over the files: (1) per band, join the new documents' keys against that column
(the hash table is built on the small new side, so memory follows the batch, not the index)
and keep (file, row) of every hit; (2) fetch doc_id, canonical_id, hash and sketch for those
rows only. Old rows are never rewritten; `compact_index` rewrites the files to a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.dedup.minhash import MINHASH_SEED, SKETCH_BITS
from ingest.dedup.shingles import SHINGLE_SIZE
from ingest.documents import SCHEMA_VERSION, UTC_TIMESTAMP

PARAMS_KEY = b"newsclean.dedup_params"
INDEX_PARQUET_OPTIONS: dict[str, object] = {
    "compression": "zstd",
    "use_dictionary": ["canonical_id"],
}
"""pyarrow.parquet write options for index files. Keys, hashes and sketches are random:
dictionary encoding only bloats them (about 305 instead of 250 bytes a document) and slows
the scans, so only canonical_id (repeated within a cluster) keeps it."""


def band_column(band: int) -> str:
    return f"band_{band:02d}"


def params_tag(num_perm: int, bands: int, rows: int) -> str:
    """Fingerprint settings stamped into each index file: keys from other settings never match."""
    return (
        f"shingle={SHINGLE_SIZE};perm={num_perm};bands={bands};rows={rows};"
        f"seed={MINHASH_SEED};sketch_bits={SKETCH_BITS}"
    )


def index_schema(num_perm: int, bands: int, rows: int) -> pa.Schema:
    fields = [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("canonical_id", pa.string()),
        pa.field("content_hash", pa.uint64(), nullable=False),
        pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
        *(pa.field(band_column(band), pa.uint32()) for band in range(bands)),
        pa.field("sketch", pa.binary(num_perm)),
    ]
    return pa.schema(fields).with_metadata(
        {
            b"newsclean.table": b"dedup_index",
            b"newsclean.schema_version": SCHEMA_VERSION.encode(),
            PARAMS_KEY: params_tag(num_perm, bands, rows).encode(),
        }
    )


def hash64(content_hash: str) -> int:
    """The first 64 bits of a hex content hash (collisions at 10M documents: ~3e-6)."""
    return int(content_hash[:16], 16)


def build_index_rows(
    doc_ids: Sequence[str],
    canonical_ids: Sequence[str | None],
    hashes: np.ndarray,
    band_keys: np.ndarray,
    matchable: np.ndarray,
    sketches: np.ndarray,
    ingested_at: datetime,
    schema: pa.Schema,
) -> pa.Table:
    """Index rows from row-aligned arrays: uint64 hashes, (docs x bands) uint64 band keys,
    a bool mask of texts long enough to near-match, (docs x permutations) uint8 sketches."""
    bands = band_keys.shape[1]
    unmatchable = ~matchable
    low = (band_keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    sketch_type = schema.field("sketch").type
    sketch = pa.Array.from_buffers(
        sketch_type, len(doc_ids), [None, pa.py_buffer(np.ascontiguousarray(sketches).tobytes())]
    )
    if unmatchable.any():
        sketch = pc.if_else(pa.array(matchable), sketch, pa.scalar(None, sketch_type))
    columns: dict[str, pa.Array] = {
        "doc_id": pa.array(doc_ids, pa.string()),
        "canonical_id": pa.array(canonical_ids, pa.string()),
        "content_hash": pa.array(hashes, pa.uint64()),
        "ingested_at": pa.array([ingested_at] * len(doc_ids), UTC_TIMESTAMP),
    }
    for band in range(bands):
        columns[band_column(band)] = pa.array(low[:, band], pa.uint32(), mask=unmatchable)
    columns["sketch"] = sketch
    return pa.table(columns, schema=schema)


@dataclass(frozen=True, slots=True)
class IndexHit:
    """An index row that a new document's content hash or band key met."""

    item: int  # position of the new document in the batch
    doc_id: str
    canonical_id: str
    content_hash: int
    sketch: bytes | None


class IndexReader:
    """DuckDB over the committed index files and a run's fingerprint files, both read from disk.

    Joins that outgrow `memory_limit` spill to `spill_dir` (the run's scratch folder).
    """

    def __init__(
        self,
        files: Sequence[Path],
        *,
        memory_limit: str = "1GB",
        spill_dir: Path | None = None,
    ) -> None:
        self.files = [str(path) for path in files]
        self._memory_limit = memory_limit
        self._spill_dir = spill_dir
        self._connection: duckdb.DuckDBPyConnection | None = None

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self._connection = _connect(self._memory_limit, self._spill_dir)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> IndexReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_params(self, expected: str) -> None:
        for path in self.files:
            found = pq.read_schema(path).metadata or {}
            tag = found.get(PARAMS_KEY, b"").decode()
            if tag != expected:
                raise ValueError(
                    f"dedup index file {path} was built with '{tag}', not '{expected}': "
                    "rebuild the index or run with the settings it was built with"
                )

    def indexed_ids(self, fingerprint_files: Sequence[Path]) -> set[str]:
        """The doc_ids of the fingerprint files that any index file already holds."""
        if not self.files or not fingerprint_files:
            return set()
        rows = self._con.execute(
            "SELECT DISTINCT f.doc_id FROM read_parquet($new) f SEMI JOIN read_parquet($files) i "
            "ON f.doc_id = i.doc_id",
            {"new": [str(p) for p in fingerprint_files], "files": self.files},
        ).fetchall()
        return {row[0] for row in rows}

    def hits(
        self,
        fingerprint_files: Sequence[Path],
        bands: int,
        *,
        near: bool,
        since: datetime | None,
    ) -> list[IndexHit]:
        """Index rows younger than `since` sharing the content hash or (with `near`) any band
        key of a document of the fingerprint files; `item` numbers the documents across the
        files in order. Band keys are null for texts too short to near-match."""
        if not self.files or not fingerprint_files:
            return []
        paths = [str(p) for p in fingerprint_files]
        starts = np.cumsum([0] + [pq.ParquetFile(p).metadata.num_rows for p in paths[:-1]])
        self._con.register(
            "new_files", pa.table({"filename": paths, "first": pa.array(starts, pa.int64())})
        )
        new_items = (
            "(SELECT n.first + f.file_row_number AS item, f.* FROM "
            "read_parquet($new, filename = true, file_row_number = true) f "
            "JOIN new_files n ON f.filename = n.filename)"
        )
        young = "i.ingested_at >= $since" if since is not None else "true"
        source = "read_parquet($files, filename = true, file_row_number = true)"
        columns = ["content_hash", *(band_column(b) for b in range(bands) if near)]
        probes = [
            f"SELECT n.item, i.filename, i.file_row_number FROM new_items n JOIN {source} i "
            f"ON n.{column} = i.{column} WHERE {young}"
            for column in columns
        ]
        query = f"""
            WITH new_items AS {new_items},
                 hit AS (SELECT DISTINCT * FROM ({" UNION ALL ".join(probes)}))
            SELECT hit.item, i.doc_id, coalesce(i.canonical_id, i.doc_id), i.content_hash,
                   i.sketch
            FROM hit JOIN {source} i
              ON hit.filename = i.filename AND hit.file_row_number = i.file_row_number
        """
        params: dict[str, object] = {"files": self.files, "new": paths}
        if since is not None:
            params["since"] = since
        rows = self._con.execute(query, params).fetchall()
        self._con.unregister("new_files")
        return [IndexHit(*row) for row in rows]


def _connect(memory_limit: str, spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    config = {"memory_limit": memory_limit}
    if spill_dir is not None:
        config["temp_directory"] = str(spill_dir)
    con = duckdb.connect(config=config)
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def compact_index(index_files: Sequence[Path], destination: Path, *, since: datetime | None) -> int:
    """Write the rows of `index_files` ingested at or after `since` to one file; return its rows.

    The caller swaps the result in for the old files atomically (the store owns `_state/`).
    Rows keep their canonical_id even when their canonical falls out of the window, so a
    later copy still points at the article that was kept.
    """
    files = [str(path) for path in index_files]
    schema = pq.read_schema(files[0])
    young = "ingested_at >= $since" if since is not None else "true"
    con = _connect("1GB")
    params: dict[str, object] = {"files": files}
    if since is not None:
        params["since"] = since
    reader = con.sql(f"SELECT * FROM read_parquet($files) WHERE {young}", params=params)
    written = 0
    with pq.ParquetWriter(destination, schema, **INDEX_PARQUET_OPTIONS) as writer:
        for batch in reader.to_arrow_reader():
            writer.write_batch(batch.cast(schema))
            written += batch.num_rows
    con.close()
    return written
