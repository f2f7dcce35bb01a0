"""Compaction: same rows in few files, crash-safe under kill -9, invisible to readers.

The dataset is built by real runs over a folder delivered in parts (one run per part and
runs with nothing new, like a schedule), then compacted; every check reads the Parquet
back. Kills happen in forked children at fixed points of the swap and at random moments.
"""

from __future__ import annotations

import multiprocessing
import random
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from fakenews import write_mixed_folder
from killing import die, die_on_call, run_child
from typer.testing import CliRunner

import ingest.boilerplate.site_lines as site_lines
from ingest import compact, store, swap
from ingest.cli import app
from ingest.options import Options
from ingest.pipeline import run_pipeline

TABLES = ("articles", "duplicates", "rejects", "runs")
STATE = ("dedup", "inputs", "site_lines")


def _options(raw: Path, out: Path, **changes) -> Options:
    return Options(raw_dir=raw, out_dir=out, write_report=False, strip_boilerplate=False, **changes)


def full_view(out: Path) -> dict[str, list[str]]:
    """Every row of every table and state folder, as readers of the store get them."""
    view = {t: sorted(map(repr, store.read_table(out, t).to_pylist())) for t in TABLES}
    for name in ("dedup", "inputs"):
        rows = [r for t in store.read_state(out, name) for r in t.to_pylist()]
        if name == "inputs":  # compaction keeps the newest row per path, the one runs use
            rows = list({r["path"]: r for r in rows}.values())
        view[name] = sorted(map(repr, rows))
    view["runs_ids"] = store.committed_run_ids(out)
    return view


def files_per_folder(out: Path) -> dict[str, int]:
    return compact.folder_file_counts(out)


