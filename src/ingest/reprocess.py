"""`ingest run --reprocess`: re-clean the inputs still present and replace their earlier rows.

A reprocess is a run that reads every input found in RAW (the incremental state is
ignored) and, at commit, replaces rather than appends: the rows of `articles`,
`duplicates` and `rejects` whose source is one of those inputs leave, the run's new rows
come in with the same doc_ids, and rows of inputs gone from RAW stay. Dedup is decided
again: the run matches against an index that holds only the documents it keeps, so a
re-read page is never its own duplicate. Site-line statistics are rebuilt from the inputs
present, as a fresh run would build them.

Each table gets a new folder (the kept rows compacted, plus the run's files) that is
swapped for the live one under one swap journal (`ingest.swap`): a kill -9 before the
journal leaves the dataset as it was, after it the next writer finishes the swap.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest import store, swap
from ingest.compact import file_schema, fsync_tree, partitions, rewrite_files
from ingest.documents import RECORD_TABLES, Reject
from ingest.sources import InputFile

_DEDUP = f"{store.STATE}/{store.DEDUP_STATE}"
_RECORD_SUFFIX = r"#[0-9]+$"


class Replacement:
    """What a reprocess run replaces, staged under its staging folder until commit."""

    def __init__(
        self, staged: store.StagedRun, files: Iterable[InputFile], rejects: Iterable[Reject]
    ) -> None:
        self.staged = staged
        self.out_dir = staged.out_dir
        self.root = staged.root / "replace"
        present = {f.relpath for f in files} | {r.source for r in rejects}
        self._present = pa.array(sorted(present), pa.string())
        self._index_replaced = False

    def keeps(self, batch: pa.RecordBatch | pa.Table) -> pa.Array:
        """Rows to keep: those whose input file (source less its `#n`) is not re-read."""
        source = batch.column("source")
        whole_file = pc.replace_substring_regex(source, _RECORD_SUFFIX, "")
        reread = pc.or_(pc.is_in(source, self._present), pc.is_in(whole_file, self._present))
        return pc.invert(pc.fill_null(reread, False))

    def index_files(self) -> list[Path]:
        """The dedup index less the documents about to be re-read, for this run to match
        against; it becomes the committed index, with this run's own part beside it."""
        files = store.state_files(self.out_dir, store.DEDUP_STATE)
        if not files:
            return []
        self._index_replaced = True
        kept: list[pa.Array] = []
        for table in ("articles", "duplicates"):
            for path in store.table_files(self.out_dir, table):
                rows = pq.ParquetFile(path).read(columns=["doc_id", "source"])
                kept.append(rows.filter(self.keeps(rows)).column("doc_id").combine_chunks())
        kept_ids = pa.concat_arrays(kept) if kept else pa.array([], pa.string())
        return rewrite_files(
            files,
            self.root / _DEDUP,
            f"{store.COMPACTED}-{self.staged.run_id}",
            pq.read_schema(files[0]),
            lambda batch: pc.is_in(batch.column("doc_id"), kept_ids),
        )

    def commit(self) -> None:
        """Build each replaced folder (kept rows + the run's files) and swap them all in;
        the other staged files (inputs, site lines) follow, the runs row last.

        The run's own files take `compacted-` names in the new folders, so each swapped
        folder reads whole at once, even before the runs row lands."""
        stem = f"{store.COMPACTED}-{self.staged.run_id}"
        for table in RECORD_TABLES:
            for part, files in partitions(self.out_dir, table).items():
                rewrite_files(files, self.root / table / part, stem, file_schema(table), self.keeps)
        replaced = {*RECORD_TABLES, *([_DEDUP] if self._index_replaced else [])}
        moves: list[tuple[Path, Path]] = []
        for path in self.staged.staged_files():
            rel = path.relative_to(self.staged.root)
            folder = _DEDUP if rel.as_posix().startswith(_DEDUP + "/") else rel.parts[0]
            if folder not in replaced:
                moves.append((path, self.out_dir / rel))
                continue
            target = self.root / rel.parent
            target.mkdir(parents=True, exist_ok=True)
            os.rename(path, target / f"{stem}-{len(list(target.glob(stem + '-*')))}.parquet")
        folders = []
        for name in sorted(replaced):
            staged, live = self.root / name, self.out_dir / name
            if staged.exists() or live.exists():
                staged.mkdir(parents=True, exist_ok=True)
                fsync_tree(staged)
                folders.append((staged, live))
        for path, _ in moves:
            fsync_tree(path)
        swap.swap_in(self.out_dir, self.staged.run_id, folders, moves)
        shutil.rmtree(self.staged.root, ignore_errors=True)
