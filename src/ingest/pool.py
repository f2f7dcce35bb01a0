"""How a stage's batches run: serially here, or on one process pool kept for the whole run.

`run_pipeline` takes any `StageMapper` (the Prefect layer passes one that submits tasks);
`LocalExecutor` is the one the command line uses.
"""

from __future__ import annotations

import ctypes
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar

from ingest.startup import prepare_process

T = TypeVar("T")

PR_SET_PDEATHSIG = 1

ProgressCallback = Callable[[str, int, int], None]
"""progress(stage, done, total): called as stages advance ('read', 'finalize', 'dedup', 'commit')."""


class StageMapper(Protocol):
    """Runs `fn(*args)` for each args tuple of one stage and returns the results in order."""

    def __call__(self, stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]: ...


def _start_worker() -> None:
    """Pool initializer: a worker is killed when the run that started it dies (kill -9 too),
    instead of living on as an orphan blocked on its task queue; it extracts as the run does."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # Ctrl-C reaches the whole process group: the run stops in its own process, and workers
    # printing a traceback each would bury the one line that says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prepare_process()


class LocalExecutor:
    """Runs stages serially, or on one process pool kept for the whole run (models loaded in
    a worker for stage 1 serve stage 2 too), reporting progress after each batch."""

    def __init__(self, workers: int, progress: ProgressCallback | None = None) -> None:
        self.workers = workers
        self.progress = progress
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_start_worker)
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
