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

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyarrow.parquet as pq

from ingest import store
from ingest.collector import run_collector
from ingest.documents import RUNS_SCHEMA, InputState, Reject, RejectReason
from ingest.locations import is_url
from ingest.options import Options
from ingest.outcomes import write_inputs, write_outcomes
from ingest.pool import LocalExecutor, ProgressCallback, StageMapper
from ingest.rows import from_row
from ingest.sources import InputFile, Plan, discover, plan_inputs
from ingest.steps import StepStats
from ingest.summary import RunSummary, runs_row, summarize

if TYPE_CHECKING:
    from ingest.boilerplate import SiteLineModel
    from ingest.dedup import RunDedup
    from ingest.reprocess import Replacement
    from ingest.stages import BatchOutput, FinalBatch

log = logging.getLogger("ingest")
T = TypeVar("T")

# --- run-wide work -----------------------------------------------------------------------


def seen_inputs(out_dir: Path) -> dict[str, InputState]:
    """The input files committed runs read, by path (the newest run's record wins)."""
    seen: dict[str, InputState] = {}
    for table in store.read_state(out_dir, store.INPUTS_STATE):
        for values in table.to_pylist():
            seen[values["path"]] = from_row(InputState, values)
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
    with _timed(seconds, "discover"):
        files, discover_rejects = discover(options.raw_dir)
        replacing = _replacement(options, staged, files, discover_rejects)
        seen = {} if replacing else seen_inputs(out_dir)
        plan, plan_rejects = plan_inputs(files, seen)
        batches = batches_of(plan.new_files, options.batch_size)
        already_reported = set() if replacing else _files_rejected_before(out_dir)
        file_rejects = [
            r for r in discover_rejects + plan_rejects if r.source not in already_reported
        ]

    def announce(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    outputs: list[BatchOutput] = []
    finals: list[FinalBatch] = []
    result: RunDedup | None = None
    if batches:
        index_files = (
            replacing.index_files() if replacing else store.state_files(out_dir, store.DEDUP_STATE)
        )
        outputs, finals, result = _process(
            options, staged, started, batches, plan, mapper, announce, seconds, index_files
        )

    announce("commit", 0, 1)
    with _timed(seconds, "commit"):
        rejects = (
            file_rejects
            + [r for b in outputs for r in b.rejects]
            + [r for f in finals for r in f.rejects]
        )
        tally = write_outcomes(staged, finals, result, rejects, started)
        touched = [InputState(f.relpath, f.size, f.mtime_ns, digest) for f, digest in plan.touched]
        write_inputs(staged, [i for b in outputs for i in b.inputs] + touched)
        if result is not None:
            staged.write_state_file(store.DEDUP_STATE, result.write_index)
    summary = summarize(options, staged.run_id, started, plan, tally, seconds, rolled_back)
    summary.n_files_unread = len(file_rejects)
    staged.write_table("runs", store.rows_table([runs_row(options, summary)], RUNS_SCHEMA))
    if replacing:
        replacing.commit()
    else:
        staged.commit()
    store.drop_other_state(out_dir, store.SITE_LINES_STATE, staged.run_id)
    announce("commit", 1, 1)
    return summary


@contextmanager
def _timed(seconds: Counter, step: str) -> Iterator[None]:
    """Add the seconds the block takes to `seconds[step]`: run-wide steps are timed like
    the per-document ones (see ingest.steps)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[step] += time.perf_counter() - started


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
    """read+extract per batch, site lines run-wide, clean+language+fingerprint per batch,
    dedup run-wide: the README's diagram, one line each.

    Dedup reads the fingerprints the workers wrote to scratch and spills to scratch too,
    so this process never holds a whole run's fingerprints as objects."""
    from ingest import dedup
    from ingest.stages import finalize, read_and_extract
    from ingest.startup import prepare_process

    prepare_process()
    scratch, order = staged.scratch, largest_first(batches)
    work = [(b, _hashes_of(b, plan.hashes), options, scratch) for b in batches]
    outputs = _map_stage(mapper, announce, "read", read_and_extract, work, order)
    seconds.update(_stage_seconds(outputs))
    with _timed(seconds, "site_lines"):
        site_model = _site_model(options, staged, [p for b in outputs for p in b.site_lines])
    final_work = [(b, site_model, options, scratch) for b in outputs]
    finals = _map_stage(mapper, announce, "finalize", finalize, final_work, order)
    seconds.update(_stage_seconds(finals))

    announce("dedup", 0, 1)
    with _timed(seconds, "dedup"):
        result = dedup.deduplicate_files(
            [f.fingerprints for f in finals if f.fingerprints is not None],
            index_files,
            threshold=options.near_dup_threshold,
            near=options.near_duplicates,
            window_days=options.dedup_window_days,
            now=started,
            spill_dir=scratch / "spill",
        )
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


def _map_stage(
    mapper: StageMapper,
    announce: ProgressCallback,
    stage: str,
    fn: Callable[..., T],
    items: list[tuple],
    order: list[int],
) -> list[T]:
    """`mapper` over items submitted in `order`, results given back in the items' own order
    (so a run's output does not depend on the order the batches ran in)."""
    announce(stage, 0, len(items))
    by_index = dict(zip(order, mapper(stage, fn, [items[i] for i in order]), strict=True))
    announce(stage, len(items), len(items))
    return [by_index[i] for i in range(len(items))]


def _stage_seconds(parts: Sequence[BatchOutput | FinalBatch]) -> Counter:
    """The seconds of every step of a stage over its batches; what each step took in and
    rejected goes to the log (shown with `ingest run -v`)."""
    total = StepStats()
    for part in parts:
        total.add(part.stats)
    for step, documents in total.documents.items():
        rejected, seconds = total.rejected[step], total.seconds[step]
        log.info("step %s: %d documents, %d rejected, %.2f s", step, documents, rejected, seconds)
    return total.seconds


def _hashes_of(batch: list[InputFile], hashes: dict[str, str]) -> dict[str, str]:
    """The content hashes a batch needs: its own files', not the whole run's."""
    return {f.relpath: hashes[f.relpath] for f in batch if f.relpath in hashes}


def _site_model(options: Options, staged: store.StagedRun, run_counts: list[Path]) -> SiteLineModel:
    """Merge this run's line counts into a new site-line state file and load its chrome lines.

    With nothing new counted the state stands and the model comes from the newest file.
    """
    from ingest.boilerplate import SiteLineModel, site_lines

    out_dir = options.out_dir
    earlier = [] if options.reprocess else store.state_files(out_dir, store.SITE_LINES_STATE)
    merged = [p for p in earlier if site_lines.is_state_file(p)]
    newest = merged[-1] if merged else None  # state_files lists by run id, oldest first
    if newest is not None:  # any other file is left over from a run killed while dropping it
        earlier = [newest]
    if not run_counts:
        if newest is None and earlier:  # only per-run counts of an older version
            return SiteLineModel.from_counts(
                store.read_state(out_dir, store.SITE_LINES_STATE),
                min_docs=options.site_repeat_min_docs,
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

    state = staged.write_state_file(store.SITE_LINES_STATE, merge)
    return SiteLineModel.from_state(state, min_docs=options.site_repeat_min_docs)


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
