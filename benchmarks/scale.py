"""Throughput of the whole pipeline next to trafilatura alone, plain and under Prefect runners.

Extraction is the physical limit, so the reference is trafilatura's bare_extraction (the
settings ingest.extract uses) on the same pages in the same run, in one process and in N
plain processes: trafilatura as released, and again with the fixes ingest installs in it
(ingest.extract.trafilatura_fixes: authors of broken JSON-LD read in one pass, readability
skipped where it cannot win, a faster basic_cleaning), since that is the extraction the pipeline runs. Then the plain pipeline (`ingest run`, --workers N) and the
`ingest-news` flow with the threads, processes and Dask task runners. Targets: the pipeline on
one core at least as fast as trafilatura alone (goal 1.5x); 2 workers >= 1.8x one.

First (section `typical`), the ratio a user feels on typical pages, one worker, CPU time,
trafilatura alone and `ingest run` side by side in one run, on two corpora: the dev pages
without the live blog (news_html/dev with its --copies copies; one live-blog page holds 1 s
of trafilatura's 5.5 s there, in a quadratic JSON-LD loop, so it would decide the ratio
alone), and a sample of the pages of ../shared/eval/train (every k-th page of each of its
corpora, --train-pages in all, read gzipped as they are). Each pair is measured --typical-pairs
times, the order swapped every other pair; the medians are printed, then the pipeline's stage
seconds per page (wall clock of each stage; one worker on a quiet machine: about its CPU).
Every pair after the first finds the per-line caches (analysed lines, folds, token hashes)
full of the same pages' lines, where a worker meeting new pages has none of them; a corpus
with more distinct lines than a cache holds finds it emptied in turn. With --cold-caches
those caches are emptied before each pipeline run, so every pair pays for its lines as new
pages would.

Then (section `scale`) the corpus is ../shared/eval/news_html/dev/*.html repeated to --docs
pages in a temporary folder. Copies of one page would look like site-wide repeated lines, so site_repeat_min_docs
is set above the number of copies: every page is cleaned as a unique page would be.

Next to wall time, each row has its CPU seconds (this process plus the worker processes that
ended) and the same ratio to trafilatura computed from them: on a machine other work shares,
wall-time ratios swing by tens of percent between two runs, CPU-time ratios much less.

Flow timings follow one warm-up flow run (first-call costs of the client are not per run).
With --flow-pairs N the flow also runs N back-to-back pairs of 1 and 2 workers per runner and
prints the median ratio: the figure to read on a shared machine.

Usage: python benchmarks/scale.py [--sections typical,scale] [--copies 3] [--train-pages 480]
                                  [--typical-pairs 1] [--cold-caches]
                                  [--docs 600] [--workers 1,2] [--runners threads,processes,dask]
                                  [--batch-size 50] [--repeat 1] [--pairs 0] [--flow-pairs 0]
                                  [--pair-runners processes,dask]
"""

from __future__ import annotations

import argparse
import gzip
import logging
import math
import multiprocessing
import os
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "eval" / "news_html" / "dev"
TRAIN = SHARED / "eval" / "train"
LIVE_BLOG = "fundus-gb-themirror-20240805.html"
"""The dev page that dominates trafilatura's time on dev (see the module doc)."""
#: The stages the typical-pages section prints, each with the step clocks that make it up.
TYPICAL_STAGES = {
    "read+extract": ("read", "extract"),
    "language": ("language",),
    "clean": ("clean",),
    "fingerprint": ("fingerprint",),
    "commit": ("commit",),
}
NOOP_TASKS = 40
#: Memoised functions holding more entries than this cache content, not models (--cold-caches).
CONTENT_CACHE_MIN = 64
STOCK = "trafilatura alone"
FORK = multiprocessing.get_context("fork")
FIXED = "trafilatura + ingest fixes"

for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "DASK_LOGGING__DISTRIBUTED": "warning",
}.items():
    os.environ.setdefault(_name, _value)


@dataclass
class Row:
    what: str
    workers: int
    docs: int
    wall_s: float
    run_s: float | None = None  # inside run_pipeline: without flow/runner start-up
    stage_seconds: dict[str, float] | None = None
    cpu_s: float = math.nan  # CPU of this process and its finished worker processes

    @property
    def docs_per_cpu_s(self) -> float:
        return self.docs / self.cpu_s

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall_s


