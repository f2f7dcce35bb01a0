"""The store: typed writes, atomic commits, rollback of killed runs, the output lock."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest import store
from ingest.documents import ARTICLES_SCHEMA, REJECTS_SCHEMA, RUNS_SCHEMA, SCHEMA_VERSION

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _article(doc_id: str, language: str) -> dict:
    return {
        "doc_id": doc_id,
        "source": f"{doc_id}.html",
        "url": None,
        "site": "example.org",
        "title": "t",
        "author": None,
        "published": NOW,
        "language": language,
        "language_score": 0.99,
        "language_hint": None,
        "text": "body",
        "n_words": 1,
        "n_chars": 4,
        "removed": [{"kind": "cookie_banner", "text": "We use cookies"}],
        "content_hash": "h" + doc_id,
        "cluster_size": 1,
        "input_format": "html",
        "extraction_method": "trafilatura",
        "encoding": "utf-8",
        "run_id": "r",
        "ingested_at": NOW,
    }


def _runs_row(run_id: str) -> pa.Table:
    row = {f.name: None for f in RUNS_SCHEMA}
    row.update(
        run_id=run_id,
        started=NOW,
        finished=NOW,
        elapsed_s=0.0,
        raw_dir="raw",
        options="{}",
        n_files=0,
        n_records=0,
        n_articles=0,
        n_duplicates=0,
        n_rejects=0,
        n_internal_errors=0,
        pipeline_version="test",
        schema_version=SCHEMA_VERSION,
    )
    for f in RUNS_SCHEMA:
        if row[f.name] is None:
            row[f.name] = []
    return pa.Table.from_pylist([row], schema=RUNS_SCHEMA)


def _stage(out: Path, run_id: str) -> store.StagedRun:
    staged = store.StagedRun(out, run_id)
    staged.add_articles(
        pa.Table.from_pylist([_article("a", "en"), _article("b", "ar")], schema=ARTICLES_SCHEMA)
    )
    staged.write_table("rejects", REJECTS_SCHEMA.empty_table())
    staged.write_state("inputs", pa.table({"path": ["a.html"]}))
    staged.write_table("runs", _runs_row(run_id))
    return staged


def test_commit_writes_partitioned_typed_tables(tmp_path: Path) -> None:
    store.ensure_writable(tmp_path)
    _stage(tmp_path, "20261127T100000Z-aaaaaa").commit()
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == [
        "language=ar",
        "language=en",
    ]
    articles = store.read_table(tmp_path, "articles")
    assert articles.schema.equals(ARTICLES_SCHEMA, check_metadata=False)
    assert sorted(articles.column("language").to_pylist()) == ["ar", "en"]
    metadata = pq.read_schema(next((tmp_path / "articles").rglob("*.parquet"))).metadata
    assert metadata[b"newsclean.schema_version"] == SCHEMA_VERSION.encode()
    assert store.committed_run_ids(tmp_path) == ["20261127T100000Z-aaaaaa"]
    assert len(store.state_files(tmp_path, "inputs")) == 1
    assert not (tmp_path / "_staging").exists() or not any((tmp_path / "_staging").iterdir())


def test_schema_mismatch_is_refused(tmp_path: Path) -> None:
    store.ensure_writable(tmp_path)
    staged = store.StagedRun(tmp_path, "20261127T100000Z-bbbbbb")
    with pytest.raises(store.SchemaMismatch):
        staged.add_articles(pa.table({"doc_id": ["x"]}))
    staged.abort()


def test_run_killed_mid_commit_is_rolled_back(tmp_path: Path) -> None:
    store.ensure_writable(tmp_path)
    _stage(tmp_path, "20261127T090000Z-cccccc").commit()
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.parquet"))

    staged = _stage(tmp_path, "20261127T100000Z-dddddd")
    real_replace = os.replace
    moved = []

    def dying_replace(src, dst):
        if len(moved) == 2:
            raise KeyboardInterrupt("killed")
        moved.append(dst)
        real_replace(src, dst)

    os.replace = dying_replace
    try:
        with pytest.raises(KeyboardInterrupt):
            staged.commit()
    finally:
        os.replace = real_replace
    assert store.committed_run_ids(tmp_path) == ["20261127T090000Z-cccccc"]
    assert len(store.state_files(tmp_path, "inputs")) == 1  # uncommitted state is never read

    assert store.recover(tmp_path) == ["20261127T100000Z-dddddd"]
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.parquet"))
    assert after == before


def _hold_lock(out: Path, ready) -> None:
    with store.output_lock(out):
        ready.set()
        time.sleep(60)


def test_second_writer_is_refused_and_a_dead_holder_releases(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(tmp_path, ready))
    holder.start()
    try:
        assert ready.wait(10)
        with (
            pytest.raises(store.RunLocked, match="another run is writing"),
            store.output_lock(tmp_path, timeout_s=0.3),
        ):
            pass
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join()
    with store.output_lock(tmp_path):  # the kernel released the dead run's lock
        pass


def test_unwritable_output_is_one_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "file-not-folder"
    target.write_text("x")
    with pytest.raises(store.StoreError, match="not writable"):
        store.ensure_writable(target / "out")


def test_rows_table_equals_arrows_own_conversion_for_every_table() -> None:
    now = datetime(2026, 3, 2, 6, 30, 15, 123456, tzinfo=UTC)
    reject = {
        "source": "feeds/caf\u00e9.jsonl#3",
        "doc_id": None,
        "reason": "parse_error",
        "detail": 'a "quoted"\nline \U0001f4f0',
        "input_format": "jsonl",
        "run_id": "r1",
        "ingested_at": now,
    }
    run = {
        "run_id": "r1",
        "started": now,
        "finished": now,
        "elapsed_s": 0.25,
        "raw_dir": "raw",
        "options": "{}",
        "n_files": 2,
        "n_records": 3,
        "n_articles": 2,
        "n_duplicates": 0,
        "n_rejects": 1,
        "rejects_by_reason": [("parse_error", 1)],
        "duplicates_by_match": [],
        "articles_by_language": [("de", 1), ("en", 1)],
        "articles_by_format": [("jsonl", 2)],
        "removed_by_kind": [],
        "removed_chars_by_kind": [],
        "stage_seconds": [("discover", 0.01)],
        "pipeline_version": "0",
        "schema_version": SCHEMA_VERSION,
    }
    for rows, schema in [
        ([reject, reject], REJECTS_SCHEMA),
        ([run], RUNS_SCHEMA),
        ([], RUNS_SCHEMA),
    ]:
        built = store.rows_table(rows, schema)
        assert built.equals(pa.Table.from_pylist(rows, schema=schema), check_metadata=True)


def test_rows_table_leaves_pandas_unloaded() -> None:
    """A run with nothing new writes its runs row without the half second pandas costs."""
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from ingest import store\n"
        "from ingest.documents import REJECTS_SCHEMA\n"
        "row = dict(source='a', doc_id=None, reason='unreadable', detail='d',\n"
        "           input_format='html', run_id='r', ingested_at=datetime.now(UTC))\n"
        "store.rows_table([row], REJECTS_SCHEMA)\n"
        "store.rows_table([], REJECTS_SCHEMA)\n"
        "assert 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_run_ids_sort_in_the_order_runs_started_even_within_one_second() -> None:
    start = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)
    ids = [store.new_run_id(start + timedelta(milliseconds=ms)) for ms in (0, 7, 40, 999, 1000)]

    assert sorted(ids) == ids
    assert len(set(ids)) == len(ids)
