"""The `ingest-news` flow: `run_pipeline` with every batch of documents run as a Prefect task.

The flow stays thin on purpose. The library decides what a batch is and runs everything
run-wide (output lock, recovery, discovery, site-line model, dedup, commit, report) in the
flow's own process, so dedup and the atomic commit are correct whatever runs the batches.
Prefect adds tracking, retries of the per-batch tasks, logs, artifacts and the runner switch.

Traps this module avoids: a failed task does not fail its flow unless its
result is used, so the mapper waits on every future and raises if any batch failed; cache
policies pickle results under PREFECT_HOME forever, so batch tasks use NO_CACHE and persist
nothing; Prefect walks task parameters looking for futures, so batch arguments are opaque.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import TaskRunner

from flows.api import configured_api_url, prefect_api
from flows.artifacts import publish_run_artifacts
from flows.compact_flow import compact_dataset
from flows.runners import TaskRunnerKind, make_task_runner, probe_dask_workers
from ingest.compact import needs_compaction
from ingest.locations import absolute
from ingest.options import LanguageBackend, Options
from ingest.pipeline import run_pipeline
from ingest.pool import StageMapper
from ingest.summary import RunSummary

FLOW_NAME = "ingest-news"
BATCH_RETRIES = 2
RUNNER_PARAMETERS = ("task_runner", "dask_address", "batch_retries")
DEFAULTS = Options()
T = TypeVar("T")


class BatchesFailed(RuntimeError):
    """Some batches of a stage failed after their retries; the run commits nothing."""


class BatchArguments:
    """A batch's positional arguments, opaque to Prefect.

    Prefect walks task parameters (lists, dicts, dataclasses) looking for futures; on a
    batch of records that costs more than the task itself. A plain object is not walked.
    """

    __slots__ = ("values",)

    def __init__(self, values: tuple) -> None:
        self.values = values


@task(
    name="ingest-batch",
    task_run_name="{stage}-batch-{index}",
    retries=BATCH_RETRIES,
    retry_delay_seconds=1,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def run_batch(stage: str, index: int, fn: Callable[..., T], args: BatchArguments) -> T:
    """One batch of one pipeline stage (a few hundred documents), logged with its counts."""
    started = time.perf_counter()
    result = fn(*args.values)
    get_run_logger().info(
        "%s batch %d: %s in %.2f s", stage, index, result.describe(), time.perf_counter() - started
    )
    return result


def prefect_mapper(runner: TaskRunner, retries: int = BATCH_RETRIES) -> StageMapper:
    """A StageMapper that submits each batch to `runner` as an `ingest-batch` task run."""
    batch_task = run_batch.with_options(retries=retries)

    def mapper(stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]:
        futures = [
            runner.submit(
                batch_task, {"stage": stage, "index": i, "fn": fn, "args": BatchArguments(args)}
            )
            for i, args in enumerate(items)
        ]
        wait(futures)
        results: list[T] = []
        errors: list[str] = []
        for index, future in enumerate(futures):
            try:
                results.append(future.result())
            except Exception as exc:
                errors.append(f"batch {index}: {type(exc).__name__}: {exc}")
        if errors:
            raise BatchesFailed(
                f"{len(errors)} of {len(futures)} {stage} batches failed; nothing was committed. "
                + "; ".join(errors[:3])
            )
        return results

    return mapper


@flow(
    name=FLOW_NAME,
    description="Ingest the new files of a raw folder into the Parquet datasets (newsclean).",
    persist_result=False,
)
def ingest_news(
    raw_dir: Path | str = DEFAULTS.raw_dir,
    out_dir: Path = DEFAULTS.out_dir,
    max_file_bytes: int = DEFAULTS.max_file_bytes,
    max_record_bytes: int = DEFAULTS.max_record_bytes,
    extraction_timeout_s: float = DEFAULTS.extraction_timeout_s,
    min_text_chars: int = DEFAULTS.min_text_chars,
    strip_boilerplate: bool = DEFAULTS.strip_boilerplate,
    ruby_readings: bool = DEFAULTS.ruby_readings,
    site_repeat_min_docs: int = DEFAULTS.site_repeat_min_docs,
    line_scorer: bool = DEFAULTS.line_scorer,
    block_scorer: bool = DEFAULTS.block_scorer,
    language_backend: LanguageBackend = DEFAULTS.language_backend,
    near_duplicates: bool = DEFAULTS.near_duplicates,
    near_dup_threshold: float = DEFAULTS.near_dup_threshold,
    dedup_window_days: int | None = DEFAULTS.dedup_window_days,
    batch_size: int = DEFAULTS.batch_size,
    workers: int = DEFAULTS.workers,
    lock_timeout_s: float = DEFAULTS.lock_timeout_s,
    write_report: bool = DEFAULTS.write_report,
    strict: bool = DEFAULTS.strict,
    reprocess: bool = DEFAULTS.reprocess,
    compact_at_files: int = DEFAULTS.compact_at_files,
    task_runner: TaskRunnerKind = "threads",
    dask_address: str | None = None,
    batch_retries: int = BATCH_RETRIES,
) -> RunSummary:
    """Every pipeline option as a parameter, plus where the batches run (`task_runner` with
    `workers` slots, or the Dask scheduler at `dask_address`) and how often a failed batch is
    retried. Returns the run summary and publishes it as artifacts."""
    options = Options(
        raw_dir=absolute(raw_dir),  # batches may run in processes with another directory
        out_dir=Path(out_dir).resolve(),
        max_file_bytes=max_file_bytes,
        max_record_bytes=max_record_bytes,
        extraction_timeout_s=extraction_timeout_s,
        min_text_chars=min_text_chars,
        strip_boilerplate=strip_boilerplate,
        ruby_readings=ruby_readings,
        site_repeat_min_docs=site_repeat_min_docs,
        line_scorer=line_scorer,
        block_scorer=block_scorer,
        language_backend=language_backend,
        near_duplicates=near_duplicates,
        near_dup_threshold=near_dup_threshold,
        dedup_window_days=dedup_window_days,
        batch_size=batch_size,
        workers=workers,
        lock_timeout_s=lock_timeout_s,
        write_report=write_report,
        strict=strict,
        reprocess=reprocess,
        compact_at_files=compact_at_files,
    )
    logger = get_run_logger()
    where = dask_address or f"{workers} {task_runner} worker(s)"
    logger.info("ingesting %s into %s on %s", options.raw_dir, options.out_dir, where)
    if dask_address:
        probe_dask_workers(dask_address, options.raw_dir, options.out_dir, configured_api_url())
    with make_task_runner(task_runner, workers, dask_address) as runner:
        summary = run_pipeline(
            options, mapper=prefect_mapper(runner, batch_retries), progress=_log_stage
        )
    logger.info(
        "run %s: %d files, %d records -> %d articles, %d duplicates, %d rejects in %.1f s",
        summary.run_id,
        summary.n_files,
        summary.n_records,
        summary.n_articles,
        summary.n_duplicates,
        summary.n_rejects,
        summary.elapsed_s,
    )
    if summary.n_internal_errors:
        logger.warning(
            "%d internal errors: bugs of ours, please report them (rejects with reason "
            "internal_error)",
            summary.n_internal_errors,
        )
    publish_run_artifacts(summary)
    _compact_when_due(options)
    return summary


def _compact_when_due(options: Options) -> None:
    """Run the compact-dataset subflow once some folder holds more than compact_at_files
    files. The ingest run is committed by then, so a failed compaction is logged, not fatal."""
    if not needs_compaction(options.out_dir, options.compact_at_files):
        return
    state = compact_dataset(
        out_dir=options.out_dir, lock_timeout_s=options.lock_timeout_s, return_state=True
    )
    if not state.is_completed():
        get_run_logger().warning("compaction did not complete: %s", state.message)


def _log_stage(stage: str, done: int, total: int) -> None:
    """Log each stage as it starts, so the run-wide steps (dedup, commit) and their time
    show up in the flow log next to the batch tasks."""
    if done == 0:
        get_run_logger().info("stage %s started", stage)


def flow_parameters(
    options: Options,
    *,
    task_runner: TaskRunnerKind = "threads",
    dask_address: str | None = None,
    batch_retries: int = BATCH_RETRIES,
) -> dict[str, Any]:
    """The flow's parameters for `options`, JSON-ready (paths as strings) for deployments."""
    params: dict[str, Any] = {name: getattr(options, name) for name in Options.field_names()}
    params.update(raw_dir=str(options.raw_dir), out_dir=str(options.out_dir))
    params.update(task_runner=task_runner, dask_address=dask_address, batch_retries=batch_retries)
    return params


def run_tracked(
    options: Options, *, task_runner: TaskRunnerKind = "threads", dask_address: str | None = None
) -> RunSummary:
    """Run one job as a tracked flow run against the configured Prefect API (`ingest run
    --prefect`); with no API configured, against a temporary local server started for this
    run only (10-20 s). Folders are made absolute first, and a Dask cluster is probed before
    any flow run exists, so a cluster that cannot do the run refuses it in one line
    (ClusterUnfit) instead of failing a flow run."""
    options = options.with_changes(
        raw_dir=absolute(options.raw_dir), out_dir=options.out_dir.resolve()
    )
    with prefect_api() as api_url:
        if dask_address:
            probe_dask_workers(dask_address, options.raw_dir, options.out_dir, api_url)
        return ingest_news(
            **flow_parameters(options, task_runner=task_runner, dask_address=dask_address)
        )