@dataclass
class Built:
    raw: Path
    out: Path
    deliveries: int


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Five deliveries, each ingested by its own run, with runs that find nothing between."""
    root = tmp_path_factory.mktemp("compact")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    for part in range(5):
        write_mixed_folder(raw, 6, seed=21, first=6 * part)
        run_pipeline(_options(raw, out))
        run_pipeline(_options(raw, out))
    return Built(raw, out, 5)


def _copy(built: Built, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built.out, out)
    return out


def test_compaction_keeps_every_row_in_one_file_per_folder(built: Built, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    before, counts_before = full_view(out), files_per_folder(out)
    assert counts_before["runs"] == 10 and max(counts_before.values()) > 1

    summary = compact.compact(out)

    assert full_view(out) == before  # run ids and clocks included
    assert set(files_per_folder(out).values()) == {1}
    assert summary.freed_files == sum(counts_before.values()) - len(counts_before)
    assert {f.name for f in summary.folders} >= {"articles", "runs", "_state/dedup"}
    assert all(f.rows_before == f.rows_after for f in summary.folders if f.name != "_state/inputs")
    for path in (out / "articles").rglob("*.parquet"):
        metadata = pq.ParquetFile(path).metadata
        assert metadata.row_group(0).column(0).compression == "ZSTD"
        assert all(
            metadata.row_group(i).num_rows <= store.ROW_GROUP_ROWS
            for i in range(metadata.num_row_groups)
        )
        assert metadata.schema.to_arrow_schema().equals(store.ARTICLE_FILE_SCHEMA)
    assert not any((out / store.STAGING).iterdir())
    assert not any((out / store.STATE / swap.SWAPS).iterdir())


def test_after_compaction_runs_stay_incremental_and_compact_again(
    built: Built, tmp_path: Path
) -> None:
    out = _copy(built, tmp_path)
    compact.compact(out)
    assert run_pipeline(_options(built.raw, out)).n_records == 0

    raw = tmp_path / "raw"
    shutil.copytree(built.raw, raw)  # same sizes and mtimes: the inputs state knows them
    n_new = write_mixed_folder(raw, 6, seed=21, first=6 * built.deliveries)
    summary = run_pipeline(_options(raw, out))
    assert summary.n_records == n_new
    before = full_view(out)

    compact.compact(out)
    assert full_view(out) == before
    assert set(files_per_folder(out).values()) == {1}
    assert compact.compact(out).folders == []  # nothing left to gain


def test_full_files_are_kept_and_only_small_ones_merged(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(built, tmp_path)
    compact.compact(out)
    (full,) = (out / "runs").glob("*.parquet")  # ten runs rows
    inode = full.stat().st_ino
    monkeypatch.setattr(compact, "FULL_FILE_ROWS", 10)
    for _ in range(2):
        run_pipeline(_options(built.raw, out))
    before = full_view(out)

    compact.compact(out)

    assert full_view(out) == before
    runs_files = sorted((out / "runs").glob("*.parquet"))
    assert len(runs_files) == 2 and full in runs_files and full.stat().st_ino == inode
    assert sorted(pq.ParquetFile(p).metadata.num_rows for p in runs_files) == [2, 10]


def _downgrade(path: Path, drop_column: str | None = None) -> None:
    """Rewrite `path` as an earlier release wrote it: `removed` without `rule` (schema 2),
    and without `drop_column` where given (schema 1 runs had no n_internal_errors)."""
    table = pq.read_table(path)
    if drop_column:
        table = table.drop_columns([drop_column])
    if "removed" in table.column_names:
        old = pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))
        rows = [
            [{"kind": r["kind"], "text": r["text"]} for r in v]
            for v in table["removed"].to_pylist()
        ]
        index = table.column_names.index("removed")
        table = table.set_column(index, "removed", pa.array(rows, type=old))
    pq.write_table(table.replace_schema_metadata({b"newsclean.schema_version": b"2"}), path)


def test_files_of_an_older_schema_are_upgraded_whatever_their_size(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(built, tmp_path)
    compact.compact(out)
    monkeypatch.setattr(compact, "FULL_FILE_ROWS", 1)  # every file counts as full
    articles = sorted((out / "articles").rglob("*.parquet"))
    old_article, kept_article = articles[0], articles[1]
    (old_runs,) = (out / "runs").glob("*.parquet")
    before = {t: store.read_table(out, t).num_rows for t in TABLES}
    removed_before = pq.read_table(old_article, columns=["doc_id", "removed"]).to_pylist()
    _downgrade(old_article)
    _downgrade(old_runs, drop_column="n_internal_errors")
    inode = kept_article.stat().st_ino
    assert set(compact.outdated_files(out)) == {old_article, old_runs}
    assert compact.needs_compaction(out, max_files=200)

    summary = compact.compact(out)

    assert {f.name for f in summary.folders} == {"articles", "runs"}
    assert compact.outdated_files(out) == []
    assert not compact.needs_compaction(out, max_files=200)
    assert {t: store.read_table(out, t).num_rows for t in TABLES} == before
    assert kept_article.stat().st_ino == inode  # files of today's schema are not rewritten
    upgraded = pq.read_table(old_article.parent, columns=["doc_id", "removed"]).to_pylist()
    expected = [
        {"doc_id": r["doc_id"], "removed": [{**cut, "rule": None} for cut in r["removed"]]}
        for r in removed_before
    ]
    assert upgraded == expected
    runs = pl.read_parquet(out / "runs" / "*.parquet")  # polars refuses mixed schemas
    assert runs["n_internal_errors"].null_count() == len(runs)


def test_runs_that_find_nothing_new_write_no_data_files(built: Built, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    files = set(out.rglob("*.parquet"))
    summary = run_pipeline(_options(built.raw, out))
    added = set(out.rglob("*.parquet")) - files
    assert summary.n_records == 0
    assert [p.relative_to(out).parts[0] for p in added] == ["runs"]


def test_compaction_prunes_site_lines_the_next_run_would_drop(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(built, tmp_path)
    (state,) = store.state_files(out, "site_lines")
    repeated = _repeated_lines(state)
    monkeypatch.setattr(site_lines, "KEEP_SINGLE_LINES_RUNS", 2)

    summary = compact.compact(out)

    (pruned,) = store.state_files(out, "site_lines")
    (report,) = [f for f in summary.folders if f.name == "_state/site_lines"]
    assert 0 < report.rows_after < report.rows_before and report.bytes_after < report.bytes_before
    assert _repeated_lines(pruned) == repeated  # all that any model is built from
    last_run = pq.read_table(pruned).column("last_run").to_pylist()
    n_docs = pq.read_table(pruned).column("n_docs").to_pylist()
    oldest_kept = len(store.committed_run_ids(out)) + 1 - 2
    assert all(n > 1 or run > oldest_kept for n, run in zip(n_docs, last_run, strict=True))


def _repeated_lines(path: Path) -> list[tuple]:
    rows = pq.read_table(path).to_pylist()
    return sorted((r["site"], r["line_key"], r["n_docs"]) for r in rows if r["n_docs"] > 1)


def test_compact_command_prints_what_it_freed(built: Built, tmp_path: Path) -> None:
    out = _copy(built, tmp_path)
    result = CliRunner().invoke(app, ["compact", "--out", str(out)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "freed" in result.output and "articles" in result.output
    again = CliRunner().invoke(app, ["compact", "--out", str(out)])
    assert again.exit_code == 0 and "nothing to compact" in again.output
    with store.output_lock(out):
        locked = CliRunner().invoke(app, ["compact", "--out", str(out)])
    assert locked.exit_code == 2 and "another run is writing" in locked.output


# --- kill -9 ---------------------------------------------------------------------------


def _die_after_journal_removed() -> None:
    original = Path.unlink

    def unlink(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.parent.name == swap.SWAPS:
            die()

    Path.unlink = unlink  # type: ignore[method-assign]


COMPACTION_KILLS: dict[str, Callable[[], None]] = {
    "while writing the compacted files": lambda: die_on_call(compact, "rewrite_files", 3),
    "before the swap journal": lambda: die_on_call(swap, "swap_in", 1),
    "after the journal, before any swap": lambda: die_on_call(swap, "_install", 1),
    "half of the folders swapped": lambda: die_on_call(swap, "_install", 4),
    "after the journal is removed": _die_after_journal_removed,
}


@pytest.mark.parametrize("point", list(COMPACTION_KILLS))
def test_compaction_killed_at_any_point_loses_and_doubles_nothing(
    point: str, built: Built, tmp_path: Path
) -> None:
    out = _copy(built, tmp_path)
    before = full_view(out)
    assert run_child(lambda: compact.compact(out), COMPACTION_KILLS[point]) == -signal.SIGKILL

    assert full_view(out) == before  # readers of the store, before any recovery
    compact.compact(out)
    assert full_view(out) == before
    assert set(files_per_folder(out).values()) == {1}
    assert run_pipeline(_options(built.raw, out)).n_records == 0
    assert not any((out / store.STAGING).iterdir())


def test_compaction_killed_at_random_moments(built: Built, tmp_path: Path) -> None:
    rng = random.Random(5)
    reference = _copy(built, tmp_path / "reference")
    started = time.perf_counter()
    compact.compact(reference)
    seconds = time.perf_counter() - started
    for trial in range(4):
        out = tmp_path / f"out-{trial}"
        shutil.copytree(built.out, out)
        before = full_view(out)
        run_child(lambda out=out: compact.compact(out), kill_after_s=rng.uniform(0, seconds))
        assert full_view(out) == before
        run_pipeline(_options(built.raw, out))  # a run after the kill recovers first
        compact.compact(out)
        assert set(files_per_folder(out).values()) == {1}
        assert full_view(out)["articles"] == before["articles"]


# --- readers during a compaction ---------------------------------------------------------


def _article_ids_by_listing(out: Path) -> Counter:
    """What a data scientist's reader gets: pyarrow lists the folder, then reads the files."""
    table = ds.dataset(out / "articles", partitioning="hive").to_table(columns=["doc_id"])
    return Counter(table.column("doc_id").to_pylist())


