"""Torture: bad input, kill -9 at random moments, and peak memory on a big JSONL.

1. Runs the bad-input folder of tests/badinput.py (network closed, files changing under the
   run) and prints each input with its expected and actual outcome.
2. Kills `ingest run` (the real CLI, in a subprocess) with SIGKILL at random moments, over a
   generated multilingual folder of HTML, text and JSONL with copies: an earlier run has
   ingested part A, the killed run ingests part B. Every other kill comes at a random moment
   of the run, the others at a random moment after it starts writing its output (the commit
   is a small share of a run). Right after each kill the output must read as before the run
   (or as after it, once past the commit point); then the run is started again, and the
   final dataset is compared with an uninterrupted run's: rows lost, rows doubled, time to
   recover. Orphaned pool workers of a killed run are counted and then stopped.
3. Peak RSS of reading a big JSONL alone (the readers stream) and of a whole run over one.

    python benchmarks/torture.py [--docs 60] [--trials 20] [--workers 2] [--seed 1]
                                 [--read-mb 128] [--run-mb 8] [--skip bad-input kills memory]

Targets: 0 crashes, 0 rows lost, 0 rows doubled. Generated data only; nothing is read from
../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from badinput import LIMITS, build_bad_input, files_change_while_read  # noqa: E402
from fakenews import jsonl_record, story, write_mixed_folder  # noqa: E402

from ingest import store  # noqa: E402
from ingest.options import Options  # noqa: E402
from ingest.pipeline import run_pipeline  # noqa: E402


def print_table(title: str, header: list[str], rows: list[list[object]]) -> None:
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for number, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


# --- 1. bad input ---------------------------------------------------------------------------


def bad_input(work: Path) -> bool:
    raw, out = work / "bad-raw", work / "bad-out"
    raw.mkdir()
    cases = build_bad_input(raw)
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:])[:80])
        raise OSError("network access during a run")

    saved = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex")}
    saved_getaddrinfo = socket.getaddrinfo
    for name in saved:
        setattr(socket.socket, name, refuse)
    socket.getaddrinfo = refuse
    started = time.perf_counter()
    try:
        with files_change_while_read():
            summary = run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False, **LIMITS))
    finally:
        for name, original in saved.items():
            setattr(socket.socket, name, original)
        socket.getaddrinfo = saved_getaddrinfo
    seconds = time.perf_counter() - started

    outcomes: dict[str, list[str]] = {}
    details: dict[str, str] = {}
    for table, outcome in (("articles", "article"), ("duplicates", "duplicate"), ("rejects", None)):
        for row in store.read_table(out, table).to_pylist():
            outcomes.setdefault(row["source"], []).append(outcome or row["reason"])
            details[row["source"]] = row.get("detail") or ""
    rows, wrong = [], 0
    for case in cases:
        for source, expected in case.expected.items():
            got = "+".join(outcomes.get(source, ["(missing)"]))
            ok = got == expected
            wrong += not ok
            rows.append(
                [
                    case.kind,
                    repr(source)[1:-1],
                    expected,
                    got,
                    "ok" if ok else "WRONG",
                    details.get(source, "")[:60],
                ]
            )
    print_table(
        "1. bad input: each input and its outcome",
        ["kind", "input", "expected", "outcome", "", "detail"],
        rows,
    )
    expected_sources = {s for case in cases for s in case.expected}
    unexpected = set(outcomes) - expected_sources
    doubled = [s for s, o in outcomes.items() if len(o) > 1]
    accounted = summary.n_records == len(expected_sources) and not unexpected and not doubled
    print_table(
        "bad input: totals",
        [
            "kinds",
            "records",
            "wrong outcome",
            "unexpected",
            "doubled",
            "accounting",
            "network",
            "seconds",
        ],
        [
            [
                len(cases),
                summary.n_records,
                wrong,
                len(unexpected),
                len(doubled),
                "ok" if accounted else "BROKEN",
                len(attempts),
                f"{seconds:.1f}",
            ]
        ],
    )
    return wrong == 0 and accounted and not attempts


# --- 2. kill -9 ----------------------------------------------------------------------------


@dataclass
class Trial:
    number: int
    kill_at_s: float
    phase: str
    after_kill: str
    orphans: int
    rolled_back: bool
    recover_s: float
    exit_code: int
    lost: int
    doubled: int


def cli(raw: Path, out: Path, workers: int) -> list[str]:
    """Small batches, so a run with several workers really uses its process pool."""
    return [
        sys.executable, "-m", "ingest.cli", "run", str(raw), "--out", str(out),
        "--workers", str(workers), "--batch-size", "10", "--no-report", "--json",
    ]  # fmt: skip


def rows_of(out: Path) -> Counter:
    """Every row readers see, keyed without run ids and clocks; a count above 1 is a double."""
    keys: Counter = Counter()
    for row in store.read_table(out, "articles", columns=["doc_id", "source"]).to_pylist():
        keys[("article", row["doc_id"], row["source"])] += 1
    for row in store.read_table(out, "duplicates", columns=["doc_id", "duplicate_of"]).to_pylist():
        keys[("duplicate", row["doc_id"], row["duplicate_of"])] += 1
    for row in store.read_table(out, "rejects", columns=["source", "reason"]).to_pylist():
        keys[("reject", row["source"], row["reason"])] += 1
    return keys


def phase_at_kill(out: Path, runs_before: set[str]) -> str:
    """Where the killed run was, read from what it left in the output folder."""
    runs_now = set(store.committed_run_ids(out))
    journals = list((out / store.STATE / store.JOURNAL).glob("*.json"))
    staging = out / store.STAGING
    if runs_now - runs_before:
        return "committed, cleanup pending" if journals else "finished"
    if journals:
        return "moving files in"
    if staging.is_dir() and any(staging.iterdir()):
        return "staging"
    return "reading / cleaning"


def run_cli(command: list[str]) -> tuple[int, dict, float]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    summary = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else {}
    if done.returncode != 0:
        print(f"    run failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
    return done.returncode, summary, seconds


def kill_trials(work: Path, docs: int, trials: int, workers: int, seed: int) -> bool:
    raw, before, after = work / "mixed-raw", work / "before", work / "after"
    raw.mkdir()
    part_a = write_mixed_folder(raw, docs * 3 // 5, seed=seed)
    code, _, _ = run_cli(cli(raw, before, workers))
    part_b = write_mixed_folder(raw, docs - docs * 3 // 5, seed=seed, first=docs * 3 // 5)
    shutil.copytree(before, after)
    code_b, summary_b, full_s = run_cli(cli(raw, after, workers))
    if code or code_b:
        print("the uninterrupted runs failed; no trials")
        return False
    expected, pre_state = rows_of(after), rows_of(before)
    runs_before = set(store.committed_run_ids(before))
    print(
        f"\n2. kill -9: part A {part_a} records (committed first), part B {part_b} records; "
        f"an uninterrupted run over B takes {full_s:.1f} s with {workers} worker(s) "
        f"({summary_b['n_articles']} articles, {summary_b['n_duplicates']} duplicates, "
        f"{summary_b['n_rejects']} rejects)"
    )
    rng = random.Random(seed)
    results: list[Trial] = []
    for number in range(1, trials + 1):
        out = work / f"trial-{number}"
        shutil.copytree(before, out)
        started = time.perf_counter()
        process = subprocess.Popen(
            cli(raw, out, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if number % 2:
            time.sleep(rng.uniform(0.3, full_s * 1.05))
        else:  # the commit takes a small share of a run: aim every other kill at it
            _wait_for_staging(out, process, full_s * 3)
            time.sleep(rng.uniform(0.0, 0.3))
        kill_at = time.perf_counter() - started
        workers_seen = _descendants(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        phase = phase_at_kill(out, runs_before)
        seen = rows_of(out)
        after_kill = (
            "as before" if seen == pre_state else "as after" if seen == expected else "OTHER"
        )
        orphans = [p for p in workers_seen if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        code, summary, recover_s = run_cli(cli(raw, out, workers))  # with orphans still alive
        for orphan in orphans:
            orphan.kill()
        final = rows_of(out) if code == 0 else Counter()
        lost = sum((expected - final).values())
        doubled = sum(n - 1 for n in final.values() if n > 1)
        results.append(
            Trial(
                number,
                kill_at,
                phase,
                after_kill,
                len(orphans),
                bool(summary.get("rolled_back")),
                recover_s,
                code,
                lost,
                doubled,
            )
        )
        shutil.rmtree(out)
    print_table(
        "kill -9 trials",
        [
            "trial",
            "killed at s",
            "phase at kill",
            "output after kill",
            "orphan workers",
            "rolled back",
            "recover s",
            "exit",
            "lost",
            "doubled",
        ],
        [
            [
                t.number,
                f"{t.kill_at_s:.2f}",
                t.phase,
                t.after_kill,
                t.orphans,
                "yes" if t.rolled_back else "no",
                f"{t.recover_s:.1f}",
                t.exit_code,
                t.lost,
                t.doubled,
            ]
            for t in results
        ],
    )
    crashes = sum(t.exit_code != 0 or t.after_kill == "OTHER" for t in results)
    lost, doubled = sum(t.lost for t in results), sum(t.doubled for t in results)
    recover = [t.recover_s for t in results]
    print_table(
        "kill -9: totals",
        [
            "trials",
            "crashes",
            "rows lost",
            "rows doubled",
            "recover s (mean)",
            "recover s (max)",
            "uninterrupted s",
            "phases",
        ],
        [
            [
                len(results),
                crashes,
                lost,
                doubled,
                f"{sum(recover) / len(recover):.1f}",
                f"{max(recover):.1f}",
                f"{full_s:.1f}",
                ", ".join(f"{k}: {v}" for k, v in Counter(t.phase for t in results).items()),
            ]
        ],
    )
    return crashes == 0 and lost == 0 and doubled == 0


def _wait_for_staging(out: Path, process: subprocess.Popen, timeout_s: float) -> None:
    """Until the run starts writing its output (its staging folder appears) or ends."""
    staging = out / store.STAGING
    deadline = time.perf_counter() + timeout_s
    while process.poll() is None and time.perf_counter() < deadline:
        if staging.is_dir() and any(staging.iterdir()):
            return
        time.sleep(0.002)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


# --- 3. memory -----------------------------------------------------------------------------

# The child measures itself: a sampler thread keeps the highest RSS seen after the imports.
# ru_maxrss would not do: a child forked from this (large) process starts at its size.
_MEASURE = """
import sys, threading, time
from pathlib import Path
import psutil
import ingest.pipeline
from ingest.options import Options
from ingest.sources import discover, read_input
process = psutil.Process()
start = peak = process.memory_info().rss

