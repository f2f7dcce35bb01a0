"""The Parquet dataset under the output folder: locking, staged writes, atomic commits, state.

Layout::

    OUT/articles/language=xx/part-<run_id>-<n>.parquet   (hive partition by language)
    OUT/duplicates/part-<run_id>.parquet
    OUT/rejects/part-<run_id>.parquet
    OUT/runs/part-<run_id>.parquet      one row per run, moved in LAST: the commit point
    OUT/_state/<name>/part-<run_id>.parquet   inputs seen, dedup index, site line counts
    OUT/_state/journal/<run_id>.json    the files a commit is moving in (rollback list)
    OUT/<table>/.../compacted-<id>-<n>.parquet   rows of many committed runs (ingest compact)
    OUT/_staging/<run_id>/...           a run's files before commit

A run writes everything under _staging, writes a journal listing the final paths, renames
each file into place (each rename is atomic, so no reader ever sees a half-written file) and
renames its runs row last. A run is committed exactly when its runs row exists. A run killed
before that point is rolled back by the next writer (the journal says what to delete), so
the dataset equals what it was before that run, and the inputs it did not record as done are
read again. State readers consider only committed runs.

Compaction and reprocessing rewrite whole folders and swap them in (see `ingest.swap`);
their `compacted-*` files hold rows of committed runs only, so they always count as
committed, and a compacted runs file lists its runs in its run_id column.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from ingest import swap
from ingest.documents import ARTICLES_SCHEMA, TABLE_SCHEMAS

STATE = "_state"
STAGING = "_staging"
# The state folders under STATE, one per kind of state a run keeps for the next.
INPUTS_STATE = "inputs"  # the input files read (ingest.documents.InputState)
DEDUP_STATE = "dedup"  # the dedup index
SITE_LINES_STATE = "site_lines"  # per-site line counts
JOURNAL = "journal"
LOCK_FILE = "lock"
MAX_ROWS_PER_FILE = 100_000
ROW_GROUP_ROWS = 10_000
_LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}$")
_RUN_FILE = re.compile(r"^part-(?P<run_id>[0-9TZ]+-[0-9a-f]+)(?:-\d+)?\.parquet$")
_COMPACTED_FILE = re.compile(r"^compacted-[0-9TZ]+-[0-9a-f]+(?:-\d+)?\.parquet$")
COMPACTED = "compacted"


ARTICLE_FILE_SCHEMA = pa.schema(
    [f for f in ARTICLES_SCHEMA if f.name != "language"], metadata=ARTICLES_SCHEMA.metadata
)
"""An articles file: its language is the name of its partition folder."""


class StoreError(Exception):
    """The output folder cannot be used (unwritable, disk full, locked): one clear line for users."""


class RunLocked(StoreError):
    pass


class SchemaMismatch(StoreError):
    pass


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: UTC time to the millisecond plus random hex.

    Milliseconds, not seconds: two runs in one second (an unchanged folder takes ~40 ms) would
    otherwise sort by their random part, and "the last run" would be a coin toss."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%S')}{now.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def run_id_of(path: Path) -> str | None:
    match = _RUN_FILE.match(path.name)
    return match.group("run_id") if match else None


def is_compacted(path: Path) -> bool:
    """A file written by compaction or reprocessing: committed rows of many runs."""
    return _COMPACTED_FILE.match(path.name) is not None


def ensure_writable(out_dir: Path) -> None:
    """Create the output folder skeleton or fail with one clear line."""
    try:
        (out_dir / STATE / JOURNAL).mkdir(parents=True, exist_ok=True)
        probe = out_dir / STATE / f".probe-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"output folder {out_dir} is not writable: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def output_lock(out_dir: Path, timeout_s: float = 0.0) -> Iterator[None]:
    """Exclusive lock on the output folder for one writer.

    An advisory flock is released by the kernel when its process dies, so the lock of a
    killed run is never stale: the next run simply gets it (worker processes forked during
    the run do not inherit it, see _forget_locks_in_child). The file records who holds it,
    for the message the second writer prints.
    """
    ensure_writable(out_dir)
    path = out_dir / STATE / LOCK_FILE
    try:
        handle = path.open("a+")
    except OSError as exc:
        raise StoreError(f"cannot open the lock file {path}: {exc.strerror or exc}") from exc
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                _HELD_LOCK_FDS.add(handle.fileno())
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
                    raise RunLocked(
                        f"another run is writing to {out_dir} ({holder}); "
                        "wait for it or pass --lock-timeout SECONDS to wait"
                    ) from None
                time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))
        with contextlib.suppress(
            OSError
        ):  # who holds it is a courtesy; a full disk is not fatal here
            handle.seek(0)
            handle.truncate()
            handle.write(
                f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"
            )
            handle.flush()
        yield
    finally:
        _HELD_LOCK_FDS.discard(handle.fileno())
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
        with contextlib.suppress(OSError):
            handle.close()  # closing releases the flock


_HELD_LOCK_FDS: set[int] = set()


def _forget_locks_in_child() -> None:
    """A forked child (a pool worker) must not keep its parent's output lock alive.

    A flock belongs to the open file, which fork shares: a worker orphaned by a killed run
    would hold the lock for ever and refuse every later run. The child's copy of the
    descriptor is pointed at /dev/null rather than closed, so the child's file object can
    never close a reused descriptor number later.
    """
    if not _HELD_LOCK_FDS:
        return
    devnull = os.open(os.devnull, os.O_RDONLY)
    try:
        for fd in _HELD_LOCK_FDS:
            os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    _HELD_LOCK_FDS.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def committed_run_ids(out_dir: Path) -> list[str]:
    runs = out_dir / "runs"
    if not runs.is_dir():
        return []
    ids = {rid for p in runs.glob("part-*.parquet") if (rid := run_id_of(p))}
    for path in runs.glob(f"{COMPACTED}-*.parquet"):
        ids.update(pq.ParquetFile(path).read(columns=["run_id"]).column(0).to_pylist())
    return sorted(ids)


def _is_committed(path: Path, committed: set[str]) -> bool:
    return run_id_of(path) in committed or is_compacted(path)


def state_files(out_dir: Path, name: str) -> list[Path]:
    """The state files of committed runs only, oldest first (a compacted file holds older
    rows than every part file beside it: a compaction replaces the whole folder)."""
    committed = set(committed_run_ids(out_dir))
    folder = out_dir / STATE / name
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.parquet") if _is_committed(p, committed))


def read_state(out_dir: Path, name: str, columns: list[str] | None = None) -> list[pa.Table]:
    """State tables of committed runs. ParquetFile, not pq.read_table: the latter goes through
    pyarrow.dataset, whose import (pandas with it) costs most of a second on a run with
    nothing new."""
    return [pq.ParquetFile(p).read(columns=columns) for p in state_files(out_dir, name)]


def drop_other_state(out_dir: Path, name: str, run_id: str) -> None:
    """Delete the committed state files of `name` but run `run_id`'s, once that run's file
    (which holds everything they did) is committed; under the output lock every other file
    is older. Killed half way, the leftovers are harmless: readers take the newest file."""
    files = state_files(out_dir, name)
    if not any(run_id_of(p) == run_id for p in files):
        return
    for path in files:
        if run_id_of(path) != run_id:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def recover(out_dir: Path) -> list[str]:
    """Roll back runs that were killed before their commit point; returns their run ids.

    Must run under the output lock, before a new run starts. A compaction or reprocess
    that reached its swap journal is rolled forward first (see `ingest.swap`).
    """
    finished = set(swap.finish_swaps(out_dir))
    rolled_back = []
    committed = set(committed_run_ids(out_dir))
    journal_dir = out_dir / STATE / JOURNAL
    for journal in sorted(journal_dir.glob("*.json")) if journal_dir.is_dir() else []:
        run_id = journal.stem
        if run_id not in committed:
            try:
                entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
            except (OSError, ValueError, KeyError):
                entries = []
            for rel in entries:
                with contextlib.suppress(FileNotFoundError):
                    (out_dir / rel).unlink()
            rolled_back.append(run_id)
        journal.unlink()
    staging = out_dir / STAGING
    if staging.is_dir():
        for leftover in staging.iterdir():
            done = committed | finished
            if leftover.name not in done and leftover.name not in rolled_back:
                rolled_back.append(leftover.name)
            shutil.rmtree(leftover, ignore_errors=True)
    return rolled_back


def rows_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """A table of `rows` (dicts of plain values; maps as lists of (key, value) pairs).

    Goes through Arrow's JSON reader because pa.array and pa.Table.from_pylist import pandas
    (half a second), most of what a run that finds nothing new would otherwise cost.
    """
    if not rows:
        return pa.Table.from_batches([], schema=schema)  # schema.empty_table imports pandas
    read_schema = pa.schema(
        [pa.field(f.name, _as_entries(f.type), f.nullable) for f in schema], schema.metadata
    )
    lines = "".join(json.dumps(_json_row(row), default=_json_value) + "\n" for row in rows)
    table = pa_json.read_json(
        io.BytesIO(lines.encode()),
        parse_options=pa_json.ParseOptions(explicit_schema=read_schema),
    )
    columns = [
        _as_map(table.column(f.name).combine_chunks(), f.type)
        if pa.types.is_map(f.type)
        else table.column(f.name)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _as_entries(kind: pa.DataType) -> pa.DataType:
    """The JSON reader cannot build maps: read them as lists of key/value structs."""
    if not pa.types.is_map(kind):
        return kind
    return pa.list_(pa.struct([("key", kind.key_type), ("value", kind.item_type)]))


def _as_map(entries: pa.ListArray, kind: pa.MapType) -> pa.MapArray:
    pairs = entries.values  # not flatten(): it imports pyarrow.compute; offsets index values
    return pa.MapArray.from_arrays(
        entries.offsets, pairs.field("key"), pairs.field("value"), type=kind
    )


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: [{"key": k, "value": v} for k, v in value]
        if isinstance(value, list) and value and isinstance(value[0], tuple)
        else value
        for name, value in row.items()
    }


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a table row")


def _check_schema(table: pa.Table, schema: pa.Schema, name: str) -> None:
    if not table.schema.equals(schema, check_metadata=False):
        raise SchemaMismatch(
            f"{name}: table schema differs from the declared schema:\n{table.schema}"
        )


class RotatingWriter:
    """One Parquet writer per partition, starting a new file every MAX_ROWS_PER_FILE rows."""

    def __init__(self, folder: Path, stem: str, schema: pa.Schema) -> None:
        self.folder = folder
        self.stem = stem
        self.schema = schema
        self.files: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        offset = 0
        while offset < table.num_rows:
            if self._writer is None or self._rows >= MAX_ROWS_PER_FILE:
                self._open_next()
            take = min(table.num_rows - offset, MAX_ROWS_PER_FILE - self._rows)
            assert self._writer is not None
            self._writer.write_table(table.slice(offset, take), row_group_size=ROW_GROUP_ROWS)
            self._rows += take
            offset += take

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.stem}-{len(self.files)}.parquet"
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.files.append(path)
        self._rows = 0

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class StagedRun:
    """Collects a run's output under _staging/<run_id> and commits it atomically."""

    def __init__(self, out_dir: Path, run_id: str) -> None:
        self.out_dir = out_dir
        self.run_id = run_id
        self.root = out_dir / STAGING / run_id
        try:
            self.root.mkdir(parents=True, exist_ok=False)
        except OSError as exc:
            raise StoreError(
                f"cannot create staging folder {self.root}: {exc.strerror or exc}"
            ) from exc
        self._article_writers: dict[str, RotatingWriter] = {}
        self._files: list[Path] = []  # staged paths, committed in this order (runs row last)
        self._file_schema = ARTICLE_FILE_SCHEMA

    @property
    def scratch(self) -> Path:
        """A folder for a run's intermediate files (batch results); never committed."""
        path = self.root / "_scratch"
        path.mkdir(exist_ok=True)
        return path

    def add_articles(self, table: pa.Table) -> None:
        """Append articles; may be called many times. Partitioned by language on the way.

        pyarrow.compute is imported here, by the runs that write articles: it costs a tenth
        of a second that a run with nothing new should not pay."""
        import pyarrow.compute as pc

        _check_schema(table, ARTICLES_SCHEMA, "articles")
        if table.num_rows == 0:
            return
        languages = table.column("language")
        for language in sorted(set(languages.to_pylist())):
            if not _LANGUAGE_DIR.match(language):
                raise SchemaMismatch(f"articles: language {language!r} is not an ISO code")
            part = table.filter(pc.equal(languages, language)).drop_columns(["language"])
            writer = self._article_writers.get(language)
            if writer is None:
                folder = self.root / "articles" / f"language={language}"
                writer = RotatingWriter(folder, f"part-{self.run_id}", self._file_schema)
                self._article_writers[language] = writer
            writer.write(part.cast(self._file_schema))

    def write_table(self, name: str, table: pa.Table) -> None:
        """duplicates, rejects or runs: one file per run (none for an empty table but runs)."""
        _check_schema(table, TABLE_SCHEMAS[name], name)
        if table.num_rows or name == "runs":
            self._write_file(Path(name) / f"part-{self.run_id}.parquet", table, TABLE_SCHEMAS[name])

    def write_state(self, name: str, table: pa.Table, **parquet_options: object) -> None:
        """A state table of this run; `parquet_options` let its owner tune the encoding."""
        if table.num_rows:
            self._write_file(
                Path(STATE) / name / f"part-{self.run_id}.parquet",
                table,
                table.schema,
                **parquet_options,
            )

    def write_state_file(self, name: str, write: Callable[[Path], object]) -> Path | None:
        """A state file its owner writes itself (a DuckDB COPY, a streaming writer): `write`
        gets the staged path; the file is committed with the run if `write` created it."""
        path = self.root / STATE / name / f"part-{self.run_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
        if not path.exists():
            return None
        self._files.append(path)
        return path

    def _write_file(
        self, rel: Path, table: pa.Table, schema: pa.Schema, **parquet_options: object
    ) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        options = {"compression": "zstd", "row_group_size": ROW_GROUP_ROWS, **parquet_options}
        if not table.schema.equals(schema, check_metadata=True):  # cast loads pyarrow.compute
            table = table.cast(schema)
        pq.write_table(table, path, **options)
        self._files.append(path)

    def staged_files(self) -> list[Path]:
        """Every file the run staged for the dataset, its runs row last (closes the writers)."""
        for writer in self._article_writers.values():
            writer.close()
        staged = [p for w in self._article_writers.values() for p in w.files] + self._files
        runs_row = [p for p in staged if p.parts[-2] == "runs"]
        if len(runs_row) != 1:
            raise StoreError("a run must stage exactly one runs row before commit")
        return [p for p in staged if p not in runs_row] + runs_row

    def commit(self) -> None:
        """Move every staged file into place; the runs row goes last and makes the run visible."""
        ordered = self.staged_files()
        rels = [p.relative_to(self.root) for p in ordered]
        for path in ordered:
            swap.fsync_path(path)
        journal = self.out_dir / STATE / JOURNAL / f"{self.run_id}.json"
        tmp = journal.with_suffix(".tmp")
        tmp.write_text(json.dumps({"run_id": self.run_id, "files": [r.as_posix() for r in rels]}))
        swap.fsync_path(tmp)
        os.replace(tmp, journal)
        swap.fsync_path(journal.parent)  # the journal is on disk before any file moves
        for path, rel in zip(ordered, rels, strict=True):
            target = self.out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        swap.fsync_path(self.out_dir / "runs")
        journal.unlink()
        shutil.rmtree(self.root, ignore_errors=True)

    def abort(self) -> None:
        """Drop the staged files and undo a commit that failed half way (disk full, I/O error).

        Files already moved in are taken out again, newest first, so the runs row (the commit
        point) goes before the data it vouches for; the dataset is as before this run. If a
        file cannot be removed the journal stays, and the next writer's recover finishes.
        A reprocess that failed after writing its swap journal is left to recover, which
        rolls it forward from the staged folders.
        """
        if (self.out_dir / STATE / swap.SWAPS / f"{self.run_id}.json").exists():
            return
        for writer in self._article_writers.values():
            with contextlib.suppress(Exception):
                writer.close()
        journal = self.out_dir / STATE / JOURNAL / f"{self.run_id}.json"
        with contextlib.suppress(OSError):
            journal.with_suffix(".tmp").unlink(missing_ok=True)
        try:
            moved = json.loads(journal.read_text(encoding="utf-8"))["files"]
            for rel in reversed(moved):
                (self.out_dir / rel).unlink(missing_ok=True)
            journal.unlink()
        except FileNotFoundError:
            pass  # no journal: nothing was moved in
        except (OSError, ValueError, KeyError):
            pass  # left for recover(), which runs before the next run writes anything
        shutil.rmtree(self.root, ignore_errors=True)


