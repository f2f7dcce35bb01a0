"""Runs a whole run: lock, recovery, discovery, the per-batch stages, dedup, commit. No Prefect.

Stages: discover -> [read, extract] per batch -> site-line model, run-wide ->
[site repeats, boilerplate, language, fingerprint] per batch -> dedup, run-wide -> commit.

The per-batch stages live in `ingest.stages` as pure top-level functions, so any executor
can run them: `run_pipeline` takes a `StageMapper` that decides how a stage's batches run
(this process, a process pool, or Prefect tasks on threads, processes or Dask) and keeps
everything run-wide in the calling process, under the output lock.

The stages, dedup and the boilerplate model are imported only when a run finds new files:
their libraries (trafilatura, DuckDB, the language models) take about a second to load, and a
run over an unchanged folder needs none of them.
"""

from __future__ import annotations

import ctypes
import json
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from ingest import __version__, store
from ingest.collector import run_collector
from ingest.documents import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    SCHEMA_VERSION,
    Article,
    Reject,
    RejectReason,
)
from ingest.locations import is_url
from ingest.options import Options
from ingest.sources import InputFile, Plan, SeenInput, discover, plan_inputs

if TYPE_CHECKING:
    from ingest.boilerplate import SiteLineModel
    from ingest.dedup import RunDedup
    from ingest.reprocess import Replacement
    from ingest.stages import BatchOutput, FinalBatch

log = logging.getLogger("ingest")
T = TypeVar("T")

PR_SET_PDEATHSIG = 1
INPUTS_STATE = "inputs"
DEDUP_STATE = "dedup"
SITE_LINES_STATE = "site_lines"
INPUTS_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("content_hash", pa.string()),
        ("n_records", pa.int64()),
        ("run_id", pa.string()),
    ]
)


class StageMapper(Protocol):
    """Runs `fn(*args)` for each args tuple of one stage and returns the results in order."""

    def __call__(self, stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]: ...