def make_corpus(pages: list[Path], n_docs: int, folder: Path) -> list[Path]:
    """n_docs files: the pages cycled, each copy under its own name."""
    folder.mkdir(parents=True)
    files = []
    for i in range(n_docs):
        page = pages[i % len(pages)]
        target = folder / f"{i // len(pages):03d}-{page.parent.name}-{page.name}"
        shutil.copyfile(page, target)
        files.append(target)
    return files


def page_text(path: Path) -> str:
    """The page as a user hands it to trafilatura: read, gunzipped if gzipped, decoded."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def extract_alone(paths: list[Path]) -> int:
    """trafilatura on each page, as ingest.extract calls it (file read and decode included)."""
    import trafilatura

    for path in paths:
        trafilatura.bare_extraction(
            page_text(path),
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            deduplicate=False,
        )
    return len(paths)


class Table:
    """Prints each row as soon as it is measured (a long run shows its figures as it goes),
    against trafilatura alone with as many workers and against its own 1-worker row."""

    def __init__(self, repeat: int) -> None:
        self.repeat = repeat
        self.rows: list[Row] = []
        self.reference: dict[int, float] = {}
        self.reference_cpu: dict[int, float] = {}
        self.single: dict[str, float] = {}
        print(
            f"{'':<26}{'workers':>8}{'docs':>7}{'wall s':>9}{'docs/s':>9}"
            f"{'run-only docs/s':>17}{'x trafilatura':>15}{'x 1 worker':>12}"
            f"{'CPU s':>8}{'x trafilatura CPU':>19}",
            flush=True,
        )

    def best_of(self, measure: Callable[[int], Row]) -> None:
        """Keep the fastest of `repeat` measurements: the least disturbed by other work."""
        row = min((measure(i) for i in range(self.repeat)), key=lambda r: r.wall_s)
        if row.what == STOCK:
            self.reference[row.workers] = row.docs_per_s
            self.reference_cpu[row.workers] = row.docs_per_cpu_s
        if row.workers == 1:
            self.single[row.what] = row.docs_per_s
        run_only = f"{row.docs / row.run_s:.1f}" if row.run_s else "-"
        vs_traf = row.docs_per_s / self.reference.get(row.workers, math.nan)
        vs_one = row.docs_per_s / self.single.get(row.what, math.nan)
        vs_traf_cpu = row.docs_per_cpu_s / self.reference_cpu.get(row.workers, math.nan)
        print(
            f"{row.what:<26}{row.workers:>8}{row.docs:>7}{row.wall_s:>9.2f}"
            f"{row.docs_per_s:>9.1f}{run_only:>17}{vs_traf:>15.2f}{vs_one:>12.2f}"
            f"{row.cpu_s:>8.2f}{vs_traf_cpu:>19.2f}",
            flush=True,
        )
        self.rows.append(row)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (a pool's workers once it
    shut down). On a shared machine it moves far less with other work than wall time does;
    runners whose work runs elsewhere (a Dask cluster's own processes) are not counted."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def status(what: str, workers: int) -> None:
    print(f"  measuring {what} with {workers} worker(s)", file=sys.stderr, flush=True)


def trafilatura_row(files: list[Path], workers: int, what: str = STOCK) -> Row:
    status(what, workers)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    if workers == 1:
        extract_alone(files)
    else:
        chunks = [files[i::workers] for i in range(workers)]
        # forked, so the workers run trafilatura as this process has it (stock or fixed)
        with ProcessPoolExecutor(max_workers=workers, mp_context=FORK) as pool:
            sum(pool.map(extract_alone, chunks))
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    return Row(what, workers, len(files), wall, cpu_s=cpu)


@contextmanager
def stock_trafilatura() -> Iterator[None]:
    """trafilatura as released, without the JSON-LD author fix, the readability gate, the
    faster basic_cleaning, the prefiltered XPath expressions and the faster jusText paragraphs
    that `ingest.startup` installs in it."""
    from trafilatura import core, external, json_metadata

    from ingest.extract import trafilatura_fixes as fixes

    swaps = [
        (json_metadata, "extract_json_author", fixes.ORIGINAL),
        (core, "compare_extraction", fixes.ORIGINAL_COMPARE),
        (core, "_extract_and_compare", fixes.ORIGINAL_CASCADE),
        (fixes.trafilatura_baseline, "basic_cleaning", fixes.ORIGINAL_CLEANING),
        (external, "basic_cleaning", fixes.ORIGINAL_CLEANING),
        (external, "ParagraphMaker", fixes.ORIGINAL_MAKER),
        (external, "classify_paragraphs", fixes.ORIGINAL_CLASSIFY),
    ]
    fixed = [getattr(module, name) for module, name, _ in swaps]
    for module, name, original in swaps:
        setattr(module, name, original)
    for expressions, index, original, _fast in fixes.PREFILTERED_XPATHS:
        expressions[index] = original
    try:
        yield
    finally:
        for (module, name, _), function in zip(swaps, fixed, strict=True):
            setattr(module, name, function)
        for expressions, index, _original, fast in fixes.PREFILTERED_XPATHS:
            expressions[index] = fast


def measure_trafilatura(table: Table, files: list[Path], worker_counts: list[int]) -> None:
    """trafilatura as released (the reference), then with the fixes that the pipeline runs it
    with: the pipeline's own cost is its distance from the second row."""
    from ingest.startup import prepare_process

    prepare_process()  # installs the fixes the pipeline runs with

    for workers in worker_counts:
        with stock_trafilatura():
            table.best_of(lambda _, w=workers: trafilatura_row(files, w))
    for workers in worker_counts:
        table.best_of(lambda _, w=workers: trafilatura_row(files, w, FIXED))