def _article_ids_by_glob(out: Path) -> Counter:
    """A connection of its own, closed after: DuckDB's default connection would live on in
    this process, and the forked children of later tests would inherit its locks."""
    with duckdb.connect() as con:
        rows = con.sql(
            f"SELECT doc_id FROM read_parquet('{out}/articles/**/*.parquet', "
            "hive_partitioning = true)"
        ).fetchall()
    return Counter(row[0] for row in rows)


READERS = (_article_ids_by_listing, _article_ids_by_glob)


def test_a_reader_between_any_two_steps_of_a_compaction_sees_each_row_once(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _copy(built, tmp_path)
    expected = _article_ids_by_listing(out)
    assert expected and max(expected.values()) == 1
    seen: list[Counter] = []
    original = swap._install

    def install_and_read(out_dir, one_swap):
        seen.extend(read(out) for read in READERS)
        original(out_dir, one_swap)
        seen.extend(read(out) for read in READERS)

    monkeypatch.setattr(swap, "_install", install_and_read)
    compact.compact(out)
    assert len(seen) >= 8
    assert all(ids == expected for ids in seen)


def _read_until_stopped(out: Path, expected: Counter, reading, stop, results) -> None:
    """In a child process: read the articles again and again, through both readers, until
    told to stop (and once more after that); report good, wrong and failed reads."""
    ok, wrong, errors = 0, 0, []
    while True:
        stopping = stop.is_set()
        for read in READERS:
            try:
                ids = read(out)
            except Exception as exc:  # noqa: BLE001 - each failure is reported and judged
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            ok += 1
            wrong += ids != expected
            reading.set()
        if stopping:
            break
    results.put((ok, wrong, errors))


def _vanished(error: str) -> bool:
    """A file listed before the swap and opened after it: an error, never mixed rows."""
    return "FileNotFoundError" in error or "No such file" in error or "IOException" in error


def test_readers_running_while_compactions_run_never_see_a_row_twice_or_miss_one(
    built: Built, tmp_path: Path
) -> None:
    """The readers run in a spawned child while compaction runs here: a forked child of a
    process whose DuckDB or Arrow threads hold a lock can wait on it for ever."""
    spawn = multiprocessing.get_context("spawn")
    outs = [tmp_path / f"out-{n}" for n in range(4)]
    for out in outs:
        shutil.copytree(built.out, out)
    expected = _article_ids_by_listing(outs[0])
    total = Counter()
    for out in outs:
        reading, stop, results = spawn.Event(), spawn.Event(), spawn.Queue()
        reader = spawn.Process(
            target=_read_until_stopped, args=(out, expected, reading, stop, results)
        )
        reader.start()
        assert reading.wait(60)
        compact.compact(out)
        stop.set()
        ok, wrong, errors = results.get(timeout=120)
        reader.join(60)
        assert wrong == 0
        assert all(_vanished(error) for error in errors), errors
        assert set(files_per_folder(out).values()) == {1}
        total.update(ok=ok, failed=len(errors))
    assert total["ok"] >= 2 * len(outs)  # at least one read before and one after each
