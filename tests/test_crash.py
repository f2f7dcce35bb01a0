"""Killed runs, concurrent runs, a full disk and an unwritable output folder.

A run is killed with SIGKILL at fixed points of its commit and at random moments; right
after the kill the output must read exactly as before that run (or, killed past its commit
point, as after it), and the next run must give the dataset an uninterrupted run gives. Runs are forked from this process (no interpreter
start-up per trial) and the kill points are set up in the child only, by patching the
functions the pipeline calls; the library has no test hooks.

Boilerplate stripping is off here: it does not touch the commit path and costs most of a
run's time. benchmarks/torture.py kills full CLI runs at random moments many more times.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fakenews import write_mixed_folder
from killing import FORK, run_child
from typer.testing import CliRunner
from unprivileged import as_unprivileged, give_away, own_folder

import ingest.stages
from ingest import store
from ingest.cli import app
from ingest.options import Options
from ingest.pipeline import run_pipeline

NARROW = {"COLUMNS": "60"}  # the error must stay one line whatever the terminal width
PUBLISHED = ("articles", "duplicates", "rejects", "runs")


def _options(raw: Path, out: Path, **changes) -> Options:
    return Options(raw_dir=raw, out_dir=out, write_report=False, strip_boilerplate=False, **changes)


def dataset_view(out: Path) -> dict[str, list[tuple]]:
    """What readers of the output see, without run ids and clocks."""
    articles = store.read_table(out, "articles").to_pylist()
    duplicates = store.read_table(out, "duplicates").to_pylist()
    rejects = store.read_table(out, "rejects").to_pylist()
    runs = store.read_table(out, "runs").to_pylist()
    inputs = [t.to_pylist() for t in store.read_state(out, store.INPUTS_STATE)]
    return {
        "articles": sorted(
            (a["doc_id"], a["source"], a["language"], a["text"], a["cluster_size"])
            for a in articles
        ),
        "duplicates": sorted((d["doc_id"], d["source"], d["duplicate_of"]) for d in duplicates),
        "rejects": sorted((r["source"], r["reason"]) for r in rejects),
        "runs": sorted(  # a run that found nothing new changes no data
            (r["n_files"], r["n_records"], r["n_articles"], r["n_duplicates"], r["n_rejects"])
            for r in runs
            if r["n_files"] or r["n_records"]
        ),
        "inputs": sorted(
            (i["path"], i["size"], i["mtime_ns"], i["n_records"]) for t in inputs for i in t
        ),
    }


def _published_files_are_whole(out: Path) -> None:
    for table in PUBLISHED:
        for path in (out / table).rglob("*.parquet") if (out / table).is_dir() else []:
            pq.read_metadata(path)  # raises on a half-written file


@dataclass
class Folders:
    raw: Path  # parts A and B
    before: Path  # output after a run over part A only: the state a killed run must keep
    after: Path  # output after A, then an uninterrupted run over A and B
    n_records_b: int
    seconds_b: float


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Folders:
    root = tmp_path_factory.mktemp("crash")
    raw, before, after = root / "raw", root / "before", root / "after"
    raw.mkdir()
    write_mixed_folder(raw, 10, seed=3)
    run_pipeline(_options(raw, before))
    n_b = write_mixed_folder(raw, 10, seed=3, first=10)
    (raw / "copies").mkdir()
    shutil.copy(min(raw.rglob("story-*.html")), raw / "copies" / "saved-again.html")
    n_b += 1  # a copy of a page of the first run: a duplicate across runs
    shutil.copytree(before, after)
    started = time.perf_counter()
    summary = run_pipeline(_options(raw, after))
    assert summary.n_records == n_b and summary.n_articles > 0 and summary.n_duplicates > 0
    return Folders(raw, before, after, n_b, time.perf_counter() - started)


def _fresh_output(folders: Folders, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(folders.before, out)
    return out


# --- kill points ---------------------------------------------------------------------------


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_while_reading() -> None:
    original = ingest.stages.read_input

    def reading(file, **limits):
        yield from original(file, **limits)
        _die()

    ingest.stages.read_input = reading


def _kill_while_staging() -> None:
    original = store.StagedRun.write_table

    def write_table(self, name, table):
        if name == "rejects":
            _die()
        original(self, name, table)

    store.StagedRun.write_table = write_table


def _kill_after_moves(should_die: Callable[[Path, int], bool]) -> None:
    original = os.replace
    moved = [0]

    def replace(src, dst):
        original(src, dst)
        moved[0] += 1
        if should_die(Path(dst), moved[0]):
            _die()

    os.replace = replace


KILL_POINTS: dict[str, Callable[[], None]] = {
    "while reading": _kill_while_reading,
    "while staging": _kill_while_staging,
    "right after the journal is written": lambda: _kill_after_moves(
        lambda dst, n: dst.suffix == ".json"
    ),
    "half of the files moved in": lambda: _kill_after_moves(lambda dst, n: n == 3),
    "after the runs row, before the journal is removed": lambda: _kill_after_moves(
        lambda dst, n: dst.parent.name == "runs"
    ),
}


def _run_child(options: Options, point: str | None = None, kill_after_s: float | None = None):
    kill = KILL_POINTS[point] if point else None
    return run_child(lambda: run_pipeline(options), kill=kill, kill_after_s=kill_after_s)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_run_leaves_the_output_as_before_and_the_next_run_completes(
    point: str, folders: Folders, tmp_path: Path
) -> None:
    out = _fresh_output(folders, tmp_path)
    assert _run_child(_options(folders.raw, out), point) == -signal.SIGKILL

    _published_files_are_whole(out)
    committed = point.startswith("after the runs row")
    assert dataset_view(out) == dataset_view(folders.after if committed else folders.before)

    summary = run_pipeline(_options(folders.raw, out))
    assert dataset_view(out) == dataset_view(folders.after)
    assert summary.n_records == (0 if committed else folders.n_records_b)
    assert (summary.rolled_back != []) == (not committed)  # a run stages from its start
    assert not any((out / store.STATE / store.JOURNAL).iterdir())
    assert not (out / store.STAGING).exists() or not any((out / store.STAGING).iterdir())


def test_killed_at_random_moments(folders: Folders, tmp_path: Path) -> None:
    rng = random.Random(7)
    for trial in range(3):
        out = tmp_path / f"out-{trial}"
        shutil.copytree(folders.before, out)
        _run_child(_options(folders.raw, out), kill_after_s=rng.uniform(0, folders.seconds_b))
        _published_files_are_whole(out)
        assert dataset_view(out) in (dataset_view(folders.before), dataset_view(folders.after))
        run_pipeline(_options(folders.raw, out))
        assert dataset_view(out) == dataset_view(folders.after)


# --- two writers ----------------------------------------------------------------------------


def test_second_run_is_refused_with_one_clear_line(folders: Folders, tmp_path: Path) -> None:
    out = _fresh_output(folders, tmp_path)
    expected = dataset_view(out)
    with store.output_lock(out):
        result = CliRunner().invoke(
            app, ["run", str(folders.raw), "--out", str(out), "--no-report"], env=NARROW
        )
        with pytest.raises(store.RunLocked) as refused:
            run_pipeline(_options(folders.raw, out))
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "another run is writing to" in lines[0]
    assert "--lock-timeout" in lines[0] and f"pid {os.getpid()}" in lines[0]
    assert "\n" not in str(refused.value)
    assert dataset_view(out) == expected


def test_lock_timeout_waits_for_the_other_run(folders: Folders, tmp_path: Path) -> None:
    out = _fresh_output(folders, tmp_path)
    locked = threading.Event()
    released: list[datetime] = []

    def hold_for_a_moment() -> None:
        with store.output_lock(out):
            locked.set()
            time.sleep(0.8)
            released.append(datetime.now(UTC))

    holder = threading.Thread(target=hold_for_a_moment)
    holder.start()
    assert locked.wait(10)
    asked = datetime.now(UTC)
    summary = run_pipeline(_options(folders.raw, out, lock_timeout_s=30))
    holder.join()
    # The run started (summary.started is taken under the lock) only once the holder let
    # go: it waited the rest of the holder's 0.8 s, not the 30 s it was allowed to.
    assert asked < released[0] <= summary.started
    assert (summary.started - asked).total_seconds() < 10
    assert summary.n_records == folders.n_records_b
    assert dataset_view(out) == dataset_view(folders.after)


def _hold_lock_with_a_worker_then_die(out: Path) -> None:
    with store.output_lock(out):
        worker = FORK.Process(target=time.sleep, args=(60,))  # like a pool worker of the run
        worker.start()
        (out / "worker.pid").write_text(str(worker.pid))
        _die()


def test_lock_of_a_killed_run_is_taken_over_even_with_its_workers_alive(
    folders: Folders, tmp_path: Path
) -> None:
    out = _fresh_output(folders, tmp_path)
    dead = FORK.Process(target=_hold_lock_with_a_worker_then_die, args=(out,))
    dead.start()
    deadline = time.monotonic() + 30
    while dead.is_alive() and time.monotonic() < deadline:  # join() would wait for the
        time.sleep(0.05)  # worker too: it holds a copy of the dead run's exit pipe
    worker_pid = int((out / "worker.pid").read_text())
    (out / "worker.pid").unlink()
    try:
        assert dead.exitcode == -signal.SIGKILL
        assert os.path.exists(f"/proc/{worker_pid}")  # the orphaned worker still runs
        summary = run_pipeline(_options(folders.raw, out))  # lock_timeout_s=0: no waiting
    finally:
        os.kill(worker_pid, signal.SIGKILL)
    assert summary.n_records == folders.n_records_b


def _run_or_refuse(options: Options) -> None:
    code = 1
    try:
        run_pipeline(options)
        code = 0
    except store.RunLocked:
        code = 3
    finally:
        os._exit(code)


def test_two_runs_started_at_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    n_records = write_mixed_folder(raw, 8, seed=11)
    expected = dataset_view(_baseline(raw, tmp_path / "alone"))
    out = tmp_path / "out"
    start = FORK.Barrier(2)
    runs = [
        FORK.Process(target=_started_together, args=(start, _options(raw, out))) for _ in range(2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    codes = sorted(run.exitcode for run in runs)
    if codes == [0, 0]:  # the second took the lock after the first finished: nothing was new
        assert sorted(r["n_records"] for r in store.read_table(out, "runs").to_pylist()) == [
            0,
            n_records,
        ]
    else:
        assert codes == [0, 3]  # one ran, the other was refused
    assert dataset_view(out) == expected


def _started_together(start, options: Options) -> None:
    start.wait(10)
    _run_or_refuse(options)


def _baseline(raw: Path, out: Path) -> Path:
    run_pipeline(_options(raw, out))
    return out


# --- no space, no permission -------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _fault_parquet_writer(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(pq.ParquetWriter, "write_table", _no_space)


def _fault_single_files(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(store.pq, "write_table", _no_space)


def _fault_journal(patch: pytest.MonkeyPatch) -> None:
    original = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.suffix == ".tmp":
            original(self, '{"run_id": "partial')
            _no_space()
        return original(self, *args, **kwargs)

    patch.setattr(Path, "write_text", write_text)


def _fault_third_move(patch: pytest.MonkeyPatch) -> None:
    original = os.replace
    moved = [0]

    def replace(src, dst):
        moved[0] += 1
        if moved[0] == 3:
            raise OSError(errno.EIO, "Input/output error")
        original(src, dst)

    patch.setattr(os, "replace", replace)


def _fault_probe(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(Path, "write_bytes", _no_space)


FAULTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "writing the articles": _fault_parquet_writer,
    "writing rejects, state and runs": _fault_single_files,
    "writing the journal": _fault_journal,
    "moving the third file in": _fault_third_move,
    "checking the folder is writable": _fault_probe,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_full_disk_is_one_clear_error_and_the_dataset_is_untouched(
    fault: str, folders: Folders, tmp_path: Path
) -> None:
    out = _fresh_output(folders, tmp_path)
    expected = dataset_view(out)
    with pytest.MonkeyPatch.context() as patch:
        FAULTS[fault](patch)
        with pytest.raises(store.StoreError) as failure:
            run_pipeline(_options(folders.raw, out))
    message = str(failure.value)
    assert "\n" not in message and str(out) in message
    assert "No space left on device" in message or "Input/output error" in message
    assert dataset_view(out) == expected
    assert not any((out / store.STATE / store.JOURNAL).iterdir())
    assert not (out / store.STAGING).exists() or not any((out / store.STAGING).iterdir())
    run_pipeline(_options(folders.raw, out))
    assert dataset_view(out) == dataset_view(folders.after)


def test_full_disk_through_the_cli(
    folders: Folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _fresh_output(folders, tmp_path)
    expected = dataset_view(out)
    _fault_parquet_writer(monkeypatch)
    result = CliRunner().invoke(
        app, ["run", str(folders.raw), "--out", str(out), "--no-report"], env=NARROW
    )
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()  # progress bars, then the error
    assert [line for line in lines if line.startswith("error:")] == lines[-1:]
    assert "No space left on device" in lines[-1]
    assert dataset_view(out) == expected


def test_output_folder_that_cannot_be_created(folders: Folders, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        app, ["run", str(folders.raw), "--out", str(blocker / "out"), "--no-report"], env=NARROW
    )
    assert result.exit_code != 0
    (line,) = result.output.strip().splitlines()
    assert "is not writable" in line and "Not a directory" in line
    assert blocker.read_text() == "not a folder"


def test_read_only_output_folder(folders: Folders) -> None:
    """Run by a user other than root (CI's), who would write into the folders anyway."""
    with own_folder() as root:
        raw, out = root / "raw", root / "out"
        shutil.copytree(folders.raw, raw)
        shutil.copytree(folders.before, out)
        give_away(root)
        expected = dataset_view(out)
        for folder in [out, *(p for p in out.rglob("*") if p.is_dir())]:
            folder.chmod(0o555)
        with pytest.raises(store.StoreError, match="not writable"):
            as_unprivileged(lambda: run_pipeline(_options(raw, out)))
        assert dataset_view(out) == expected
