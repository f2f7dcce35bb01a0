"""A per-call limit on the CPU time of the calling thread, with a wall-clock backstop.

Why CPU time: a wall-clock limit turns slow but legitimate pages into rejects whenever the
machine is busy, so results would depend on what else runs. The CPU time the extracting
thread itself spends does not.

Main thread: `ITIMER_PROF` (SIGPROF). It counts user and system CPU, as `time.thread_time`
does; `ITIMER_VIRTUAL` counts user time only, so a page that spends its time in the kernel
(page faults of a huge tree) would escape it. Both timers count the whole process, so the
handler compares `time.thread_time` of the main thread with the limit and lets the timer tick
on when other threads spent the CPU. A SIGPROF-based profiler (vmprof, gperftools) in the same
process would conflict; none is used here. The backstop is `ITIMER_REAL` (SIGALRM) at
`WALL_FACTOR` times the limit, for a page stuck without using CPU.

Worker threads (Prefect's thread runner) cannot receive signals. A watchdog thread reads the
worker's own CPU clock (`time.pthread_getcpuclockid`, Linux and most Unixes) and raises the
exception in it asynchronously; it lands at the next Python bytecode, which in trafilatura's
tree walks comes quickly. Where that clock does not exist (macOS, Windows) the watchdog counts
wall-clock time, as the backstop does.

Both timers re-fire every `REFIRE_S` after they expired, until the context exits: an
exception raised inside a `__del__` is swallowed by Python ("Exception ignored in ..."), and
the next firing stops the work after all. Nothing fires once the context has exited.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

WALL_FACTOR = 5.0
"""The wall-clock backstop, as a multiple of the CPU limit: generous, so load never trips it."""
REFIRE_S = 0.05
"""Seconds between repeated firings once a limit expired."""


class TimeLimitExceeded(Exception):
    """The CPU limit, or its wall-clock backstop, ran out."""


class CpuTimeExceeded(TimeLimitExceeded):
    """The thread spent more CPU time than the limit."""


class WallClockExceeded(TimeLimitExceeded):
    """The wall-clock backstop ran out (the thread was stuck without using CPU)."""


def describe(error: TimeLimitExceeded, seconds: float) -> str:
    """What ran out, for a reject's detail."""
    if isinstance(error, WallClockExceeded):
        return f"over {seconds * WALL_FACTOR:g} s of wall-clock time (backstop)"
    return f"over {seconds:g} CPU seconds"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the calling thread once it has spent `seconds` of CPU."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _signals(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


def _until_done(step: Callable[[], None]) -> None:
    """Run `step` to its end even if a firing limit interrupts it (it stops the limit)."""
    while True:
        try:
            step()
            return
        except TimeLimitExceeded:
            continue


@contextmanager
def _signals(seconds: float) -> Iterator[None]:
    start = time.thread_time()

    def on_prof(_signum, _frame):  # a signal handler's signature
        if time.thread_time() - start >= seconds:
            raise CpuTimeExceeded

    def on_alarm(_signum, _frame):
        raise WallClockExceeded

    previous = {
        signal.SIGPROF: signal.signal(signal.SIGPROF, on_prof),
        signal.SIGALRM: signal.signal(signal.SIGALRM, on_alarm),
    }
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR, REFIRE_S)
    signal.setitimer(signal.ITIMER_PROF, seconds, REFIRE_S)

    def stop() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    try:
        yield
    finally:
        _until_done(stop)


def _cpu_clock() -> Callable[[], float]:
    """The calling thread's CPU clock, readable from another thread; else a wall clock."""
    if not hasattr(time, "pthread_getcpuclockid"):
        return time.monotonic
    clock_id = time.pthread_getcpuclockid(threading.get_ident())
    return lambda: time.clock_gettime(clock_id)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    thread_id = threading.get_ident()
    cpu = _cpu_clock()
    cpu_start, wall_start = cpu(), time.monotonic()
    backstop = seconds * WALL_FACTOR
    stopped = threading.Event()
    lock = threading.Lock()

    def fire(error: type[TimeLimitExceeded]) -> None:
        with lock:
            if not stopped.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(error)
                )

    def watch() -> None:
        pause = seconds  # CPU time of one thread grows no faster than wall-clock time
        while not stopped.wait(pause):
            try:
                cpu_left = seconds - (cpu() - cpu_start)
            except OSError:  # the thread is gone
                return
            wall_left = backstop - (time.monotonic() - wall_start)
            if cpu_left <= 0:
                fire(CpuTimeExceeded)
            elif wall_left <= 0:
                fire(WallClockExceeded)
            pause = max(min(cpu_left, wall_left), REFIRE_S)

    def stop() -> None:
        with lock:
            stopped.set()
            # clear an exception that fired but has not been raised yet
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)

    watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        _until_done(stop)