def sample():
    global peak
    while True:
        peak = max(peak, process.memory_info().rss)
        time.sleep(0.005)

threading.Thread(target=sample, daemon=True).start()
if sys.argv[2] == "read":
    files, _ = discover(Path(sys.argv[1]))
    limits = {"max_file_bytes": 1 << 40, "max_record_bytes": 1 << 24}
    records = sum(1 for f in files for _ in read_input(f, **limits))
else:
    options = Options(raw_dir=Path(sys.argv[1]), out_dir=Path(sys.argv[3]), write_report=False,
                      strip_boilerplate=False, max_file_bytes=1 << 40)
    records = ingest.pipeline.run_pipeline(options).n_records
time.sleep(0.02)
print(records, start, max(peak, process.memory_info().rss))
"""


def write_big_jsonl(path: Path, megabytes: int) -> None:
    """Distinct stories: repeating a few would measure dedup's worst case instead."""
    size, number = 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while size < megabytes << 20:
            line = jsonl_record(story(number), number) + "\n"
            handle.write(line)
            size += len(line.encode("utf-8"))
            number += 1


def measure(*args: str) -> tuple[int, float, float, float]:
    """(records, RSS after imports MB, peak RSS MB, seconds) of one child process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True
    )
    records, start, peak = (int(v) for v in done.stdout.split())
    return records, start / 2**20, peak / 2**20, time.perf_counter() - started


def memory(work: Path, read_mb: int, run_mb: int) -> None:
    """Whole runs go without boilerplate stripping, which costs time per line but holds no
    memory beyond the article; it keeps the larger run within a minute or two."""
    rows, run_growth = [], []
    for what, sizes in (("read", (read_mb // 4, read_mb)), ("run", (run_mb // 4, run_mb))):
        for size in sizes:
            folder = work / f"jsonl-{size}"
            if not folder.exists():
                folder.mkdir()
                write_big_jsonl(folder / "big.jsonl", size)
            records, start, peak, seconds = measure(str(folder), what, str(work / f"out-{size}"))
            if what == "run":
                run_growth.append((size, peak - start))
            label = "read records only" if what == "read" else "whole run"
            rows.append(
                [
                    f"{size} MB",
                    records,
                    label,
                    f"{start:.0f}",
                    f"{peak:.0f}",
                    f"{peak - start:+.0f}",
                    f"{seconds:.1f}",
                ]
            )
    print_table(
        "3. peak RSS on one big JSONL",
        ["JSONL", "records", "what", "RSS after imports MB", "peak RSS MB", "growth MB", "seconds"],
        rows,
    )
    (small, small_growth), (large, large_growth) = run_growth
    slope = (large_growth - small_growth) / (large - small)
    print(
        f"whole run: {slope:.1f} MB of RSS per MB of JSONL; a 1 GB JSONL would need about "
        f"{(large_growth + slope * (1024 - large)) / 1024:.1f} GB more than the bare process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=60, help="records in the kill-trial folder")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-mb", type=int, default=128, help="largest JSONL read alone")
    parser.add_argument("--run-mb", type=int, default=8, help="largest JSONL run through it all")
    parser.add_argument("--skip", nargs="*", default=[], choices=["bad-input", "kills", "memory"])
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="newsclean-torture-") as tmp:
        work = Path(tmp)
        if "bad-input" not in args.skip:
            ok &= bad_input(work)
        if "kills" not in args.skip:
            ok &= kill_trials(work, args.docs, args.trials, args.workers, args.seed)
        if "memory" not in args.skip:
            memory(work, args.read_mb, args.run_mb)
    print(
        f"\ntargets (0 crashes, 0 lost, 0 doubled, every bad input as expected): {'met' if ok else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()