@dataclass
class RunSummary:
    run_id: str
    out_dir: Path
    started: datetime
    finished: datetime
    n_files: int
    n_unchanged_files: int
    n_records: int
    n_articles: int
    n_duplicates: int
    n_rejects: int
    n_already_ingested: int
    rejects_by_reason: dict[str, int]
    duplicates_by_match: dict[str, int]
    articles_by_language: dict[str, int]
    articles_by_format: dict[str, int]
    removed_by_kind: dict[str, int]
    removed_chars_by_kind: dict[str, int]
    stage_seconds: dict[str, float]
    rolled_back: list[str]
    report_path: Path | None = None
    n_internal_errors: int = 0
    """Rejects that are bugs of ours (reason internal_error), also counted in n_rejects."""
    n_files_unread: int = 0
    """Files rejected without being read (unsupported type, unreadable, vanished): each one
    reject row, counted in n_records and n_rejects but not in n_files."""

    @property
    def elapsed_s(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def docs_per_second(self) -> float:
        return self.n_records / self.elapsed_s if self.elapsed_s > 0 else 0.0


# --- run-wide work -----------------------------------------------------------------------


def seen_inputs(out_dir: Path) -> dict[str, SeenInput]:
    seen: dict[str, SeenInput] = {}
    for table in store.read_state(out_dir, INPUTS_STATE):
        for row in table.to_pylist():
            seen[row["path"]] = SeenInput(row["size"], row["mtime_ns"], row["content_hash"])
    return seen


def batches_of(files: Sequence[InputFile], batch_size: int) -> list[list[InputFile]]:
    """Group files so each batch holds about batch_size records' worth of work.

    Single-page files count one; record files (JSONL, JSON, WARC) count by size, so one
    big feed does not end up in the same batch as hundreds of pages.
    """
    batches: list[list[InputFile]] = []
    current: list[InputFile] = []
    weight = 0
    for file in files:
        cost = 1 if file.input_format in ("html", "txt") else max(1, file.size // 20_000)
        if current and weight + cost > batch_size:
            batches.append(current)
            current, weight = [], 0
        current.append(file)
        weight += cost
    if current:
        batches.append(current)
    return batches


def _removal_rows(article: Article) -> list[dict[str, str]]:
    return [{"kind": str(r.kind), "text": r.text, "rule": r.rule} for r in article.removed]


def article_columns(a: Article, n_words: int, content_hash: str) -> dict:
    """The article's own columns: everything in its row but the run and cluster fields.
    `ingest clean` prints these; a run adds the rest."""
    return {
        "doc_id": a.doc_id,
        "source": a.source,
        "url": a.url,
        "site": a.site,
        "title": a.title,
        "author": a.author,
        "published": a.published,
        "language": a.language,
        "language_score": float(a.language_score),
        "language_hint": a.language_hint,
        "text": a.text,
        "n_words": n_words,
        "n_chars": len(a.text),
        "removed": _removal_rows(a),
        "content_hash": content_hash,
        "input_format": a.input_format,
        "extraction_method": a.extraction_method,
        "encoding": a.encoding,
    }


def _article_row(
    a: Article, n_words: int, content_hash: str, cluster_size: int, run_id: str, now: datetime
) -> dict:
    return {
        **article_columns(a, n_words, content_hash),
        "cluster_size": cluster_size,
        "run_id": run_id,
        "ingested_at": now,
    }


def _duplicate_row(
    a: Article, n_words: int, decision: Any, content_hash: str, run_id: str, now: datetime
) -> dict:
    return {
        "doc_id": a.doc_id,
        "source": a.source,
        "url": a.url,
        "site": a.site,
        "title": a.title,
        "language": a.language,
        "duplicate_of": decision.duplicate_of,
        "similarity": float(decision.similarity),
        "match": str(decision.match),
        "content_hash": content_hash,
        "n_words": n_words,
        "removed": _removal_rows(a),
        "input_format": a.input_format,
        "run_id": run_id,
        "ingested_at": now,
    }


def reject_columns(r: Reject) -> dict:
    """The reject's own columns: everything in its row but the run fields."""
    return {
        "source": r.source,
        "doc_id": r.doc_id,
        "reason": str(r.reason),
        "detail": r.detail,
        "input_format": r.input_format,
    }


def _reject_row(r: Reject, run_id: str, now: datetime) -> dict:
    return {**reject_columns(r), "run_id": run_id, "ingested_at": now}


def _die_with_parent() -> None:
    """Pool initializer: a worker is killed when the run that started it dies (kill -9 too),
    instead of living on as an orphan blocked on its task queue."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # Ctrl-C reaches the whole process group: the run stops in its own process, and workers
    # printing a traceback each would bury the one line that says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """Runs stages serially, or on one process pool kept for the whole run (models loaded in
    a worker for stage 1 serve stage 2 too), reporting progress after each batch."""

    def __init__(self, workers: int, progress: ProgressCallback | None = None) -> None:
        self.workers = workers
        self.progress = progress
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_die_with_parent)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            interrupted = exc_type is not None and issubclass(exc_type, KeyboardInterrupt)
            if interrupted:
                # The batches in flight would hold the exit until they end (the pool joins
                # its workers at exit); their work is thrown away anyway.
                for process in list(self._pool._processes.values()):
                    process.kill()
            self._pool.shutdown(wait=not interrupted, cancel_futures=True)

    def __call__(self, stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]:
        if self._pool is None or len(items) <= 1:
            results = []
            for args in items:
                results.append(fn(*args))
                self._report(stage, len(results), len(items))
            return results
        futures = {self._pool.submit(fn, *args): i for i, args in enumerate(items)}
        results_by_index: dict[int, T] = {}
        for future in as_completed(futures):
            results_by_index[futures[future]] = future.result()
            self._report(stage, len(results_by_index), len(items))
        return [results_by_index[i] for i in range(len(items))]

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)


ProgressCallback = Callable[[str, int, int], None]
"""progress(stage, done, total): called as stages advance ('read', 'finalize', 'dedup', 'commit')."""


def run_pipeline(
    options: Options,
    *,
    mapper: StageMapper | None = None,
    progress: ProgressCallback | None = None,
) -> RunSummary:
    """Ingest the new files under options.raw_dir into options.out_dir as one atomic run.

    `mapper` runs the per-batch stages (default: this process, or a process pool when
    options.workers > 1); everything run-wide happens here, under the output lock.
    """
    raw_dir, out_dir = options.raw_dir, options.out_dir
    if not is_url(raw_dir) and not Path(raw_dir).is_dir():
        raise FileNotFoundError(f"input folder {raw_dir} does not exist or is not a folder")
    with store.output_lock(out_dir, options.lock_timeout_s), run_collector():
        rolled_back = store.recover(out_dir)
        started = datetime.now(UTC)
        staged = store.StagedRun(out_dir, store.new_run_id(started))
        try:
            if mapper is not None:
                summary = _run_staged(options, staged, started, mapper, progress, rolled_back)
            else:
                with LocalExecutor(options.workers, progress) as executor:
                    summary = _run_staged(options, staged, started, executor, progress, rolled_back)
        except OSError as exc:
            staged.abort()
            raise store.StoreError(f"could not write to {out_dir}: {exc.strerror or exc}") from exc
        except BaseException:
            staged.abort()
            raise
    if options.write_report and summary.n_files:
        # A scheduled run that found nothing new keeps its runs row but draws no page of zeros.
        try:
            summary.report_path = _write_report(out_dir, summary.run_id)
        except KeyboardInterrupt as exc:
            raise InterruptedAfterCommit(summary.run_id) from exc
    return summary


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C while the report of a committed run was drawn: the run's rows are in, so
    "nothing was committed" would be wrong; only the report is missing."""

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.run_id = run_id


def _run_staged(
    options: Options,
    staged: store.StagedRun,
    started: datetime,
    mapper: StageMapper,
    progress: ProgressCallback | None,
    rolled_back: list[str],
) -> RunSummary:
    out_dir = options.out_dir
    seconds: Counter = Counter()
    clock = time.perf_counter()
    files, discover_rejects = discover(options.raw_dir)
    replacing = _replacement(options, staged, files, discover_rejects)
    seen = {} if replacing else seen_inputs(out_dir)
    plan, plan_rejects = plan_inputs(files, seen)
    batches = batches_of(plan.new_files, options.batch_size)
    already_reported = set() if replacing else _files_rejected_before(out_dir)
    file_rejects = [r for r in discover_rejects + plan_rejects if r.source not in already_reported]
    seconds["discover"] = time.perf_counter() - clock

    def announce(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    outputs: list[BatchOutput] = []
    finals: list[FinalBatch] = []
    result: RunDedup | None = None
    if batches:
        index_files = (
            replacing.index_files() if replacing else store.state_files(out_dir, DEDUP_STATE)
        )
        outputs, finals, result = _process(
            options, staged, started, batches, plan, mapper, announce, seconds, index_files
        )

    announce("commit", 0, 1)
    clock = time.perf_counter()
    rejects = (
        file_rejects
        + [r for b in outputs for r in b.rejects]
        + [r for f in finals for r in f.rejects]
    )
    tally = _write_outcomes(staged, finals, result, rejects, started)
    input_rows = [{**vars(i), "run_id": staged.run_id} for b in outputs for i in b.inputs]
    input_rows += [
        {
            "path": f.relpath,
            "size": f.size,
            "mtime_ns": f.mtime_ns,
            "content_hash": digest,
            "n_records": 0,
            "run_id": staged.run_id,
        }
        for f, digest in plan.touched
    ]
    staged.write_state(INPUTS_STATE, store.rows_table(input_rows, INPUTS_SCHEMA))
    if result is not None:
        staged.write_state_file(DEDUP_STATE, result.write_index)
    seconds["commit"] = time.perf_counter() - clock
    summary = _summary(options, staged.run_id, started, plan, tally, seconds, rolled_back)
    summary.n_files_unread = len(file_rejects)
    staged.write_table("runs", store.rows_table([_runs_row(options, summary)], RUNS_SCHEMA))
    if replacing:
        replacing.commit()
    else:
        staged.commit()
    store.drop_other_state(out_dir, SITE_LINES_STATE, staged.run_id)
    announce("commit", 1, 1)
    return summary


def _process(
    options: Options,
    staged: store.StagedRun,
    started: datetime,
    batches: list[list[InputFile]],
    plan: Plan,
    mapper: StageMapper,
    announce: ProgressCallback,
    seconds: Counter,
    index_files: list[Path],
) -> tuple[list[BatchOutput], list[FinalBatch], RunDedup]:
    """The per-batch stages, the site-line model between them and dedup after them.

    Dedup reads the fingerprints the workers wrote to scratch and spills to scratch too,
    so this process never holds a whole run's fingerprints as objects."""
    from ingest import dedup
    from ingest.stages import finalize, read_and_extract

    scratch = staged.scratch
    order = largest_first(batches)
    announce("read", 0, len(batches))
    work = [(b, _hashes_of(b, plan.hashes), options, scratch) for b in batches]
    outputs = _map_in_order(mapper, "read", read_and_extract, work, order)
    announce("read", len(batches), len(batches))

    clock = time.perf_counter()
    site_model = _site_model(options, staged, [p for b in outputs for p in b.site_lines])
    seconds["site_lines"] = time.perf_counter() - clock

    announce("finalize", 0, len(batches))
    final_work = [(b, site_model, options, scratch) for b in outputs]
    finals = _map_in_order(mapper, "finalize", finalize, final_work, order)
    announce("finalize", len(batches), len(batches))
    for part in [*outputs, *finals]:
        seconds.update(part.seconds)

    announce("dedup", 0, 1)
    clock = time.perf_counter()
    result = dedup.deduplicate_files(
        [f.fingerprints for f in finals if f.fingerprints is not None],
        index_files,
        threshold=options.near_dup_threshold,
        near=options.near_duplicates,
        window_days=options.dedup_window_days,
        now=started,
        spill_dir=scratch / "spill",
    )
    seconds["dedup"] = time.perf_counter() - clock
    announce("dedup", 1, 1)
    return outputs, finals, result


def _replacement(
    options: Options, staged: store.StagedRun, files: list[InputFile], rejects: list[Reject]
) -> Replacement | None:
    """With --reprocess, what the run replaces: the earlier rows of every input present."""
    if not options.reprocess:
        return None
    from ingest.reprocess import Replacement

    return Replacement(staged, files, rejects)


def largest_first(batches: Sequence[Sequence[InputFile]]) -> list[int]:
    """Batch indexes, most bytes first (extraction time follows page size): a pool that takes
    batches in this order ends a stage on its smallest ones, instead of leaving one worker
    alone with a big batch while the others wait."""
    return sorted(range(len(batches)), key=lambda i: -sum(f.size for f in batches[i]))


def _map_in_order(
    mapper: StageMapper, stage: str, fn: Callable[..., T], items: list[tuple], order: list[int]
) -> list[T]:
    """`mapper` over items submitted in `order`, results given back in the items' own order
    (so a run's output does not depend on the order the batches ran in)."""
    by_index = dict(zip(order, mapper(stage, fn, [items[i] for i in order]), strict=True))
    return [by_index[i] for i in range(len(items))]


def _hashes_of(batch: list[InputFile], hashes: dict[str, str]) -> dict[str, str]:
    """The content hashes a batch needs: its own files', not the whole run's."""
    return {f.relpath: hashes[f.relpath] for f in batch if f.relpath in hashes}


def _site_model(options: Options, staged: store.StagedRun, run_counts: list[Path]) -> SiteLineModel:
    """Merge this run's line counts into a new site-line state file and load its chrome lines.

    With nothing new counted the state stands and the model comes from the newest file.
    """
    from ingest.boilerplate import SiteLineModel, site_lines

    out_dir = options.out_dir
    earlier = [] if options.reprocess else store.state_files(out_dir, SITE_LINES_STATE)
    merged = [p for p in earlier if site_lines.is_state_file(p)]
    newest = merged[-1] if merged else None  # state_files lists by run id, oldest first
    if newest is not None:  # any other file is left over from a run killed while dropping it
        earlier = [newest]
    if not run_counts:
        if newest is None and earlier:  # only per-run counts of an older version
            return SiteLineModel.from_counts(
                store.read_state(out_dir, SITE_LINES_STATE), min_docs=options.site_repeat_min_docs
            )
        return SiteLineModel.from_state(newest, min_docs=options.site_repeat_min_docs)

    def merge(destination: Path) -> None:
        site_lines.merge_site_lines(
            earlier,
            run_counts,
            destination,
            run_number=len(store.committed_run_ids(out_dir)) + 1,
            spill_dir=staged.scratch / "spill",
        )

    state = staged.write_state_file(SITE_LINES_STATE, merge)
    return SiteLineModel.from_state(state, min_docs=options.site_repeat_min_docs)


@dataclass
class _Tally:
    """Counts of what a run wrote, gathered while its batches stream into the store."""

    articles: Counter = field(default_factory=Counter)  # by language
    formats: Counter = field(default_factory=Counter)
    duplicates: Counter = field(default_factory=Counter)  # by match
    rejects: Counter = field(default_factory=Counter)  # by reason
    removed: Counter = field(default_factory=Counter)
    removed_chars: Counter = field(default_factory=Counter)
    already_ingested: int = 0


def _write_outcomes(
    staged: store.StagedRun,
    finals: list[FinalBatch],
    result: RunDedup | None,
    rejects: list[Reject],
    now: datetime,
) -> _Tally:
    """Stream each batch's clean articles into articles or duplicates; write the rejects.

    `result` is None, and `finals` empty, when the run found no new file."""
    tally = _Tally()
    run_id = staged.run_id
    duplicate_rows = _write_articles(staged, finals, result, now, tally) if result else []
    staged.write_table("duplicates", store.rows_table(duplicate_rows, DUPLICATES_SCHEMA))
    reject_rows = [_reject_row(r, run_id, now) for r in rejects]
    tally.rejects.update(row["reason"] for row in reject_rows)
    staged.write_table("rejects", store.rows_table(reject_rows, REJECTS_SCHEMA))
    return tally


def _write_articles(
    staged: store.StagedRun,
    finals: list[FinalBatch],
    result: RunDedup,
    now: datetime,
    tally: _Tally,
) -> list[dict]:
    """Stream each batch's clean articles into the articles table; return the duplicate rows."""
    from ingest.stages import chunk_full, read_scratch

    run_id = staged.run_id
    duplicate_rows = []
    for final in finals:
        article_rows, chars = [], 0
        for item in read_scratch(final.articles):
            article, n_words = item.article, item.n_words or 0
            if article.doc_id in result.already_indexed:
                tally.already_ingested += 1
                continue
            for removal in article.removed:
                tally.removed[removal.kind] += 1
                tally.removed_chars[removal.kind] += len(removal.text)
            content_hash = item.content_hash
            decision = result.duplicates.get(article.doc_id)
            if decision is None:
                size = result.cluster_sizes.get(article.doc_id, 1)
                article_rows.append(_article_row(article, n_words, content_hash, size, run_id, now))
                tally.articles[article.language] += 1
                tally.formats[article.input_format] += 1
                chars += len(article.text)
                if chunk_full(len(article_rows), chars):
                    staged.add_articles(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA))
                    article_rows, chars = [], 0
            else:
                duplicate_rows.append(
                    _duplicate_row(article, n_words, decision, content_hash, run_id, now)
                )
                tally.duplicates[str(decision.match)] += 1
        staged.add_articles(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA))
    return duplicate_rows


def _files_rejected_before(out_dir: Path) -> set[str]:
    """Files already rejected as unreadable or unsupported by a committed run, so they are not
    re-reported every run. Reads two columns of each rejects file directly: pyarrow.dataset
    (and pa.array on Python objects) import pandas, most of a second on a run that finds
    nothing new."""
    file_level = {str(RejectReason.UNREADABLE), str(RejectReason.UNSUPPORTED)}
    sources: set[str] = set()
    for path in store.table_files(out_dir, "rejects"):
        table = pq.ParquetFile(path).read(columns=["source", "reason"])
        pairs = zip(table["source"].to_pylist(), table["reason"].to_pylist(), strict=True)
        sources.update(source for source, reason in pairs if reason in file_level)
    return sources


def _write_report(out_dir: Path, run_id: str) -> Path | None:
    """The HTML report is derived from committed tables; failing to draw it never fails a run."""
    try:
        from ingest.report import write_report

        return write_report(out_dir, run_id)
    except Exception:
        log.exception("could not write the run report for %s", run_id)
        return None


def _ranked(counts: Counter) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _summary(
    options: Options,
    run_id: str,
    started: datetime,
    plan: Plan,
    tally: _Tally,
    seconds: Counter,
    rolled_back: list[str],
) -> RunSummary:
    n_articles, n_duplicates = sum(tally.articles.values()), sum(tally.duplicates.values())
    n_rejects = sum(tally.rejects.values())
    return RunSummary(
        run_id=run_id,
        out_dir=options.out_dir,
        started=started,
        finished=datetime.now(UTC),
        n_files=len(plan.new_files),
        n_unchanged_files=len(plan.unchanged),
        n_records=n_articles + n_duplicates + n_rejects,
        n_articles=n_articles,
        n_duplicates=n_duplicates,
        n_rejects=n_rejects,
        n_already_ingested=tally.already_ingested,
        rejects_by_reason=_ranked(tally.rejects),
        duplicates_by_match=_ranked(tally.duplicates),
        articles_by_language=_ranked(tally.articles),
        articles_by_format=_ranked(tally.formats),
        removed_by_kind=_ranked(tally.removed),
        removed_chars_by_kind=_ranked(tally.removed_chars),
        stage_seconds={k: round(v, 4) for k, v in seconds.items()},
        rolled_back=rolled_back,
        n_internal_errors=tally.rejects[str(RejectReason.INTERNAL_ERROR)],
    )


def _runs_row(options: Options, s: RunSummary) -> dict:
    return {
        "run_id": s.run_id,
        "started": s.started,
        "finished": s.finished,
        "elapsed_s": s.elapsed_s,
        "raw_dir": str(options.raw_dir),
        "options": options.to_json(),
        "n_files": s.n_files,
        "n_records": s.n_records,
        "n_articles": s.n_articles,
        "n_duplicates": s.n_duplicates,
        "n_rejects": s.n_rejects,
        "n_internal_errors": s.n_internal_errors,
        "rejects_by_reason": list(s.rejects_by_reason.items()),
        "duplicates_by_match": list(s.duplicates_by_match.items()),
        "articles_by_language": list(s.articles_by_language.items()),
        "articles_by_format": list(s.articles_by_format.items()),
        "removed_by_kind": list(s.removed_by_kind.items()),
        "removed_chars_by_kind": list(s.removed_chars_by_kind.items()),
        "stage_seconds": list(s.stage_seconds.items()),
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
    }


def summary_json(summary: RunSummary) -> str:
    data = {k: v for k, v in vars(summary).items() if k not in ("out_dir", "report_path")}
    data.update(
        started=summary.started.isoformat(),
        finished=summary.finished.isoformat(),
        elapsed_s=summary.elapsed_s,
        docs_per_second=summary.docs_per_second,
        out_dir=str(summary.out_dir),
        report_path=str(summary.report_path) if summary.report_path else None,
    )
    return json.dumps(data, indent=2)
