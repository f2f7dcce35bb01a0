"""Fuzzing campaign: mutants of valid files of every format through the real batch stages.

Each case mutates one valid seed file (tests/fuzzing.py: truncate, flip, insert and zero
bytes, drop lines and headers, duplicate slices, wrong Content-Length, broken gzip members,
mutations inside the compression) and runs `read_and_extract` and `finalize` on it in a
worker process. Reports per format: cases, crashes (an exception escaping a stage, which
would stop a run), hangs (a case over --hang-s; its worker is killed and replaced),
internal_error rejects (bugs the run survived), accounting failures (a file with no row, a
source twice, a stray source) and case times; then outcomes by reason, every crash signature
with a case that reproduces it, and the slowest cases.

    python benchmarks/fuzz.py [--cases 10000] [--seed 1] [--workers 2] [--hang-s 60]
                              [--save DIR]

--save writes each crashing or hanging mutant to DIR, to turn into fixtures. Generated data
only; nothing is read from ../shared.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fuzzing import Case, Outcome, fuzz_options, make_cases, mutant, run_case, seed_files  # noqa: E402
from torture import print_table  # noqa: E402

from ingest.language import detect_language  # noqa: E402


def worker(index: int, cases: list[Case], results: mp.Queue, work: Path) -> None:
    """Run cases in order, announcing each start so the parent can time out a hang."""
    seeds = seed_files()
    options = fuzz_options()
    for name in seeds:  # untimed: the first case would otherwise pay for loading the models
        run_case(Case(-1, name, (), 0), seeds, work / "warm-up", options)
    detect_language("Kurz.")  # texts under 40 letters load langdetect's profiles (1-2 s)
    for case in cases:
        results.put(("start", index, case.number, time.monotonic()))
        outcome = run_case(case, seeds, work / str(case.number), options)
        results.put(("done", index, case.number, outcome))
    results.put(("finished", index, None, None))


def campaign(cases: list[Case], workers: int, hang_s: float, work: Path) -> tuple[dict, list]:
    """Outcome per case number, and the cases that hung or killed their worker."""
    context = mp.get_context("fork")
    results: mp.Queue = context.Queue()
    done: dict[int, Outcome] = {}
    hangs: list[tuple[Case, float]] = []
    by_number = {c.number: c for c in cases}
    running: dict[int, list] = {}  # worker index -> [process, its cases, current case, since]

    def start(index: int, share: list[Case]) -> None:
        args = (index, share, results, work / f"w{index}")
        process = context.Process(target=worker, args=args, daemon=True)
        process.start()
        running[index] = [process, share, None, 0.0]

    def replace(index: int, seconds: float) -> None:
        process, share, current, _ = running.pop(index)
        process.kill()
        process.join()
        hangs.append((by_number[current], seconds))
        rest = [c for c in share if c.number > current]
        if rest:
            start(index, rest)

    for index in range(workers):
        if cases[index::workers]:
            start(index, cases[index::workers])
    last_print = time.monotonic()
    while running:
        try:
            kind, index, number, payload = results.get(timeout=1.0)
        except queue.Empty:
            kind = None
        if kind == "start" and index in running:
            running[index][2:] = [number, payload]
        elif kind == "done":
            done[number] = payload
            if index in running:
                running[index][2] = None
        elif kind == "finished" and index in running:
            running.pop(index)[0].join()
        now = time.monotonic()
        for index, (process, _, current, since) in list(running.items()):
            if current is not None and now - since > hang_s:
                replace(index, now - since)
            elif current is not None and not process.is_alive():
                replace(index, -1.0)  # the worker died on this case (a segfault, say)
        if now - last_print > 30:
            print(f"  {len(done)}/{len(cases)} cases", file=sys.stderr, flush=True)
            last_print = now
    return done, hangs


def report(cases: list[Case], done: dict[int, Outcome], hangs: list, seconds: float) -> int:
    families: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in done.values():
        families[outcome.case.family].append(outcome)
    hung = Counter(case.family for case, _ in hangs)
    rows = []
    for family in sorted({c.family for c in cases}):
        items = families.get(family, [])
        times = [o.seconds * 1000 for o in items] or [0.0]
        rows.append(
            [
                family,
                sum(c.family == family for c in cases),
                sum(o.crash is not None for o in items),
                hung[family],
                sum(len(o.internal) for o in items),
                sum(bool(o.problems) for o in items),
                f"{statistics.median(times):.0f}",
                f"{max(times):.0f}",
            ]
        )
    print_table(
        "cases per format",
        ["format", "cases", "crashes", "hangs", "internal", "accounting", "median ms", "max ms"],
        rows,
    )
    reasons: Counter = Counter()
    for outcome in done.values():
        reasons.update(outcome.outcomes)
    print_table("outcomes (rows)", ["outcome", "rows"], [[k, v] for k, v in reasons.most_common()])

    signatures: dict[str, list[Case]] = defaultdict(list)
    for outcome in done.values():
        if outcome.crash:
            signatures[outcome.crash.split(": ", 1)[0]].append(outcome.case)
        for detail in outcome.internal:
            signatures["internal_error " + detail[:90]].append(outcome.case)
        for problem in outcome.problems:
            signatures["accounting: " + problem.split(":")[0]].append(outcome.case)
    rows = [
        [sig, len(found), f"{found[0].seed_name} {'+'.join(found[0].mutations)} #{found[0].number}"]
        for sig, found in sorted(signatures.items(), key=lambda kv: -len(kv[1]))
    ]
    print_table(
        "failures by signature", ["signature", "cases", "first case"], rows or [["-", 0, "-"]]
    )

    slowest = sorted(done.values(), key=lambda o: -o.seconds)[:5]
    print_table(
        "slowest cases",
        ["case", "format", "mutations", "seconds", "outcomes"],
        [
            [o.case.number, o.case.family, "+".join(o.case.mutations), f"{o.seconds:.2f}",
             dict(o.outcomes)]
            for o in slowest
        ],
    )  # fmt: skip
    crashes = sum(o.crash is not None for o in done.values())
    internal = sum(bool(o.internal) for o in done.values())
    accounting = sum(bool(o.problems) for o in done.values())
    print_table(
        "campaign",
        ["cases", "run", "crashes", "hangs", "internal", "accounting", "seconds", "cases/s"],
        [[len(cases), len(done), crashes, len(hangs), internal, accounting, f"{seconds:.0f}",
          f"{len(done) / seconds:.1f}"]],
    )  # fmt: skip
    return crashes + len(hangs) + internal + accounting


def save(cases_out: Path, done: dict[int, Outcome], hangs: list) -> None:
    """Write each failing mutant and what went wrong, to turn into fixtures."""
    seeds = seed_files()
    cases_out.mkdir(parents=True, exist_ok=True)
    found = [(o.case, o.crash or "; ".join(o.internal + o.problems)) for o in done.values()]
    found = [(c, why) for c, why in found if why] + [(c, f"hang {s:.0f} s") for c, s in hangs]
    index = []
    for case, why in found:
        name = f"case-{case.number}-{case.seed_name}"
        (cases_out / name).write_bytes(mutant(case, seeds))
        index.append({"file": name, "mutations": case.mutations, "seed": case.rng_seed, "why": why})
    (cases_out / "index.json").write_text(json.dumps(index, indent=1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hang-s", type=float, default=60.0)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    names = sorted(seed_files())
    cases = make_cases(args.cases, args.seed, names)
    import ingest

    print(f"fuzz: {len(cases)} cases over {len(names)} seed files, seed {args.seed}, "
          f"{args.workers} workers, ingest from {Path(ingest.__file__).parent}")  # fmt: skip
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory(prefix="newsclean-fuzz-") as folder:
        started = time.perf_counter()
        done, hangs = campaign(cases, args.workers, args.hang_s, Path(folder))
        seconds = time.perf_counter() - started
    failures = report(cases, done, hangs, seconds)
    if args.save:
        save(args.save, done, hangs)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
