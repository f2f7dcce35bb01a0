"""Run code in a forked child and SIGKILL it at a chosen call or moment (for kill -9 tests).

The kill points are set up in the child only, by wrapping the functions the library calls;
the library has no test hooks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable

import pytest

FORK = multiprocessing.get_context("fork")


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def die_on_call(module: object, name: str, number: int) -> None:
    """SIGKILL at the `number`th call of module.name, before it runs."""
    original = getattr(module, name)
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == number:
            die()
        return original(*args, **kwargs)

    setattr(module, name, wrapper)


def _in_child(target: Callable[[], object], kill: Callable[[], None] | None) -> None:
    code = 1
    try:
        if kill is not None:
            kill()
        target()
        code = 0
    finally:
        os._exit(code)


def run_child(
    target: Callable[[], object],
    kill: Callable[[], None] | None = None,
    kill_after_s: float | None = None,
) -> int | None:
    """Run `target` in a forked child, armed with `kill` or killed after `kill_after_s`;
    return the child's exit code (-SIGKILL when killed)."""
    child = FORK.Process(target=_in_child, args=(target, kill))
    child.start()
    if kill_after_s is not None:
        child.join(kill_after_s)
        if child.exitcode is None:
            os.kill(child.pid, signal.SIGKILL)
    child.join(60)
    if child.exitcode is None:
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        pytest.fail("the child hung")
    return child.exitcode