def timed_run(what: str, workers: int, run: Callable[[], object]) -> Row:
    status(what, workers)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    summary = run()
    wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    stages = summary.stage_seconds
    return Row(what, workers, summary.n_records, wall, summary.elapsed_s, stages, cpu)


def pipeline_row(options_for, workers: int, name: str) -> Row:
    from ingest.pipeline import run_pipeline

    options = options_for(name, workers)
    return timed_run("pipeline (ingest run)", workers, lambda: run_pipeline(options))


def measure_pipeline(table: Table, options_for, worker_counts: list[int]) -> None:
    for workers in worker_counts:
        table.best_of(lambda i, w=workers: pipeline_row(options_for, w, f"plain-{w}-{i}"))


def measure_pairs(files: list[Path], options_for, worker_counts: list[int], pairs: int) -> None:
    """trafilatura alone and the pipeline measured back to back, `pairs` times, the order
    swapped every other pair: each ratio compares two runs that met the same load, so the
    median ratio moves far less with other work on the machine than best-of rows do."""
    print(f"\npaired ratio, pipeline / trafilatura alone ({pairs} back-to-back pairs):")
    print(f"{'workers':>9}{'median':>9}{'min':>7}{'max':>7}{'median CPU':>12}")
    for workers in worker_counts:
        wall, cpu = [], []
        for i in range(pairs):
            order = ("traf", "pipe") if i % 2 == 0 else ("pipe", "traf")
            rows = {}
            for what in order:
                if what == "traf":
                    with stock_trafilatura():
                        rows[what] = trafilatura_row(files, workers)
                else:
                    rows[what] = pipeline_row(options_for, workers, f"pair-{workers}-{i}")
            wall.append(rows["pipe"].docs_per_s / rows["traf"].docs_per_s)
            cpu.append(rows["pipe"].docs_per_cpu_s / rows["traf"].docs_per_cpu_s)
        print(
            f"{workers:>9}{statistics.median(wall):>9.2f}{min(wall):>7.2f}{max(wall):>7.2f}"
            f"{statistics.median(cpu):>12.2f}",
            flush=True,
        )


class Nothing:
    def describe(self) -> str:
        return "nothing"


def noop() -> Nothing:
    """A task that does nothing: what remains of its wall time is the runner's overhead."""
    return Nothing()


def task_overhead_ms(runner_kind: str) -> float:
    """Wall time per no-op task submitted through the flow's mapper, one worker slot."""
    from prefect import flow

    from flows.ingest_flow import prefect_mapper
    from flows.runners import make_task_runner

    @flow(name="task-overhead", persist_result=False)
    def overhead() -> float:
        with make_task_runner(runner_kind, 1) as runner:
            mapper = prefect_mapper(runner, retries=0)
            mapper("warm-up", noop, [()])
            started = time.perf_counter()
            mapper("noop", noop, [()] * NOOP_TASKS)
            return (time.perf_counter() - started) / NOOP_TASKS * 1000

    return overhead()


def measure_flows(
    table: Table, options_for, runners: list[str], worker_counts: list[int]
) -> dict[str, float]:
    """Rows for the flow on each runner; returns the per-task overhead of each runner."""
    from flows.ingest_flow import flow_parameters, ingest_news

    def measure(kind: str, workers: int, attempt: int) -> Row:
        options = options_for(f"{kind}-{workers}-{attempt}", workers)
        params = flow_parameters(options, task_runner=kind)
        return timed_run(f"flow, {kind}", workers, lambda: ingest_news(**params))

    ingest_news(**flow_parameters(options_for("warm-up", 1)) | {"batch_size": 10_000})
    overhead = {}
    for kind in runners:
        for workers in worker_counts:
            table.best_of(lambda i, k=kind, w=workers: measure(k, w, i))
        overhead[kind] = task_overhead_ms(kind)
    return overhead


