"""The CPU-time limit with its wall-clock backstop, in the main thread and a worker thread."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

import ingest.timeout
from ingest.timeout import (
    WALL_FACTOR,
    CpuTimeExceeded,
    TimeLimitExceeded,
    WallClockExceeded,
    time_limit,
)

WHERE = ["main thread", "worker thread"]
GIVE_UP_S = 30.0  # a fake extraction that outlives this was not stopped


def burn_cpu() -> None:
    """Stands in for trafilatura on a pathological page: CPU-bound Python steps. It gives up
    by the wall clock: a loop that reads its own CPU clock on every turn delays SIGPROF by
    seconds on a loaded Linux machine (measured: 7 CPU seconds for a 0.2 s timer), which
    trafilatura, reading no clock, does not."""
    start = time.monotonic()
    while time.monotonic() - start < GIVE_UP_S:
        sum(range(1000))
    raise AssertionError("the limit did not stop the work")


def idle() -> None:
    """A page stuck without using CPU (short sleeps: a worker thread is interrupted between)."""
    start = time.monotonic()
    while time.monotonic() - start < GIVE_UP_S:
        time.sleep(0.005)
    raise AssertionError("the backstop did not stop the work")


def limited(work: Callable[[], None], seconds: float) -> type[BaseException] | None:
    """The exception type `work` ended with under the limit, or None."""
    try:
        with time_limit(seconds):
            work()
    except TimeLimitExceeded as error:
        return type(error)
    return None


def run(where: str, work: Callable[[], object]) -> object:
    if where == "main thread":
        return work()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=GIVE_UP_S * 2)


@pytest.fixture
def far_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wall-clock backstop far off, for tests of the CPU limit: on a loaded machine 0.1 CPU
    seconds can take longer than the shipped 5x in wall-clock time."""
    monkeypatch.setattr(ingest.timeout, "WALL_FACTOR", 200.0)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.usefixtures("far_backstop")
def test_cpu_burning_work_is_stopped_by_the_cpu_limit(where: str) -> None:
    assert run(where, lambda: limited(burn_cpu, 0.1)) is CpuTimeExceeded


@pytest.mark.parametrize("where", WHERE)
def test_idle_work_is_stopped_by_the_wall_clock_backstop(where: str) -> None:
    assert run(where, lambda: limited(idle, 0.05)) is WallClockExceeded


@pytest.mark.parametrize("where", WHERE)
def test_idle_time_does_not_count_towards_the_limit(where: str) -> None:
    """Sleeping past the CPU limit but within the backstop is not stopped: load does not count."""

    def nap() -> None:
        time.sleep(0.3)

    assert run(where, lambda: limited(nap, 0.2)) is None


@pytest.mark.parametrize("where", WHERE)
def test_a_limit_that_did_not_fire_leaves_nothing_behind(where: str) -> None:
    """No timer, handler or pending exception outlives the context."""
    handlers = (signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM))

    def quick_then_busy() -> str:
        with time_limit(0.05):
            pass
        start, cpu_start = time.monotonic(), time.thread_time()
        while (
            time.monotonic() - start < 0.05 * WALL_FACTOR * 2
            or time.thread_time() - cpu_start < 0.1
        ):
            sum(range(1000))
        return "clean"

    assert run(where, quick_then_busy) == "clean"
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert (signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)) == handlers


class Stubborn:
    """Its finaliser runs until the limit interrupts it; Python then swallows the exception."""

    def __del__(self) -> None:
        burn_cpu()


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.usefixtures("far_backstop")
def test_an_exception_swallowed_in_a_finaliser_still_stops_the_work(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    swallowed: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda raised: swallowed.append(raised.exc_type))

    def drop_then_burn() -> None:
        Stubborn()  # finalised at once: the limit fires inside __del__
        burn_cpu()

    assert run(where, lambda: limited(drop_then_burn, 0.1)) is CpuTimeExceeded
    assert swallowed == [CpuTimeExceeded]


def test_other_threads_cpu_does_not_count_in_the_main_thread() -> None:
    """ITIMER_PROF counts the whole process; the handler checks the main thread's own time."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(1000))

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        assert limited(lambda: time.sleep(0.4), 0.2) is None
    finally:
        stop.set()
        spinner.join()