def dataset_path(out_dir: Path, table: str) -> Path:
    return out_dir / table


def table_files(out_dir: Path, table: str) -> list[Path]:
    """The Parquet files of a table that belong to committed runs, in name order."""
    folder = dataset_path(out_dir, table)
    if not folder.is_dir():
        return []
    committed = set(committed_run_ids(out_dir))
    return sorted(p for p in folder.rglob("*.parquet") if _is_committed(p, committed))


def read_table(out_dir: Path, table: str, **kwargs) -> pa.Table:
    """Read a whole output table back (articles with its language partition), typed.

    Only files of committed runs are read: a run killed while it moved its files in leaves
    some of them in place until the next writer rolls it back, and they must not count.
    """
    import pyarrow.dataset as ds

    folder = dataset_path(out_dir, table)
    schema = TABLE_SCHEMAS[table]
    files = [p.as_posix() for p in table_files(out_dir, table)]
    if not files:
        return pa.Table.from_batches([], schema=schema)  # schema.empty_table imports pandas
    partitioning = (
        ds.partitioning(pa.schema([("language", pa.string())]), flavor="hive")
        if table == "articles"
        else None
    )
    dataset = ds.dataset(
        files,
        format="parquet",
        partitioning=partitioning,
        partition_base_dir=folder.as_posix(),
        schema=schema,
    )
    return dataset.to_table(**kwargs)
