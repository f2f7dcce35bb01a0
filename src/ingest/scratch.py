"""Scratch Parquet files under a run's staging folder, where documents, line counts and
fingerprints wait between stages.

They are written in chunks of bounded size, so the process that orchestrates the run holds
only small per-batch results (rejects, scratch paths), and nothing of the texts travels
through a worker pool: a 1 GB JSONL costs a chunk's worth of memory, not a gigabyte's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.documents import Article
from ingest.rows import SCRATCH_SCHEMA, article_from_row, row

SCRATCH_ROWS = 500  # documents per scratch row group: bounds memory within a batch too
SCRATCH_CHARS = 8_000_000  # ... and characters, for feeds of long documents
TABLE_ROWS = 100_000  # rows of small tables (line counts, fingerprints) per row group


@dataclass
class ScratchArticle:
    """An article as a scratch file keeps it; `n_words` and `content_hash` are None before
    stage 2 counted and hashed it."""

    article: Article
    n_words: int | None = None
    content_hash: str | None = None


def chunk_full(rows: int, chars: int) -> bool:
    """Whether a chunk of documents in memory should go to disk now."""
    return rows >= SCRATCH_ROWS or chars >= SCRATCH_CHARS


class TableWriter:
    """Appends tables to one scratch Parquet file, gathering small ones into row groups of
    about `group_rows` rows; creates the file on first write."""

    def __init__(
        self, folder: Path, prefix: str, schema: pa.Schema, group_rows: int = TABLE_ROWS
    ) -> None:
        self.path = folder / f"{prefix}-{uuid.uuid4().hex}.parquet"
        self.schema = schema
        self.group_rows = group_rows
        self._writer: pq.ParquetWriter | None = None
        self._pending: list[pa.Table] = []
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        self._pending.append(table)
        self._rows += table.num_rows
        if self._rows >= self.group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            if self._writer is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._writer = pq.ParquetWriter(self.path, self.schema, compression="lz4")
            self._writer.write_table(pa.concat_tables(self._pending))
        self._pending, self._rows = [], 0

    def close(self) -> Path | None:
        self._flush()
        if self._writer is None:
            return None
        self._writer.close()
        self._writer = None
        return self.path

    def delete(self) -> None:
        self._pending, self._rows = [], 0
        self.close()
        self.path.unlink(missing_ok=True)


class ScratchWriter:
    """Writes articles to one scratch file in row groups of a bounded size."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self._file = TableWriter(folder, prefix, SCRATCH_SCHEMA, group_rows=1)
        self.count = 0
        self._pending: list[ScratchArticle] = []
        self._chars = 0

    def add(
        self, article: Article, n_words: int | None = None, content_hash: str | None = None
    ) -> None:
        self._pending.append(ScratchArticle(article, n_words, content_hash))
        self.count += 1
        self._chars += len(article.text)
        if chunk_full(len(self._pending), self._chars):
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            rows = [row(SCRATCH_SCHEMA, a.article, a) for a in self._pending]
            self._file.write(pa.Table.from_pylist(rows, schema=SCRATCH_SCHEMA))
        self._pending, self._chars = [], 0

    def close(self) -> Path | None:
        self._flush()
        return self._file.close()

    def delete(self) -> None:
        self._pending, self._chars = [], 0
        self._file.delete()


def read_scratch(path: Path | None) -> Iterator[ScratchArticle]:
    """The articles of a scratch file, one row group at a time."""
    if path is None:
        return
    handle = pq.ParquetFile(path)
    for group in range(handle.num_row_groups):
        for values in handle.read_row_group(group).to_pylist():
            article = article_from_row(values)
            yield ScratchArticle(article, values["n_words"], values["content_hash"])
