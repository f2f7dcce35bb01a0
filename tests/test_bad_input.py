"""A whole run over a folder of bad input: each kind gets its outcome and nothing is lost.

The folder is built in code (tests/badinput.py) and run once for the module, with the
network closed and files changing under the run. Then every record must end in exactly one
of articles, duplicates or rejects, with the outcome its kind calls for.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from badinput import (
    ARTICLE,
    CHANGING,
    LIMITS,
    PRIVATE,
    RECORD_FIELD_PATHS,
    VANISHING,
    BadInput,
    build_bad_input,
    expected_outcomes,
    files_change_while_read,
)
from fakenews import html_page, story
from unprivileged import as_unprivileged, give_away, own_folder

import ingest.extract.page
import ingest.timeout
from ingest import store
from ingest.documents import RejectReason
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.sources import discover
from ingest.stages import read_and_extract
from ingest.summary import RunSummary
from ingest.timeout import TimeLimitExceeded, time_limit

OUTPUT_ENTRIES = {"articles", "duplicates", "rejects", "runs", "_state", "_staging"}


@dataclass
class BadRun:
    root: Path
    raw: Path
    out: Path
    cases: list[BadInput]
    summary: RunSummary
    outcomes: dict[str, list[str]]  # source -> every outcome it got (one, if all is well)
    network_attempts: list[str]
    files_outside_before: set[Path]


def _outcomes(out: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, outcome in (("articles", ARTICLE), ("duplicates", "duplicate"), ("rejects", None)):
        for row in store.read_table(out, table).to_pylist():
            found.setdefault(row["source"], []).append(outcome or row["reason"])
    return found


def _files_outside(root: Path, out: Path) -> set[Path]:
    return {p for p in root.rglob("*") if out not in p.parents and p != out}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> BadRun:
    root = tmp_path_factory.mktemp("bad")
    raw, out = root / "raw", root / "out"
    raw.mkdir()
    cases = build_bad_input(raw)
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:] or kwargs)[:200])
        raise OSError("network access during a run")

    before = _files_outside(root, out)
    with pytest.MonkeyPatch.context() as patch, files_change_while_read():
        for name in ("connect", "connect_ex", "sendto"):
            patch.setattr(socket.socket, name, refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        summary = run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False, **LIMITS))
    return BadRun(root, raw, out, cases, summary, _outcomes(out), attempts, before)


def test_the_folder_has_at_least_thirty_kinds(bad_run: BadRun) -> None:
    assert len(bad_run.cases) >= 30
    assert len({c.kind for c in bad_run.cases}) == len(bad_run.cases)


def test_every_kind_gets_its_outcome(bad_run: BadRun) -> None:
    wrong = [
        (case.kind, source, expected, bad_run.outcomes.get(source))
        for case in bad_run.cases
        for source, expected in case.expected.items()
        if bad_run.outcomes.get(source) != [expected]
    ]
    assert wrong == []


def test_every_record_ends_in_exactly_one_table(bad_run: BadRun) -> None:
    expected = expected_outcomes(bad_run.cases)
    doubled = {s: o for s, o in bad_run.outcomes.items() if len(o) != 1}
    assert doubled == {}
    assert set(bad_run.outcomes) == set(expected)
    s = bad_run.summary
    assert s.n_records == len(expected) == s.n_articles + s.n_duplicates + s.n_rejects
    assert s.n_articles == sum(o == [ARTICLE] for o in bad_run.outcomes.values())
    (runs_row,) = store.read_table(bad_run.out, "runs").to_pylist()
    assert runs_row["n_records"] == len(expected)


def test_every_input_file_leaves_at_least_one_row(bad_run: BadRun) -> None:
    """The accounting invariant for files: each file the run found (read, rejected, changed
    or vanished under it) has a row of its own or of its records (`#n`, `@offset`)."""
    files = {s.split("#")[0].split("@")[0] for s in expected_outcomes(bad_run.cases)}
    found, rejected = discover(bad_run.raw)
    assert {f.relpath for f in found} | {r.source for r in rejected} <= files
    by_file = {s.split("#")[0].split("@")[0] for s in bad_run.outcomes}
    assert files - by_file == set()
    inputs = {
        row["path"]
        for table in store.read_state(bad_run.out, "inputs")
        for row in table.to_pylist()
    }
    assert inputs and inputs <= by_file


def test_rejects_say_why(bad_run: BadRun) -> None:
    rows = store.read_table(bad_run.out, "rejects").to_pylist()
    assert all(row["detail"].strip() for row in rows)
    assert {row["reason"] for row in rows} <= {r.value for r in RejectReason}
    (broken_line,) = [r for r in rows if r["source"] == "partly-broken.jsonl#4"]
    assert "line 4" in broken_line["detail"]


def test_no_network_access_during_the_run(bad_run: BadRun) -> None:
    assert bad_run.network_attempts == []


def test_entity_expansion_is_off(bad_run: BadRun) -> None:
    table = store.read_table(bad_run.out, "articles").to_pylist()
    (laughs,) = [row for row in table if row["source"] == "laughs.xhtml"]
    assert "lollol" not in laughs["text"]
    assert len(laughs["text"]) < 5000


def test_record_fields_never_become_paths(bad_run: BadRun) -> None:
    created = _files_outside(bad_run.root, bad_run.out) - bad_run.files_outside_before
    assert created == set()
    assert {p.name for p in bad_run.out.iterdir()} <= OUTPUT_ENTRIES
    for name in RECORD_FIELD_PATHS:
        escaped = Path(name).name
        assert not list(bad_run.root.rglob(escaped))
        assert not Path("/tmp", escaped).exists()


# --- pieces that the folder run cannot show on its own ------------------------------------


def test_permission_denied_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads through chmod 000 (and CI runs as root), so the denial is also simulated."""
    path = tmp_path / PRIVATE
    path.parent.mkdir()
    path.write_text(html_page(story(7, "en")))
    original_open = Path.open

    def denied(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    files, _ = discover(tmp_path)
    batch = read_and_extract(files, {}, Options(**LIMITS), tmp_path / "scratch")
    assert [(r.source, r.reason, r.detail) for r in batch.rejects] == [
        (PRIVATE, RejectReason.UNREADABLE, "Permission denied")
    ]


def _busy_extraction(*args, **kwargs):
    """Stands in for trafilatura on a pathological page: CPU-bound Python steps, never finishing."""
    start = time.monotonic()  # not its CPU clock: reading that on every turn delays SIGPROF
    while time.monotonic() - start < 30:
        sum(range(1000))
    raise AssertionError("the time limit did not stop the extraction")


def _stuck_extraction(*args, **kwargs):
    """An extraction stuck without using CPU: only the wall-clock backstop stops it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(0.005)
    raise AssertionError("the backstop did not stop the extraction")


@pytest.mark.parametrize(
    ("extraction", "wall_factor", "detail"),
    [
        # the busy page's backstop far off: on a loaded machine 0.2 CPU seconds take seconds
        (_busy_extraction, 100.0, "over 0.2 CPU seconds"),
        (_stuck_extraction, ingest.timeout.WALL_FACTOR, "wall-clock time (backstop)"),
    ],
)
@pytest.mark.parametrize("where", ["main thread", "worker thread"])
def test_time_limit_stops_slow_extraction(
    where: str,
    extraction,
    wall_factor: float,
    detail: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGPROF/SIGALRM in the main thread, a watchdog in worker threads (Prefect's thread runner)."""
    (tmp_path / "slow.html").write_text(html_page(story(8, "de")))
    files, _ = discover(tmp_path)
    options = Options(extraction_timeout_s=0.2)
    monkeypatch.setattr(ingest.timeout, "WALL_FACTOR", wall_factor)
    monkeypatch.setattr(ingest.extract.page.trafilatura, "bare_extraction", extraction)
    if where == "main thread":
        batch = read_and_extract(files, {}, options, tmp_path / "scratch")
    else:
        with ThreadPoolExecutor(1) as pool:
            scratch = tmp_path / "scratch"
            batch = pool.submit(read_and_extract, files, {}, options, scratch).result(timeout=60)
    assert [(r.source, r.reason) for r in batch.rejects] == [("slow.html", RejectReason.TIMEOUT)]
    assert detail in batch.rejects[0].detail


def test_a_limit_that_did_not_fire_leaves_no_exception_behind() -> None:
    """The watchdog is stopped on exit; nothing lands in the worker thread later."""

    def quick_then_idle() -> str:
        with time_limit(0.05):
            pass
        time.sleep(0.5)
        return "clean"

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(quick_then_idle).result(timeout=5) == "clean"
    assert threading.current_thread() is threading.main_thread()
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        time.sleep(1)


def test_chmod_000_file_is_unreadable() -> None:
    """Run by a user other than root (CI's), who would read the file anyway. A first run
    with read permission loads in this process what the second, forked, run needs."""
    with own_folder() as root:
        raw = root / "raw"
        locked = raw / PRIVATE
        locked.parent.mkdir(parents=True)
        locked.write_text(html_page(story(31, "es")), encoding="utf-8")
        (raw / "open.html").write_text(html_page(story(32, "en")), encoding="utf-8")
        readable = run_pipeline(Options(raw_dir=raw, out_dir=root / "first", write_report=False))
        give_away(root)
        locked.chmod(0)
        options = Options(raw_dir=raw, out_dir=root / "out", write_report=False, **LIMITS)
        summary = as_unprivileged(lambda: run_pipeline(options))
        outcomes = _outcomes(root / "out")
    assert readable.n_articles == 2
    assert outcomes == {PRIVATE: ["unreadable"], "open.html": [ARTICLE]}
    assert summary.rejects_by_reason == {"unreadable": 1}


def test_changed_files_are_read_again_and_nothing_is_reported_twice(bad_run: BadRun) -> None:
    second = run_pipeline(
        Options(raw_dir=bad_run.raw, out_dir=bad_run.out, write_report=False, **LIMITS)
    )
    # Read again: the file that changed while the first run read it, and (not as root) the
    # file without read permission, which is retried in case it was fixed.
    retried = 0 if os.geteuid() == 0 else 1
    assert second.n_files == 1 + retried
    assert (second.n_articles, second.n_rejects) == (1, retried)
    articles = store.read_table(bad_run.out, "articles").to_pylist()
    assert CHANGING in {row["source"] for row in articles}
    assert VANISHING not in {row["source"] for row in articles}
    doc_ids = [row["doc_id"] for row in articles]
    assert len(doc_ids) == len(set(doc_ids))
