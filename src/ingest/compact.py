"""`ingest compact`: months of small runs rewritten into few large files, same rows.

In each folder with more than one file (an articles language partition, duplicates,
rejects, runs) the files under 50,000 rows are merged into one `compacted-<id>-<n>.parquet`
per 100,000 rows, in row groups of 10,000 rows (or 64 MB), zstd, rows in their run order;
larger files (earlier compactions' full ones) are kept as they are. A table's new folder
is built complete under `_staging/<id>/` (files kept are hard-linked, not rewritten) and
swapped for the live one in one atomic exchange (`ingest.swap`), so readers see the old
files or the new ones, never both. `_state/` is bounded the same way: the dedup index parts
become one file, the inputs seen keep one row per path, and site-line statistics that the
next run would drop anyway (lines seen on a single page too many runs ago) are dropped now.

Compaction is also how a dataset is upgraded: a file written under an older schema (say,
`removed` without its `rule` field) is rewritten under today's whatever its size, because
pyarrow and pandas silently read a folder of mixed schemas with the first file's fields and
polars refuses it.

Everything runs under the output lock after recovery, like a run; rows are streamed batch
by batch, so memory follows the row group, not the table.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest import store, swap
from ingest.documents import TABLE_SCHEMAS

ROW_GROUP_BYTES = 64 << 20
FULL_FILE_ROWS = store.MAX_ROWS_PER_FILE // 2
SCAN_MEMORY = "512MB"
GATHER_BATCHES = 256
SCAN_FILES = 2000

RowFilter = Callable[[pa.RecordBatch], pa.Array]
"""A batch -> boolean mask of the rows to keep."""


@dataclass(frozen=True)
class FolderCompaction:
    """What compaction did to one table or state folder."""

    name: str
    files_before: int
    files_after: int
    bytes_before: int
    bytes_after: int
    rows_before: int
    rows_after: int


@dataclass
class CompactionSummary:
    compaction_id: str
    folders: list[FolderCompaction] = field(default_factory=list)
    rolled_back: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def freed_bytes(self) -> int:
        return sum(f.bytes_before - f.bytes_after for f in self.folders)

    @property
    def freed_files(self) -> int:
        return sum(f.files_before - f.files_after for f in self.folders)


def file_schema(table: str) -> pa.Schema:
    """The schema of one file of `table` (articles files leave language to their folder)."""
    return store.ARTICLE_FILE_SCHEMA if table == "articles" else TABLE_SCHEMAS[table]


def _duckdb() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"memory_limit": SCAN_MEMORY, "threads": 2})
    con.execute("SET enable_progress_bar = false")
    return con


def scan_batches(files: Iterable[Path]) -> Iterator[pa.RecordBatch]:
    """The rows of `files` in file order, in batches of up to ROW_GROUP_ROWS rows.

    DuckDB reads many small Parquet files several times faster than pyarrow opens them one
    by one (about 1.3 against 2-4 ms a file on the benchmark's 60,000 one-run files), keeps
    their order, and its Arrow output casts back to our schemas exactly. Columns and struct
    fields are matched by name, so files of an older schema (no `rule` in `removed`) mixed
    with newer ones keep the newer files' fields."""
    paths = [str(p) for p in files]
    for start in range(0, len(paths), SCAN_FILES):  # one query per chunk bounds its memory
        with _duckdb() as con:
            query = con.sql(
                "SELECT * FROM read_parquet($files, hive_partitioning = false, union_by_name = true)",
                params={"files": paths[start : start + SCAN_FILES]},
            )
            yield from query.to_arrow_reader(store.ROW_GROUP_ROWS)


def rewrite_files(
    files: Iterable[Path],
    folder: Path,
    stem: str,
    schema: pa.Schema,
    keep: RowFilter | None = None,
) -> list[Path]:
    """Stream the rows of `files` (in order, those `keep` accepts) into `stem-<n>.parquet`
    files under `folder`; return the files written (none when no row is kept).

    Read through `scan_batches` (DuckDB), cast back to `schema`."""
    writer = store.RotatingWriter(folder, stem, schema)
    held: list[pa.Table] = []  # rows of the row group being gathered, in compact buffers
    batches: list[pa.RecordBatch] = []
    rows = size = 0

    def gather() -> None:
        """Copy the batches read so far into one table: DuckDB hands over a batch per small
        file whose buffers are far larger than its rows, and holding thousands of them took
        gigabytes."""
        if batches:
            held.append(pa.Table.from_batches(batches).combine_chunks())
            batches.clear()

    def flush() -> None:
        gather()
        table = pa.concat_tables(held).combine_chunks()
        if not table.schema.equals(schema, check_metadata=True):
            table = conform(table, schema)
        writer.write(table)
        held.clear()

    for batch in scan_batches(files):
        if keep is not None:
            batch = batch.filter(keep(batch))
        if batch.num_rows == 0:
            continue
        batches.append(batch)
        rows, size = rows + batch.num_rows, size + batch.nbytes
        if len(batches) >= GATHER_BATCHES:
            gather()
        if rows >= store.ROW_GROUP_ROWS or size >= ROW_GROUP_BYTES:
            flush()
            rows = size = 0
    if batches or held:
        flush()
    writer.close()
    return writer.files


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` under `schema`: columns matched by name, a column older files lack comes as
    nulls, and struct fields they lack (cast fills them) come as nulls too."""
    columns = [
        table.column(f.name) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, names=schema.names).cast(schema)


@dataclass(frozen=True)
class Footer:
    """What compaction reads of a file: its rows and its schema (the file is closed again, so
    a folder of thousands of files never holds thousands of descriptors)."""

    rows: int
    schema: pa.Schema

    @classmethod
    def read(cls, path: Path) -> Footer:
        with pq.ParquetFile(path) as file:
            return cls(file.metadata.num_rows, file.schema_arrow)


def is_outdated(footer: Footer, schema: pa.Schema) -> bool:
    """Whether a file was written under another schema than `schema` (fields, types and
    order; the metadata stamp aside)."""
    return not footer.schema.remove_metadata().equals(schema.remove_metadata())


def outdated_files(out_dir: Path) -> list[Path]:
    """The table files written under an older schema, which `compact` upgrades."""
    return [
        path
        for table in TABLE_SCHEMAS
        for path in store.table_files(out_dir, table)
        if is_outdated(Footer.read(path), file_schema(table))
    ]


def partitions(out_dir: Path, table: str) -> dict[str, list[Path]]:
    """The committed files of a table by folder relative to the table ('.' or 'language=xx')."""
    folder = out_dir / table
    groups: dict[str, list[Path]] = {}
    for path in store.table_files(out_dir, table):
        groups.setdefault(path.parent.relative_to(folder).as_posix(), []).append(path)
    return groups


def compact(out_dir: Path, *, lock_timeout_s: float = 0.0) -> CompactionSummary:
    """Compact every table and the state of `out_dir`; see the module docstring."""
    started = time.perf_counter()
    with store.output_lock(out_dir, lock_timeout_s):
        rolled_back = store.recover(out_dir)
        compaction_id = store.new_run_id()
        summary = CompactionSummary(compaction_id, rolled_back=rolled_back)
        root = out_dir / store.STAGING / compaction_id
        root.mkdir(parents=True)
        try:
            staged: list[tuple[Path, Path]] = []
            for table in TABLE_SCHEMAS:
                done = _stage_table(out_dir, root, table, compaction_id)
                if done is not None:
                    staged.append((root / table, out_dir / table))
                    summary.folders.append(done)
            for name, stage in _STATE_STAGERS.items():
                live = out_dir / store.STATE / name
                done = stage(out_dir, root / store.STATE / name, compaction_id)
                if done is not None:
                    staged.append((root / store.STATE / name, live))
                    summary.folders.append(done)
            for folder, _ in staged:
                fsync_tree(folder)
            if staged:
                swap.swap_in(out_dir, compaction_id, staged)
        except OSError as exc:
            raise store.StoreError(f"could not compact {out_dir}: {exc.strerror or exc}") from exc
        finally:
            if not (out_dir / store.STATE / swap.SWAPS / f"{compaction_id}.json").exists():
                shutil.rmtree(root, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _stage_table(
    out_dir: Path, root: Path, table: str, compaction_id: str
) -> FolderCompaction | None:
    groups = partitions(out_dir, table)
    schema = file_schema(table)
    rewriting = {rel: _to_rewrite(files, schema) for rel, files in groups.items()}
    if not any(rewriting.values()):
        return None
    staged = root / table
    after: list[Path] = []
    for rel, files in sorted(groups.items()):
        folder = staged / rel
        folder.mkdir(parents=True, exist_ok=True)
        rewrite = rewriting[rel]
        for path in files:
            if path not in rewrite:
                os.link(path, folder / path.name)
                after.append(folder / path.name)
        if rewrite:
            after += rewrite_files(rewrite, folder, f"{store.COMPACTED}-{compaction_id}", schema)
    return _report(table, [p for files in groups.values() for p in files], after)


def _to_rewrite(files: Sequence[Path], schema: pa.Schema) -> list[Path]:
    """The files of one folder to rewrite, in their order: the small ones when there are two
    or more to merge (a file of FULL_FILE_ROWS rows or more stays as it is, so a table that
    grows for years is not rewritten whole by every compaction), and every file of an older
    schema. Each file's footer is read once."""
    footers = {p: Footer.read(p) for p in files}
    small = {p for p, footer in footers.items() if footer.rows < FULL_FILE_ROWS}
    if len(small) <= 1:
        small.clear()
    return [p for p in files if p in small or is_outdated(footers[p], schema)]


def _stage_dedup(out_dir: Path, staged: Path, compaction_id: str) -> FolderCompaction | None:
    from ingest.dedup import compact_index

    files = store.state_files(out_dir, store.DEDUP_STATE)
    if len(files) <= 1:
        return None
    staged.mkdir(parents=True)
    target = staged / f"{store.COMPACTED}-{compaction_id}.parquet"
    compact_index(files, target, since=None)
    return _report(f"{store.STATE}/{store.DEDUP_STATE}", files, [target])


def _stage_inputs(out_dir: Path, staged: Path, compaction_id: str) -> FolderCompaction | None:
    """One row per input path: the newest, which is the one a run trusts."""
    files = store.state_files(out_dir, store.INPUTS_STATE)
    if len(files) <= 1:
        return None
    parts, batches = [], []
    for batch in scan_batches(files):  # gathered as in rewrite_files, for the same reason
        batches.append(batch)
        if len(batches) >= GATHER_BATCHES:
            parts.append(pa.Table.from_batches(batches).combine_chunks())
            batches.clear()
    parts += [pa.Table.from_batches(batches).combine_chunks()] if batches else []
    table = pa.concat_tables(parts).cast(pq.read_schema(files[0]))
    table = table.append_column("_order", pa.array(range(table.num_rows), pa.int64()))
    newest = table.group_by("path", use_threads=False).aggregate([("_order", "max")])
    table = table.take(newest["_order_max"]).sort_by("_order").drop_columns(["_order"])
    staged.mkdir(parents=True)
    target = staged / f"{store.COMPACTED}-{compaction_id}.parquet"
    pq.write_table(table, target, compression="zstd", row_group_size=store.ROW_GROUP_ROWS)
    return _report(f"{store.STATE}/{store.INPUTS_STATE}", files, [target])


def _stage_site_lines(out_dir: Path, staged: Path, compaction_id: str) -> FolderCompaction | None:
    """The newest merged statistics, less the lines seen on one page the next merge drops."""
    from ingest.boilerplate.site_lines import KEEP_SINGLE_LINES_RUNS, is_state_file

    files = store.state_files(out_dir, store.SITE_LINES_STATE)
    if not files or not all(is_state_file(p) for p in files):
        return None  # per-run counts of an older version are folded in by the next run
    next_run = len(store.committed_run_ids(out_dir)) + 1
    oldest_kept = next_run - KEEP_SINGLE_LINES_RUNS

    def matters(batch: pa.RecordBatch | pa.Table) -> pa.Array:
        return pc.or_(
            pc.greater(batch.column("n_docs"), 1), pc.greater(batch.column("last_run"), oldest_kept)
        )

    newest = files[-1]
    counts = pq.ParquetFile(newest).read(columns=["n_docs", "last_run"])
    if len(files) == 1 and pc.all(matters(counts)).as_py() is not False:
        return None
    staged.mkdir(parents=True)
    schema = pq.read_schema(newest)
    after = rewrite_files([newest], staged, f"{store.COMPACTED}-{compaction_id}", schema, matters)
    return _report(f"{store.STATE}/{store.SITE_LINES_STATE}", files, after)


_STATE_STAGERS = {
    store.DEDUP_STATE: _stage_dedup,
    store.INPUTS_STATE: _stage_inputs,
    store.SITE_LINES_STATE: _stage_site_lines,
}


def _rows(files: Sequence[Path]) -> int:
    if not files:
        return 0
    with _duckdb() as con:
        query = "SELECT count(*) FROM read_parquet($files, hive_partitioning = false, union_by_name = true)"
        return con.execute(query, {"files": [str(p) for p in files]}).fetchone()[0]


def _report(name: str, before: Sequence[Path], after: Sequence[Path]) -> FolderCompaction:
    return FolderCompaction(
        name,
        len(before),
        len(after),
        sum(p.stat().st_size for p in before),
        sum(p.stat().st_size for p in after),
        _rows(before),
        _rows(after),
    )


def fsync_tree(root: Path) -> None:
    """Flush a staged file, or a folder and everything in it, to disk before a swap."""
    for path in [root, *root.rglob("*")] if root.is_dir() else [root]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def folder_file_counts(out_dir: Path) -> dict[str, int]:
    """Parquet files per table partition and state folder: what compaction would reduce."""
    counts: dict[str, int] = {}
    for table in TABLE_SCHEMAS:
        for rel, files in partitions(out_dir, table).items():
            counts[f"{table}/{rel}".removesuffix("/.")] = len(files)
    for name in _STATE_STAGERS:
        counts[f"{store.STATE}/{name}"] = len(store.state_files(out_dir, name))
    return counts


def needs_compaction(out_dir: Path, max_files: int) -> bool:
    """True when some folder holds more than `max_files` files, or some file was written
    under an older schema (0 or less: never)."""
    if max_files <= 0:
        return False
    return max(folder_file_counts(out_dir).values(), default=0) > max_files or bool(
        outdated_files(out_dir)
    )
