"""Replacing whole folders of the dataset at once (compaction, reprocessing), crash-safe.

Readers list a folder, then open what they listed. Moving new files in and deleting old ones
one at a time would let a listing in between see both (rows twice) or neither (rows
missing). So a replacement folder is built complete under `_staging/<id>/` and exchanged
with the live one by a single `renameat2(RENAME_EXCHANGE)` call: a listing of the folder
sees the old content or the new one, never a mix. The old folder lands where the new one
was staged and is deleted afterwards; a reader that opened a file before keeps reading it.

A swap journal (`_state/swaps/<id>.json`) lists every (staged, live) pair with the inode of
the staged folder, and reaches the disk before the first exchange: it is the commit point.
`finish_swaps` (run by `store.recover` before any writer) rolls a killed swap forward: a
live path that already carries the recorded inode is done, the others are exchanged now.
Plain files that go with the swap (a reprocess's runs row) are listed after the folders
and moved in last.

Where the file system cannot exchange (not Linux, or RENAME_EXCHANGE unsupported), the
live folder is renamed away and the new one into place: still crash-safe, but a listing
in that instant can find the folder missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SWAPS = "swaps"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class Swap:
    """Put the folder `staged` at `live` (both relative to the output folder)."""

    staged: str
    live: str
    inode: int = 0


def _libc_renameat2():
    with contextlib.suppress(OSError, AttributeError):
        function = ctypes.CDLL(None, use_errno=True).renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        function.argtypes += [ctypes.c_uint]
        return function
    return None


_RENAMEAT2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap the paths `a` and `b`; False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (a rename is durable once its folder is synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _install(out_dir: Path, swap: Swap) -> None:
    """Put one staged folder in place unless a previous attempt already did."""
    staged, live = out_dir / swap.staged, out_dir / swap.live
    with contextlib.suppress(FileNotFoundError):
        if os.stat(live).st_ino == swap.inode:
            return
    if not staged.exists():
        return  # nothing staged is left: done by an attempt whose journal lingered
    live.parent.mkdir(parents=True, exist_ok=True)
    if not live.exists():
        os.rename(staged, live)
    elif not exchange(staged, live):
        os.rename(live, staged.with_name(staged.name + ".old"))
        os.rename(staged, live)
    fsync_path(live.parent)


def swap_in(
    out_dir: Path,
    swap_id: str,
    folders: Sequence[tuple[Path, Path]],
    files: Sequence[tuple[Path, Path]] = (),
) -> None:
    """Replace each live folder by its staged folder, then move `files` in, crash-safe.

    Paths are absolute under `out_dir`; everything staged must already be on disk."""
    swaps = [
        Swap(
            s.relative_to(out_dir).as_posix(),
            live.relative_to(out_dir).as_posix(),
            os.stat(s).st_ino,
        )
        for s, live in folders
    ]
    moves = [
        [s.relative_to(out_dir).as_posix(), d.relative_to(out_dir).as_posix()] for s, d in files
    ]
    journal = out_dir / "_state" / SWAPS / f"{swap_id}.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(json.dumps({"swaps": [vars(s) for s in swaps], "moves": moves}))
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, journal)
    fsync_path(journal.parent)
    _apply(out_dir, journal)


def _apply(out_dir: Path, journal: Path) -> None:
    entry = json.loads(journal.read_text(encoding="utf-8"))
    for swap in entry["swaps"]:
        _install(out_dir, Swap(**swap))
    for source, target in entry["moves"]:
        if (out_dir / source).exists():
            (out_dir / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out_dir / source, out_dir / target)
    if entry["moves"]:
        fsync_path((out_dir / entry["moves"][-1][1]).parent)
    journal.unlink()
    for swap in entry["swaps"]:
        staged = out_dir / swap["staged"]
        shutil.rmtree(staged, ignore_errors=True)
        shutil.rmtree(staged.with_name(staged.name + ".old"), ignore_errors=True)


def finish_swaps(out_dir: Path) -> list[str]:
    """Roll forward the swaps a killed writer committed to; returns their ids. Under the lock."""
    folder = out_dir / "_state" / SWAPS
    if not folder.is_dir():
        return []
    for tmp in folder.glob("*.tmp"):
        tmp.unlink()  # a journal not yet renamed into place: its swap never started
    finished = []
    for journal in sorted(folder.glob("*.json")):
        _apply(out_dir, journal)
        finished.append(journal.stem)
    return finished
