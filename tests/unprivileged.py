"""Run a test's work as a user without root's powers, so permission checks hold in CI.

CI runs the tests as root, and root reads files without read permission and writes into
read-only folders: a test of those cases proves nothing there. `as_unprivileged` runs a
function in a forked child that, when we are root, first becomes `nobody` (the standard
library's setgroups/setgid/setuid); `own_folder` gives a folder that user owns, since the
pytest temporary folders of root are closed to anyone else.
"""

from __future__ import annotations

import multiprocessing
import os
import pwd
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FORK = multiprocessing.get_context("fork")
NOBODY = pwd.getpwnam("nobody")


def as_root() -> bool:
    return os.geteuid() == 0


@contextmanager
def own_folder() -> Iterator[Path]:
    """A fresh folder for files the unprivileged user must reach; removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="newsclean-unprivileged-"))
    try:
        yield path
    finally:
        for folder in [path, *(p for p in path.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)  # a test may leave read-only folders behind
        shutil.rmtree(path)


def give_away(root: Path) -> None:
    """Make `root` and everything under it the unprivileged user's (a no-op unless root)."""
    if not as_root():
        return
    for path in [root, *root.rglob("*")]:
        os.chown(path, NOBODY.pw_uid, NOBODY.pw_gid, follow_symlinks=False)


def as_unprivileged(fn: Callable[[], T]) -> T:
    """fn() in a forked child that is not root; its result, or its exception, comes back."""
    receiver, sender = FORK.Pipe(duplex=False)
    child = FORK.Process(target=_run_child, args=(fn, sender))
    child.start()
    sender.close()
    try:
        ok, value = receiver.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the unprivileged child died (exit code {child.exitcode})") from None
    child.join()
    if not ok:
        raise value
    return value


def _run_child(fn: Callable[[], object], sender) -> None:
    try:
        if as_root():
            os.setgroups([])
            os.setgid(NOBODY.pw_gid)
            os.setuid(NOBODY.pw_uid)
        assert os.geteuid() != 0
        sender.send((True, fn()))
    except BaseException as exc:  # sent back whole: the test asserts on it
        sender.send((False, exc))
    finally:
        sender.close()