def measure_flow_pairs(options_for, runners: list[str], pairs: int) -> None:
    """The flow with 1 and 2 workers back to back, `pairs` times per runner, the order swapped
    every other pair: the median ratio of two runs that met the same load on the machine."""
    from flows.ingest_flow import flow_parameters, ingest_news

    def wall(kind: str, workers: int, i: int) -> float:
        params = flow_parameters(
            options_for(f"fpair-{kind}-{workers}-{i}", workers), task_runner=kind
        )
        status(f"flow, {kind} (pair {i + 1})", workers)
        started = time.perf_counter()
        ingest_news(**params)
        return time.perf_counter() - started

    print(f"\npaired ratio, flow 2 workers / 1 worker ({pairs} back-to-back pairs):")
    print(f"{'runner':>11}{'median':>9}{'min':>7}{'max':>7}   ratios")
    for kind in runners:
        ratios = []
        for i in range(pairs):
            order = (1, 2) if i % 2 == 0 else (2, 1)
            seconds = {workers: wall(kind, workers, i) for workers in order}
            ratios.append(seconds[1] / seconds[2])
        listed = " ".join(f"{r:.2f}" for r in ratios)
        print(
            f"{kind:>11}{statistics.median(ratios):>9.2f}{min(ratios):>7.2f}"
            f"{max(ratios):>7.2f}   {listed}",
            flush=True,
        )


def print_stages(rows: list[Row]) -> None:
    """Where the pipeline's time goes (CPU seconds summed over workers for per-batch stages)."""
    for r in rows:
        if r.what.startswith("pipeline") and r.workers == 1 and r.stage_seconds:
            print(f"\nstage seconds, {r.what}, 1 worker ({r.docs} docs):")
            for stage, seconds in sorted(r.stage_seconds.items(), key=lambda kv: -kv[1]):
                print(f"  {stage:<20}{seconds:8.2f} s{seconds / r.docs * 1000:8.1f} ms/doc")
            # imports, model loads, locking, scratch folders: what no stage's clock covers
            other = r.wall_s - sum(r.stage_seconds.values())
            print(f"  {'other (start-up)':<20}{other:8.2f} s{other / r.docs * 1000:8.1f} ms/doc")


def typical_corpora(train_pages: int) -> dict[str, list[Path]]:
    """The dev pages without the live blog, and every k-th page of each train corpus."""
    corpora = {
        "dev without live blog": [p for p in sorted(CORPUS.glob("*.html")) if p.name != LIVE_BLOG]
    }
    train = {folder.name: sorted(folder.glob("*.html.gz")) for folder in sorted(TRAIN.glob("*/"))}
    total = sum(map(len, train.values()))
    if total and train_pages:
        step = max(1, math.ceil(total / train_pages))
        corpora[f"train ({', '.join(train)})"] = [
            p for pages in train.values() for p in pages[::step]
        ]
    return {name: pages for name, pages in corpora.items() if pages}


@dataclass
class TypicalRow:
    corpus: str
    docs: int
    trafilatura_cpu_s: float
    pipeline_cpu_s: float
    stage_seconds: dict[str, float]

    @property
    def ratio(self) -> float:
        """How many times faster than trafilatura alone `ingest run` is (>= 1: faster)."""
        return self.trafilatura_cpu_s / self.pipeline_cpu_s


CPU_CLOCK = types.SimpleNamespace(
    **{name: getattr(time, name) for name in dir(time) if not name.startswith("_")}
    | {"perf_counter": time.process_time}
)
"""The `time` module with perf_counter reading this process's CPU time."""


@contextmanager
def stage_clocks_in_cpu_time() -> Iterator[None]:
    """The stage clocks of ingest's pipeline, stage and step modules read CPU time, for a
    one-worker run in this process: on a shared machine its wall-clock stage seconds swing
    2-4x with other work, its CPU seconds hardly."""
    import ingest.pipeline
    import ingest.stages
    import ingest.steps

    modules = (ingest.pipeline, ingest.stages, ingest.steps)
    saved = [module.time for module in modules]
    for module in modules:
        module.time = CPU_CLOCK
    try:
        yield
    finally:
        for module, clock in zip(modules, saved, strict=True):
            module.time = clock


def pipeline_cpu(options) -> tuple[float, dict[str, float]]:
    from ingest.pipeline import run_pipeline

    with stage_clocks_in_cpu_time():
        started = cpu_seconds()
        summary = run_pipeline(options)
        return cpu_seconds() - started, summary.stage_seconds


def empty_content_caches() -> None:
    """Empty ingest's per-process caches of content (lines, words, characters): the
    memoised functions holding more than CONTENT_CACHE_MIN entries. The one-entry caches of
    models and phrase tables stay: every worker loads them once at start-up."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("ingest"):
            continue
        for value in list(vars(module).values()):
            limit = getattr(value, "cache_parameters", lambda: {})().get("maxsize")
            if limit is not None and limit > CONTENT_CACHE_MIN:
                value.cache_clear()


def measure_typical_corpus(
    name: str,
    files: list[Path],
    options_for: Callable[[str], object],
    pairs: int,
    cold_caches: bool = False,
) -> TypicalRow:
    """trafilatura alone and `ingest run` (one worker) on the same files, `pairs` times
    back to back, the order swapped every other pair; medians of each."""
    traf, pipe, stages = [], [], []
    for i in range(pairs):
        for what in ("traf", "pipe") if i % 2 == 0 else ("pipe", "traf"):
            status(f"{what}, {name} (pair {i + 1})", 1)
            if what == "traf":
                with stock_trafilatura():
                    started = cpu_seconds()
                    extract_alone(files)
                    traf.append(cpu_seconds() - started)
            else:
                if cold_caches:
                    empty_content_caches()
                cpu, seconds = pipeline_cpu(options_for(f"{name}-{i}"))
                pipe.append(cpu)
                stages.append(seconds)
    median_stages = {
        stage: statistics.median(s.get(stage, 0.0) for s in stages) for stage in stages[0]
    }
    return TypicalRow(
        name, len(files), statistics.median(traf), statistics.median(pipe), median_stages
    )


def print_typical(rows: list[TypicalRow], pairs: int) -> None:
    print(f"typical pages, one worker, CPU ms per page (median of {pairs} pair(s)):")
    print(f"{'corpus':<36}{'pages':>7}{'trafilatura':>13}{'ingest run':>12}{'x trafilatura':>15}")
    for r in rows:
        print(
            f"{r.corpus:<36}{r.docs:>7}{r.trafilatura_cpu_s / r.docs * 1000:>13.1f}"
            f"{r.pipeline_cpu_s / r.docs * 1000:>12.1f}{r.ratio:>15.2f}"
        )
    docs = sum(r.docs for r in rows)
    traf, pipe = sum(r.trafilatura_cpu_s for r in rows), sum(r.pipeline_cpu_s for r in rows)
    print(
        f"{'all of them':<36}{docs:>7}{traf / docs * 1000:>13.1f}{pipe / docs * 1000:>12.1f}"
        f"{traf / pipe:>15.2f}   target >= 1.0, goal 1.5"
    )
    names = list(TYPICAL_STAGES)
    print("\nCPU ms per page by stage, ingest run, one worker (rest: site lines, dedup, start-up):")
    print(f"{'corpus':<36}" + "".join(f"{n:>13}" for n in [*names, "rest", "total"]))
    for r in rows:
        ms = [
            sum(r.stage_seconds.get(step, 0.0) for step in steps) / r.docs * 1000
            for steps in TYPICAL_STAGES.values()
        ]
        total = r.pipeline_cpu_s / r.docs * 1000
        cells = "".join(f"{v:>13.2f}" for v in [*ms, total - sum(ms), total])
        print(f"{r.corpus:<36}{cells}")
    print(flush=True)


def measure_typical(
    tmp_path: Path, copies: int, train_pages: int, pairs: int, cold_caches: bool = False
) -> None:
    """The typical-pages section (module doc): each corpus in a folder of its own."""
    from ingest.options import Options

    corpora = typical_corpora(train_pages)
    rows = []
    for index, (name, pages) in enumerate(corpora.items()):
        n_copies = copies if index == 0 else 1
        raw = tmp_path / f"typical-{index}"
        files = make_corpus(pages, len(pages) * n_copies, raw)

        def options_for(run: str, raw: Path = raw, n_copies: int = n_copies) -> Options:
            out = tmp_path / "typical-out" / run.replace(" ", "-")
            return Options(
                raw_dir=raw, out_dir=out, site_repeat_min_docs=n_copies + 1, write_report=False
            )

        # First calls cost once per process, whichever side makes them: trafilatura's and
        # htmldate's caches, and dateparser's locale tables (about 2 s, on the first page
        # whose date htmldate hands to dateparser). One pass of trafilatura over the
        # corpus's pages pays them before either side is measured.
        extract_alone(pages)
        if index == 0:  # the pipeline's own: imports, language models, phrase tables
            warm = tmp_path / "typical-warm"
            make_corpus(pages[:5], 5, warm)
            pipeline_cpu(Options(raw_dir=warm, out_dir=tmp_path / "warm-out", write_report=False))
        rows.append(measure_typical_corpus(name, files, options_for, pairs, cold_caches))
    print_typical(rows, pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sections", default="typical,scale", help="typical (pages a user meets), scale (workers)"
    )
    parser.add_argument("--copies", type=int, default=3, help="copies of each typical dev page")
    parser.add_argument(
        "--train-pages", type=int, default=480, help="train pages sampled (0: none)"
    )
    parser.add_argument("--typical-pairs", type=int, default=1, help="pairs per typical corpus")
    parser.add_argument(
        "--cold-caches",
        action="store_true",
        help="empty the per-line caches before each typical pipeline run (as new pages find them)",
    )
    parser.add_argument("--docs", type=int, default=600, help="pages in the corpus")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--runners", default="threads,processes,dask")
    parser.add_argument("--batch-size", type=int, default=50, help="pages per batch task")
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of N measurements")
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        help="also measure N back-to-back pairs of trafilatura alone and the plain pipeline",
    )
    parser.add_argument(
        "--flow-pairs",
        type=int,
        default=0,
        help="also measure N back-to-back pairs of the flow with 1 and 2 workers per runner",
    )
    parser.add_argument(
        "--pair-runners",
        default="processes,dask",
        help="the runners --flow-pairs measures (threads share one interpreter: no 2x to find)",
    )
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    pages = sorted(CORPUS.glob("*.html"))
    if not pages:
        print(f"no HTML corpus at {CORPUS}: nothing to measure")
        return 0
    worker_counts = sorted(int(w) for w in args.workers.split(","))
    runners = [r for r in args.runners.split(",") if r]
    # a stopped benchmark unwinds: the temporary folder and the test server go with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from ingest.options import Options

    with tempfile.TemporaryDirectory(prefix="newsclean-scale-") as tmp:
        tmp_path = Path(tmp)
        os.environ.setdefault("PREFECT_HOME", str(tmp_path / "prefect-home"))
        if "typical" in sections:
            measure_typical(
                tmp_path, args.copies, args.train_pages, args.typical_pairs, args.cold_caches
            )
        if "scale" not in sections:
            return 0
        raw = tmp_path / "raw"
        files = make_corpus(pages, args.docs, raw)
        copies = math.ceil(args.docs / len(pages))

        def options_for(name: str, workers: int) -> Options:
            return Options(
                raw_dir=raw,
                out_dir=tmp_path / "out" / name,
                workers=workers,
                batch_size=args.batch_size,
                site_repeat_min_docs=copies + 1,
                write_report=False,
            )

        print(
            f"{len(files)} pages ({len(pages)} distinct, up to {copies} copies each), "
            f"batch size {args.batch_size}, best of {args.repeat}, {os.cpu_count()} CPUs\n",
            flush=True,
        )
        table = Table(args.repeat)
        measure_trafilatura(table, files, worker_counts)
        measure_pipeline(table, options_for, worker_counts)
        if args.pairs:
            measure_pairs(files, options_for, worker_counts, args.pairs)
        overhead: dict[str, float] = {}
        if runners:
            from prefect.testing.utilities import prefect_test_harness

            # the test server's event recorder logs its own cancellation when the harness stops
            logging.getLogger("prefect.server.services.task_run_recorder").setLevel(
                logging.CRITICAL
            )
            with prefect_test_harness(server_startup_timeout=None):
                overhead = measure_flows(table, options_for, runners, worker_counts)
                if args.flow_pairs:
                    paired = [r for r in args.pair_runners.split(",") if r in runners]
                    measure_flow_pairs(options_for, paired, args.flow_pairs)
    print_stages(table.rows)
    if overhead:
        print("\nper-task overhead (no-op task through the flow's mapper, 1 worker):")
        for kind, ms in overhead.items():
            print(f"  {kind:<10}{ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
